{#- One row per valid, deduplicated call of every table (SPEC §5.1). -#}
{% import "macros.sql" as m %}
{% for stage in stages %}
select
    event_id,
    occurred_at,
    {{ stage.event_type | lit }} as event_type,
    event_name,
    event_description,
    'segment' as source,
{% if source_names %}
    segment_source,
{% endif %}
    call_type,
    segment_id,
    anonymous_id,
    user_id,
    received_at,
    page_url,
    page_path,
    page_title,
    page_referrer,
    page_search,
    user_agent,
    ip{{ "," if passthrough }}
{% for column in passthrough %}
    {{ "raw__" ~ column }} as {{ column | ident }}{{ "," if not loop.last }}
{% endfor %}
from {{ m.input(batch, stage.model) }}
where reject_reason is null
{% if not loop.last %}

union all

{% endif %}
{% endfor %}
