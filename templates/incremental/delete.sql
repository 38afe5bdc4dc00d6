{#- What an incremental run deletes from a model before it inserts the model's batch: every row
    built from a staging row that the latest batches rewrote or replaced. Touchpoints also lose
    every row of a changed visitor, whose direct touchpoint may have moved. -#}
{% import "macros.sql" as m %}
delete from {{ this }}
{% if model.kind.kind == "touchpoints" %}
where anonymous_id in ({{ m.batch_visitors(model.depends_on) }})
    or touchpoint_event_id in ({{ m.batch_event_ids(model.depends_on) }})
{% elif model.kind.kind == "rejected_rows" %}
where
{% for stage in stages %}
    (
        call_type = {{ stage.call_name | lit }}
        and (
            segment_id in (select segment_id from {{ m.batch_rows(stage.model) }} as latest)
            or (segment_id is null and (received_at is null or received_at >= (select max(window_start) from {{ ref(stage.model) }})))
        )
    ){{ " or" if not loop.last }}
{% endfor %}
{% else %}
where event_id in ({{ m.batch_event_ids(model.depends_on) }})
{% endif %}
