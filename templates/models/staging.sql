{#- One call table, cleaned (SPEC §4 clean()) and deduplicated: the latest received_at, then
    the latest uuid_ts, then every other column, wins. Rows that cannot be events stay here
    with their reject_reason, so rows in = rows here + duplicates removed. With several Segment
    sources the call table of each is read as it is (a column it lacks is a typed NULL, and
    every read is text or a timestamp, so the branches agree), and a message id is one per
    source: dedup and the event id take the source's name with it. -#}
{% import dialect_template as d %}
{% import "macros.sql" as m %}
{% set named = stage.inputs[0].name is not none %}
{#- Incremental runs. A row is in a run's window when it was received at most lookback_hours
    before the latest row already staged from its source (at any time when nothing is staged
    from it yet, or when it has no received_at). -#}
{% macro window_of(input) -%}
{%- if named -%}
(select coalesce(max(window_start), {{ d.timestamp_literal("0001-01-01 00:00:00") }}) from source_windows where segment_source = {{ input.name | lit }})
{%- else -%}
(select window_start from batch_window)
{%- endif -%}
{%- endmacro %}
{% macro source_select(input, condition) %}
    select
{% if named %}
        {{ input.name | lit }} as segment_source,
{% endif %}
{% for column in input.reads %}
        {{ m.read(column) }} as {{ column.alias }}{{ "," if not loop.last }}
{% endfor %}
    from {{ source(input.key) }}
{% if condition %}
    where {{ condition }}
{% endif %}
{%- endmacro %}
{#- One input's rows of a batch: every delivery of the message ids received in its window, so
    that dedup decides among all of them. Ids that clean() keeps are matched as loaded (a filter
    the scan applies directly), the others by their clean() text; rows without an id only when
    in the window themselves. -#}
{% macro batch_selects(input) %}
{% set id_column = input.reads | selectattr("alias", "equalto", "src_id") | first %}
{% set id_read = m.read(id_column) %}
{% set id_text = d.to_text(id_column.quoted) %}
{% set received_read = m.read(input.reads | selectattr("alias", "equalto", "src_received_at") | first) %}
{% set in_window = "(" ~ received_read ~ " is null or " ~ received_read ~ " >= " ~ window_of(input) ~ ")" %}
{% set ids = "(select src_id from batch_ids" ~ ((" where segment_source = " ~ (input.name | lit)) if named else "") ~ ")" %}
{{ source_select(input, "not " ~ m.clean_may_change(id_text) ~ " and " ~ id_text ~ " in " ~ ids) }}

    union all

{{ source_select(input, m.clean_may_change(id_text) ~ " and (" ~ id_read ~ " in " ~ ids ~ " or (" ~ id_read ~ " is null and " ~ in_window ~ "))") -}}
{% endmacro %}
with {% if batch %}batch_window as (
    select coalesce({{ d.minus_hours("max(received_at)", lookback_hours) }}, {{ d.timestamp_literal("0001-01-01 00:00:00") }}) as window_start
    from {{ this }}
),

{% if named %}
source_windows as (
    select segment_source, {{ d.minus_hours("max(received_at)", lookback_hours) }} as window_start
    from {{ this }}
    group by segment_source
),

{% endif %}
{# The message ids received in the window. #}
batch_ids as (
{% for input in stage.inputs %}
{% set id_read = m.read(input.reads | selectattr("alias", "equalto", "src_id") | first) %}
{% set received_read = m.read(input.reads | selectattr("alias", "equalto", "src_received_at") | first) %}
    select distinct {{ (input.name | lit) ~ " as segment_source, " if named }}{{ id_read }} as src_id
    from {{ source(input.key) }}
    where ({{ received_read }} is null or {{ received_read }} >= {{ window_of(input) }})
{% if not loop.last %}

    union all

{% endif %}
{% endfor %}
),

{% endif %}source_rows as (
{% for input in stage.inputs %}
{% if batch %}
{{ batch_selects(input) -}}
{% else %}
{{ source_select(input, none) -}}
{% endif %}
{% if not loop.last %}

    union all

{% endif %}
{% endfor %}
),

ranked as (
    select
        source_rows.*,
        row_number() over (
            partition by {{ "segment_source, " if named }}src_id
            order by
                src_received_at desc nulls last,
                src_uuid_ts desc nulls last,
{% for column in stage.inputs[0].reads if column.alias not in ["src_id", "src_received_at", "src_uuid_ts"] %}
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
{% set id_parts = [m.part("src_id"), m.timestamp_part("src_timestamp")] %}
select
    {{ m.hash_id("evt", ["segment_source"] + id_parts if named else id_parts) }} as event_id,
    src_id as segment_id,
{% if named %}
    segment_source,
{% endif %}
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

{# What incremental runs need: the window start of the run that wrote the row, what the row
   replaced (downstream models delete that), and a key that also tells rows without a message
   id apart by when they were received. #}
select
{% for column in model.columns if column.name not in incremental_staging_columns %}
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
    {{ m.row_key("staged.segment_source" if named else none, "staged.segment_id", "staged.received_at") }} as nexus_row_key
from staged
{% if batch %}
left join {{ this }} as previous
    on previous.segment_id = staged.segment_id
{% if named %}
    and previous.segment_source = staged.segment_source
{% endif %}
{% endif %}
{% endif %}
