//! Serde structs that mirror the `vars.nexus.segment` YAML one to one. They only say what is
//! spelled where; defaults and meaning are applied by `resolve`.

use std::fmt;

use indexmap::IndexMap;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_yaml::Value;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    pub enabled: Option<bool>,
    pub location: Option<RawLocationForm>,
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

/// `location` as written: one source as a mapping, or a list of named sources.
#[derive(Debug)]
pub enum RawLocationForm {
    One(RawLocation),
    Many(Vec<RawSource>),
}

/// Dispatches on the YAML shape itself rather than with `#[serde(untagged)]`, which would
/// reduce every mistake inside either form to "did not match any variant" and lose the key
/// path of the unknown key or wrong type.
impl<'de> Deserialize<'de> for RawLocationForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LocationVisitor)
    }
}

struct LocationVisitor;

impl<'de> Visitor<'de> for LocationVisitor {
    type Value = RawLocationForm;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of settings or a list of sources")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        RawLocation::deserialize(MapAccessDeserializer::new(map)).map(RawLocationForm::One)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq)).map(RawLocationForm::Many)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
    pub database: Option<String>,
    pub schema: Option<String>,
    pub tables: Option<RawTables>,
    pub event_tables: Option<Vec<String>>,
}

/// One item of `location` in list form: a named source, with the keys of the mapping form.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: Option<String>,
    pub database: Option<String>,
    pub schema: Option<String>,
    pub tables: Option<RawTables>,
    pub event_tables: Option<Vec<String>>,
}

impl RawSource {
    /// The name, and the rest as the mapping form writes it.
    pub fn split(self) -> (Option<String>, RawLocation) {
        let location = RawLocation {
            database: self.database,
            schema: self.schema,
            tables: self.tables,
            event_tables: self.event_tables,
        };
        (self.name, location)
    }
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
