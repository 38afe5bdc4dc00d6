{#- Summary: source rows that did not become events, by call type and reason. -#}
select call_type, reason, count(*) as row_count
from {{ ref("segment_rejected_rows") }}
group by call_type, reason
order by call_type, reason
