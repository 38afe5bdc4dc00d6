{#- Data test (SPEC §7): rows where the column is NULL. -#}
select {{ column }}
from {{ relation }}
where {{ column }} is null
