{#- Channel classification of touchpoints (SPEC §6.4 to §6.6): source categories from the lists
    in templates/lists/, the two classifiers as CASE branches, and custom channel rules. Hosts,
    sources and media arrive lower-cased, so list and value comparisons are case-insensitive. -#}
{% import dialect_template as d %}
{% import "macros.sql" as m %}

{#- Whether `expr` is a host or source name in one of the lists. -#}
{% macro in_list(expr, list) %}{{ d.regex_matches(expr, lists[list]) }}{% endmacro %}

{#- A search engine: in the search list, and not a webmail, shopping or AI assistant host that
    shares a search engine's domain (mail.google.com, shopping.google.com, gemini.google.com). -#}
{% macro is_search(expr) %}({{ in_list(expr, "search") }} and not {{ in_list(expr, "webmail") }} and not {{ in_list(expr, "shopping") }} and not {{ in_list(expr, "ai_assistants") }}){% endmacro %}

{#- SPEC §6.4, first match wins. -#}
{% macro nexus_channel() %}
            when has_utm or has_paid_click_id then 'paid'
            when has_fbclid then 'social'
            when external_referrer_host is not null and (is_social or is_video) then 'social'
            when external_referrer_host is not null and is_search then 'organic'
            when external_referrer_host is not null then 'referral'
            else 'direct'
{%- endmacro %}

{#- GA4's paid media and shopping campaigns, as its channel definitions write them. -#}
{% macro paid_medium() %}{{ d.regex_matches("ga4_medium", "^(.*cp.*|ppc|retargeting|paid.*)$") }}{% endmacro %}
{% macro shopping_campaign() %}{{ d.regex_matches("lower(campaign)", "^(.*(([^a-df-z]|^)shop|shopping).*)$") }}{% endmacro %}

{#- SPEC §6.5: GA4's default channel group in its published order, AI Assistant before
    Referral. https://support.google.com/analytics/answer/9756891 -#}
{% macro ga4_channel() %}
            when ga4_source = '(direct)' and ga4_medium in ('(not set)', '(none)') then 'Direct'
            when lower(campaign) like '%cross-network%' then 'Cross-network'
            when (is_shopping or {{ shopping_campaign() }}) and {{ paid_medium() }} then 'Paid Shopping'
            when is_search and {{ paid_medium() }} then 'Paid Search'
            when is_social and {{ paid_medium() }} then 'Paid Social'
            when is_video and {{ paid_medium() }} then 'Paid Video'
            when ga4_medium in ('display', 'banner', 'expandable', 'interstitial', 'cpm') then 'Display'
            when {{ paid_medium() }} then 'Paid Other'
            when is_shopping or {{ shopping_campaign() }} then 'Organic Shopping'
            when is_social or ga4_medium in ('social', 'social-network', 'social-media', 'sm', 'social network', 'social media') then 'Organic Social'
            when is_video or ga4_medium like '%video%' then 'Organic Video'
            when is_search or ga4_medium = 'organic' then 'Organic Search'
            when is_ai_assistant then 'AI Assistant'
            when ga4_medium in ('referral', 'app', 'link') then 'Referral'
            when ga4_source in ('email', 'e-mail', 'e_mail', 'e mail') or ga4_medium in ('email', 'e-mail', 'e_mail', 'e mail') then 'Email'
            when ga4_medium = 'affiliate' then 'Affiliates'
            when ga4_medium = 'audio' then 'Audio'
            when ga4_source = 'sms' or ga4_medium = 'sms' then 'SMS'
            when ga4_medium like '%push' or ga4_medium like '%mobile%' or ga4_medium like '%notification%' or ga4_source = 'firebase' then 'Mobile Push Notifications'
            else 'Unassigned'
{%- endmacro %}

{#- The touchpoint column a rule's source / medium / campaign condition tests, lower-cased. -#}
{% macro rule_column(field) %}{{ "lower(campaign)" if field == "campaign" else field }}{% endmacro %}

{#- One condition of a custom channel rule (SPEC §6.6). -#}
{% macro condition_holds(cond) %}
{%- if cond.test == "in" -%}
{{ rule_column(cond.field) }} in ({% for v in cond["values"] %}{{ v | lit }}{{ ", " if not loop.last }}{% endfor %})
{%- elif cond.test == "matches" -%}
{{ d.regex_matches_ci(cond.field, cond.pattern) }}
{%- elif cond.test == "referrer_host" -%}
({% for domain in cond.domains %}{{ m.domain_match("external_referrer_host", domain) }}{{ " or " if not loop.last }}{% endfor %})
{%- elif cond.test == "click_id" -%}
({% for name in cond.names %}{{ name | click_value }} is not null{{ " or " if not loop.last }}{% endfor %})
{%- else -%}
has_click_id
{%- endif -%}
{% endmacro %}

{#- Whether every condition of a custom rule holds. -#}
{% macro rule_holds(rule) %}{% for cond in rule.conditions %}{{ condition_holds(cond) }}{{ " and " if not loop.last }}{% endfor %}{% endmacro %}
