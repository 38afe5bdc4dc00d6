{#- Summary: touchpoints per channel and touchpoint type, with each channel's share. -#}
select
    channel,
    count(*) as touchpoints,
    round(100.0 * count(*) / sum(count(*)) over (), 1) as share_percent
from {{ ref("segment_touchpoints") }}
group by channel
order by touchpoints desc, channel
