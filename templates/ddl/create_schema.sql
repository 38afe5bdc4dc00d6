{% import dialect_template as d %}
{{ d.create_schema(schema) }}
