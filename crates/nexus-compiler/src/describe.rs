//! Human descriptions of every model and column, for the dbt models file (SPEC §8). Columns
//! that come from configuration are described from where they sit: raw columns of staging
//! models by their prefix, the extra columns of events (passthrough) and of touchpoints (click
//! ids) by their model. Any other column without a description is a compiler bug.

use crate::plan::{ModelKind, EXTRA_PREFIX};

/// What one model holds.
pub fn model(kind: ModelKind) -> String {
    match kind {
        ModelKind::Staging(call) => format!(
            "Segment {} calls, cleaned and deduplicated to one row per message id; rows that \
             cannot be events keep their reject_reason.",
            call.call_name()
        ),
        ModelKind::Events => "One row per valid, deduplicated Segment call.".into(),
        ModelKind::RejectedRows => {
            "Source rows that survived deduplication but did not become events, with the reason."
                .into()
        }
        ModelKind::PersonIdentifiers => {
            "One row per event and person identifier: the edges of the identity graph.".into()
        }
        ModelKind::PersonTraits => "One row per event and person trait.".into(),
        ModelKind::Touchpoints => {
            "Attribution touchpoints: events with a campaign, a click id or an external \
             referrer, plus each visitor's first signal-less event as a direct touchpoint."
                .into()
        }
        ModelKind::GroupIdentifiers => "One row per group call with a group id.".into(),
        ModelKind::GroupTraits => {
            "One row per group call and group trait (every non-reserved column of the groups \
             table)."
                .into()
        }
        ModelKind::Memberships => {
            "One row per group call linking a person (anonymous id, else user id) to a group."
                .into()
        }
        ModelKind::EventProperties => {
            "One row per track event and property, from Segment's per-event tables.".into()
        }
    }
}

/// What one column of a model holds.
pub fn column(kind: ModelKind, name: &str) -> Option<String> {
    if let Some(raw) = name.strip_prefix(EXTRA_PREFIX) {
        return Some(format!(
            "The source column '{raw}' as loaded, as text, for identifiers, traits and \
             passthrough."
        ));
    }
    if let Some(text) = specific(kind, name) {
        return Some(text.to_string());
    }
    if let Some(text) = common(name) {
        return Some(text.to_string());
    }
    match kind {
        ModelKind::Events => Some(format!(
            "The source column '{name}', carried through as text (events.passthrough_columns)."
        )),
        ModelKind::Touchpoints => Some(format!("Value of the '{name}' click id query parameter.")),
        _ => None,
    }
}

/// Columns whose meaning depends on the model.
fn specific(kind: ModelKind, name: &str) -> Option<&'static str> {
    let text = match (kind, name) {
        (ModelKind::Touchpoints, "source") => "Campaign source (UTM), lower-cased.",
        (ModelKind::Touchpoints, "event_type") => "web or identity, as on the event.",
        (ModelKind::PersonTraits, "identifier_type") => {
            "Who the trait belongs to: segment_anonymous_id, or user_id when there is no \
             anonymous id."
        }
        (ModelKind::PersonTraits, "identifier_value") => "The anonymous id or user id.",
        (ModelKind::PersonIdentifiers, "event_id") | (ModelKind::PersonTraits, "event_id") => {
            "The event the row comes from."
        }
        (ModelKind::Staging(_), "event_id") => "Id of the event the row becomes when valid.",
        (ModelKind::Staging(_), "window_start") => {
            "Incremental runs: start of the window of the run that wrote the row; NULL when a \
             full build did."
        }
        (ModelKind::Staging(_), "replaced_event_id") => {
            "Incremental runs: event id of the row this delivery replaced, if any."
        }
        (ModelKind::Staging(_), "replaced_anonymous_id") => {
            "Incremental runs: anonymous id of the row this delivery replaced, if any."
        }
        (ModelKind::Staging(_), "nexus_row_key") => {
            "Incremental runs: the message id, or for a row without one when it was received."
        }
        (ModelKind::GroupIdentifiers | ModelKind::GroupTraits, "identifier_type") => {
            "segment_group_id."
        }
        (ModelKind::GroupIdentifiers | ModelKind::GroupTraits, "identifier_value") => {
            "The group id, cleaned."
        }
        (ModelKind::EventProperties, "event_id") => "The track event the property belongs to.",
        (ModelKind::GroupTraits, "trait_name") => "Group trait name: the column name, lower-cased.",
        (
            ModelKind::GroupIdentifiers | ModelKind::GroupTraits | ModelKind::Memberships,
            "event_id",
        ) => "The group call the row comes from.",
        _ => return None,
    };
    Some(text)
}

