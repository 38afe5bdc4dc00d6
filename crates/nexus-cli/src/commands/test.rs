//! `nexus test`: run the data tests of SPEC §7 on the models built in a DuckDB database, one
//! line per test, then `PASS=n FAIL=n`; any failure exits 1.

use nexus_runner::Connection;

use nexus_compiler::Compiled;
use nexus_runner::TestOutcome;

use crate::cli::DatabaseArgs;
use crate::database::{self, runner_failure};
use crate::progress::thousands;
use crate::{context, Failure};

pub fn run(args: &DatabaseArgs) -> Result<(), Failure> {
    let mut loaded = context::load_config(&args.project)?;
    context::require_enabled(&loaded)?;
    let conn = database::open(&args.database, &Default::default())?;
    let compiled = database::prepare(&conn, &mut loaded.config, &args.source)?;

    let outcomes = run_tests(&conn, &compiled, |outcome| println!("{}", line(outcome)))?;
    verdict(&outcomes)
}

/// Runs every data test, handing each outcome to `each` as it completes.
pub fn run_tests(
    conn: &Connection,
    compiled: &Compiled,
    each: impl FnMut(&TestOutcome),
) -> Result<Vec<TestOutcome>, Failure> {
    nexus_runner::run_data_tests(conn, compiled, each).map_err(runner_failure)
}

/// Prints `PASS=n FAIL=n` and fails when any test failed.
pub fn verdict(outcomes: &[TestOutcome]) -> Result<(), Failure> {
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    println!("PASS={} FAIL={failed}", outcomes.len() - failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(Failure::Failed(format!("{failed} data test(s) failed")))
    }
}

/// `PASS  segment_events.event_id  unique  (0 failing rows)`.
pub fn line(outcome: &TestOutcome) -> String {
    let test = &outcome.test;
    let status = if outcome.passed() { "PASS" } else { "FAIL" };
    let noun = if outcome.failures == 1 { "row" } else { "rows" };
    format!(
        "{status}  {}.{}  {}  ({} failing {noun})",
        test.model,
        test.column,
        test.test.name(),
        thousands(outcome.failures)
    )
}
