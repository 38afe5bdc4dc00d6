//! Turns the raw structs into the checked `Config`: applies SPEC §2 defaults and collects every
//! problem as a positioned diagnostic instead of stopping at the first.

mod rules;

use indexmap::IndexMap;
use serde_yaml::Value;

use crate::config::*;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::{Loaded, SEGMENT_PATH};
use crate::names::{is_domain, is_sql_identifier, is_value_name};
use crate::raw::*;

/// The standard columns of `segment_events`, in order; passthrough columns may not shadow them.
pub const EVENT_COLUMNS: [&str; 18] = [
    "event_id",
    "occurred_at",
    "event_type",
    "event_name",
    "event_description",
    "source",
    "call_type",
    "segment_id",
    "anonymous_id",
    "user_id",
    "received_at",
    "page_url",
    "page_path",
    "page_title",
    "page_referrer",
    "page_search",
    "user_agent",
    "ip",
];

/// The columns of `segment_touchpoints` before its click ids, in order; the last column,
/// after the click ids, is [`TOUCHPOINT_KEY_COLUMN`]. A click id may not shadow any.
pub const TOUCHPOINT_COLUMNS: [&str; 18] = [
    "touchpoint_id",
    "touchpoint_event_id",
    "event_name",
    "event_type",
    "occurred_at",
    "anonymous_id",
    "user_id",
    "source",
    "medium",
    "campaign",
    "content",
    "term",
    "channel",
    "touchpoint_type",
    "landing_page",
    "landing_url",
    "referrer",
    "referrer_host",
];

/// The last column of `segment_touchpoints`, after its click ids.
pub const TOUCHPOINT_KEY_COLUMN: &str = "attribution_deduplication_key";

/// The column that names a row's Segment source when `location` is a list.
pub const SOURCE_COLUMN: &str = "segment_source";

struct Resolver<'a> {
    loaded: &'a Loaded,
    diagnostics: Vec<Diagnostic>,
}

pub fn resolve(raw: RawSegment, loaded: &Loaded) -> Result<Config, Vec<Diagnostic>> {
    let mut r = Resolver {
        loaded,
        diagnostics: Vec::new(),
    };
    let capabilities = r.capabilities(raw.capabilities.unwrap_or_default());
    let sources = r.sources(raw.location, capabilities);
    let named = sources.iter().any(|s| s.name.is_some());
    let config = Config {
        enabled: raw.enabled.unwrap_or(false),
        sources,
        identifiers: r.identifiers(raw.identifiers.unwrap_or_default()),
        traits: r.traits(raw.traits.unwrap_or_default()),
        attribution: r.attribution(raw.attribution.unwrap_or_default(), capabilities),
        events: r.events(raw.events.unwrap_or_default(), named),
        materialization: r.materialization(raw.materialization),
        incremental: Incremental {
            lookback_hours: raw.incremental.and_then(|i| i.lookback_hours).unwrap_or(72),
        },
        target: Target {
            schema: r.target_schema(raw.target),
        },
        capabilities,
    };
    if r.diagnostics.is_empty() {
        Ok(config)
    } else {
        Err(r.diagnostics)
    }
}

fn path(rel: &str) -> String {
    format!("{SEGMENT_PATH}.{rel}")
}

