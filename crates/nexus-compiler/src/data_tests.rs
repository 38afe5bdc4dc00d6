//! The data tests of SPEC §7 that ship with every model: which column gets which test.

use serde::Serialize;

use nexus_config::Config;

use crate::plan::{MappedSelect, ModelKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "test", rename_all = "snake_case")]
pub enum DataTest {
    Unique,
    NotNull,
    AcceptedValues {
        values: Vec<String>,
    },
    /// Every value matches `^<prefix>_[0-9a-f]{32}$`.
    IdFormat {
        prefix: String,
    },
}

impl DataTest {
    pub fn name(&self) -> &'static str {
        match self {
            DataTest::Unique => "unique",
            DataTest::NotNull => "not_null",
            DataTest::AcceptedValues { .. } => "accepted_values",
            DataTest::IdFormat { .. } => "id_format",
        }
    }
}

pub const TOUCHPOINT_TYPES: [&str; 5] = [
    "campaign",
    "facebook_click",
    "ad_click",
    "referral",
    "direct",
];
pub const REJECT_REASONS: [&str; 3] = ["missing_id", "missing_timestamp", "timestamp_out_of_range"];

/// The primary id of each model and its prefix: unique as well as well-formed.
fn primary_id(kind: ModelKind) -> Option<(&'static str, &'static str)> {
    match kind {
        ModelKind::Events => Some(("event_id", "evt")),
        ModelKind::PersonIdentifiers => Some(("person_identifier_id", "per_idfr")),
        ModelKind::PersonTraits => Some(("person_trait_id", "per_tr")),
        ModelKind::Touchpoints => Some(("touchpoint_id", "tch")),
        ModelKind::GroupIdentifiers => Some(("group_identifier_id", "grp_idfr")),
        ModelKind::GroupTraits => Some(("group_trait_id", "grp_tr")),
        ModelKind::Memberships => Some(("membership_id", "mbr")),
        ModelKind::Staging(_) | ModelKind::RejectedRows | ModelKind::EventProperties => None,
    }
}

/// Prefix of an id column that points at another model's id or is shared between rows.
fn foreign_id_prefix(column: &str) -> Option<&'static str> {
    match column {
        "event_id" | "touchpoint_event_id" => Some("evt"),
        "edge_id" => Some("per_edg"),
        "attribution_deduplication_key" => Some("att_dedup"),
        _ => None,
    }
}

const NOT_NULL: [&str; 17] = [
    "segment_source",
    "property_name",
    "property_value",
    "person_identifier_type",
    "person_identifier_value",
    "group_identifier_type",
    "group_identifier_value",
    "occurred_at",
    "event_type",
    "event_name",
    "source",
    "identifier_type",
    "identifier_value",
    "trait_name",
    "trait_value",
    "channel",
    "touchpoint_type",
];

pub fn tests_for(
    config: &Config,
    kind: ModelKind,
    column: &str,
    traits: &[MappedSelect],
) -> Vec<DataTest> {
    let mut tests = Vec::new();
    if let Some((_, prefix)) = primary_id(kind).filter(|(id, _)| *id == column) {
        tests.extend([DataTest::Unique, DataTest::NotNull, id_format(prefix)]);
    } else if let Some(prefix) = foreign_id_prefix(column) {
        // A touchpoint is made from an event at most once.
        if column == "touchpoint_event_id" {
            tests.push(DataTest::Unique);
        }
        tests.extend([DataTest::NotNull, id_format(prefix)]);
    } else if never_null(kind, column) {
        tests.push(DataTest::NotNull);
    }
    if let Some(values) = accepted_values(config, kind, column, traits) {
        tests.push(DataTest::AcceptedValues { values });
    }
    if kind == ModelKind::RejectedRows && column == "reason" {
        tests.push(DataTest::NotNull);
    }
    tests
}

fn never_null(kind: ModelKind, column: &str) -> bool {
    // A touchpoint's `source` is the campaign source, which referrals and direct visits lack.
    NOT_NULL.contains(&column) && !(kind == ModelKind::Touchpoints && column == "source")
}

fn id_format(prefix: &str) -> DataTest {
    DataTest::IdFormat {
        prefix: prefix.to_string(),
    }
}

fn accepted_values(
    config: &Config,
    kind: ModelKind,
    column: &str,
    traits: &[MappedSelect],
) -> Option<Vec<String>> {
    let values: Vec<String> = match (kind, column) {
        (_, "event_type") => owned(&["web", "identity"]),
        (ModelKind::Touchpoints, "source") => return None,
        (_, "source") => owned(&["segment"]),
        // The sources' names, in configured order (a column only in list form).
        (_, "segment_source") => config.source_names(),
        (ModelKind::PersonIdentifiers, "identifier_type") => sorted_unique(
            config
                .identifiers
                .iter()
                .flat_map(|(_, m)| m.iter().map(|m| m.name.clone())),
        ),
        (ModelKind::PersonTraits, "identifier_type")
        | (ModelKind::Memberships, "person_identifier_type") => {
            owned(&["segment_anonymous_id", "user_id"])
        }
        (ModelKind::GroupIdentifiers | ModelKind::GroupTraits, "identifier_type")
        | (ModelKind::Memberships, "group_identifier_type") => owned(&["segment_group_id"]),
        // `traits` are the person or the group traits, as the model's kind asks.
        (ModelKind::PersonTraits | ModelKind::GroupTraits, "trait_name") => {
            sorted_unique(traits.iter().map(|s| s.name.clone()))
        }
        (ModelKind::Touchpoints, "channel") => channels(config),
        (ModelKind::Touchpoints, "touchpoint_type") => owned(&TOUCHPOINT_TYPES),
        (ModelKind::RejectedRows, "reason") => owned(&REJECT_REASONS),
        (ModelKind::RejectedRows | ModelKind::Events, "call_type") => {
            let calls = config.read_calls();
            calls.iter().map(|c| c.call_name().to_string()).collect()
        }
        _ => return None,
    };
    Some(values)
}

/// The classifier's channels, then each custom rule's channel once, in rule order.
fn channels(config: &Config) -> Vec<String> {
    let attribution = &config.attribution;
    let mut out = owned(attribution.classifier.channels());
    for rule in &attribution.channel_rules {
        if !out.contains(&rule.channel) {
            out.push(rule.channel.clone());
        }
    }
    out
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn sorted_unique(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = items.collect();
    v.sort();
    v.dedup();
    v
}
