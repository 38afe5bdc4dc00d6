{% import dialect_template as d %}
{{ d.create_table(relation, select) }}
