//! The checked configuration the compiler works from: every default applied, every name
//! validated. Nothing downstream looks at YAML again.

use std::fmt;

use serde::Serialize;

/// One of Segment's call tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CallType {
    Tracks,
    Pages,
    Identifies,
    Groups,
}

impl CallType {
    pub const ALL: [CallType; 4] = [
        CallType::Tracks,
        CallType::Pages,
        CallType::Identifies,
        CallType::Groups,
    ];

    /// The plural table key used in configuration (`tracks`).
    pub fn key(self) -> &'static str {
        match self {
            CallType::Tracks => "tracks",
            CallType::Pages => "pages",
            CallType::Identifies => "identifies",
            CallType::Groups => "groups",
        }
    }

    /// The singular name stored in `call_type` columns (`track`).
    pub fn call_name(self) -> &'static str {
        match self {
            CallType::Tracks => "track",
            CallType::Pages => "page",
            CallType::Identifies => "identify",
            CallType::Groups => "group",
        }
    }

    /// Segment's default physical table name.
    pub fn default_table(self) -> &'static str {
        match self {
            CallType::Tracks => "TRACKS",
            CallType::Pages => "PAGES",
            CallType::Identifies => "IDENTIFIES",
            CallType::Groups => "GROUPS",
        }
    }

    pub fn from_key(key: &str) -> Option<CallType> {
        CallType::ALL.into_iter().find(|c| c.key() == key)
    }
}

impl fmt::Display for CallType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub enabled: bool,
    /// Where Segment's tables are (`location`): one unnamed source when it is a mapping, the
    /// named sources in configured order when it is a list.
    pub sources: Vec<Source>,
    pub capabilities: Capabilities,
    /// Per call type, in configured order: source column → identifier type.
    pub identifiers: Vec<(CallType, Vec<ColumnMapping>)>,
    /// Per call type, in configured order: source column → trait name.
    pub traits: Vec<(CallType, TraitSelection)>,
    pub attribution: Attribution,
    pub events: Events,
    pub materialization: Materialization,
    pub incremental: Incremental,
    pub target: Target,
}

impl Config {
    /// Whether `location` is a list of named sources, so that every model says which source
    /// each row comes from (`segment_source`).
    pub fn names_sources(&self) -> bool {
        self.sources.iter().any(|s| s.name.is_some())
    }

    /// The names of the sources in configured order; empty for `location` as a mapping.
    pub fn source_names(&self) -> Vec<String> {
        self.sources.iter().filter_map(|s| s.name.clone()).collect()
    }

    /// The key path of source `index` below `vars.nexus.segment`, for diagnostics:
    /// `location`, or `location[1]` in list form.
    pub fn source_path(&self, index: usize) -> String {
        if self.names_sources() {
            format!("location[{index}]")
        } else {
            "location".into()
        }
    }

    /// The call tables a configuration reads: tracks, pages and identifies always, groups with
    /// the groups capability.
    pub fn read_calls(&self) -> Vec<CallType> {
        let mut calls = vec![CallType::Tracks, CallType::Pages, CallType::Identifies];
        if self.capabilities.groups {
            calls.push(CallType::Groups);
        }
        calls
    }
}

/// One Segment source: the database and schema it loads into and its table names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The source's name when `location` is a list (`web`, `server`); `None` for the mapping.
    pub name: Option<String>,
    pub database: Option<String>,
    pub schema: String,
    /// Physical table name per call type.
    pub tables: Vec<(CallType, String)>,
    /// Segment's per-event tables (one per track event, a column per property) whose
    /// properties become `segment_event_properties`.
    pub event_tables: Vec<String>,
}

impl Source {
    pub fn table(&self, call: CallType) -> &str {
        self.tables
            .iter()
            .find(|(c, _)| *c == call)
            .map_or("", |(_, t)| t.as_str())
    }

    /// A table of this source as `database.schema.table` (or `schema.table`), unquoted, as
    /// diagnostics and catalog keys write it.
    pub fn qualified(&self, table: &str) -> String {
        match &self.database {
            Some(db) => format!("{db}.{}.{table}", self.schema),
            None => format!("{}.{table}", self.schema),
        }
    }

