{#- BigQuery (GoogleSQL) pieces of the dialect layer. Every dialect file defines the same macros.
    https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-and-operators -#}
{% macro to_text(expr) %}cast({{ expr }} as string){% endmacro %}
{% macro null_text() %}cast(null as string){% endmacro %}
{% macro null_timestamp() %}cast(null as timestamp){% endmacro %}
{#- safe_cast gives NULL instead of failing, and reads an offset into UTC; the shape check keeps
    the accepted text the same as on the other engines, and a space before the offset, which the
    canonical format lacks, is removed.
    https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions#safe_casting
    https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions#cast_as_timestamp -#}
{% macro to_timestamp(expr) %}
{%- set text = to_text(expr) -%}
case when {{ regex_matches(text, timestamp_pattern) }} then safe_cast(replace(replace({{ text }}, ' +', '+'), ' -', '-') as timestamp) end
{%- endmacro %}
{#- A timestamp `hours` (a whole number) earlier: the start of an incremental run's window.
    https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions#timestamp_sub -#}
{% macro minus_hours(expr, hours) %}timestamp_sub({{ expr }}, interval {{ hours }} hour){% endmacro %}
{% macro timestamp_literal(text) %}timestamp {{ text | lit }}{% endmacro %}
{#- Canonical id text: %E6S is seconds with six fractional digits.
    https://cloud.google.com/bigquery/docs/reference/standard-sql/format-elements#format_elements_date_time -#}
{% macro timestamp_text(expr) %}format_timestamp('%Y-%m-%d %H:%M:%E6S', {{ expr }}, 'UTC'){% endmacro %}
{#- md5 returns bytes. https://cloud.google.com/bigquery/docs/reference/standard-sql/hash_functions#md5
    https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#to_hex -#}
{% macro md5_hex(expr) %}to_hex(md5({{ expr }})){% endmacro %}
{#- trim() without characters removes all Unicode whitespace; the others remove spaces only.
    https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#trim -#}
{% macro trim_text(expr) %}trim({{ expr }}, ' '){% endmacro %}
{#- Strings compare by bytes unless a collation is set. -#}
{% macro sort_text(expr) %}{{ expr }}{% endmacro %}
{#- RE2. regexp_extract takes no group index and refuses more than one capturing group, so the
    wanted group is made the only one; no match gives NULL.
    https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#regexp_extract
    https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#regexp_contains -#}
{% macro regex_extract(expr, pattern, group) %}nullif(regexp_extract({{ expr }}, {{ pattern | only_group(group) | lit }}), ''){% endmacro %}
{% macro regex_matches(expr, pattern) %}regexp_contains({{ expr }}, {{ pattern | lit }}){% endmacro %}
{#- RE2's inline flag. https://github.com/google/re2/wiki/Syntax -#}
{% macro regex_matches_ci(expr, pattern) %}regexp_contains({{ expr }}, {{ ("(?i)" ~ pattern) | lit }}){% endmacro %}
{% macro create_schema(schema) %}create schema if not exists {{ schema }};{% endmacro %}
{#- https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language#create_table_statement -#}
{% macro create_table(relation, select) %}
create or replace table {{ relation }} as
{{ select }};
{% endmacro %}
