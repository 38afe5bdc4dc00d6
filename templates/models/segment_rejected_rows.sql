{#- Every deduplicated source row that is not an event, with the reason (SPEC §4, §8). -#}
{% import "macros.sql" as m %}
{% for stage in stages %}
select
    call_type,
    segment_id,
    reject_reason as reason,
    received_at{{ "," if source_names }}
{% if source_names %}
    segment_source
{% endif %}
from {{ m.input(batch, stage.model) }}
where reject_reason is not null
{% if not loop.last %}

union all

{% endif %}
{% endfor %}
