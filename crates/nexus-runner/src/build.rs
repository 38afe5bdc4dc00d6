//! Creates the models of a compile in dependency order, all in one transaction, so a failing
//! model leaves every previously built model exactly as it was.

use std::time::{Duration, Instant};

use duckdb::Connection;

use nexus_compiler::{Compiled, CompiledModel};

use crate::Error;

/// What building one model did.
#[derive(Debug, Clone)]
pub struct ModelRun {
    pub model: String,
    pub rows: u64,
    pub elapsed: Duration,
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
    mut progress: impl FnMut(Progress<'_>),
) -> Result<Vec<ModelRun>, Error> {
    let models: Vec<&CompiledModel> = compiled
        .models
        .iter()
        .filter(|m| select.is_empty() || select.contains(&m.plan.name))
        .collect();
    conn.execute_batch("BEGIN TRANSACTION")?;
    let result = build_all(conn, compiled, &models, &mut progress);
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
        let run = build_model(conn, compiled, model)?;
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
) -> Result<ModelRun, Error> {
    let started = Instant::now();
    let ddl = compiled.ddl(model).map_err(Error::Render)?;
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
