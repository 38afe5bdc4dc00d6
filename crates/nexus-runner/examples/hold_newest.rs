//! The incremental benchmark's loader (`scripts/bench`): `hold` moves the newest rows of the
//! demo's Segment tables (by `received_at`, the given percentage of each table, and the
//! per-event rows of the track calls it moves) into a schema of their own, as if not loaded
//! yet; `release` loads them back, as the next load of the warehouse would. Prints the rows
//! moved.
//!
//! Usage: `hold_newest FILE.duckdb hold PERCENT` or `hold_newest FILE.duckdb release`

use nexus_runner::demo::DEMO_SCHEMA;

/// Where held rows wait to be released.
const HELD_SCHEMA: &str = "bench_held";
const CALL_TABLES: [&str; 4] = ["TRACKS", "PAGES", "IDENTIFIES", "GROUPS"];
const EVENT_TABLE: &str = "ORDER_COMPLETED";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: hold_newest FILE.duckdb (hold PERCENT | release)";
    let args: Vec<String> = std::env::args().skip(1).collect();
    let conn = nexus_runner::open(args.first().ok_or(usage)?)?;
    let moved = match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("hold"), Some(percent)) => hold(&conn, percent.parse()?)?,
        (Some("release"), None) => release(&conn)?,
        _ => return Err(usage.into()),
    };
    println!("{moved}");
    Ok(())
}

fn hold(conn: &nexus_runner::Connection, percent: f64) -> duckdb::Result<u64> {
    conn.execute_batch("BEGIN TRANSACTION")?;
    conn.execute_batch(&format!("create or replace schema {HELD_SCHEMA}"))?;
    for table in CALL_TABLES {
        let source = format!(r#""{DEMO_SCHEMA}"."{table}""#);
        // Bench glue: the newest rows, by the same reading of received_at that staging uses.
        let received = "try_cast(received_at as timestamp)";
        conn.execute_batch(&format!(
            "create table {HELD_SCHEMA}.\"{table}\" as select * from {source} \
             where {received} >= (select quantile_disc({received}, 1 - {percent} / 100) \
             from {source}); \
             delete from {source} where {received} >= (select min({received}) \
             from {HELD_SCHEMA}.\"{table}\");"
        ))?;
    }
    let events = format!(r#""{DEMO_SCHEMA}"."{EVENT_TABLE}""#);
    conn.execute_batch(&format!(
        "create table {HELD_SCHEMA}.\"{EVENT_TABLE}\" as select * from {events} \
         where id in (select id from {HELD_SCHEMA}.\"TRACKS\"); \
         delete from {events} where id in (select id from {HELD_SCHEMA}.\"TRACKS\");"
    ))?;
    let moved = held_rows(conn)?;
    conn.execute_batch("COMMIT")?;
    Ok(moved)
}

fn release(conn: &nexus_runner::Connection) -> duckdb::Result<u64> {
    conn.execute_batch("BEGIN TRANSACTION")?;
    let moved = held_rows(conn)?;
    for table in CALL_TABLES.iter().chain([&EVENT_TABLE]) {
        conn.execute_batch(&format!(
            "insert into \"{DEMO_SCHEMA}\".\"{table}\" select * from {HELD_SCHEMA}.\"{table}\""
        ))?;
    }
    conn.execute_batch(&format!("drop schema {HELD_SCHEMA} cascade"))?;
    conn.execute_batch("COMMIT")?;
    Ok(moved)
}

fn held_rows(conn: &nexus_runner::Connection) -> duckdb::Result<u64> {
    let mut total = 0;
    for table in CALL_TABLES {
        let sql = format!("select count(*) from {HELD_SCHEMA}.\"{table}\"");
        total += conn.query_row(&sql, [], |r| r.get::<_, u64>(0))?;
    }
    Ok(total)
}
