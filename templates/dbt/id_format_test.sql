{#- The dbt generic test behind every id-format data test (SPEC §7): the very query
    `nexus test` runs, over dbt's test arguments. -#}
{{ header }}{{ "{% test " ~ name ~ "(model, column_name, prefix) %}" }}
{{ body }}{{ "{% endtest %}" }}
