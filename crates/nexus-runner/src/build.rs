//! Creates the models of a compile in dependency order, all in one transaction, so a failing
//! model leaves every previously built model exactly as it was. With
//! `materialization: incremental` and every table already there, it runs each model's
//! incremental step instead, which only rebuilds what the newly loaded rows change.

use std::time::{Duration, Instant};

use duckdb::Connection;

use nexus_compiler::{Compiled, CompiledModel};
use nexus_config::Materialization;

use crate::Error;

/// What building one model did.
#[derive(Debug, Clone)]
pub struct ModelRun {
    pub model: String,
    pub rows: u64,
    pub elapsed: Duration,
    /// Built by an incremental step rather than in full.
    pub incremental: bool,
}

/// Whether a build with `materialization: incremental` may build on the tables it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Incremental steps when every model's table exists; a full build when none or only some
    /// do (the first run, or a model newly enabled).
    Incremental,
    /// Every model from scratch (`--full-refresh`).
    Full,
}

/// A step of a build, for progress reporting.
#[derive(Debug)]
pub enum Progress<'a> {
    /// Model `index` (1-based) of `total` is about to be built.
    Started {
        index: usize,
        total: usize,
        model: &'a str,
    },
    Finished {
        index: usize,
        total: usize,
        run: &'a ModelRun,
    },
}

/// Creates the target schema and the models of `compiled` (only those in `select` when it is
/// not empty; their upstream models must then exist already).
pub fn build(
    conn: &Connection,
    compiled: &Compiled,
    select: &[String],
    refresh: Refresh,
    mut progress: impl FnMut(Progress<'_>),
) -> Result<Vec<ModelRun>, Error> {
    let models: Vec<&CompiledModel> = compiled
        .models
        .iter()
        .filter(|m| select.is_empty() || select.contains(&m.plan.name))
        .collect();
    let incremental = compiled.materialization == Materialization::Incremental
        && refresh == Refresh::Incremental
        && tables_exist(conn, compiled, &models)?;
    conn.execute_batch("BEGIN TRANSACTION")?;
    let result = build_all(conn, compiled, &models, incremental, &mut progress);
    match &result {
        Ok(_) => conn.execute_batch("COMMIT")?,
        Err(_) => conn.execute_batch("ROLLBACK")?,
    }
    result
}

fn build_all(
    conn: &Connection,
    compiled: &Compiled,
    models: &[&CompiledModel],
    incremental: bool,
    progress: &mut impl FnMut(Progress<'_>),
) -> Result<Vec<ModelRun>, Error> {
    conn.execute_batch(&compiled.create_schema().map_err(Error::Render)?)?;
    let total = models.len();
    let mut runs = Vec::new();
    for (i, model) in models.iter().enumerate() {
        let index = i + 1;
        progress(Progress::Started {
            index,
            total,
            model: &model.plan.name,
        });
        let run = build_model(conn, compiled, model, incremental)?;
        progress(Progress::Finished {
            index,
            total,
            run: &run,
        });
        runs.push(run);
    }
    Ok(runs)
}

fn build_model(
    conn: &Connection,
    compiled: &Compiled,
    model: &CompiledModel,
    incremental: bool,
) -> Result<ModelRun, Error> {
    let started = Instant::now();
    let step = match incremental {
        true => compiled.incremental_step(model).map_err(Error::Render)?,
        false => None,
    };
    let ddl = match step {
        Some(step) => step,
        None => compiled.ddl(model).map_err(Error::Render)?,
    };
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
        incremental,
    })
}

/// Whether every model's table exists with the model's columns. Some missing means a full
/// build; a table whose columns differ is an error, since appending to it would mix shapes.
fn tables_exist(
    conn: &Connection,
    compiled: &Compiled,
    models: &[&CompiledModel],
) -> Result<bool, Error> {
    let mut all = true;
    for model in models {
        let schema = &compiled.target_schema;
        let found = crate::table_columns(conn, None, schema, &model.plan.name)?;
        let expected = model.plan.column_names();
        if found.is_empty() {
            all = false;
        } else if !found
            .iter()
            .map(String::as_str)
            .eq(expected.iter().copied())
        {
            return Err(Error::SchemaChanged {
                model: model.plan.name.clone(),
                relation: model.relation.clone(),
                expected: expected.join(", "),
                found: found.join(", "),
            });
        }
    }
    Ok(all)
}
