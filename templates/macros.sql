{#- Dialect-neutral building blocks of the models (SPEC §4), written with the dialect macros. -#}
{% import dialect_template as d %}

{#- A source column as read by staging: typed NULL when the table lacks it. -#}
{% macro read(column) %}
{%- if column.quoted is none -%}
{{ d.null_timestamp() if column.kind == "timestamp" else d.null_text() }}
{%- elif column.kind == "timestamp" -%}
{{ d.to_timestamp(column.quoted) }}
{%- elif column.kind == "raw" -%}
{{ d.to_text(column.quoted) }}
{%- else -%}
{{ clean(d.to_text(column.quoted)) }}
{%- endif -%}
{% endmacro %}

{#- clean(x): trimmed text, NULL when empty or a placeholder word. -#}
{% macro clean(expr) %}case when lower({{ d.trim_text(expr) }}) in ('', 'null', 'none', 'undefined', 'nan') then null else {{ d.trim_text(expr) }} end{% endmacro %}

{#- Whether clean() may change text `x`: NULL, short enough to be a placeholder word ('undefined'
    is the longest), or with a space at either end. A cheap test, for scans over whole tables
    that need clean() of a column whose values are nearly all kept as they are (message ids). -#}
{% macro clean_may_change(x) %}({{ x }} is null or length({{ x }}) <= 9 or {{ x }} like ' %' or {{ x }} like '% '){% endmacro %}

{#- clean() of text `x`, computed only where it may change it. -#}
{% macro clean_where_needed(x) %}case when {{ clean_may_change(x) }} then {{ clean(x) }} else {{ x }} end{% endmacro %}

{#- email(x): lower-cased clean() text, kept only when it looks like an address. -#}
{% macro email(expr) %}case when {{ d.regex_matches("lower(" ~ clean(expr) ~ ")", email_pattern) }} then lower({{ clean(expr) }}) end{% endmacro %}

{#- The value of a mapped identifier or trait: first non-NULL of its columns. -#}
{% macro mapped_value(mapping) %}
{%- if mapping.columns | length == 1 -%}
{{ email(mapping.columns[0]) if mapping.email else clean(mapping.columns[0]) }}
{%- else -%}
coalesce({% for c in mapping.columns %}{{ email(c) if mapping.email else clean(c) }}{{ ", " if not loop.last }}{% endfor %})
{%- endif -%}
{% endmacro %}

{#- Id parts: text, NULL written as _null_. -#}
{% macro part(expr) %}coalesce({{ expr }}, '_null_'){% endmacro %}
{% macro timestamp_part(expr) %}coalesce({{ d.timestamp_text(expr) }}, '_null_'){% endmacro %}

{#- <prefix>_ + md5 of the parts joined with '-' (SPEC §4). -#}
{% macro hash_id(prefix, parts) %}{{ (prefix ~ "_") | lit }} || {{ d.md5_hex(parts | join(" || '-' || ")) }}{% endmacro %}

{#- hash_id() of text columns. -#}
{% macro hash_columns(prefix, columns) %}
{%- set joined %}{% for c in columns %}{{ part(c) }}{{ " || '-' || " if not loop.last }}{% endfor %}{% endset -%}
{{ (prefix ~ "_") | lit }} || {{ d.md5_hex(joined) }}
{%- endmacro %}

{#- Regular expressions below are RE2/Perl-style; a dialect rewrites groups where its engine
    counts them differently (see crates/nexus-compiler/src/regex.rs). -#}

{#- Value of query-string parameter `name` (exact, lower-case name; not URL-decoded). -#}
{% macro query_param(query, name) %}{{ d.regex_extract(query, "(^|[?&])" ~ name ~ "=([^&#]*)", 2) }}{% endmacro %}

{#- Host of a URL: lower case, no scheme, user info, leading www., port, path or query. -#}
{% macro url_host(url) %}{{ d.regex_extract("lower(" ~ url ~ ")", "^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#]*@)?(?:www\\.)?([^/:?#]+)", 1) }}{% endmacro %}

{#- Whether `host` is `domain` or one of its subdomains, at a label boundary. -#}
{% macro domain_match(host, domain) %}({{ host }} = {{ domain | lit }} or {{ host }} like {{ ("%." ~ domain) | lit }}){% endmacro %}

{#- A select of typed NULL columns that yields no row: the body of a union with nothing to
    union. `columns` is a list of [name, "text" | "timestamp"]. It has a FROM clause because
    BigQuery refuses WHERE without one. -#}
{% macro no_rows(columns) %}
    select
{% for name, kind in columns %}
        {{ d.null_timestamp() if kind == "timestamp" else d.null_text() }} as {{ name }}{{ "," if not loop.last }}
{% endfor %}
    from (select 1 as no_row) as nothing
    where 1 = 0
{%- endmacro %}

{#- Incremental runs (`materialization: incremental`). Every staging row a run rewrites carries
    that run's window start, so the latest batch of a staging model is the rows with the
    greatest one. A render with `batch` set reads only what that batch touched. -#}
{% macro batch_rows(model) %}(select * from {{ ref(model) }} where window_start = (select max(window_start) from {{ ref(model) }})){% endmacro %}

{#- The staging rows a model reads: every row, or in a batch render the latest batch. -#}
{% macro input(batch, model, alias=none) %}
{%- if batch -%}
{{ batch_rows(model) }} as {{ alias if alias else model }}
{%- else -%}
{{ ref(model) }}{{ (" as " ~ alias) if alias }}
{%- endif -%}
{% endmacro %}

{#- The values of staging column `column` (`event_id` or `anonymous_id`) that the latest batches
    of `models` wrote, and those of the rows they replaced (`replaced_<column>`). -#}
{% macro batch_values(models, column) %}
{%- for model in models %}select {{ column }} from {{ batch_rows(model) }} as latest union all select {{ "replaced_" ~ column }} from {{ batch_rows(model) }} as latest{{ " union all " if not loop.last }}{% endfor -%}
{% endmacro %}

{#- Event ids the latest batches of `models` rewrote, and the ids of the rows they replaced
    (a later delivery with another timestamp has another event id). -#}
{% macro batch_event_ids(models) %}{{ batch_values(models, "event_id") }}{% endmacro %}

{#- Visitors whose events the latest batches of `models` changed: their direct touchpoint is
    decided over all of their events. -#}
{% macro batch_visitors(models) %}{{ batch_values(models, "anonymous_id") }}{% endmacro %}

{#- The staging rows touchpoints read: every row, or in a batch render every event of the
    changed visitors and every changed event. -#}
{% macro visitor_input(batch, model, models) %}
{%- if batch -%}
(select * from {{ ref(model) }} where anonymous_id in ({{ batch_visitors(models) }}) or event_id in ({{ batch_event_ids(models) }})) as {{ model }}
{%- else -%}
{{ ref(model) }}
{%- endif -%}
{% endmacro %}

{#- The key by which an incremental run replaces a staging row: its source (with several
    sources) and message id, or for a row without one when it was received; rejected rows are
    matched by the same key. -#}
{% macro row_key(source, id, received) -%}
{{ (source ~ " || ' ' || ") if source }}case when {{ id }} is null then 'no id, received ' || {{ timestamp_part(received) }} else 'id ' || {{ id }} end
{%- endmacro %}