/// Columns that mean the same in every model that has them.
fn common(name: &str) -> Option<&'static str> {
    let text = match name {
        "event_id" => "Event id: evt_ and the MD5 of the message id and the event time.",
        "occurred_at" => "When the call happened (Segment's corrected timestamp), UTC.",
        "event_type" => "web for tracks and pages, identity for identifies and groups.",
        "event_name" => "Lower-cased event name, page name or a fixed name per call type.",
        "event_description" => "Short human description of the event.",
        "source" => "Where the row comes from: segment.",
        "segment_source" => "The Segment source the row was loaded from: its name in location.",
        "call_type" => "The Segment call: track, page, identify or group.",
        "group_id" => "Segment group id, cleaned.",
        "property_name" => "Property name: the column of the per-event table, lower-cased.",
        "property_value" => "Property value as text, cleaned.",
        "group_identifier_id" => {
            "Id of the row: grp_idfr_ and the MD5 of event, segment_group_id and group id."
        }
        "group_trait_id" => {
            "Id of the row: grp_tr_ and the MD5 of event, segment_group_id, group id and trait."
        }
        "membership_id" => {
            "Id of the row: mbr_ and the MD5 of event, person type and value, and group id."
        }
        "person_identifier_type" => "segment_anonymous_id, or user_id without an anonymous id.",
        "person_identifier_value" => "The member's anonymous id or user id.",
        "group_identifier_type" => "segment_group_id.",
        "group_identifier_value" => "The group id, cleaned.",
        "segment_id" => "Segment message id.",
        "anonymous_id" => "Segment anonymous id, cleaned.",
        "user_id" => "User id, cleaned.",
        "received_at" => "When Segment received the call, as loaded.",
        "reject_reason" => {
            "Why the row is not an event (missing_id, missing_timestamp, timestamp_out_of_range), \
             NULL for valid rows."
        }
        "reason" => {
            "Why the row is not an event: missing_id, missing_timestamp or \
                     timestamp_out_of_range."
        }
        "page_url" => "Page URL, cleaned.",
        "page_path" => "Page path, cleaned.",
        "page_title" => "Page title, cleaned.",
        "page_referrer" => "Referrer URL, cleaned.",
        "page_search" => "Page query string, cleaned.",
        "user_agent" => "Browser user agent, cleaned.",
        "ip" => "Client IP address, cleaned.",
        "campaign_source" | "campaign_medium" | "campaign_name" | "campaign_content"
        | "campaign_term" => "Campaign value from the context_campaign_* column, cleaned.",
        "person_identifier_id" => "Id of the row: per_idfr_ and the MD5 of event, type and value.",
        "edge_id" => "Shared by every identifier of one event: per_edg_ and the MD5 of the event.",
        "identifier_type" => "Kind of identifier, as configured (e.g. email, user_id).",
        "identifier_value" => "The identifier, cleaned; emails lower-cased and checked.",
        "person_trait_id" => "Id of the row: per_tr_ and the MD5 of event, owner and trait name.",
        "trait_name" => "Trait name, as configured.",
        "trait_value" => "Trait value as text, cleaned.",
        "touchpoint_id" => "Id of the touchpoint: tch_ and the MD5 of the event id.",
        "touchpoint_event_id" => "The event the touchpoint is.",
        "medium" => "Campaign medium (UTM), lower-cased.",
        "campaign" => "Campaign name (UTM).",
        "content" => "Campaign content (UTM).",
        "term" => "Campaign term (UTM).",
        "channel" => "Marketing channel: the first matching custom rule, else the classifier.",
        "touchpoint_type" => "campaign, facebook_click, ad_click, referral or direct.",
        "landing_page" => "Path of the page the touchpoint landed on.",
        "landing_url" => "URL of the page the touchpoint landed on.",
        "referrer" => "Referrer URL.",
        "referrer_host" => "Host of the referrer, lower-cased, without www. and port.",
        "attribution_deduplication_key" => {
            "att_dedup_ and the MD5 of the attribution values: equal for equal signals."
        }
        _ => return None,
    };
    Some(text)
}
