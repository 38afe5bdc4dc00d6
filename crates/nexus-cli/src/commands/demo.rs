//! `nexus demo`: generate synthetic Segment data into a DuckDB file, build every model from it
//! with the built-in demo project, run the data tests and print a summary on stdout.

use std::time::Instant;

use nexus_runner::Connection;

use nexus_compiler::{Compiled, TOUCHPOINTS};
use nexus_runner::demo::{self, DemoOptions};
use nexus_runner::ModelRun;

use crate::cli::DemoArgs;
use crate::commands::{run, test};
use crate::database::{self, runner_failure};
use crate::progress::{thousands, Reporter};
use crate::{context, table, Failure};

/// The demo's configuration, shipped in the binary.
pub const DEMO_PROJECT: &str = include_str!("demo_project.yml");
const DEMO_PROJECT_NAME: &str = "<built-in demo project>";

pub fn run(args: &DemoArgs, quiet: bool) -> Result<(), Failure> {
    let mut reporter = Reporter::new(quiet);
    let conn = database::open(&args.database, &args.resources.resources())?;
    generate(&conn, args, &mut reporter)?;
    if args.no_build {
        return Ok(());
    }

    let mut loaded = nexus_config::load_text(DEMO_PROJECT_NAME, DEMO_PROJECT)
        .map_err(context::config_failure)?;
    let compiled = database::prepare(&conn, &mut loaded.config, &[])?;
    let runs = run::build(
        &conn,
        &compiled,
        &[],
        nexus_runner::Refresh::Full,
        &mut reporter,
    )?;

    println!(
        "nexus demo: {} synthetic Segment calls in {} (seed {})\n",
        thousands(args.events),
        args.database.display(),
        args.seed
    );
    print_models(&runs);
    let reconciled = run::reconcile(&conn, &compiled);
    println!();
    print_reports(&conn, &compiled)?;
    reporter.busy("running data tests".into());
    let outcomes = test::run_tests(&conn, &compiled, |_| {})?;
    reporter.clear();
    for failed in outcomes.iter().filter(|o| !o.passed()) {
        println!("{}", test::line(failed));
    }
    print!("Data tests: ");
    let verdict = test::verdict(&outcomes);
    println!(
        "\nThe models are in {} (schema {}); open it with any DuckDB client.",
        args.database.display(),
        compiled.target_schema
    );
    reconciled.and(verdict)
}

fn generate(conn: &Connection, args: &DemoArgs, reporter: &mut Reporter) -> Result<(), Failure> {
    reporter.busy(format!(
        "generating {} Segment calls",
        thousands(args.events)
    ));
    let started = Instant::now();
    let options = DemoOptions {
        events: args.events,
        seed: args.seed,
    };
    let data = demo::generate(conn, &options)
        .map_err(|e| runner_failure(nexus_runner::Error::Query(e)))?;
    reporter.line(format!(
        "Generated {} tracks, {} pages, {} identifies and {} groups rows [{:.2}s]",
        thousands(data.tracks),
        thousands(data.pages),
        thousands(data.identifies),
        thousands(data.groups),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

fn print_models(runs: &[ModelRun]) {
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            vec![
                r.model.clone(),
                thousands(r.rows),
                format!("{:.2}", r.elapsed.as_secs_f64()),
            ]
        })
        .collect();
    println!("Models");
    print!("{}", table::render(&["model", "rows", "seconds"], &rows));
    println!();
}

/// Rejected rows by reason and, when touchpoints are built, the channel mix.
fn print_reports(conn: &Connection, compiled: &Compiled) -> Result<(), Failure> {
    let mut reports = vec![("Rejected rows by reason", "rejected_by_reason")];
    if compiled.models.iter().any(|m| m.plan.name == TOUCHPOINTS) {
        reports.push(("Channel mix", "channel_mix"));
    }
    for (title, name) in reports {
        let sql = compiled.report(name).map_err(|d| Failure::Found(vec![d]))?;
        let result = nexus_runner::query_text(conn, &sql).map_err(runner_failure)?;
        let rows: Vec<Vec<String>> = result
            .rows
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|v| readable(v.unwrap_or_default()))
                    .collect()
            })
            .collect();
        let header: Vec<&str> = result.columns.iter().map(String::as_str).collect();
        println!("{title}");
        print!("{}", table::render(&header, &rows));
        println!();
    }
    Ok(())
}

/// Whole numbers with thousands separators; any other value as it is.
fn readable(value: String) -> String {
    value.parse::<u64>().map(thousands).unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_project_excludes_the_generated_payment_referrers() {
        let loaded = nexus_config::load_text(DEMO_PROJECT_NAME, DEMO_PROJECT).expect("valid");
        let excluded = &loaded.config.attribution.referral_exclusions;
        assert_eq!(excluded, &demo::EXCLUDED_DOMAINS.map(String::from).to_vec());
    }
}
