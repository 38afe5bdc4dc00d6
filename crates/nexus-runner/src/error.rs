//! What can go wrong while running on DuckDB, and how a failing model is shown to the user:
//! DuckDB's message with the rendered statement, pointed at the line DuckDB names.

use std::sync::Arc;

use nexus_config::{Diagnostic, Location, SourceText};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open DuckDB database '{path}': {source}")]
    Open { path: String, source: duckdb::Error },
    #[error("model '{model}' failed on DuckDB: {source}")]
    Model {
        model: String,
        sql: String,
        source: duckdb::Error,
    },
    #[error("model '{model}' has not been built in this database; run `nexus run` first")]
    NotBuilt { model: String },
    #[error(
        "table {relation} has columns ({found}) but model '{model}' now has ({expected}); \
         rebuild it with `nexus run --full-refresh`"
    )]
    SchemaChanged {
        model: String,
        relation: String,
        expected: String,
        found: String,
    },
    #[error("cannot read {call} source '{pattern}': {source}")]
    SourceFile {
        call: String,
        pattern: String,
        source: duckdb::Error,
    },
    #[error(
        "sources '{first}' and '{second}' both have a table '{table}' (in different databases), \
         which --source cannot tell apart"
    )]
    SharedFileView {
        first: String,
        second: String,
        table: String,
    },
    #[error("cannot render SQL: {0}")]
    Render(Diagnostic),
    #[error("DuckDB query failed: {0}")]
    Query(#[from] duckdb::Error),
}

impl Error {
    /// A failing model as a diagnostic that shows the statement DuckDB rejected, marked at the
    /// line its message names (`LINE 12: ...`) when it names one.
    pub fn model_diagnostic(&self) -> Option<Diagnostic> {
        let Error::Model { model, sql, source } = self else {
            return None;
        };
        let message = source.to_string();
        let headline = message.lines().next().unwrap_or_default().to_string();
        let text = Arc::new(SourceText {
            name: format!("{model} (rendered DDL)"),
            text: sql.clone(),
        });
        let location = error_line(&message).and_then(|line| line_location(&text, line));
        let location = location.or_else(|| Some(Location::at_offset(text.clone(), 0, 0)));
        Some(
            Diagnostic::error(format!("model '{model}' failed on DuckDB: {headline}"))
                .with_location(location)
                .with_help(
                    "write the SQL out with `nexus compile --format ddl` to inspect it; \
                     check that the source tables hold Segment's columns",
                ),
        )
    }
}

/// The statement line DuckDB names in its message, if any.
fn error_line(message: &str) -> Option<usize> {
    let rest = &message[message.find("LINE ")? + "LINE ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn line_location(text: &Arc<SourceText>, line: usize) -> Option<Location> {
    let mut offset = 0;
    for (number, content) in text.text.split_inclusive('\n').enumerate() {
        if number + 1 == line {
            let len = content.trim_end().len();
            return Some(Location::at_offset(text.clone(), offset, len));
        }
        offset += content.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_duckdb_names() {
        let message = "Binder Error: column \"x\" not found\n\nLINE 3: select x\n               ^";
        assert_eq!(error_line(message), Some(3));
        assert_eq!(error_line("Out of Memory Error: no line here"), None);
    }

    #[test]
    fn marks_the_whole_named_line() {
        let text = Arc::new(SourceText {
            name: "m".into(),
            text: "create table t as\nselect\n    x\nfrom y;\n".into(),
        });
        let loc = line_location(&text, 3).expect("line 3 exists");
        assert_eq!((loc.line, loc.offset, loc.len), (3, 25, 5));
        assert!(line_location(&text, 9).is_none());
    }
}
