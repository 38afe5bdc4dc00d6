{#- Attribution touchpoints (SPEC §6): events with a campaign, a click id or an external
    referrer, plus each visitor's first signal-less event as a direct touchpoint. -#}
{% import dialect_template as d %}
{% import "macros.sql" as m %}
{% import "channels.sql" as c %}
with events as (
{% for model in touchpoint_stages %}
    select
        event_id,
        occurred_at,
        event_name,
        {{ "'web'" if model in ["stg_segment_tracks", "stg_segment_pages"] else "'identity'" }} as event_type,
        anonymous_id,
        user_id,
        page_url,
        page_path,
        page_referrer,
        {# The page's own query string, else the query part of its URL. #}
        coalesce(page_search, {{ d.regex_extract("page_url", "\\?([^#]*)", 1) }}) as query_string,
        campaign_source,
        campaign_medium,
        campaign_name,
        campaign_content,
        campaign_term{{ "," if source_names }}
{% if source_names %}
        segment_source
{% endif %}
    from {{ m.visitor_input(batch, model, touchpoint_stages) }}
    where reject_reason is null
{% if not loop.last %}

    union all

{% endif %}
{% endfor %}
),

signals as (
    select
        events.*,
        lower(coalesce(campaign_source, {{ m.clean(m.query_param("query_string", "utm_source")) }})) as source,
        lower(coalesce(campaign_medium, {{ m.clean(m.query_param("query_string", "utm_medium")) }})) as medium,
        coalesce(campaign_name, {{ m.clean(m.query_param("query_string", "utm_campaign")) }}) as campaign,
        coalesce(campaign_content, {{ m.clean(m.query_param("query_string", "utm_content")) }}) as content,
        coalesce(campaign_term, {{ m.clean(m.query_param("query_string", "utm_term")) }}) as term,
{% for click_id in click_ids %}
        {{ m.query_param("query_string", click_id.name) }} as {{ click_id.name | click_value }},
{% endfor %}
        {{ m.url_host("page_referrer") }} as referrer_host,
        {{ m.url_host("page_url") }} as landing_host
    from events
),

flagged as (
    select
        signals.*,
        (source is not null or medium is not null or campaign is not null) as has_utm,
        ({% for c in click_ids if c.paid %}{{ c.name | click_value }} is not null{{ " or " if not loop.last }}{% else %}false{% endfor %}) as has_paid_click_id,
        ({% for c in click_ids if c.name == "fbclid" %}{{ c.name | click_value }} is not null{% else %}false{% endfor %}) as has_fbclid,
        ({% for c in click_ids %}{{ c.name | click_value }} is not null{{ " or " if not loop.last }}{% else %}false{% endfor %}) as has_click_id,
        {# Self-referrals and excluded domains count as no referrer. #}
        (
            referrer_host is not null
            and (landing_host is null or referrer_host <> landing_host)
{% for domain in referral_exclusions %}
            and not {{ m.domain_match("referrer_host", domain) }}
{% endfor %}
        ) as has_external_referrer
    from signals
),

ranked as (
    select
        flagged.*,
        (has_utm or has_click_id or has_external_referrer) as has_signal,
        case
            when anonymous_id is not null then row_number() over (
                partition by anonymous_id
                order by occurred_at, event_id
            )
        end as visitor_event_rank
    from flagged
),

touchpoints as (
    select
        ranked.*,
        case when has_external_referrer then referrer_host end as external_referrer_host
    from ranked
    where has_signal
{% if direct_touchpoints %}
        or visitor_event_rank = 1
{% endif %}
),

{% if classifier == "ga4" %}
{# GA4 classifies a source and a medium: the UTM values, else derived from the first paid
   click id, fbclid or the external referrer, else (direct) / (none) (SPEC §6.5). #}
ga4_inputs as (
    select
        touchpoints.*,
        case
            when source is not null or medium is not null then source
{% for click in click_ids if click.ga4_source and click.paid %}
            when {{ click.name | click_value }} is not null then {{ click.ga4_source | lit }}
{% endfor %}
{% for click in click_ids if click.ga4_source and not click.paid %}
            when {{ click.name | click_value }} is not null then {{ click.ga4_source | lit }}
{% endfor %}
            when external_referrer_host is not null then external_referrer_host
            else '(direct)'
        end as ga4_source,
        case
            when source is not null or medium is not null then medium
{% for click in click_ids if click.ga4_source and click.paid %}
            when {{ click.name | click_value }} is not null then {{ click.ga4_medium | lit }}
{% endfor %}
{% for click in click_ids if click.ga4_source and not click.paid %}
            when {{ click.name | click_value }} is not null then {{ click.ga4_medium | lit }}
{% endfor %}
            when external_referrer_host is not null and {{ c.is_search("external_referrer_host") }} then 'organic'
            when external_referrer_host is not null then 'referral'
            else '(none)'
        end as ga4_medium
    from touchpoints
),

{% endif %}
{# The source categories of what the classifier looks at: GA4's source, else the external
   referrer's host. #}
{% set subject = "ga4_source" if classifier == "ga4" else "external_referrer_host" %}
categorized as (
    select
        {{ "ga4_inputs" if classifier == "ga4" else "touchpoints" }}.*,
        {{ c.in_list(subject, "shopping") }} as is_shopping,
        {{ c.is_search(subject) }} as is_search,
        {{ c.in_list(subject, "social") }} as is_social,
        {{ c.in_list(subject, "video") }} as is_video,
        {{ c.in_list(subject, "ai_assistants") }} as is_ai_assistant
    from {{ "ga4_inputs" if classifier == "ga4" else "touchpoints" }}
),

classified as (
    select
        categorized.*,
        case
{% for rule in channel_rules %}
            when {{ c.rule_holds(rule) }} then {{ rule.channel | lit }}
{% endfor %}
{% if classifier == "ga4" %}
{{ c.ga4_channel() }}
{% else %}
{{ c.nexus_channel() }}
{% endif %}
        end as channel,
        case
            when has_utm then 'campaign'
            when has_fbclid then 'facebook_click'
            when has_paid_click_id then 'ad_click'
            when has_external_referrer then 'referral'
            else 'direct'
        end as touchpoint_type
    from categorized
)

select
    {{ m.hash_columns("tch", ["event_id"]) }} as touchpoint_id,
    event_id as touchpoint_event_id,
    event_name,
    event_type,
    occurred_at,
    anonymous_id,
    user_id,
    source,
    medium,
    campaign,
    content,
    term,
    channel,
    touchpoint_type,
    page_path as landing_page,
    page_url as landing_url,
    page_referrer as referrer,
    referrer_host,
{% for click_id in click_ids %}
    {{ click_id.name | click_value }} as {{ click_id.column }},
{% endfor %}
    {{ m.hash_columns("att_dedup", ["source", "medium", "campaign", "content", "term", "external_referrer_host"] + (click_ids | map(attribute="name") | map("click_value") | list)) }} as attribution_deduplication_key{{ "," if source_names }}
{% if source_names %}
    segment_source
{% endif %}
from classified
