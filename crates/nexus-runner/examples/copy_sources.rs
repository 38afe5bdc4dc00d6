//! The benchmark's baseline (`scripts/bench`): copies the demo's four Segment tables once with
//! `create table … as select * from …`, in one transaction as `nexus run` builds, on the same
//! DuckDB and with the same resource limits, and prints the seconds it took.
//!
//! Usage: `copy_sources FILE.duckdb [--memory-limit SIZE] [--threads N]`

use std::time::Instant;

use nexus_runner::demo::DEMO_SCHEMA;
use nexus_runner::{limit_resources, Resources};

/// Where the copies go; replaced on every run so that repeated runs cost the same.
const COPY_SCHEMA: &str = "bench_copy";
const TABLES: [&str; 4] = ["TRACKS", "PAGES", "IDENTIFIES", "GROUPS"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (database, resources) = parse_args()?;
    let conn = nexus_runner::open(&database)?;
    limit_resources(&conn, &resources)?;

    let started = Instant::now();
    conn.execute_batch("BEGIN TRANSACTION")?;
    conn.execute_batch(&format!("create schema if not exists {COPY_SCHEMA}"))?;
    for table in TABLES {
        // Bench glue: the statement under measurement is this one plain copy per table.
        let target = format!(r#"{COPY_SCHEMA}."{table}""#);
        let source = format!(r#""{DEMO_SCHEMA}"."{table}""#);
        conn.execute_batch(&format!(
            "create or replace table {target} as select * from {source}"
        ))?;
    }
    conn.execute_batch("COMMIT")?;
    println!("{:.3}", started.elapsed().as_secs_f64());

    conn.execute_batch(&format!("drop schema {COPY_SCHEMA} cascade"))?;
    Ok(())
}

fn parse_args() -> Result<(String, Resources), String> {
    let usage = "usage: copy_sources FILE.duckdb [--memory-limit SIZE] [--threads N]";
    let mut args = std::env::args().skip(1);
    let database = args.next().ok_or(usage)?;
    let mut resources = Resources::default();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(usage)?;
        match flag.as_str() {
            "--memory-limit" => resources.memory_limit = Some(value.parse()?),
            "--threads" => resources.threads = Some(value.parse().map_err(|_| usage)?),
            _ => return Err(usage.into()),
        }
    }
    Ok((database, resources))
}
