{#- One row per (event, identifier type, value): the edges of the identity graph (SPEC §5.2). -#}
{% import "macros.sql" as m %}
with candidates as (
{% for mapping in identifiers %}
    select
        event_id,
        occurred_at,
        {{ mapping.name | lit }} as identifier_type,
        {{ m.mapped_value(mapping) }} as identifier_value{{ "," if source_names }}
{% if source_names %}
        segment_source
{% endif %}
    from {{ m.input(batch, mapping.model) }}
    where reject_reason is null
{% if not loop.last %}

    union all

{% endif %}
{% else %}
{{ m.no_rows([["event_id", "text"], ["occurred_at", "timestamp"], ["identifier_type", "text"], ["identifier_value", "text"]] + ([["segment_source", "text"]] if source_names else [])) }}
{% endfor %}
),

identifiers as (
    select distinct event_id, occurred_at, identifier_type, identifier_value{{ ", segment_source" if source_names }}
    from candidates
    where identifier_value is not null
)

select
    {{ m.hash_columns("per_idfr", ["event_id", "identifier_type", "identifier_value"]) }} as person_identifier_id,
    event_id,
    {{ m.hash_columns("per_edg", ["event_id"]) }} as edge_id,
    identifier_type,
    identifier_value,
    occurred_at,
    'segment' as source{{ "," if source_names }}
{% if source_names %}
    segment_source
{% endif %}
from identifiers
