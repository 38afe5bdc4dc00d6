{#- One row per group call with a group id: the group's identifier (SPEC §5.5). -#}
{% import "macros.sql" as m %}
select
    {{ m.hash_columns("grp_idfr", ["event_id", "'segment_group_id'", "group_id"]) }} as group_identifier_id,
    event_id,
    'segment_group_id' as identifier_type,
    group_id as identifier_value,
    occurred_at,
    'segment' as source{{ "," if source_names }}
{% if source_names %}
    segment_source
{% endif %}
from {{ m.input(batch, "stg_segment_groups") }}
where reject_reason is null
    and group_id is not null