impl Resolver<'_> {
    fn error_at_value(&mut self, rel: &str, message: String) -> &mut Diagnostic {
        let full = path(rel);
        let d = Diagnostic::error(message).with_location(self.loaded.locate_value(&full));
        self.diagnostics.push(d.with_key_path(full));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn error_at_key(&mut self, rel: &str, message: String) -> &mut Diagnostic {
        let full = path(rel);
        let d = Diagnostic::error(message).with_location(self.loaded.locate_key(&full));
        self.diagnostics.push(d.with_key_path(full));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// An error about the list item at `rel`, marked at its first key.
    fn error_at_item(&mut self, rel: &str, message: String) -> &mut Diagnostic {
        let start = path(&self.item_start(rel));
        let d = Diagnostic::error(message).with_location(self.loaded.locate_key(&start));
        self.diagnostics.push(d.with_key_path(path(rel)));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn sql_name(&mut self, rel: &str, name: String) -> String {
        if !is_sql_identifier(&name) {
            self.error_at_value(
                rel,
                format!("'{name}' is not a valid SQL name for '{}'", path(rel)),
            )
            .help = Some(
                "use letters, digits and underscores, starting with a letter or underscore, \
                 at most 63 characters"
                    .into(),
            );
        }
        name
    }

    fn value_name(&mut self, rel: &str, name: &str, what: &str) {
        if !is_value_name(name) {
            self.error_at_value(rel, format!("'{name}' is not a valid {what}"))
                .help = Some(
                "use lower-case letters, digits and underscores, starting with a letter".into(),
            );
        }
    }

    fn call_type(&mut self, rel: &str, key: &str, at_key: bool) -> Option<CallType> {
        if let Some(call) = CallType::from_key(key) {
            return Some(call);
        }
        let parent = match rel.strip_suffix(']') {
            Some(item) => item.rsplit_once('[').map_or(rel, |p| p.0),
            None => rel.rsplit_once('.').map_or(rel, |p| p.0),
        };
        let message = format!("unknown call type '{key}' in '{}'", path(parent));
        let d = if at_key {
            self.error_at_key(rel, message)
        } else {
            self.error_at_value(rel, message)
        };
        d.help = Some(match did_you_mean(key, CallType::ALL.map(CallType::key)) {
            Some(best) => format!("did you mean '{best}'?"),
            None => "call types are tracks, pages, identifies, groups".into(),
        });
        None
    }

    fn capabilities(&mut self, raw: RawCapabilities) -> Capabilities {
        let caps = Capabilities {
            events: raw.events.unwrap_or(true),
            persons: raw.persons.unwrap_or(true),
            groups: raw.groups.unwrap_or(false),
            memberships: raw.memberships.unwrap_or(false),
            attribution: raw.attribution.unwrap_or(true),
        };
        if !caps.events && !caps.persons && !caps.attribution {
            self.error_at_key("capabilities", "every model is switched off".into())
                .help = Some(
                "turn on at least one of capabilities.events, capabilities.persons, \
                 capabilities.attribution"
                    .into(),
            );
        }
        // Memberships are made from group calls, which only the groups capability reads.
        if caps.memberships && !caps.groups {
            self.error_at_value(
                "capabilities.memberships",
                "capabilities.memberships needs capabilities.groups: true".into(),
            )
            .help = Some("memberships come from group calls; turn on capabilities.groups".into());
        }
        caps
    }

    /// `location`: the mapping form as one unnamed source, the list form as named sources.
    fn sources(&mut self, raw: Option<RawLocationForm>, caps: Capabilities) -> Vec<Source> {
        match raw {
            None => vec![self.source("location", None, RawLocation::default())],
            Some(RawLocationForm::One(raw)) => vec![self.source("location", None, raw)],
            Some(RawLocationForm::Many(items)) => self.named_sources(items, caps),
        }
    }

    /// Each item named (a value name, used once), and no table read by two sources.
    fn named_sources(&mut self, items: Vec<RawSource>, caps: Capabilities) -> Vec<Source> {
        if items.is_empty() {
            self.error_at_value("location", "'location' lists no sources".into())
                .help = Some(
                "list at least one source with its name, or write location as a mapping".into(),
            );
        }
        let mut sources: Vec<Source> = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let rel = format!("location[{i}]");
            let (name, raw) = item.split();
            let name = self.source_name(&rel, name, &sources);
            sources.push(self.source(&rel, Some(name), raw));
        }
        self.shared_tables(&sources, caps);
        sources
    }

    fn source_name(&mut self, rel: &str, name: Option<String>, earlier: &[Source]) -> String {
        let Some(name) = name else {
            self.error_at_item(rel, format!("'{}' has no 'name'", path(rel)))
                .help = Some(
                "name every source of a location list, such as 'name: web'; the name fills \
                 the segment_source column"
                    .into(),
            );
            return String::new();
        };
        let item = format!("{rel}.name");
        self.value_name(&item, &name, "source name");
        if earlier
            .iter()
            .any(|s| s.name.as_deref() == Some(name.as_str()))
        {
            self.error_at_value(&item, format!("source name '{name}' is used twice"))
                .help = Some("give every source of the list a name of its own".into());
        }
        name
    }

    /// Two sources reading one table would count its rows twice, under two names: reported once
    /// per pair of sources, at what the later one wrote.
    fn shared_tables(&mut self, sources: &[Source], caps: Capabilities) {
        let qualified = |s: &Source, table: &str| s.qualified(table).to_ascii_lowercase();
        for (i, later) in sources.iter().enumerate() {
            for earlier in &sources[..i] {
                let theirs: Vec<String> = read_tables(earlier, caps)
                    .into_iter()
                    .map(|(_, t)| qualified(earlier, t))
                    .collect();
                let shared: Vec<(String, &str)> = read_tables(later, caps)
                    .into_iter()
                    .filter(|(_, t)| theirs.contains(&qualified(later, t)))
                    .collect();
                if !shared.is_empty() {
                    self.shared_error(i, (earlier, later), &shared);
                }
            }
        }
    }

    fn shared_error(
        &mut self,
        i: usize,
        (earlier, later): (&Source, &Source),
        shared: &[(String, &str)],
    ) {
        let item = format!("location[{i}]");
        let tables: Vec<String> = shared
            .iter()
            .map(|(_, t)| format!("'{}'", later.qualified(t)))
            .collect();
        let message = format!(
            "sources '{}' and '{}' both read {}",
            earlier.name.as_deref().unwrap_or_default(),
            later.name.as_deref().unwrap_or_default(),
            tables.join(", ")
        );
        // The one shared table's name if it is written, else where the source says its schema.
        let mut candidates: Vec<String> = match shared {
            [(rel, _)] => vec![format!("{item}.{rel}")],
            _ => Vec::new(),
        };
        candidates.extend([format!("{item}.schema"), format!("{item}.database")]);
        let d = match self.first_written(&candidates) {
            Some(rel) => self.error_at_value(&rel, message),
            None => self.error_at_item(&item, message),
        };
        d.help = Some(
            "give each source the schema (or database) Segment loads it into; two sources \
             cannot share a table"
                .into(),
        );
    }

    /// The first of `rels` written in the configuration, to point a diagnostic about a value
    /// that may have been left to its default at the nearest thing the user wrote.
    fn first_written(&self, rels: &[String]) -> Option<String> {
        rels.iter()
            .find(|rel| self.loaded.locate_value(&path(rel)).is_some())
            .cloned()
    }

    /// The first key written in the list item at `item`, by place in the file; the item itself
    /// when it has none. A block mapping's own position is at its first ':', not its start.
    fn item_start(&self, item: &str) -> String {
        let keys = ["name", "database", "schema", "tables", "event_tables"];
        let located = keys.iter().filter_map(|key| {
            let rel = format!("{item}.{key}");
            let at = self.loaded.locate_key(&path(&rel))?;
            Some((at.offset, rel))
        });
        located
            .min_by_key(|(offset, _)| *offset)
            .map_or(item.to_string(), |(_, rel)| rel)
    }

    /// One source at `rel` (`location`, or `location[i]` in list form).
    fn source(&mut self, rel: &str, name: Option<String>, raw: RawLocation) -> Source {
        let database = raw
            .database
            .map(|d| self.sql_name(&format!("{rel}.database"), d));
        let schema = self.sql_name(
            &format!("{rel}.schema"),
            raw.schema.unwrap_or("SEGMENT_LIVE".into()),
        );
        let tables = raw.tables.unwrap_or_default();
        let given = [
            tables.tracks,
            tables.pages,
            tables.identifies,
            tables.groups,
        ];
        let tables: Vec<(CallType, String)> = CallType::ALL
            .into_iter()
            .zip(given)
            .map(|(call, name)| {
                let name = name.unwrap_or_else(|| call.default_table().to_string());
                (call, self.sql_name(&format!("{rel}.tables.{call}"), name))
            })
            .collect();
        let event_tables = self.event_tables(rel, raw.event_tables.unwrap_or_default(), &tables);
        Source {
            name,
            database,
            schema,
            tables,
            event_tables,
        }
    }

    /// Per-event table names: SQL names, each once, none of them a call table.
    fn event_tables(
        &mut self,
        source: &str,
        raw: Vec<String>,
        calls: &[(CallType, String)],
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, name) in raw.into_iter().enumerate() {
            let rel = format!("{source}.event_tables[{i}]");
            let name = self.sql_name(&rel, name);
            let taken = |t: &String| t.eq_ignore_ascii_case(&name);
            if out.iter().any(taken) {
                self.error_at_value(&rel, format!("event table '{name}' is listed twice"));
            } else if calls.iter().any(|(_, t)| taken(t)) {
                self.error_at_value(
                    &rel,
                    format!("'{name}' is a call table, not an event table"),
                )
                .help = Some(
                    "list the per-event tables Segment writes, such as ORDER_COMPLETED".into(),
                );
            }
            out.push(name);
        }
        out
    }

    fn identifiers(
        &mut self,
        raw: IndexMap<String, IndexMap<String, String>>,
    ) -> Vec<(CallType, Vec<ColumnMapping>)> {
        let mut out = default_identifiers();
        for (key, columns) in raw {
            let rel = format!("identifiers.{key}");
            let Some(call) = self.call_type(&rel, &key, true) else {
                continue;
            };
            let mappings = columns
                .into_iter()
                .map(|(column, name)| {
                    let item = format!("{rel}.{column}");
                    self.value_name(&item, &name, "identifier type");
                    let column = self.column_key(&item, column);
                    ColumnMapping { column, name }
                })
                .collect();
            replace(&mut out, call, mappings);
        }
        out
    }

    fn column_key(&mut self, rel: &str, column: String) -> String {
        if !is_sql_identifier(&column) {
            self.error_at_key(rel, format!("'{column}' is not a valid column name"))
                .help = Some("use the column's name as the warehouse shows it".into());
        }
        column.to_ascii_lowercase()
    }

    fn traits(&mut self, raw: IndexMap<String, Value>) -> Vec<(CallType, TraitSelection)> {
        let mut out = default_traits();
        for (key, value) in raw {
            let rel = format!("traits.{key}");
            let Some(call) = self.call_type(&rel, &key, true) else {
                continue;
            };
            let Some(selection) = self.trait_selection(&rel, value) else {
                continue;
            };
            replace(&mut out, call, selection);
        }
        out
    }

    fn trait_selection(&mut self, rel: &str, value: Value) -> Option<TraitSelection> {
        match value {
            Value::String(s) if s == "all" => Some(TraitSelection::All),
            Value::Mapping(map) => {
                let mut mappings = Vec::new();
                for (column, name) in map {
                    let (Value::String(column), Value::String(name)) = (column, name) else {
                        self.error_at_value(
                            rel,
                            format!("'{}' must map column names to trait names", path(rel)),
                        );
                        return None;
                    };
                    let item = format!("{rel}.{column}");
                    self.value_name(&item, &name, "trait name");
                    let column = self.column_key(&item, column);
                    mappings.push(ColumnMapping { column, name });
                }
                Some(TraitSelection::Columns(mappings))
            }
            _ => {
                self.error_at_value(
                    rel,
                    format!(
                        "'{}' must be 'all' or a mapping of column to trait name",
                        path(rel)
                    ),
                )
                .help =
                    Some("for example 'traits: {identifies: {email: email, plan: plan}}'".into());
                None
            }
        }
    }

    fn attribution(&mut self, raw: RawAttribution, caps: Capabilities) -> Attribution {
        let classifier = match raw.classifier.as_deref() {
            None | Some("nexus") => Classifier::Nexus,
            Some("ga4") => Classifier::Ga4,
            Some(other) => {
                let hint = did_you_mean(other, ["nexus", "ga4"])
                    .map_or("classifiers are 'nexus' and 'ga4'".to_string(), |b| {
                        format!("did you mean '{b}'?")
                    });
                self.error_at_value(
                    "attribution.classifier",
                    format!("unknown classifier '{other}'"),
                )
                .help = Some(hint);
                Classifier::Nexus
            }
        };
        let mut referral_exclusions = self.legacy_exclusions();
        for (i, domain) in raw
            .referral_exclusions
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let domain = domain.trim().to_ascii_lowercase();
            if !is_domain(&domain) {
                self.error_at_value(
                    &format!("attribution.referral_exclusions[{i}]"),
                    format!("'{domain}' is not a domain"),
                )
                .help = Some(
                    "write a bare domain such as 'example.com'; it also covers its subdomains"
                        .into(),
                );
            }
            referral_exclusions.push(domain);
        }
        referral_exclusions.sort();
        referral_exclusions.dedup();
        let click_ids = self.click_ids(raw.click_ids);
        Attribution {
            classifier,
            channel_rules: self.channel_rules(raw.channel_rules, &click_ids),
            referral_exclusions,
            click_ids,
            touchpoint_calls: self.touchpoint_calls(raw.touchpoint_calls, caps),
            direct_touchpoints: raw.direct_touchpoints.unwrap_or(true),
        }
    }

    /// The dbt var `referral_exclusions` of LIKE patterns; only `%domain%` has a domain meaning.
    fn legacy_exclusions(&mut self) -> Vec<String> {
        let Some(value) = self.loaded.legacy_exclusions.clone() else {
            return Vec::new();
        };
        let Value::Sequence(items) = value else {
            self.legacy_error(
                "vars.referral_exclusions",
                "must be a list of patterns such as '%example.com%'",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let pattern = item.as_str().unwrap_or_default();
            let domain = pattern
                .strip_prefix('%')
                .and_then(|p| p.strip_suffix('%'))
                .map(str::to_ascii_lowercase);
            match domain.filter(|d| is_domain(d)) {
                Some(domain) => out.push(domain),
                None => self.legacy_error(
                    &format!("vars.referral_exclusions[{i}]"),
                    &format!("pattern '{pattern}' is not of the form '%domain%'"),
                ),
            }
        }
        out
    }

    fn legacy_error(&mut self, full: &str, message: &str) {
        let d = Diagnostic::error(format!("'{full}' {message}"))
            .with_key_path(full)
            .with_location(self.loaded.locate_value(full))
            .with_help(
                "write '%example.com%', or list 'example.com' under \
                 vars.nexus.segment.attribution.referral_exclusions",
            );
        self.diagnostics.push(d);
    }

    fn click_ids(&mut self, raw: Option<Vec<String>>) -> Vec<String> {
        let Some(ids) = raw else {
            return DEFAULT_CLICK_IDS.map(String::from).to_vec();
        };
        for (i, id) in ids.iter().enumerate() {
            let rel = format!("attribution.click_ids[{i}]");
            self.value_name(&rel, id, "click id parameter name");
            if ids[..i].contains(id) {
                self.error_at_value(&rel, format!("click id '{id}' is listed twice"));
            } else if is_touchpoint_column(id) {
                self.error_at_value(
                    &rel,
                    format!("click id '{id}' is already a column of segment_touchpoints"),
                )
                .help =
                    Some("every click id becomes a column of its own name; remove this one".into());
            }
        }
        ids
    }

    fn touchpoint_calls(&mut self, raw: Option<Vec<String>>, caps: Capabilities) -> Vec<CallType> {
        let Some(keys) = raw else {
            return vec![CallType::Pages, CallType::Tracks, CallType::Identifies];
        };
        let mut calls = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let rel = format!("attribution.touchpoint_calls[{i}]");
            let Some(call) = self.call_type(&rel, key, false) else {
                continue;
            };
            if call == CallType::Groups && !caps.groups {
                self.error_at_value(
                    &rel,
                    "call type 'groups' needs capabilities.groups: true".into(),
                );
            }
            if !calls.contains(&call) {
                calls.push(call);
            }
        }
        if keys.is_empty() {
            self.error_at_value(
                "attribution.touchpoint_calls",
                "'attribution.touchpoint_calls' is empty".into(),
            )
            .help =
                Some("list at least one call type, or set capabilities.attribution: false".into());
        }
        calls
    }

    /// Passthrough columns; with named sources `segment_source` is a column of segment_events.
    fn events(&mut self, raw: RawEvents, named: bool) -> Events {
        let mut columns: Vec<String> = Vec::new();
        for (i, column) in raw
            .passthrough_columns
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let rel = format!("events.passthrough_columns[{i}]");
            let column = self.sql_name(&rel, column).to_ascii_lowercase();
            if EVENT_COLUMNS.contains(&column.as_str()) || (named && column == SOURCE_COLUMN) {
                self.error_at_value(
                    &rel,
                    format!("passthrough column '{column}' is already a column of segment_events"),
                );
            } else if columns.contains(&column) {
                self.error_at_value(
                    &rel,
                    format!("passthrough column '{column}' is listed twice"),
                );
            }
            columns.push(column);
        }
        Events {
            passthrough_columns: columns,
        }
    }

    fn materialization(&mut self, raw: Option<String>) -> Materialization {
        match raw.as_deref() {
            None | Some("table") => Materialization::Table,
            Some("incremental") => Materialization::Incremental,
            Some(other) => {
                self.error_at_value(
                    "materialization",
                    format!("unknown materialization '{other}'"),
                )
                .help = Some("use 'table' or 'incremental'".into());
                Materialization::Table
            }
        }
    }

    fn target_schema(&mut self, raw: Option<RawTarget>) -> Option<String> {
        let schema = raw?.schema?;
        Some(self.sql_name("target.schema", schema))
    }
}

