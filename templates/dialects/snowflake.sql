{#- Snowflake pieces of the dialect layer. Every dialect file defines the same macros.
    https://docs.snowflake.com/en/sql-reference-functions -#}
{% macro to_text(expr) %}cast({{ expr }} as varchar){% endmacro %}
{% macro null_text() %}cast(null as varchar){% endmacro %}
{% macro null_timestamp() %}cast(null as timestamp_ntz){% endmacro %}
{#- try_cast takes text only; only text shaped like an ISO 8601 timestamp is read, and one with an
    offset goes through timestamp_tz to UTC (a cast to timestamp_ntz would drop the offset).
    https://docs.snowflake.com/en/sql-reference/functions/try_cast
    https://docs.snowflake.com/en/sql-reference/functions/convert_timezone -#}
{% macro to_timestamp(expr) %}
{%- set text = to_text(expr) -%}
{#- TODO: a TIMESTAMP-typed source column reaches try_cast as text in the session's
    TIMESTAMP_OUTPUT_FORMAT (milliseconds by default), so sub-millisecond digits are lost; Segment
    timestamps carry milliseconds, and no Snowflake engine runs here to pin a better form. -#}
case when {{ regex_matches(text, timestamp_pattern) }} then case when {{ regex_matches(text, offset_pattern) }} then cast(convert_timezone('UTC', try_cast({{ text }} as timestamp_tz)) as timestamp_ntz) else try_cast({{ text }} as timestamp_ntz) end end
{%- endmacro %}
{#- A timestamp `hours` (a whole number) earlier: the start of an incremental run's window.
    https://docs.snowflake.com/en/sql-reference/functions/dateadd -#}
{% macro minus_hours(expr, hours) %}dateadd(hour, -{{ hours }}, {{ expr }}){% endmacro %}
{% macro timestamp_literal(text) %}cast({{ text | lit }} as timestamp_ntz){% endmacro %}
{#- Canonical id text: FF6 is always six digits.
    https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions -#}
{% macro timestamp_text(expr) %}to_char({{ expr }}, 'YYYY-MM-DD HH24:MI:SS.FF6'){% endmacro %}
{#- Lower-case hex. https://docs.snowflake.com/en/sql-reference/functions/md5 -#}
{% macro md5_hex(expr) %}md5({{ expr }}){% endmacro %}
{#- trim() removes blanks only by default. https://docs.snowflake.com/en/sql-reference/functions/trim -#}
{% macro trim_text(expr) %}trim({{ expr }}){% endmacro %}
{#- Text compares by code point unless a collation is set. -#}
{% macro sort_text(expr) %}{{ expr }}{% endmacro %}
{#- POSIX ERE: no (?:...), so every group captures and the wanted one is renumbered; 'e' returns
    that group, NULL when nothing matches. regexp_like would anchor the whole subject, so a match
    anywhere is regexp_instr > 0.
    https://docs.snowflake.com/en/sql-reference/functions-regexp
    https://docs.snowflake.com/en/sql-reference/functions/regexp_substr
    https://docs.snowflake.com/en/sql-reference/functions/regexp_instr -#}
{% macro regex_extract(expr, pattern, group) %}nullif(regexp_substr({{ expr }}, {{ pattern | posix_groups | lit }}, 1, 1, 'e', {{ pattern | posix_group(group) }}), ''){% endmacro %}
{% macro regex_matches(expr, pattern) %}(regexp_instr({{ expr }}, {{ pattern | posix_groups | lit }}) > 0){% endmacro %}
{#- https://docs.snowflake.com/en/sql-reference/functions/regexp_instr -#}
{% macro regex_matches_ci(expr, pattern) %}(regexp_instr({{ expr }}, {{ pattern | posix_groups | lit }}, 1, 1, 0, 'i') > 0){% endmacro %}
{% macro create_schema(schema) %}create schema if not exists {{ schema }};{% endmacro %}
{#- https://docs.snowflake.com/en/sql-reference/sql/create-table -#}
{% macro create_table(relation, select) %}
create or replace table {{ relation }} as
{{ select }};
{% endmacro %}
