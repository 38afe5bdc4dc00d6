{#- One row per track event and property, from Segment's per-event tables (one column per
    property), joined to the track call by message id. A message delivered twice keeps its latest
    delivery, as staging does (SPEC §4); NULL properties make no row. With several Segment
    sources each source's tables join its own track calls only. -#}
{% import dialect_template as d %}
{% import "macros.sql" as m %}
{% set with_source = ", segment_source" if source_names else "" %}
with
{% for table in event_tables %}
{% set n = loop.index %}
delivered_{{ n }} as (
    select
{% if source_names %}
        {{ table.source | lit }} as segment_source,
{% endif %}
{% for column in table.reads %}
        {{ m.read(column) }} as {{ column.alias }}{{ "," if not loop.last }}
{% endfor %}
    from {{ source(table.key) }}
{% if batch %}
    where {{ m.read(table.reads[0]) }} in (select segment_id from {{ m.batch_rows("stg_segment_tracks") }} as latest)
{% endif %}
),

latest_{{ n }} as (
    select
        delivered_{{ n }}.*,
        row_number() over (
            partition by src_id
            order by
{% for column in table.reads if column.alias != "src_id" %}
                {{ column.alias ~ " desc" if column.kind == "timestamp" else d.sort_text(column.alias) }} nulls last{{ "," if not loop.last }}
{% endfor %}
        ) as delivery_rank
    from delivered_{{ n }}
    where src_id is not null
),

properties_{{ n }} as (
{% for name, alias in table.properties %}
    select src_id{{ with_source }}, {{ name | lit }} as property_name, {{ m.clean(alias) }} as property_value
    from latest_{{ n }}
    where delivery_rank = 1
{% if not loop.last %}

    union all

{% endif %}
{% else %}
    select {{ d.null_text() }} as src_id{{ (", " ~ d.null_text() ~ " as segment_source") if source_names }}, {{ d.null_text() }} as property_name, {{ d.null_text() }} as property_value
    from latest_{{ n }}
    where 1 = 0
{% endfor %}
),

{% endfor %}
properties as (
{% for table in event_tables %}
    select src_id{{ with_source }}, property_name, property_value from properties_{{ loop.index }}
{% if not loop.last %}
    union all
{% endif %}
{% endfor %}
)

select
    events.event_id,
    properties.property_name,
    properties.property_value,
    events.occurred_at,
    'segment' as source{{ "," if source_names }}
{% if source_names %}
    events.segment_source
{% endif %}
from properties
inner join {{ m.input(batch, "stg_segment_tracks", "events") }}
    on events.segment_id = properties.src_id
{% if source_names %}
    and events.segment_source = properties.segment_source
{% endif %}
where events.reject_reason is null
    and properties.property_value is not null