/// The tables of a source that the configuration reads, with their key below the source:
/// call tables (groups only with the groups capability), then per-event tables.
fn read_tables(source: &Source, caps: Capabilities) -> Vec<(String, &str)> {
    let calls = source
        .tables
        .iter()
        .filter(|(call, _)| *call != CallType::Groups || caps.groups)
        .map(|(call, table)| (format!("tables.{call}"), table.as_str()));
    let events = source
        .event_tables
        .iter()
        .enumerate()
        .map(|(i, table)| (format!("event_tables[{i}]"), table.as_str()));
    calls.chain(events).collect()
}

fn replace<T>(list: &mut Vec<(CallType, T)>, call: CallType, value: T) {
    match list.iter_mut().find(|(c, _)| *c == call) {
        Some(slot) => slot.1 = value,
        None => list.push((call, value)),
    }
}

fn mappings(pairs: &[(&str, &str)]) -> Vec<ColumnMapping> {
    pairs
        .iter()
        .map(|(column, name)| ColumnMapping {
            column: column.to_string(),
            name: name.to_string(),
        })
        .collect()
}

/// SPEC §5.2 default identifier mapping.
fn default_identifiers() -> Vec<(CallType, Vec<ColumnMapping>)> {
    let web = [
        ("anonymous_id", "segment_anonymous_id"),
        ("user_id", "user_id"),
        ("context_traits_email", "email"),
    ];
    let identify = [
        ("anonymous_id", "segment_anonymous_id"),
        ("user_id", "user_id"),
        ("email", "email"),
        ("context_traits_email", "email"),
    ];
    let group = [
        ("anonymous_id", "segment_anonymous_id"),
        ("user_id", "user_id"),
    ];
    vec![
        (CallType::Tracks, mappings(&web)),
        (CallType::Pages, mappings(&web)),
        (CallType::Identifies, mappings(&identify)),
        (CallType::Groups, mappings(&group)),
    ]
}

