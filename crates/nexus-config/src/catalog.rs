//! The column catalog: which columns each table of each Segment source really has. Segment
//! only creates a column once it has seen a value, so the compiler asks the catalog instead of
//! assuming.

use std::sync::Arc;

use crate::config::{CallType, Config, Source};
use crate::diagnostic::{Diagnostic, Location, SourceText};

/// Columns of every table read, in the case the warehouse reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// The source, by its position in `Config::sources`; `None` for every source alike.
    source: Option<usize>,
    table: Table,
    columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Table {
    Call(CallType),
    /// A per-event table (`event_tables`) by physical name, matched case-insensitively.
    Event(String),
}

impl Table {
    fn is(&self, other: &Table) -> bool {
        match (self, other) {
            (Table::Call(a), Table::Call(b)) => a == b,
            (Table::Event(a), Table::Event(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        }
    }
}

/// Columns Segment writes on every call table.
const COMMON: [&str; 23] = [
    "id",
    "anonymous_id",
    "user_id",
    "timestamp",
    "original_timestamp",
    "sent_at",
    "received_at",
    "uuid_ts",
    "context_page_url",
    "context_page_path",
    "context_page_referrer",
    "context_page_search",
    "context_page_title",
    "context_campaign_source",
    "context_campaign_medium",
    "context_campaign_name",
    "context_campaign_content",
    "context_campaign_term",
    "context_traits_email",
    "context_ip",
    "context_user_agent",
    "context_library_name",
    "context_library_version",
];

/// Columns without which a row cannot become an event.
pub const REQUIRED_COLUMNS: [&str; 2] = ["id", "timestamp"];

fn own_columns(call: CallType) -> &'static [&'static str] {
    match call {
        CallType::Tracks => &["event", "event_text"],
        CallType::Pages => &["name", "url", "path", "title", "referrer", "search"],
        CallType::Identifies => &["email", "first_name", "last_name"],
        CallType::Groups => &["group_id", "name"],
    }
}

impl Catalog {
    /// The standard column set of SPEC §3 for every source, used when no catalog is given.
    pub fn standard() -> Self {
        let entries = CallType::ALL.into_iter().map(|call| {
            let columns = COMMON
                .iter()
                .chain(own_columns(call))
                .map(|c| c.to_string());
            Entry {
                source: None,
                table: Table::Call(call),
                columns: columns.collect(),
            }
        });
        // Per-event tables have a column per property: no standard set can know them.
        Catalog {
            entries: entries.collect(),
        }
    }

    /// Adds the columns of the call table of source `source` (its position in the config).
    pub fn with_table(self, source: usize, call: CallType, columns: Vec<String>) -> Self {
        self.with(source, Table::Call(call), columns)
    }

    /// Adds the columns of a per-event table of source `source`.
    pub fn with_event_table(self, source: usize, table: &str, columns: Vec<String>) -> Self {
        self.with(source, Table::Event(table.to_string()), columns)
    }

    fn with(mut self, source: usize, table: Table, columns: Vec<String>) -> Self {
        self.entries.push(Entry {
            source: Some(source),
            table,
            columns,
        });
        self
    }

    /// Reads a `--catalog` JSON file: an object of table name → list of column names. A key
    /// names a table as `TABLE` (or its call type, `tracks`), `SCHEMA.TABLE` or
    /// `DATABASE.SCHEMA.TABLE`, case-insensitively; the most qualified key of a table wins. An
    /// unqualified key that fits the tables of several sources is refused as ambiguous.
    pub fn from_json(name: &str, text: &str, config: &Config) -> Result<Self, Diagnostic> {
        let source = Arc::new(SourceText {
            name: name.into(),
            text: text.into(),
        });
        let parsed: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            let offset = line_offset(text, e.line()) + e.column().saturating_sub(1);
            Diagnostic::error(format!("invalid catalog JSON: {e}"))
                .with_location(Some(Location::at_offset(source.clone(), offset, 1)))
        })?;
        let Some(object) = parsed.as_object() else {
            return Err(shape_error(&source));
        };
        let mut catalog = Catalog::default();
        for (i, wanted) in read_tables(config) {
            let Some(key) = best_key(object, config, i, &wanted) else {
                continue;
            };
            check_unambiguous(config, (i, &wanted), key, &source)?;
            let names: Option<Vec<String>> = object[key].as_array().and_then(|list| {
                list.iter()
                    .map(|c| c.as_str().map(str::to_string))
                    .collect()
            });
            let columns = names.ok_or_else(|| shape_error(&source))?;
            catalog = catalog.with(i, wanted, columns);
        }
        Ok(catalog)
    }

    /// The columns of a per-event table of a source, matched by name case-insensitively.
    pub fn event_columns(&self, source: usize, table: &str) -> Option<&[String]> {
        self.lookup(source, &Table::Event(table.to_string()))
    }

    pub fn columns(&self, source: usize, call: CallType) -> Option<&[String]> {
        self.lookup(source, &Table::Call(call))
    }

    /// The column's name as the warehouse spells it, matched case-insensitively.
    pub fn find(&self, source: usize, call: CallType, column: &str) -> Option<&str> {
        self.columns(source, call)?
            .iter()
            .find(|c| c.eq_ignore_ascii_case(column))
            .map(String::as_str)
    }

    /// The source's own entry, else the one for every source.
    fn lookup(&self, source: usize, table: &Table) -> Option<&[String]> {
        let of = |s: Option<usize>| {
            self.entries
                .iter()
                .find(|e| e.source == s && e.table.is(table))
        };
        of(Some(source))
            .or_else(|| of(None))
            .map(|e| e.columns.as_slice())
    }
}

