{#- A model of the dbt output (SPEC §8): the header, dbt's config() call, then the model's
    SELECT, the same as the plain SQL but reading through ref() and source(). An incremental
    model holds both SELECTs: dbt picks the batch once the table exists. Staging replaces its
    rows by key (dbt's delete+insert); the other models delete what the batch changed in a
    pre-hook, which dbt renders only when it runs, then append. -#}
{% if not incremental %}
{{ header }}{{ "{{" }} config(materialized='table') {{ "}}" }}

{{ body }}
{% else %}
{% if incremental.staging %}
{{ header }}{{ "{{" }} config(materialized='incremental', incremental_strategy='delete+insert', unique_key='nexus_row_key', on_schema_change='fail') {{ "}}" }}
{% else %}
{% set hook = "{% if is_incremental() %}" ~ incremental.delete ~ "{% endif %}" %}
{{ header }}{{ "{{" }} config(materialized='incremental', incremental_strategy='append', on_schema_change='fail', pre_hook={{ hook | yaml }}) {{ "}}" }}
{% endif %}

{{ "{%" }} if is_incremental() {{ "%}" }}
{{ incremental.batch }}
{{ "{%" }} else {{ "%}" }}
{{ body }}
{{ "{%" }} endif {{ "%}" }}
{% endif %}