    /// ` of source 'web'` in list form, nothing for the mapping: what a diagnostic about one of
    /// its tables adds so that the reader knows which source is meant.
    pub fn of_source(&self) -> String {
        self.name
            .as_ref()
            .map(|n| format!(" of source '{n}'"))
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    pub events: bool,
    pub persons: bool,
    pub groups: bool,
    pub memberships: bool,
    pub attribution: bool,
}

/// A source column and the name it gets in the output (an identifier type or a trait name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnMapping {
    pub column: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "columns")]
pub enum TraitSelection {
    Columns(Vec<ColumnMapping>),
    /// Every non-reserved column of the table, taken from the catalog.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Classifier {
    Nexus,
    Ga4,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribution {
    pub classifier: Classifier,
    /// User rules, evaluated in order before the classifier (SPEC §6.6).
    pub channel_rules: Vec<ChannelRule>,
    pub referral_exclusions: Vec<String>,
    pub click_ids: Vec<String>,
    pub touchpoint_calls: Vec<CallType>,
    pub direct_touchpoints: bool,
}

impl Classifier {
    /// Every channel the classifier can assign, in the order its rules are evaluated.
    pub fn channels(self) -> &'static [&'static str] {
        match self {
            Classifier::Nexus => &NEXUS_CHANNELS,
            Classifier::Ga4 => &GA4_CHANNELS,
        }
    }
}

/// Channels of the `nexus` classifier (SPEC §6.4).
pub const NEXUS_CHANNELS: [&str; 5] = ["paid", "social", "organic", "referral", "direct"];

/// Google Analytics 4's default channel group, spelled as GA4 spells it, with `AI Assistant`
/// before `Referral` (SPEC §6.5).
pub const GA4_CHANNELS: [&str; 20] = [
    "Direct",
    "Cross-network",
    "Paid Shopping",
    "Paid Search",
    "Paid Social",
    "Paid Video",
    "Display",
    "Paid Other",
    "Organic Shopping",
    "Organic Social",
    "Organic Video",
    "Organic Search",
    "AI Assistant",
    "Referral",
    "Email",
    "Affiliates",
    "Audio",
    "SMS",
    "Mobile Push Notifications",
    "Unassigned",
];

/// One custom channel rule: the channel, given when every condition holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelRule {
    pub channel: String,
    pub conditions: Vec<Condition>,
}

/// A touchpoint column a rule condition can test with `in` or `matches`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleField {
    Source,
    Medium,
    Campaign,
}

impl RuleField {
    pub const ALL: [RuleField; 3] = [RuleField::Source, RuleField::Medium, RuleField::Campaign];

    pub fn key(self) -> &'static str {
        match self {
            RuleField::Source => "source",
            RuleField::Medium => "medium",
            RuleField::Campaign => "campaign",
        }
    }
}

/// One condition of a channel rule. Comparisons are case-insensitive: listed values are kept
/// lower-cased and compared with the lower-cased column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "test", rename_all = "snake_case")]
pub enum Condition {
    /// The column is one of the values.
    In {
        field: RuleField,
        values: Vec<String>,
    },
    /// The column matches a regular expression (RE2 syntax, unanchored).
    Matches { field: RuleField, pattern: String },
    /// The external referrer's host is one of the domains or a subdomain of one.
    ReferrerHost { domains: Vec<String> },
    /// One of the named click ids is present.
    ClickId { names: Vec<String> },
    /// Any configured click id is present.
    AnyClickId,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Events {
    pub passthrough_columns: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Materialization {
    Table,
    Incremental,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Incremental {
    pub lookback_hours: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// `None` when not configured: the output's own default applies (`nexus`, or `main` for a
    /// DuckDB run).
    pub schema: Option<String>,
}

/// The default click ids of SPEC §6.2, in dedup-key order.
pub const DEFAULT_CLICK_IDS: [&str; 12] = [
    "gclid",
    "gbraid",
    "wbraid",
    "dclid",
    "fbclid",
    "msclkid",
    "ttclid",
    "li_fat_id",
    "twclid",
    "rdt_cid",
    "epik",
    "sccid",
];

/// Click ids that only paid campaigns add; `fbclid` is also added to organic Facebook clicks.
pub fn is_paid_click_id(name: &str) -> bool {
    name != "fbclid"
}
