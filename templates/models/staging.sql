{#- One call table, cleaned (SPEC §4 clean()) and deduplicated: the latest received_at, then
    the latest uuid_ts, then every other column, wins. Rows that cannot be events stay here
    with their reject_reason, so rows in = rows here + duplicates removed. -#}
{% import dialect_template as d %}
{% import "macros.sql" as m %}
{% set id_column = stage.reads | selectattr("alias", "equalto", "src_id") | first %}
{% set id_read = m.read(id_column) %}
{% set id_text = d.to_text(id_column.quoted) %}
{% set received_read = m.read(stage.reads | selectattr("alias", "equalto", "src_received_at") | first) %}
{#- A row is in an incremental run's window when it was received at most lookback_hours before
    the latest row already staged (or at any time when nothing is staged yet, or when it has no
    received_at). -#}
{% set in_window = "(" ~ received_read ~ " is null or " ~ received_read ~ " >= (select window_start from batch_window))" %}
{#- Ids that clean() may change or drop: NULL, short enough to be a placeholder word
    ('undefined' is the longest), or with a space at either end. A cheap test, so that the costly
    clean() runs on these rows only. -#}
{% set id_may_change = "(" ~ id_text ~ " is null or length(" ~ id_text ~ ") <= 9 or " ~ id_text ~ " like ' %' or " ~ id_text ~ " like '% ')" %}
{% macro source_select(condition) %}
    select
{% for column in stage.reads %}
        {{ m.read(column) }} as {{ column.alias }}{{ "," if not loop.last }}
{% endfor %}
    from {{ source(stage.call) }}
{% if condition %}
    where {{ condition }}
{% endif %}
{%- endmacro %}
with {% if batch %}batch_window as (
    select coalesce({{ d.minus_hours("max(received_at)", lookback_hours) }}, {{ d.timestamp_literal("0001-01-01 00:00:00") }}) as window_start
    from {{ this }}
),

{# The message ids received in the window. #}
batch_ids as (
    select distinct {{ id_read }} as src_id
    from {{ source(stage.call) }}
    where {{ in_window }}
),

{% endif %}source_rows as (
{% if not batch %}
{{ source_select(none) -}}
{% else %}
    {# Every delivery of those ids, so that dedup decides among all of them: ids that clean() keeps as loaded, matched as loaded (a filter the scan applies directly), and the others, matched by their clean() text; rows without an id only when in the window themselves. #}
{{ source_select("not " ~ id_may_change ~ " and " ~ id_text ~ " in (select src_id from batch_ids)") }}

    union all

{{ source_select(id_may_change ~ " and (" ~ id_read ~ " in (select src_id from batch_ids) or (" ~ id_read ~ " is null and " ~ in_window ~ "))") -}}
{% endif %}
),

ranked as (
    select
        source_rows.*,
        row_number() over (
            partition by src_id
            order by
                src_received_at desc nulls last,
                src_uuid_ts desc nulls last,
{% for column in stage.reads if column.alias not in ["src_id", "src_received_at", "src_uuid_ts"] %}
                {{ column.alias if column.kind == "timestamp" else d.sort_text(column.alias) }} nulls last{{ "," if not loop.last }}
{% endfor %}
        ) as dedup_rank
    from source_rows
),

deduplicated as (
    select * from ranked
    {# Rows without an id are never duplicates of each other. #}
    where src_id is null or dedup_rank = 1
),

named as (
    select
        deduplicated.*,
{% if stage.call == "tracks" %}
        coalesce(lower(coalesce(src_event_text, src_event)), 'unnamed track') as event_name,
        'tracked ' || coalesce(lower(coalesce(src_event_text, src_event)), 'unnamed track') as event_description,
        src_context_page_url as page_url,
        src_context_page_path as page_path,
        src_context_page_title as page_title,
        src_context_page_referrer as page_referrer,
        src_context_page_search as page_search
{% elif stage.call == "pages" %}
        coalesce(lower(src_name), 'page view') as event_name,
        'viewed ' || coalesce(src_name, src_title, src_context_page_title, src_path, src_context_page_path, 'a page') as event_description,
        coalesce(src_context_page_url, src_url) as page_url,
        coalesce(src_context_page_path, src_path) as page_path,
        coalesce(src_context_page_title, src_title) as page_title,
        coalesce(src_context_page_referrer, src_referrer) as page_referrer,
        coalesce(src_context_page_search, src_search) as page_search
{% else %}
{% set verb = "grouped" if stage.call == "groups" else "identified" %}
        {{ ("user " ~ verb) | lit }} as event_name,
        {{ (verb ~ " user") | lit }} as event_description,
        src_context_page_url as page_url,
        src_context_page_path as page_path,
        src_context_page_title as page_title,
        src_context_page_referrer as page_referrer,
        src_context_page_search as page_search
{% endif %}
    from deduplicated
){{ "," if incremental }}

{% if incremental %}
staged as (
{% endif %}
select
    {{ m.hash_id("evt", [m.part("src_id"), m.timestamp_part("src_timestamp")]) }} as event_id,
    src_id as segment_id,
    {{ stage.call_name | lit }} as call_type,
    src_timestamp as occurred_at,
    src_received_at as received_at,
    case
        when src_id is null then 'missing_id'
        when src_timestamp is null then 'missing_timestamp'
        when src_timestamp < {{ d.timestamp_literal("1900-01-02 00:00:00") }} then 'timestamp_out_of_range'
    end as reject_reason,
    event_name,
    event_description,
    src_anonymous_id as anonymous_id,
    src_user_id as user_id,
    page_url,
    page_path,
    page_title,
    page_referrer,
    page_search,
    src_context_user_agent as user_agent,
    src_context_ip as ip,
    src_context_campaign_source as campaign_source,
    src_context_campaign_medium as campaign_medium,
    src_context_campaign_name as campaign_name,
    src_context_campaign_content as campaign_content,
    src_context_campaign_term as campaign_term{{ "," if stage.extras or stage.call == "groups" }}
{% if stage.call == "groups" %}
    src_group_id as group_id{{ "," if stage.extras }}
{% endif %}
{% for extra in stage.extras %}
    {{ "raw__" ~ extra }}{{ "," if not loop.last }}
{% endfor %}
from named
{% if incremental %}
)

{# What incremental runs need: the window start of the run that wrote the row, what the row replaced (downstream models delete that), and a key that also tells rows without a message id apart by when they were received. #}
select
{% for column in model.columns if column.name not in ["window_start", "replaced_event_id", "replaced_anonymous_id", "nexus_row_key"] %}
    staged.{{ column.name }},
{% endfor %}
{% if batch %}
    (select window_start from batch_window) as window_start,
    previous.event_id as replaced_event_id,
    previous.anonymous_id as replaced_anonymous_id,
{% else %}
    {{ d.null_timestamp() }} as window_start,
    {{ d.null_text() }} as replaced_event_id,
    {{ d.null_text() }} as replaced_anonymous_id,
{% endif %}
    case
        when staged.segment_id is null then 'no id, received ' || {{ m.timestamp_part("staged.received_at") }}
        else 'id ' || staged.segment_id
    end as nexus_row_key
from staged
{% if batch %}
left join {{ this }} as previous
    on previous.segment_id = staged.segment_id
{% endif %}
{% endif %}
