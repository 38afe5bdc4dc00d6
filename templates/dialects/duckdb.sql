{#- DuckDB pieces of the dialect layer. Every dialect file defines the same macros.
    https://duckdb.org/docs/sql/functions/overview -#}
{% macro to_text(expr) %}cast({{ expr }} as varchar){% endmacro %}
{% macro null_text() %}cast(null as varchar){% endmacro %}
{% macro null_timestamp() %}cast(null as timestamp){% endmacro %}
{#- Text that is not an ISO 8601 timestamp becomes NULL instead of failing the build; one with
    an offset is converted to UTC (a cast to timestamp would drop the offset), without the space
    before the offset that DuckDB does not read.
    https://duckdb.org/docs/sql/expressions/cast#try_cast
    https://duckdb.org/docs/sql/functions/timestamptz#timezonetext-timestamptz -#}
{% macro to_timestamp(expr) %}
{%- set text = to_text(expr) -%}
{#- A `timestamp` column is kept as it is, without the round trip through text and the two
    regular expressions, which cost a fifth of a staging model: its text is ISO 8601 exactly
    for the years 1 to 9999, so the range check gives the same NULLs for the rest (BC, infinity).
    `typeof` is constant for a column, so only one branch is ever evaluated.
    https://duckdb.org/docs/sql/functions/utility#typeofexpression -#}
case when typeof({{ expr }}) = 'TIMESTAMP' then case when try_cast({{ expr }} as timestamp) between {{ timestamp_literal("0001-01-01 00:00:00") }} and {{ timestamp_literal("9999-12-31 23:59:59.999999") }} then try_cast({{ expr }} as timestamp) end when {{ regex_matches(text, timestamp_pattern) }} then case when {{ regex_matches(text, offset_pattern) }} then timezone('UTC', try_cast(replace(replace({{ text }}, ' +', '+'), ' -', '-') as timestamptz)) else try_cast({{ text }} as timestamp) end end
{%- endmacro %}
{#- A timestamp `hours` (a whole number) earlier: the start of an incremental run's window.
    https://duckdb.org/docs/sql/functions/interval -#}
{% macro minus_hours(expr, hours) %}({{ expr }} - interval '{{ hours }} hours'){% endmacro %}
{% macro timestamp_literal(text) %}timestamp {{ text | lit }}{% endmacro %}
{#- Canonical id text: UTC, microseconds always written.
    https://duckdb.org/docs/sql/functions/dateformat -#}
{% macro timestamp_text(expr) %}strftime({{ expr }}, '%Y-%m-%d %H:%M:%S.%f'){% endmacro %}
{#- Lower-case hex. https://duckdb.org/docs/sql/functions/text#md5string -#}
{% macro md5_hex(expr) %}md5({{ expr }}){% endmacro %}
{#- Removes spaces only, as on every other engine.
    https://duckdb.org/docs/sql/functions/text#trimstring -#}
{% macro trim_text(expr) %}trim({{ expr }}){% endmacro %}
{#- Text compares by code point already. -#}
{% macro sort_text(expr) %}{{ expr }}{% endmacro %}
{#- RE2 syntax; no match gives '' which we turn into NULL.
    https://duckdb.org/docs/sql/functions/regular_expressions -#}
{% macro regex_extract(expr, pattern, group) %}nullif(regexp_extract({{ expr }}, {{ pattern | lit }}, {{ group }}), ''){% endmacro %}
{% macro regex_matches(expr, pattern) %}regexp_matches({{ expr }}, {{ pattern | lit }}){% endmacro %}
{#- Case-insensitive, for patterns users write in channel rules. -#}
{% macro regex_matches_ci(expr, pattern) %}regexp_matches({{ expr }}, {{ pattern | lit }}, 'i'){% endmacro %}
{% macro create_schema(schema) %}create schema if not exists {{ schema }};{% endmacro %}
{#- https://duckdb.org/docs/sql/statements/create_table#create-or-replace -#}
{% macro create_table(relation, select) %}
create or replace table {{ relation }} as
{{ select }};
{% endmacro %}
