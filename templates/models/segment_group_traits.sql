{#- One row per (group call, trait): every non-reserved column of the groups table, owned by the
    group id (SPEC §5.5). -#}
{% import "macros.sql" as m %}
with candidates as (
{% for mapping in group_traits %}
    select
        event_id,
        occurred_at,
        group_id,
        {{ mapping.name | lit }} as trait_name,
        {{ m.mapped_value(mapping) }} as trait_value{{ "," if source_names }}
{% if source_names %}
        segment_source
{% endif %}
    from {{ m.input(batch, mapping.model) }}
    where reject_reason is null
        and group_id is not null
{% if not loop.last %}

    union all

{% endif %}
{% else %}
{{ m.no_rows([["event_id", "text"], ["occurred_at", "timestamp"], ["group_id", "text"], ["trait_name", "text"], ["trait_value", "text"]] + ([["segment_source", "text"]] if source_names else [])) }}
{% endfor %}
)

select
    {{ m.hash_columns("grp_tr", ["event_id", "'segment_group_id'", "group_id", "trait_name"]) }} as group_trait_id,
    event_id,
    'segment_group_id' as identifier_type,
    group_id as identifier_value,
    trait_name,
    trait_value,
    occurred_at,
    'segment' as source{{ "," if source_names }}
{% if source_names %}
    segment_source
{% endif %}
from candidates
where trait_value is not null
