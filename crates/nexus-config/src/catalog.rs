//! The column catalog: which columns each Segment call table really has. Segment only creates a
//! column once it has seen a value, so the compiler asks the catalog instead of assuming.

use std::sync::Arc;

use crate::config::{CallType, Location as SourceLocation};
use crate::diagnostic::{Diagnostic, Location, SourceText};

/// Columns of every call table, in the case the warehouse reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    tables: Vec<(CallType, Vec<String>)>,
    /// Per-event tables (`location.event_tables`) by physical name.
    event_tables: Vec<(String, Vec<String>)>,
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
    /// The standard column set of SPEC §3, used when no catalog is given.
    pub fn standard() -> Self {
        let tables = CallType::ALL
            .into_iter()
            .map(|call| {
                let columns = COMMON
                    .iter()
                    .chain(own_columns(call))
                    .map(|c| c.to_string());
                (call, columns.collect())
            })
            .collect();
        // Per-event tables have a column per property: no standard set can know them.
        Catalog {
            tables,
            event_tables: Vec::new(),
        }
    }

    /// A catalog from columns read off a database.
    pub fn from_tables(tables: Vec<(CallType, Vec<String>)>) -> Self {
        Catalog {
            tables,
            event_tables: Vec::new(),
        }
    }

    /// Adds the columns of a per-event table.
    pub fn with_event_table(mut self, table: &str, columns: Vec<String>) -> Self {
        self.event_tables.push((table.to_string(), columns));
        self
    }

    /// Reads a `--catalog` JSON file: an object of table name → list of column names. Table
    /// names match the configured physical names (or the call type keys) case-insensitively.
    pub fn from_json(
        name: &str,
        text: &str,
        location: &SourceLocation,
    ) -> Result<Self, Diagnostic> {
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
        let mut tables = Vec::new();
        for call in CallType::ALL {
            let physical = location.table(call);
            let entry = object.iter().find(|(k, _)| {
                k.eq_ignore_ascii_case(physical) || k.eq_ignore_ascii_case(call.key())
            });
            let Some((_, columns)) = entry else { continue };
            let Some(list) = columns.as_array() else {
                return Err(shape_error(&source));
            };
            let names: Option<Vec<String>> = list
                .iter()
                .map(|c| c.as_str().map(str::to_string))
                .collect();
            tables.push((call, names.ok_or_else(|| shape_error(&source))?));
        }
        let mut catalog = Catalog {
            tables,
            event_tables: Vec::new(),
        };
        for table in &location.event_tables {
            let entry = object.iter().find(|(k, _)| k.eq_ignore_ascii_case(table));
            let Some((_, columns)) = entry else { continue };
            let names: Option<Vec<String>> = columns.as_array().and_then(|list| {
                list.iter()
                    .map(|c| c.as_str().map(str::to_string))
                    .collect()
            });
            catalog = catalog.with_event_table(table, names.ok_or_else(|| shape_error(&source))?);
        }
        Ok(catalog)
    }

    /// The columns of a per-event table, matched by name case-insensitively.
    pub fn event_columns(&self, table: &str) -> Option<&[String]> {
        self.event_tables
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(table))
            .map(|(_, cols)| cols.as_slice())
    }

    pub fn columns(&self, call: CallType) -> Option<&[String]> {
        self.tables
            .iter()
            .find(|(c, _)| *c == call)
            .map(|(_, cols)| cols.as_slice())
    }

    /// The column's name as the warehouse spells it, matched case-insensitively.
    pub fn find(&self, call: CallType, column: &str) -> Option<&str> {
        self.columns(call)?
            .iter()
            .find(|c| c.eq_ignore_ascii_case(column))
            .map(String::as_str)
    }
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
