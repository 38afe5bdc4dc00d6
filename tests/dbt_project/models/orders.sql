-- The project's own model, written by hand: nexus never touches it, and it reads a nexus
-- model through ref() like any other.
select
    event_id,
    occurred_at,
    anonymous_id,
    user_id
from {{ ref('segment_events') }}
where event_name = 'order completed'
