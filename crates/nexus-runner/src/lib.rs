//! Executes compiled models on an embedded DuckDB database: reads the source catalog off the
//! database, makes source files readable as tables, creates each model in dependency order, and
//! runs the data tests and the row-count reconciliation. The only crate that links DuckDB.

mod build;
mod checks;
pub mod demo;
mod error;
mod resources;
mod sources;

pub use duckdb::Connection;

use nexus_config::{CallType, Catalog, Config};

pub use build::{build, ModelRun, Progress, Refresh};
pub use checks::{query_text, reconcile, run_data_tests, Reconciliation, TestOutcome, TextTable};
pub use error::Error;
pub use resources::{limit_resources, MemoryLimit, Resources};
pub use sources::{attach_files, FileFormat, SourceFile, FILE_CATALOG};

/// Opens (or creates) a database file, or an in-memory database for `:memory:`.
pub fn open(path: &str) -> Result<Connection, Error> {
    let conn = if path == ":memory:" {
        Connection::open_in_memory()
    } else {
        Connection::open(path)
    };
    let conn = conn.map_err(|source| Error::Open {
        path: path.to_string(),
        source,
    })?;
    // Naive timestamps are UTC in Segment's warehouses; pin the session so casts never shift.
    conn.execute_batch("SET TimeZone = 'UTC'")?;
    Ok(conn)
}

/// The columns of each configured table of every Segment source that exists in the database:
/// in the catalog named by the source's `database`, else in the database file itself.
pub fn introspect_catalog(conn: &Connection, config: &Config) -> Result<Catalog, Error> {
    let mut catalog = Catalog::default();
    for (i, source) in config.sources.iter().enumerate() {
        let database = source.database.as_deref();
        for call in CallType::ALL {
            let columns = table_columns(conn, database, &source.schema, source.table(call))?;
            if !columns.is_empty() {
                catalog = catalog.with_table(i, call, columns);
            }
        }
        for table in &source.event_tables {
            let columns = table_columns(conn, database, &source.schema, table)?;
            if !columns.is_empty() {
                catalog = catalog.with_event_table(i, table, columns);
            }
        }
    }
    Ok(catalog)
}

/// A table's columns in order (none when it does not exist), in `database` or else the
/// database file itself.
pub(crate) fn table_columns(
    conn: &Connection,
    database: Option<&str>,
    schema: &str,
    table: &str,
) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare(
        "select column_name from information_schema.columns \
         where lower(table_catalog) = lower(coalesce(?, current_database())) \
         and lower(table_schema) = lower(?) and lower(table_name) = lower(?) \
         order by ordinal_position",
    )?;
    let rows = stmt.query_map(duckdb::params![database, schema, table], |row| {
        row.get::<_, String>(0)
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
