//! `nexus run`: build every enabled model in a DuckDB database, with progress on stderr, then
//! reconcile the row counts of every call table (SPEC §8) on stdout.

use std::time::Instant;

use nexus_runner::Connection;

use nexus_compiler::Compiled;
use nexus_runner::{ModelRun, Refresh};

use crate::cli::RunArgs;
use crate::database::{self, runner_failure};
use crate::progress::{thousands, Reporter};
use crate::{context, table, Failure};

pub fn run(args: &RunArgs, quiet: bool) -> Result<(), Failure> {
    let mut loaded = context::load_config(&args.database.project)?;
    context::require_enabled(&loaded)?;
    let conn = database::open(&args.database.database, &args.resources.resources())?;
    let compiled = database::prepare(&conn, &mut loaded.config, &args.database.source)?;
    nexus_compiler::check_selection(&compiled, &args.select).map_err(Failure::Found)?;

    let mut reporter = Reporter::new(quiet);
    let refresh = match args.full_refresh {
        true => Refresh::Full,
        false => Refresh::Incremental,
    };
    build(&conn, &compiled, &args.select, refresh, &mut reporter)?;

    // A partial build cannot be reconciled: the counts would mix old and new models.
    if args.select.is_empty() {
        reconcile(&conn, &compiled)?;
    }
    Ok(())
}

/// Builds the models with a progress line each and a closing line with the total time.
pub fn build(
    conn: &Connection,
    compiled: &Compiled,
    select: &[String],
    refresh: Refresh,
    reporter: &mut Reporter,
) -> Result<Vec<ModelRun>, Failure> {
    let started = Instant::now();
    let runs = nexus_runner::build(conn, compiled, select, refresh, |step| reporter.model(step));
    let runs = runs.map_err(|error| {
        if let nexus_runner::Error::Model { model, .. } = &error {
            reporter.line(format!("ERROR creating {model}; no model was changed"));
        }
        runner_failure(error)
    })?;
    reporter.line(format!(
        "Finished building {} models in {:.2}s",
        runs.len(),
        started.elapsed().as_secs_f64()
    ));
    Ok(runs)
}

/// Prints rows read = events + duplicates removed + rejected per call table; a table whose
/// counts do not add up is an error.
pub fn reconcile(conn: &Connection, compiled: &Compiled) -> Result<(), Failure> {
    let counts = nexus_runner::reconcile(conn, compiled).map_err(runner_failure)?;
    let rows: Vec<Vec<String>> = counts
        .iter()
        .map(|c| {
            vec![
                c.call_type.clone(),
                thousands(c.rows_read),
                thousands(c.events),
                thousands(c.duplicates),
                thousands(c.rejected),
                if c.holds() { "ok" } else { "MISMATCH" }.to_string(),
            ]
        })
        .collect();
    println!("Row counts per call table (rows read = events + duplicates removed + rejected)");
    let header = [
        "call",
        "rows read",
        "events",
        "duplicates",
        "rejected",
        "check",
    ];
    print!("{}", table::render(&header, &rows));
    let broken: Vec<&str> = counts
        .iter()
        .filter(|c| !c.holds())
        .map(|c| c.call_type.as_str())
        .collect();
    if broken.is_empty() {
        Ok(())
    } else {
        Err(Failure::Failed(format!(
            "row counts do not reconcile for {} calls",
            broken.join(", ")
        )))
    }
}
