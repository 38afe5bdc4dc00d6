//! The steps `run`, `test` and `demo` share: open the DuckDB database, make source files
//! readable, read the column catalog off the database, then compile and validate for DuckDB.

use std::path::Path;

use nexus_runner::Connection;

use nexus_compiler::{staged_calls, Compiled, Dialect, RelationStyle};
use nexus_config::{Catalog, Config, Diagnostic};
use nexus_runner::{Resources, SourceFile, FILE_CATALOG};

use crate::{context, Failure};

/// Schema the models go to on DuckDB when `target.schema` is not set.
const DEFAULT_SCHEMA: &str = "main";

pub fn open(path: &Path, resources: &Resources) -> Result<Connection, Failure> {
    let conn = nexus_runner::open(&path.to_string_lossy()).map_err(runner_failure)?;
    nexus_runner::limit_resources(&conn, resources).map_err(runner_failure)?;
    Ok(conn)
}

/// Compiles the models for this database, reading the source catalog from it.
pub fn prepare(
    conn: &Connection,
    config: &mut Config,
    sources: &[SourceFile],
) -> Result<Compiled, Failure> {
    if !sources.is_empty() {
        nexus_runner::attach_files(conn, &config.location, sources).map_err(runner_failure)?;
        config.location.database = Some(FILE_CATALOG.into());
    }
    let catalog = nexus_runner::introspect_catalog(conn, config).map_err(runner_failure)?;
    require_tables(config, &catalog)?;

    let schema = config
        .target
        .schema
        .clone()
        .unwrap_or_else(|| DEFAULT_SCHEMA.into());
    let compiled = context::compile(
        config,
        &catalog,
        Dialect::Duckdb,
        &schema,
        RelationStyle::Qualified,
    )?;

    nexus_validator::validate(&compiled).map_err(Failure::Found)?;
    Ok(compiled)
}

/// Names every call table the database lacks, with the ways to provide it.
fn require_tables(config: &Config, catalog: &Catalog) -> Result<(), Failure> {
    let loc = &config.location;
    let missing: Vec<Diagnostic> = staged_calls(config)
        .iter()
        .filter(|call| catalog.columns(**call).is_none())
        .map(|call| {
            Diagnostic::error(format!(
                "the database has no table '{}.{}' for {call} calls",
                loc.schema,
                loc.table(*call)
            ))
            .with_key_path(format!("vars.nexus.segment.location.tables.{call}"))
            .with_help(format!(
                "load Segment's tables into the database, point location.schema and \
                 location.tables at them, or read files with --source {call}=PATH"
            ))
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Failure::Found(missing))
    }
}

/// How a runner error reaches the user: problems in the input exit 1, the rest 2.
pub fn runner_failure(error: nexus_runner::Error) -> Failure {
    if let Some(diagnostic) = error.model_diagnostic() {
        return Failure::Found(vec![diagnostic]);
    }
    match error {
        nexus_runner::Error::NotBuilt { .. } => Failure::Failed(error.to_string()),
        nexus_runner::Error::Render(d) => Failure::Found(vec![d]),
        other => Failure::CouldNotRun(other.into()),
    }
}
