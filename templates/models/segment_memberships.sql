{#- One row per group call linking a person (the anonymous id, else the user id) to a group
    (SPEC §5.5). -#}
{% import "macros.sql" as m %}
with links as (
    select
        event_id,
        occurred_at,
        case when anonymous_id is not null then 'segment_anonymous_id' else 'user_id' end as person_identifier_type,
        coalesce(anonymous_id, user_id) as person_identifier_value,
        group_id{{ "," if source_names }}
{% if source_names %}
        segment_source
{% endif %}
    from {{ m.input(batch, "stg_segment_groups") }}
    where reject_reason is null
        and group_id is not null
        and coalesce(anonymous_id, user_id) is not null
)

select
    {{ m.hash_columns("mbr", ["event_id", "person_identifier_type", "person_identifier_value", "group_id"]) }} as membership_id,
    event_id,
    person_identifier_type,
    person_identifier_value,
    'segment_group_id' as group_identifier_type,
    group_id as group_identifier_value,
    occurred_at,
    'segment' as source{{ "," if source_names }}
{% if source_names %}
    segment_source
{% endif %}
from links
