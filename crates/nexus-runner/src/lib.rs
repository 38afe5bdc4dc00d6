//! Executes compiled models on an embedded DuckDB database: reads the source catalog off the
//! database, creates each model in dependency order, and reports what each step did. The only
//! crate that links DuckDB.

use std::time::{Duration, Instant};

use duckdb::Connection;

use nexus_compiler::{Compiled, CompiledModel};
use nexus_config::{CallType, Catalog, Config};

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
    #[error("cannot render DDL: {0}")]
    Render(String),
    #[error("DuckDB query failed: {0}")]
    Query(#[from] duckdb::Error),
}

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
    let _ = conn.execute_batch("SET TimeZone = 'UTC'");
    Ok(conn)
}

/// The columns of each configured source table that exists in the database.
pub fn introspect_catalog(conn: &Connection, config: &Config) -> Result<Catalog, Error> {
    let mut tables = Vec::new();
    for call in CallType::ALL {
        let columns = table_columns(conn, &config.location.schema, config.location.table(call))?;
        if !columns.is_empty() {
            tables.push((call, columns));
        }
    }
    Ok(Catalog::from_tables(tables))
}

fn table_columns(conn: &Connection, schema: &str, table: &str) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare(
        "select column_name from information_schema.columns \
         where lower(table_schema) = lower(?) and lower(table_name) = lower(?) \
         order by ordinal_position",
    )?;
    let rows = stmt.query_map([schema, table], |row| row.get::<_, String>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// What building one model did.
#[derive(Debug, Clone)]
pub struct ModelRun {
    pub model: String,
    pub rows: u64,
    pub elapsed: Duration,
}

/// Creates the target schema and every model of `compiled`, in order, inside one transaction so
/// that a failure leaves the previously built models as they were.
pub fn build(
    conn: &Connection,
    compiled: &Compiled,
    mut on_done: impl FnMut(&ModelRun),
) -> Result<Vec<ModelRun>, Error> {
    conn.execute_batch("BEGIN TRANSACTION")?;
    let result = build_all(conn, compiled, &mut on_done);
    match &result {
        Ok(_) => conn.execute_batch("COMMIT")?,
        Err(_) => conn.execute_batch("ROLLBACK")?,
    }
    result
}

fn build_all(
    conn: &Connection,
    compiled: &Compiled,
    on_done: &mut impl FnMut(&ModelRun),
) -> Result<Vec<ModelRun>, Error> {
    let schema = compiled
        .create_schema()
        .map_err(|d| Error::Render(d.to_string()))?;
    conn.execute_batch(&schema)?;
    let mut runs = Vec::new();
    for model in &compiled.models {
        let run = build_model(conn, compiled, model)?;
        on_done(&run);
        runs.push(run);
    }
    Ok(runs)
}

fn build_model(
    conn: &Connection,
    compiled: &Compiled,
    model: &CompiledModel,
) -> Result<ModelRun, Error> {
    let started = Instant::now();
    let ddl = compiled
        .ddl(model)
        .map_err(|d| Error::Render(d.to_string()))?;
    conn.execute_batch(&ddl).map_err(|source| Error::Model {
        model: model.plan.name.clone(),
        sql: ddl.clone(),
        source,
    })?;
    let rows = conn.query_row(
        &format!("select count(*) from {}", model.relation),
        [],
        |r| r.get::<_, u64>(0),
    )?;
    Ok(ModelRun {
        model: model.plan.name.clone(),
        rows,
        elapsed: started.elapsed(),
    })
}
