{#- A model of the dbt output (SPEC §8): the header, dbt's config() call, then the model's
    SELECT, the same as the plain SQL but reading through ref() and source(). -#}
{{ header }}{{ "{{" }} config(materialized='{{ materialized }}') {{ "}}" }}

{{ body }}
