{#- Amazon Redshift pieces of the dialect layer. Every dialect file defines the same macros.
    https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions.html -#}
{#- A bare varchar is varchar(256) on Redshift; URLs and user agents are longer.
    https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html -#}
{% macro to_text(expr) %}cast({{ expr }} as varchar(max)){% endmacro %}
{% macro null_text() %}cast(null as varchar(max)){% endmacro %}
{% macro null_timestamp() %}cast(null as timestamp){% endmacro %}
{#- No try_cast: only text shaped like an ISO 8601 timestamp is cast, and one with an offset
    goes through timestamptz to UTC.
    https://docs.aws.amazon.com/redshift/latest/dg/r_CAST_function.html
    https://docs.aws.amazon.com/redshift/latest/dg/r_AT_TIME_ZONE.html -#}
{% macro to_timestamp(expr) %}
{%- set text = to_text(expr) -%}
{#- TODO: an impossible day of the right shape (2024-02-30) still fails the cast; the shape check
    covers what Segment writes, and a calendar check in SQL would triple this expression. -#}
case when {{ regex_matches(text, timestamp_pattern) }} then case when {{ regex_matches(text, offset_pattern) }} then cast({{ text }} as timestamptz) at time zone 'UTC' else cast({{ text }} as timestamp) end end
{%- endmacro %}
{#- A timestamp `hours` (a whole number) earlier: the start of an incremental run's window.
    https://docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html -#}
{% macro minus_hours(expr, hours) %}dateadd(hour, -{{ hours }}, {{ expr }}){% endmacro %}
{% macro timestamp_literal(text) %}cast({{ text | lit }} as timestamp){% endmacro %}
{#- Canonical id text: US is always six digits.
    https://docs.aws.amazon.com/redshift/latest/dg/r_FORMAT_strings.html -#}
{% macro timestamp_text(expr) %}to_char({{ expr }}, 'YYYY-MM-DD HH24:MI:SS.US'){% endmacro %}
{#- Lower-case hex. https://docs.aws.amazon.com/redshift/latest/dg/r_MD5.html -#}
{% macro md5_hex(expr) %}md5({{ expr }}){% endmacro %}
{#- trim() removes blanks only. https://docs.aws.amazon.com/redshift/latest/dg/r_TRIM.html -#}
{% macro trim_text(expr) %}trim({{ expr }}){% endmacro %}
{#- Text compares by bytes. -#}
{% macro sort_text(expr) %}{{ expr }}{% endmacro %}
{#- 'p' reads the pattern as PCRE, which has (?:...); 'e' returns the first capturing group only,
    so the wanted group is made the only one. No match gives ''.
    https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_SUBSTR.html
    https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_INSTR.html -#}
{% macro regex_extract(expr, pattern, group) %}nullif(regexp_substr({{ expr }}, {{ pattern | only_group(group) | lit }}, 1, 1, 'ep'), ''){% endmacro %}
{% macro regex_matches(expr, pattern) %}(regexp_instr({{ expr }}, {{ pattern | lit }}, 1, 1, 0, 'p') > 0){% endmacro %}
{#- 'i' for case-insensitive, with 'p' for Perl-compatible syntax.
    https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_INSTR.html -#}
{% macro regex_matches_ci(expr, pattern) %}(regexp_instr({{ expr }}, {{ pattern | lit }}, 1, 1, 0, 'ip') > 0){% endmacro %}
{% macro create_schema(schema) %}create schema if not exists {{ schema }};{% endmacro %}
{#- No create-or-replace for tables; DDL is transactional, so drop and create in one.
    https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_AS.html -#}
{% macro create_table(relation, select) %}
begin;
drop table if exists {{ relation }};
create table {{ relation }} as
{{ select }};
commit;
{% endmacro %}
