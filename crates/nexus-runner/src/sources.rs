//! Source tables from files: Parquet, CSV or newline-delimited JSON exports given on the
//! command line become views in a separate in-memory catalog, shaped like the configured
//! sources (their schemas and table names), so the models read them as they would read
//! warehouse tables and nothing is copied into the database file.

use std::path::Path;

use duckdb::Connection;

use nexus_config::{CallType, Config, Source};

use crate::Error;

/// The in-memory catalog that holds the views over source files. Compile with every source's
/// `database` set to it.
pub const FILE_CATALOG: &str = "nexus_files";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Parquet,
    Csv,
    Ndjson,
}

impl FileFormat {
    /// The format a path (or glob) names by its extension, compression suffixes aside.
    pub fn of(pattern: &str) -> Option<FileFormat> {
        let name = pattern.to_ascii_lowercase();
        let name = [".gz", ".zst"]
            .iter()
            .find_map(|c| name.strip_suffix(c))
            .unwrap_or(&name);
        let extension = Path::new(name).extension()?.to_str()?;
        match extension {
            "parquet" => Some(FileFormat::Parquet),
            "csv" | "tsv" => Some(FileFormat::Csv),
            "json" | "ndjson" | "jsonl" => Some(FileFormat::Ndjson),
            _ => None,
        }
    }

    /// DuckDB's reader over `literal` (a quoted path or glob). Files of one call may differ in
    /// columns, as Segment adds a column once it first sees a value, so columns match by name.
    fn reader(self, literal: &str) -> String {
        match self {
            FileFormat::Parquet => format!("read_parquet({literal}, union_by_name = true)"),
            FileFormat::Csv => format!("read_csv({literal}, union_by_name = true)"),
            FileFormat::Ndjson => {
                format!("read_json({literal}, format = 'newline_delimited', union_by_name = true)")
            }
        }
    }
}

/// One `--source [NAME.]CALL=PATH`: the files that hold a call type's rows of a source.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The Segment source's name (list form); `None` for the only source.
    pub source: Option<String>,
    pub call: CallType,
    /// A path or glob.
    pub pattern: String,
    pub format: FileFormat,
}

impl SourceFile {
    /// How the command line names it: `tracks`, or `web.tracks` for a named source.
    pub fn label(&self) -> String {
        match &self.source {
            Some(name) => format!("{name}.{}", self.call),
            None => self.call.key().to_string(),
        }
    }

    /// Whether it holds rows of `source`: a named file those of the source of that name, an
    /// unnamed one those of the only source.
    fn feeds(&self, source: &Source, call: CallType) -> bool {
        self.call == call && (self.source.is_none() || self.source == source.name)
    }
}

/// Attaches [`FILE_CATALOG`] and creates in it, under each source's schema and table names, a
/// view per call type read: over its files when given, else over the configured table when the
/// database has one. Two sources must not share a schema and table name, which the views
/// could not tell apart.
pub fn attach_files(conn: &Connection, config: &Config, files: &[SourceFile]) -> Result<(), Error> {
    let calls = config.read_calls();
    check_views_apart(&config.sources, &calls)?;
    conn.execute_batch(&format!(
        "attach if not exists ':memory:' as {FILE_CATALOG}"
    ))?;
    for source in &config.sources {
        attach_source(conn, source, &calls, files)?;
    }
    Ok(())
}

fn attach_source(
    conn: &Connection,
    location: &Source,
    calls: &[CallType],
    files: &[SourceFile],
) -> Result<(), Error> {
    let home: String = match &location.database {
        Some(db) => db.clone(),
        None => conn.query_row("select current_database()", [], |r| r.get(0))?,
    };
    conn.execute_batch(&format!(
        "create schema if not exists {FILE_CATALOG}.{}",
        quote(&location.schema)
    ))?;
    for &call in calls {
        let view = file_view(location, location.table(call));
        let body = match files.iter().find(|f| f.feeds(location, call)) {
            Some(file) => file.format.reader(&literal(&absolute(&file.pattern))),
            None if table_exists(conn, &home, location, location.table(call))? => {
                home_table(&home, location, location.table(call))
            }
            None => continue,
        };
        let sql = format!("create or replace view {view} as select * from {body}");
        conn.execute_batch(&sql)
            .map_err(|error| file_error(files, location, call, error))?;
    }
    // Per-event tables are not given as files: they stay in the database, seen through views.
    for table in &location.event_tables {
        if table_exists(conn, &home, location, table)? {
            let view = file_view(location, table);
            let body = home_table(&home, location, table);
            conn.execute_batch(&format!(
                "create or replace view {view} as select * from {body}"
            ))?;
        }
    }
    Ok(())
}

/// Sources in different databases may use the same schema and table names, but their views
/// would be one.
fn check_views_apart(sources: &[Source], calls: &[CallType]) -> Result<(), Error> {
    let mut seen: Vec<(String, &Source)> = Vec::new();
    for source in sources {
        for table in calls.iter().map(|c| source.table(*c)) {
            let view = format!("{}.{table}", source.schema).to_ascii_lowercase();
            if let Some((_, first)) = seen.iter().find(|(v, _)| *v == view) {
                return Err(Error::SharedFileView {
                    first: first.name.clone().unwrap_or_default(),
                    second: source.name.clone().unwrap_or_default(),
                    table: format!("{}.{table}", source.schema),
                });
            }
            seen.push((view, source));
        }
    }
    Ok(())
}

/// The view in [`FILE_CATALOG`] that stands for a source table.
fn file_view(location: &Source, table: &str) -> String {
    format!(
        "{FILE_CATALOG}.{}.{}",
        quote(&location.schema),
        quote(table)
    )
}

/// The relation of a table in the database itself.
fn home_table(home: &str, location: &Source, table: &str) -> String {
    format!(
        "{}.{}.{}",
        quote(home),
        quote(&location.schema),
        quote(table)
    )
}

fn file_error(files: &[SourceFile], location: &Source, call: CallType, e: duckdb::Error) -> Error {
    match files.iter().find(|f| f.feeds(location, call)) {
        Some(file) => Error::SourceFile {
            call: file.label(),
            pattern: file.pattern.clone(),
            source: e,
        },
        None => Error::Query(e),
    }
}

fn table_exists(
    conn: &Connection,
    home: &str,
    location: &Source,
    table: &str,
) -> Result<bool, Error> {
    let found: u64 = conn.query_row(
        "select count(*) from information_schema.tables where table_catalog = ? \
         and lower(table_schema) = lower(?) and lower(table_name) = lower(?)",
        [home, &location.schema, table],
        |r| r.get(0),
    )?;
    Ok(found > 0)
}

/// Views resolve paths when queried, so a relative path is pinned to the folder it was given in.
fn absolute(pattern: &str) -> String {
    let path = Path::new(pattern);
    if path.is_absolute() {
        return pattern.to_string();
    }
    match std::env::current_dir() {
        Ok(dir) => dir.join(path).to_string_lossy().into_owned(),
        Err(_) => pattern.to_string(),
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_extension() {
        assert_eq!(FileFormat::of("a/b.parquet"), Some(FileFormat::Parquet));
        assert_eq!(FileFormat::of("exports/*.CSV.gz"), Some(FileFormat::Csv));
        assert_eq!(FileFormat::of("x.jsonl"), Some(FileFormat::Ndjson));
        assert_eq!(FileFormat::of("x.ndjson.zst"), Some(FileFormat::Ndjson));
        assert_eq!(FileFormat::of("x.avro"), None);
        assert_eq!(FileFormat::of("noextension"), None);
    }
}
