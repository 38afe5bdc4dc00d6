{#- One row per (event, trait), owned by the anonymous id, else the user id (SPEC §5.3). -#}
{% import "macros.sql" as m %}
with candidates as (
{% for mapping in traits %}
    select
        event_id,
        occurred_at,
        case when anonymous_id is not null then 'segment_anonymous_id' else 'user_id' end as identifier_type,
        coalesce(anonymous_id, user_id) as identifier_value,
        {{ mapping.name | lit }} as trait_name,
        {{ m.mapped_value(mapping) }} as trait_value{{ "," if source_names }}
{% if source_names %}
        segment_source
{% endif %}
    from {{ m.input(batch, mapping.model) }}
    where reject_reason is null
        and coalesce(anonymous_id, user_id) is not null
{% if not loop.last %}

    union all

{% endif %}
{% else %}
{{ m.no_rows([["event_id", "text"], ["occurred_at", "timestamp"], ["identifier_type", "text"], ["identifier_value", "text"], ["trait_name", "text"], ["trait_value", "text"]] + ([["segment_source", "text"]] if source_names else [])) }}
{% endfor %}
)

select
    {{ m.hash_columns("per_tr", ["event_id", "identifier_type", "identifier_value", "trait_name"]) }} as person_trait_id,
    event_id,
    identifier_type,
    identifier_value,
    trait_name,
    trait_value,
    occurred_at,
    'segment' as source{{ "," if source_names }}
{% if source_names %}
    segment_source
{% endif %}
from candidates
where trait_value is not null