/// SPEC §5.3 default traits.
fn default_traits() -> Vec<(CallType, TraitSelection)> {
    let ids = [("anonymous_id", "anonymous_id"), ("user_id", "user_id")];
    let track = [
        ("anonymous_id", "anonymous_id"),
        ("user_id", "user_id"),
        ("context_traits_email", "email"),
    ];
    let identify = [
        ("anonymous_id", "anonymous_id"),
        ("user_id", "user_id"),
        ("email", "email"),
        ("first_name", "first_name"),
    ];
    vec![
        (CallType::Tracks, TraitSelection::Columns(mappings(&track))),
        (CallType::Pages, TraitSelection::Columns(mappings(&ids))),
        (
            CallType::Identifies,
            TraitSelection::Columns(mappings(&identify)),
        ),
        (CallType::Groups, TraitSelection::Columns(Vec::new())),
    ]
}

/// Whether `name` is a column `segment_touchpoints` has whatever the click ids are.
fn is_touchpoint_column(name: &str) -> bool {
    TOUCHPOINT_COLUMNS.contains(&name) || name == TOUCHPOINT_KEY_COLUMN || name == SOURCE_COLUMN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(location: &str) -> Vec<Source> {
        let text = format!("vars:\n  nexus:\n    segment:\n      location: {location}\n");
        crate::load_text("p.yml", &text)
            .expect("valid")
            .config
            .sources
    }

    #[test]
    fn a_mapping_is_one_unnamed_source_and_a_list_names_each_with_the_same_defaults() {
        let one = sources("{schema: RAW}");
        assert_eq!(one.len(), 1);
        assert_eq!(
            (one[0].name.as_deref(), one[0].schema.as_str()),
            (None, "RAW")
        );
        let two = sources("[{name: web}, {name: app, schema: APP, tables: {pages: SCREENS}}]");
        let names: Vec<Option<&str>> = two.iter().map(|s| s.name.as_deref()).collect();
        assert_eq!(names, [Some("web"), Some("app")]);
        assert_eq!(two[0].schema, "SEGMENT_LIVE");
        assert_eq!(two[1].table(CallType::Pages), "SCREENS");
        assert_eq!(two[1].table(CallType::Tracks), "TRACKS");
    }

    #[test]
    fn sources_may_share_a_groups_table_that_is_not_read() {
        let two = sources(
            "[{name: web, tables: {tracks: W, pages: WP, identifies: WI}}, \
             {name: app, tables: {tracks: A, pages: AP, identifies: AI}}]",
        );
        assert_eq!(two.len(), 2);
    }
}
