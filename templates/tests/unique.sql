{#- Data test (SPEC §7): one row per value that occurs more than once. -#}
select {{ column }}, count(*) as occurrences
from {{ relation }}
where {{ column }} is not null
group by {{ column }}
having count(*) > 1