/// Every table the configuration reads, with its source's position.
fn read_tables(config: &Config) -> Vec<(usize, Table)> {
    let mut out = Vec::new();
    for (i, source) in config.sources.iter().enumerate() {
        out.extend(config.read_calls().into_iter().map(|c| (i, Table::Call(c))));
        let events = source.event_tables.iter().cloned().map(Table::Event);
        out.extend(events.map(|t| (i, t)));
    }
    out
}

/// How precisely `key` names `table` of `source`: 3 with database, schema and table, 2 with
/// schema and table, 1 with the table (or the call type) alone, `None` when it names another.
fn key_fit(key: &str, source: &Source, table: &Table) -> Option<usize> {
    let (call, physical) = match table {
        Table::Call(call) => (Some(*call), source.table(*call)),
        Table::Event(name) => (None, name.as_str()),
    };
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let fits = match key.split('.').collect::<Vec<_>>().as_slice() {
        [t] => eq(t, physical) || call.is_some_and(|c| eq(t, c.key())),
        [s, t] => eq(s, &source.schema) && eq(t, physical),
        [d, s, t] => {
            source.database.as_deref().is_some_and(|db| eq(d, db))
                && eq(s, &source.schema)
                && eq(t, physical)
        }
        _ => false,
    };
    fits.then(|| key.split('.').count())
}

/// The most precise key naming a table, the first of equally precise ones.
fn best_key<'a>(
    object: &'a serde_json::Map<String, serde_json::Value>,
    config: &Config,
    source: usize,
    table: &Table,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for key in object.keys() {
        let Some(fit) = key_fit(key, &config.sources[source], table) else {
            continue;
        };
        if best.is_none_or(|(b, _)| fit > b) {
            best = Some((fit, key.as_str()));
        }
    }
    best.map(|(_, key)| key)
}

/// An unqualified key chosen for a table of one source must not also name a table of another:
/// the catalog would otherwise give one source's columns to both.
fn check_unambiguous(
    config: &Config,
    (source, table): (usize, &Table),
    key: &str,
    text: &Arc<SourceText>,
) -> Result<(), Diagnostic> {
    if key.contains('.') {
        return Ok(());
    }
    let other = read_tables(config)
        .into_iter()
        .find(|(i, t)| *i != source && key_fit(key, &config.sources[*i], t).is_some());
    let Some((other, _)) = other else {
        return Ok(());
    };
    let name = |i: usize| config.sources[i].name.clone().unwrap_or_default();
    let own = &config.sources[source];
    let physical = match table {
        Table::Call(call) => own.table(*call),
        Table::Event(name) => name.as_str(),
    };
    let offset = text.text.find(&format!("\"{key}\"")).unwrap_or(0);
    Err(Diagnostic::error(format!(
        "catalog key '{key}' names tables of both sources '{}' and '{}'",
        name(source),
        name(other)
    ))
    .with_location(Some(Location::at_offset(
        text.clone(),
        offset,
        key.len() + 2,
    )))
    .with_help(format!(
        "qualify it with the schema, as \"{}.{physical}\"",
        own.schema
    )))
}

fn shape_error(source: &Arc<SourceText>) -> Diagnostic {
    Diagnostic::error("catalog must be a JSON object of table name to a list of column names")
        .with_location(Some(Location::at_offset(source.clone(), 0, 1)))
        .with_help(r#"for example {"TRACKS": ["id", "timestamp", "event"]}"#)
}

fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(location: &str) -> Config {
        let text = format!("vars:\n  nexus:\n    segment:\n      location: {location}\n");
        crate::load_text("p.yml", &text).expect("valid").config
    }

    fn columns(catalog: &Catalog, source: usize, call: CallType) -> Vec<&str> {
        let found = catalog.columns(source, call).unwrap_or_default();
        found.iter().map(String::as_str).collect()
    }

    #[test]
    fn one_source_takes_table_names_call_types_and_qualified_keys() {
        let config = config("{schema: RAW}");
        let text = r#"{"tracks": ["a"], "raw.PAGES": ["b"], "Identifies": ["c"]}"#;
        let catalog = Catalog::from_json("c.json", text, &config).unwrap();
        assert_eq!(columns(&catalog, 0, CallType::Tracks), ["a"]);
        assert_eq!(columns(&catalog, 0, CallType::Pages), ["b"]);
        assert_eq!(columns(&catalog, 0, CallType::Identifies), ["c"]);
    }

    #[test]
    fn the_most_qualified_key_of_a_table_wins() {
        let config = config("[{name: web, database: DB, schema: WEB}, {name: app, schema: APP}]");
        let text = r#"{
            "WEB.TRACKS": ["schema"],
            "db.web.tracks": ["database"],
            "APP.TRACKS": ["app"],
            "PAGES": []
        }"#;
        let catalog = Catalog::from_json("c.json", text, &config);
        let error = catalog.expect_err("PAGES is in both sources");
        assert!(error.message.contains("'PAGES'"), "{}", error.message);
        let text = text.replace("\"PAGES\": []", "\"APP.PAGES\": []");
        let catalog = Catalog::from_json("c.json", &text, &config).unwrap();
        assert_eq!(columns(&catalog, 0, CallType::Tracks), ["database"]);
        assert_eq!(columns(&catalog, 1, CallType::Tracks), ["app"]);
        assert!(catalog.columns(0, CallType::Pages).is_none());
        assert!(catalog.columns(1, CallType::Pages).is_some());
    }

    #[test]
    fn the_standard_catalog_serves_every_source() {
        let catalog = Catalog::standard();
        assert!(catalog.find(3, CallType::Tracks, "EVENT_TEXT").is_some());
        let own = catalog.with_table(1, CallType::Tracks, vec!["id".into()]);
        assert_eq!(columns(&own, 1, CallType::Tracks), ["id"]);
        assert!(own.find(0, CallType::Tracks, "event").is_some());
    }
}
