{#- What an incremental run deletes from a model before it inserts the model's batch: every row
    built from a staging row that the latest batches rewrote or replaced (rejected rows, which
    have no event id, by the staging row's key). Touchpoints also lose every row of a changed
    visitor, whose direct touchpoint may have moved. -#}
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
        and {{ m.row_key("segment_source" if source_names else none, "segment_id", "received_at") }} in (select nexus_row_key from {{ m.batch_rows(stage.model) }} as latest)
    ){{ " or" if not loop.last }}
{% endfor %}
{% else %}
where event_id in ({{ m.batch_event_ids(model.depends_on) }})
{% endif %}
