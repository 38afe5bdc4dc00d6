{#- SPEC §8: per call table, rows read = events + duplicates removed + rejected. Each count is
    taken on its own (duplicates straight from the source tables, with staging's clean() of the
    id, computed only where it can change an id, since this scans whole tables) so that the
    equation checks the models instead of restating them. With several Segment sources the rows
    of every source's table count, and a message id is a duplicate only within its own source:
    source names are lower-case words without '-', so the pair is unambiguous. -#}
{% import dialect_template as d %}
{% import "macros.sql" as m %}
{% for stage in stages %}
{% set named = stage.inputs[0].name is not none %}
select
    {{ stage.call_name | lit }} as call_type,
    count(*) as rows_read,
    count(*) - count(distinct {{ "segment_source || '-' || " if named }}segment_id) - count(case when segment_id is null then 1 end) as duplicates,
{% if has_events %}
    (select count(*) from {{ ref("segment_events") }} where call_type = {{ stage.call_name | lit }}) as events,
{% else %}
    (select count(*) from {{ ref(stage.model) }} where reject_reason is null) as events,
{% endif %}
    (select count(*) from {{ ref("segment_rejected_rows") }} where call_type = {{ stage.call_name | lit }}) as rejected
from (
{% for input in stage.inputs %}
{% for column in input.reads if column.alias == "src_id" %}
    select {{ (input.name | lit ~ " as segment_source, ") if named }}{{ m.clean_where_needed(d.to_text(column.quoted)) }} as segment_id
    from {{ source(input.key) }}
{% endfor %}
{% if not loop.last %}
    union all
{% endif %}
{% endfor %}
) as source_ids
{% if not loop.last %}

union all

{% endif %}
{% endfor %}
