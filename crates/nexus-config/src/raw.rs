//! Serde structs that mirror the `vars.nexus.segment` YAML one to one. They only say what is
//! spelled where; defaults and meaning are applied by `resolve`.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_yaml::Value;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    pub enabled: Option<bool>,
    pub location: Option<RawLocation>,
    pub capabilities: Option<RawCapabilities>,
    pub identifiers: Option<IndexMap<String, IndexMap<String, String>>>,
    /// Per call type either a column → trait mapping or the keyword `all`; checked in `resolve`.
    pub traits: Option<IndexMap<String, Value>>,
    pub attribution: Option<RawAttribution>,
    pub events: Option<RawEvents>,
    pub materialization: Option<String>,
    pub incremental: Option<RawIncremental>,
    pub target: Option<RawTarget>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
    pub database: Option<String>,
    pub schema: Option<String>,
    pub tables: Option<RawTables>,
    pub event_tables: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTables {
    pub tracks: Option<String>,
    pub pages: Option<String>,
    pub identifies: Option<String>,
    pub groups: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCapabilities {
    pub events: Option<bool>,
    pub persons: Option<bool>,
    pub groups: Option<bool>,
    pub memberships: Option<bool>,
    pub attribution: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttribution {
    pub classifier: Option<String>,
    pub channel_rules: Option<Vec<Value>>,
    pub referral_exclusions: Option<Vec<String>>,
    pub click_ids: Option<Vec<String>>,
    pub touchpoint_calls: Option<Vec<String>>,
    pub direct_touchpoints: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvents {
    pub passthrough_columns: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncremental {
    pub lookback_hours: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub schema: Option<String>,
}
