//! The steps `run`, `test` and `demo` share: open the DuckDB database, make source files
//! readable, read the column catalog off the database, then compile and validate for DuckDB.

use std::path::Path;

use nexus_runner::Connection;

use nexus_compiler::{Compiled, Dialect, RelationStyle};
use nexus_config::{did_you_mean, Catalog, Config, Diagnostic};
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
        check_source_files(config, sources)?;
        nexus_runner::attach_files(conn, config, sources).map_err(runner_failure)?;
        for source in &mut config.sources {
            source.database = Some(FILE_CATALOG.into());
        }
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

/// Every `--source` names a configured source: by name in list form (unless there is only
/// one), by none for `location` as a mapping.
fn check_source_files(config: &Config, files: &[SourceFile]) -> Result<(), Failure> {
    let names = config.source_names();
    let problems: Vec<Diagnostic> = files
        .iter()
        .filter_map(|file| source_file_problem(&names, file))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::Found(problems))
    }
}

fn source_file_problem(names: &[String], file: &SourceFile) -> Option<Diagnostic> {
    let call = file.call;
    let Some(name) = &file.source else {
        // Unnamed, it is for the only source there is.
        if names.len() <= 1 {
            return None;
        }
        return Some(
            Diagnostic::error(format!(
                "--source {call}=PATH does not say which of the sources {} it is for",
                names.join(", ")
            ))
            .with_help(format!(
                "name the source: --source {}.{call}=PATH",
                names[0]
            )),
        );
    };
    if names.is_empty() {
        return Some(
            Diagnostic::error(format!(
                "--source {name}.{call}=PATH names a source, but location is not a list of sources"
            ))
            .with_help(format!("write --source {call}=PATH")),
        );
    }
    if names.contains(name) {
        return None;
    }
    let d = Diagnostic::error(format!(
        "--source {name}.{call}=PATH names no configured source"
    ));
    Some(match did_you_mean(name, names.iter().map(String::as_str)) {
        Some(best) => d.with_help(format!("did you mean '{best}'?")),
        None => d.with_help(format!("the sources are: {}", names.join(", "))),
    })
}

/// Names every call table the database lacks, with the ways to provide it.
fn require_tables(config: &Config, catalog: &Catalog) -> Result<(), Failure> {
    let mut missing = Vec::new();
    for (i, source) in config.sources.iter().enumerate() {
        let path = config.source_path(i);
        let flag = source
            .name
            .as_ref()
            .map_or(String::new(), |n| format!("{n}."));
        for call in config.read_calls() {
            if catalog.columns(i, call).is_some() {
                continue;
            }
            missing.push(
                Diagnostic::error(format!(
                    "the database has no table '{}.{}'{} for {call} calls",
                    source.schema,
                    source.table(call),
                    source.of_source()
                ))
                .with_key_path(format!("vars.nexus.segment.{path}.tables.{call}"))
                .with_help(format!(
                    "load Segment's tables into the database, point {path}.schema and \
                     {path}.tables at them, or read files with --source {flag}{call}=PATH"
                )),
            );
        }
    }
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
