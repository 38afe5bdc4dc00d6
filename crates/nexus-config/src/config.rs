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
    pub location: Location,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub database: Option<String>,
    pub schema: String,
    /// Physical table name per call type.
    pub tables: Vec<(CallType, String)>,
}

impl Location {
    pub fn table(&self, call: CallType) -> &str {
        self.tables
            .iter()
            .find(|(c, _)| *c == call)
            .map_or("", |(_, t)| t.as_str())
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
    pub referral_exclusions: Vec<String>,
    pub click_ids: Vec<String>,
    pub touchpoint_calls: Vec<CallType>,
    pub direct_touchpoints: bool,
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
