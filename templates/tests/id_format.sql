{#- Data test (SPEC §7): ids that are not `<prefix>_` and 32 lower-case hex digits. -#}
{% import dialect_template as d %}
select {{ column }}
from {{ relation }}
where {{ column }} is not null
    and not {{ d.regex_matches(column, "^" ~ test.prefix ~ "_[0-9a-f]{32}$") }}
