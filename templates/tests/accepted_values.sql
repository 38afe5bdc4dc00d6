{#- Data test (SPEC §7): rows whose value is outside the accepted set. -#}
select {{ column }}
from {{ relation }}
where {{ column }} is not null
    and {{ column }} not in ({% for value in test.values %}{{ value | lit }}{{ ", " if not loop.last }}{% endfor %})
