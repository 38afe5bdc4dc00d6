{#- SPEC §8: per call table, rows read = events + duplicates removed + rejected. Each count is
    taken on its own (duplicates straight from the source table, with staging's clean() of the
    id) so that the equation checks the models instead of restating them. -#}
{% import dialect_template as d %}
{% import "macros.sql" as m %}
{% for stage in stages %}
{% for column in stage.reads if column.alias == "src_id" %}
select
    {{ stage.call_name | lit }} as call_type,
    count(*) as rows_read,
    count(*) - count(distinct segment_id) - count(case when segment_id is null then 1 end) as duplicates,
{% if has_events %}
    (select count(*) from {{ ref("segment_events") }} where call_type = {{ stage.call_name | lit }}) as events,
{% else %}
    (select count(*) from {{ ref(stage.model) }} where reject_reason is null) as events,
{% endif %}
    (select count(*) from {{ ref("segment_rejected_rows") }} where call_type = {{ stage.call_name | lit }}) as rejected
from (select {{ m.read(column) }} as segment_id from {{ source(stage.call) }}) as source_ids
{% endfor %}
{% if not loop.last %}

union all

{% endif %}
{% endfor %}
