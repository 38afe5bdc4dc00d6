{#- Databricks (Spark SQL) pieces of the dialect layer. Every dialect file defines the same macros.
    https://spark.apache.org/docs/latest/api/sql/index.html -#}
{% macro to_text(expr) %}cast({{ expr }} as string){% endmacro %}
{% macro null_text() %}cast(null as string){% endmacro %}
{#- Spark's timestamp follows the session time zone, which must be UTC
    (spark.sql.session.timeZone, the Databricks default).
    https://spark.apache.org/docs/latest/sql-ref-datatypes.html -#}
{% macro null_timestamp() %}cast(null as timestamp){% endmacro %}
{#- try_cast gives NULL instead of failing and reads an offset into the session time zone; it
    also reads 'yesterday', 'now' and 'epoch' as dates, so only ISO 8601-shaped text is cast.
    https://spark.apache.org/docs/latest/api/sql/index.html#try_cast
    https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html -#}
{% macro to_timestamp(expr) %}
{%- set text = to_text(expr) -%}
case when {{ regex_matches(text, timestamp_pattern) }} then try_cast({{ text }} as timestamp) end
{%- endmacro %}
{#- A timestamp `hours` (a whole number) earlier: the start of an incremental run's window.
    https://spark.apache.org/docs/latest/sql-ref-literals.html#interval-literal -#}
{% macro minus_hours(expr, hours) %}({{ expr }} - interval {{ hours }} hours){% endmacro %}
{% macro timestamp_literal(text) %}timestamp {{ text | lit }}{% endmacro %}
{#- Canonical id text: SSSSSS is always six digits.
    https://spark.apache.org/docs/latest/api/sql/index.html#date_format -#}
{% macro timestamp_text(expr) %}date_format({{ expr }}, 'yyyy-MM-dd HH:mm:ss.SSSSSS'){% endmacro %}
{#- Lower-case hex. https://spark.apache.org/docs/latest/api/sql/index.html#md5 -#}
{% macro md5_hex(expr) %}md5({{ expr }}){% endmacro %}
{#- trim() removes spaces only. https://spark.apache.org/docs/latest/api/sql/index.html#trim -#}
{% macro trim_text(expr) %}trim({{ expr }}){% endmacro %}
{#- Strings compare by code point (UTF8_BINARY). -#}
{% macro sort_text(expr) %}{{ expr }}{% endmacro %}
{#- Java regular expressions; no match gives '' which we turn into NULL.
    https://spark.apache.org/docs/latest/api/sql/index.html#regexp_extract
    https://spark.apache.org/docs/latest/api/sql/index.html#rlike -#}
{% macro regex_extract(expr, pattern, group) %}nullif(regexp_extract({{ expr }}, {{ pattern | lit }}, {{ group }}), ''){% endmacro %}
{% macro regex_matches(expr, pattern) %}({{ expr }} rlike {{ pattern | lit }}){% endmacro %}
{#- Java's inline flag. https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/util/regex/Pattern.html#CASE_INSENSITIVE -#}
{% macro regex_matches_ci(expr, pattern) %}({{ expr }} rlike {{ ("(?i)" ~ pattern) | lit }}){% endmacro %}
{% macro create_schema(schema) %}create schema if not exists {{ schema }};{% endmacro %}
{#- Delta tables, the Databricks default, support create-or-replace.
    https://docs.databricks.com/en/sql/language-manual/sql-ref-syntax-ddl-create-table-using.html -#}
{% macro create_table(relation, select) %}
create or replace table {{ relation }} as
{{ select }};
{% endmacro %}
