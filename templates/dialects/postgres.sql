{#- PostgreSQL pieces of the dialect layer. Every dialect file defines the same macros.
    https://www.postgresql.org/docs/current/functions.html -#}
{% macro to_text(expr) %}cast({{ expr }} as text){% endmacro %}
{% macro null_text() %}cast(null as text){% endmacro %}
{% macro null_timestamp() %}cast(null as timestamp){% endmacro %}
{#- Postgres has no try_cast, and its cast accepts words such as 'yesterday'; so only text shaped
    like an ISO 8601 timestamp is cast, and one with an offset goes through timestamptz to UTC.
    https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-DATETIME-SPECIAL-VALUES
    https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-ZONECONVERT -#}
{% macro to_timestamp(expr) %}
{%- set text = to_text(expr) -%}
{#- TODO: an impossible day of the right shape (2024-02-30) still fails the cast; the shape check
    covers what Segment writes, and a calendar check in SQL would triple this expression. -#}
case when {{ regex_matches(text, timestamp_pattern) }} then case when {{ regex_matches(text, offset_pattern) }} then cast({{ text }} as timestamptz) at time zone 'UTC' else cast({{ text }} as timestamp) end end
{%- endmacro %}
{#- A timestamp `hours` (a whole number) earlier: the start of an incremental run's window.
    https://www.postgresql.org/docs/current/functions-datetime.html -#}
{% macro minus_hours(expr, hours) %}({{ expr }} - interval '{{ hours }} hours'){% endmacro %}
{% macro timestamp_literal(text) %}timestamp {{ text | lit }}{% endmacro %}
{#- Canonical id text: US is always six digits.
    https://www.postgresql.org/docs/current/functions-formatting.html#FUNCTIONS-FORMATTING-DATETIME-TABLE -#}
{% macro timestamp_text(expr) %}to_char({{ expr }}, 'YYYY-MM-DD HH24:MI:SS.US'){% endmacro %}
{#- Lower-case hex. https://www.postgresql.org/docs/current/functions-string.html#FUNCTIONS-STRING-OTHER -#}
{% macro md5_hex(expr) %}md5({{ expr }}){% endmacro %}
{#- trim() removes spaces only. https://www.postgresql.org/docs/current/functions-string.html -#}
{% macro trim_text(expr) %}trim({{ expr }}){% endmacro %}
{#- Tie-breaks compare text by code point, as the other engines do, whatever the database's
    collation. https://www.postgresql.org/docs/current/collation.html#COLLATION-MANAGING-STANDARD -#}
{% macro sort_text(expr) %}{{ expr }} collate "C"{% endmacro %}
{#- Advanced regular expressions accept (?:...); regexp_match gives NULL when nothing matches.
    https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP -#}
{% macro regex_extract(expr, pattern, group) %}nullif((regexp_match({{ expr }}, {{ pattern | lit }}))[{{ group }}], ''){% endmacro %}
{% macro regex_matches(expr, pattern) %}({{ expr }} ~ {{ pattern | lit }}){% endmacro %}
{#- https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP -#}
{% macro regex_matches_ci(expr, pattern) %}({{ expr }} ~* {{ pattern | lit }}){% endmacro %}
{% macro create_schema(schema) %}create schema if not exists {{ schema }};{% endmacro %}
{#- No create-or-replace for tables; DDL is transactional, so drop and create in one.
    https://www.postgresql.org/docs/current/sql-createtableas.html -#}
{% macro create_table(relation, select) %}
begin;
drop table if exists {{ relation }};
create table {{ relation }} as
{{ select }};
commit;
{% endmacro %}
