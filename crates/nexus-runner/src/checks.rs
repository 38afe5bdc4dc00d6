//! Checks on built models: the data tests of SPEC §7 and the row-count reconciliation of
//! SPEC §8 (rows read = events + duplicates removed + rejected, per call table).

use duckdb::Connection;

use nexus_compiler::{Compiled, DataTestQuery};
use nexus_config::CallType;

use crate::Error;

/// One data test and how many failing rows it found.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    pub test: DataTestQuery,
    pub failures: u64,
}

impl TestOutcome {
    pub fn passed(&self) -> bool {
        self.failures == 0
    }
}

/// Runs every data test of every model; each model must have been built.
pub fn run_data_tests(
    conn: &Connection,
    compiled: &Compiled,
    mut on_done: impl FnMut(&TestOutcome),
) -> Result<Vec<TestOutcome>, Error> {
    require_built(conn, compiled)?;
    let queries = compiled.data_tests().map_err(Error::Render)?;
    let mut outcomes = Vec::with_capacity(queries.len());
    for test in queries {
        let failures = count(conn, &test.sql)?;
        let outcome = TestOutcome { test, failures };
        on_done(&outcome);
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Row counts of one call table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    pub call_type: String,
    pub rows_read: u64,
    pub events: u64,
    pub duplicates: u64,
    pub rejected: u64,
}

impl Reconciliation {
    pub fn holds(&self) -> bool {
        self.rows_read == self.events + self.duplicates + self.rejected
    }
}

/// Counts, per staged call table, what was read and where each row went.
pub fn reconcile(conn: &Connection, compiled: &Compiled) -> Result<Vec<Reconciliation>, Error> {
    require_built(conn, compiled)?;
    let sql = compiled.reconciliation().map_err(Error::Render)?;
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok(Reconciliation {
            call_type: r.get(0)?,
            rows_read: r.get(1)?,
            duplicates: r.get(2)?,
            events: r.get(3)?,
            rejected: r.get(4)?,
        })
    })?;
    let mut out = rows.collect::<Result<Vec<_>, _>>()?;
    // Union branches come back in any order; report calls in their usual order.
    let position = |name: &str| CallType::ALL.iter().position(|c| c.call_name() == name);
    out.sort_by_key(|r| position(&r.call_type));
    Ok(out)
}

fn count(conn: &Connection, sql: &str) -> Result<u64, Error> {
    let wrapped = format!("select count(*) from ({sql}) as failures");
    Ok(conn.query_row(&wrapped, [], |r| r.get::<_, u64>(0))?)
}

/// Names the first model that the database lacks, so checks fail with advice instead of a
/// catalog error.
fn require_built(conn: &Connection, compiled: &Compiled) -> Result<(), Error> {
    let mut stmt = conn.prepare(
        "select count(*) from information_schema.tables \
         where table_catalog = current_database() and table_schema = ? and table_name = ?",
    )?;
    for model in &compiled.models {
        let found: u64 =
            stmt.query_row([&compiled.target_schema, &model.plan.name], |r| r.get(0))?;
        if found == 0 {
            return Err(Error::NotBuilt {
                model: model.plan.name.clone(),
            });
        }
    }
    Ok(())
}

/// A query's result as text, for summaries: column names and rows (NULL as `None`).
#[derive(Debug, Clone, Default)]
pub struct TextTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// Runs a summary query and returns every value as DuckDB's text for it.
pub fn query_text(conn: &Connection, sql: &str) -> Result<TextTable, Error> {
    let wrapped = format!("select columns(*)::varchar from ({sql}) as report");
    let mut stmt = conn.prepare(&wrapped)?;
    let mut rows = Vec::new();
    let mut result = stmt.query([])?;
    while let Some(row) = result.next()? {
        let n = row.as_ref().column_count();
        let values = (0..n).map(|i| row.get::<_, Option<String>>(i));
        rows.push(values.collect::<Result<Vec<_>, _>>()?);
    }
    drop(result);
    let columns = stmt.column_names();
    Ok(TextTable { columns, rows })
}
