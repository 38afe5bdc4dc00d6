//! `nexus run`, `test` and `demo` end to end on real DuckDB database files: progress and exit
//! codes, the row-count reconciliation, file sources, failures that leave built models intact.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use duckdb::Connection;

use common::*;

/// A database file holding the source tables of `tests/fixtures/sources/basic.sql`.
fn source_database(dir: &Path) -> PathBuf {
    let file = dir.join("sources.duckdb");
    let sql = std::fs::read_to_string(repo().join("tests/fixtures/sources/basic.sql")).unwrap();
    Connection::open(&file)
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
    file
}

fn run_default(database: &Path, extra: &[&str]) -> Output {
    run_scenario("default", database, extra)
}

/// `nexus run` of the project `tests/fixtures/<scenario>` on `database`.
fn run_scenario(scenario: &str, database: &Path, extra: &[&str]) -> Output {
    let project = repo().join("tests/fixtures").join(scenario);
    let mut args = vec![
        "run",
        "--project-dir",
        path(&project),
        "--database",
        path(database),
    ];
    args.extend_from_slice(extra);
    nexus(&args)
}

fn test_default(database: &Path) -> Output {
    let project = repo().join("tests/fixtures/default");
    nexus(&[
        "test",
        "--project-dir",
        path(&project),
        "--database",
        path(database),
    ])
}

/// Every row of every model, as text, sorted: what two builds must agree on.
fn model_rows(database: &Path) -> Vec<(String, Vec<String>)> {
    let conn = Connection::open(database).unwrap();
    let models: Vec<String> = {
        let mut stmt = conn
            .prepare(
                "select table_name from information_schema.tables \
                 where table_schema = 'main' order by table_name",
            )
            .unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.collect::<Result<_, _>>().unwrap()
    };
    assert!(models.len() >= 8, "models built: {models:?}");
    models
        .into_iter()
        .map(|model| {
            let sql = format!("select cast(m as varchar) from main.\"{model}\" m order by all");
            let mut stmt = conn.prepare(&sql).unwrap();
            let rows = stmt.query_map([], |r| r.get(0)).unwrap();
            (model, rows.collect::<Result<_, _>>().unwrap())
        })
        .collect()
}

fn count(database: &Path, sql: &str) -> u64 {
    let conn = Connection::open(database).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The numbers of one line of the reconciliation table printed for `call`.
fn reconciliation_row(stdout: &str, call: &str) -> Vec<u64> {
    let line = stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(call))
        .unwrap_or_else(|| panic!("no reconciliation line for {call} in:\n{stdout}"));
    let numbers = line.split_whitespace().skip(1).take(4);
    numbers
        .map(|n| n.replace(',', "").parse().unwrap())
        .collect()
}

#[test]
fn run_builds_every_model_with_progress_and_reconciles() {
    let dir = tempfile::tempdir().unwrap();
    let database = source_database(dir.path());
    let output = run_default(&database, &[]);
    assert_exit(&output, 0);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("1 of 8 OK created stg_segment_tracks (7 rows) ["),
        "{stderr}"
    );
    assert!(stderr.contains("Finished building 8 models"), "{stderr}");

    // Counted here from the tables themselves, then compared with what `run` printed.
    let stdout = text(&output.stdout);
    let tracks = reconciliation_row(&stdout, "track");
    let read = count(
        &database,
        "select count(*) from \"SEGMENT_LIVE\".\"TRACKS\"",
    );
    let events = count(
        &database,
        "select count(*) from main.segment_events where call_type = 'track'",
    );
    let rejected = count(
        &database,
        "select count(*) from main.segment_rejected_rows where call_type = 'track'",
    );
    assert_eq!(tracks, vec![read, events, 1, rejected]);
    assert_eq!(read, events + 1 + rejected);
    assert!(!stdout.contains("MISMATCH"), "{stdout}");
}

#[test]
fn run_on_parquet_and_ndjson_files_gives_the_rows_of_tables() {
    let dir = tempfile::tempdir().unwrap();
    let database = source_database(dir.path());
    assert_exit(&run_default(&database, &[]), 0);
    let expected = model_rows(&database);

    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    let conn = Connection::open(&database).unwrap();
    for (table, format) in [
        ("TRACKS", "parquet"),
        ("PAGES", "parquet"),
        ("IDENTIFIES", "parquet"),
    ]
    .into_iter()
    .chain([
        ("TRACKS", "json"),
        ("PAGES", "json"),
        ("IDENTIFIES", "json"),
    ]) {
        // Two files per table, so the glob and the union of files are exercised.
        for (part, filter) in [(1, "id < 'p5'"), (2, "not (id < 'p5') or id is null")] {
            let file = exports.join(format!("{}_{part}.{format}", table.to_lowercase()));
            let options = if format == "json" {
                "(format json)"
            } else {
                "(format parquet)"
            };
            let rows = format!("select * from \"SEGMENT_LIVE\".\"{table}\" where {filter}");
            conn.execute_batch(&format!("copy ({rows}) to '{}' {options}", path(&file)))
                .unwrap();
        }
    }
    drop(conn);

    for format in ["parquet", "json"] {
        let built = dir.path().join(format!("from_{format}.duckdb"));
        let sources: Vec<String> = ["tracks", "pages", "identifies"]
            .iter()
            .map(|call| format!("{call}={}/{call}_*.{format}", path(&exports)))
            .collect();
        let mut extra = Vec::new();
        for source in &sources {
            extra.extend(["--source", source.as_str()]);
        }
        let output = run_default(&built, &extra);
        assert_exit(&output, 0);
        assert_eq!(
            model_rows(&built),
            expected,
            "models built from {format} files"
        );
        // The files were read in place, not copied into the database.
        assert_eq!(
            count(
                &built,
                "select count(*) from information_schema.tables \
                 where table_schema = 'SEGMENT_LIVE'"
            ),
            0
        );
    }
}

#[test]
fn a_source_without_a_required_column_fails_and_keeps_the_built_models() {
    let dir = tempfile::tempdir().unwrap();
    let database = source_database(dir.path());
    assert_exit(&run_default(&database, &[]), 0);
    let before = model_rows(&database);

    let conn = Connection::open(&database).unwrap();
    conn.execute_batch("alter table \"SEGMENT_LIVE\".\"TRACKS\" drop column \"timestamp\"")
        .unwrap();
    drop(conn);
    let output = run_default(&database, &[]);
    assert_exit(&output, 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("table 'SEGMENT_LIVE.TRACKS' has no column 'timestamp'"),
        "{stderr}"
    );
    assert_eq!(model_rows(&database), before);
}

#[test]
fn a_missing_source_table_names_the_table_and_the_ways_to_provide_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_default(&dir.path().join("empty.duckdb"), &[]);
    assert_exit(&output, 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("the database has no table 'SEGMENT_LIVE.TRACKS' for tracks calls"),
        "{stderr}"
    );
    assert!(stderr.contains("--source tracks=PATH"), "{stderr}");
}

#[test]
fn unreadable_source_files_are_reported_with_the_call_and_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let database = source_database(dir.path());
    let missing = format!("tracks={}/nothing_here_*.parquet", path(dir.path()));
    let output = run_default(&database, &["--source", &missing]);
    assert_exit(&output, 2);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("cannot read tracks source"), "{stderr}");
    assert!(stderr.contains("nothing_here_*.parquet"), "{stderr}");

    let output = run_default(&database, &["--source", "screens=x.parquet"]);
    assert_exit(&output, 2);
    assert!(text(&output.stderr).contains("unknown call type 'screens'"));
    let output = run_default(&database, &["--source", "tracks=x.avro"]);
    assert_exit(&output, 2);
    assert!(text(&output.stderr).contains("cannot tell the format of 'x.avro'"));
}

#[test]
fn test_passes_on_built_models_and_fails_naming_a_corrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    let database = source_database(dir.path());
    assert_exit(&run_default(&database, &[]), 0);
    let output = test_default(&database);
    assert_exit(&output, 0);
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("PASS  segment_events.event_id  unique  (0 failing rows)"),
        "{stdout}"
    );
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("PASS=") && last.ends_with(" FAIL=0"),
        "{last}"
    );

    let conn = Connection::open(&database).unwrap();
    conn.execute_batch(
        "update main.segment_events set event_id = 'evt_not-an-id-' || segment_id \
         where segment_id in ('t2', 'p1')",
    )
    .unwrap();
    drop(conn);
    let output = test_default(&database);
    assert_exit(&output, 1);
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("FAIL  segment_events.event_id  id_format  (2 failing rows)"),
        "{stdout}"
    );
    assert!(
        stdout.lines().last().unwrap().ends_with(" FAIL=1"),
        "{stdout}"
    );
    assert!(text(&output.stderr).contains("1 data test(s) failed"));
}

#[test]
fn test_before_run_says_to_build_first() {
    let dir = tempfile::tempdir().unwrap();
    let database = source_database(dir.path());
    let output = test_default(&database);
    assert_exit(&output, 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("has not been built"), "{stderr}");
    assert!(stderr.contains("nexus run"), "{stderr}");
}

#[test]
fn demo_builds_passes_every_test_and_reconciles_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("demo.duckdb");
    let output = nexus(&["demo", "--events", "3000", "--database", path(&database)]);
    assert_exit(&output, 0);
    let stdout = text(&output.stdout);
    assert!(stdout.contains("FAIL=0"), "{stdout}");
    for (call, table) in [
        ("track", "TRACKS"),
        ("page", "PAGES"),
        ("identify", "IDENTIFIES"),
    ] {
        let row = reconciliation_row(&stdout, call);
        let read = count(
            &database,
            &format!("select count(*) from \"SEGMENT_LIVE\".\"{table}\""),
        );
        let events = count(
            &database,
            &format!("select count(*) from main.segment_events where call_type = '{call}'"),
        );
        assert_eq!((row[0], row[1]), (read, events), "{call}");
        assert_eq!(row[0], row[1] + row[2] + row[3], "{call} reconciles");
        assert!(
            row[2] > 0 && row[3] > 0,
            "{call}: the demo has duplicates and rejects"
        );
    }
    for section in ["Models", "Rejected rows by reason", "Channel mix"] {
        assert!(
            stdout.contains(section),
            "{section} missing from:\n{stdout}"
        );
    }
    for channel in ["paid", "social", "organic", "referral", "direct"] {
        let listed = stdout
            .lines()
            .any(|l| l.split_whitespace().next() == Some(channel));
        assert!(listed, "channel {channel} missing from:\n{stdout}");
    }
}

#[test]
fn demo_is_deterministic_for_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("a.duckdb");
    let second = dir.path().join("b.duckdb");
    for database in [&first, &second] {
        let output = nexus(&["demo", "--events", "1500", "--database", path(database)]);
        assert_exit(&output, 0);
    }
    assert_eq!(model_rows(&first), model_rows(&second));
}

/// A database file holding the two sources of `tests/fixtures/sources/several.sql`.
fn several_database(file: &Path) -> PathBuf {
    let sql = std::fs::read_to_string(repo().join("tests/fixtures/sources/several.sql")).unwrap();
    Connection::open(file).unwrap().execute_batch(&sql).unwrap();
    file.to_path_buf()
}

fn run_several(database: &Path, extra: &[&str]) -> Output {
    run_scenario("several_sources", database, extra)
}

#[test]
fn several_sources_reconcile_over_both_and_one_source_can_come_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let database = several_database(&dir.path().join("sources.duckdb"));
    let output = run_several(&database, &[]);
    assert_exit(&output, 0);
    let stdout = text(&output.stdout);
    // Four rows per source: m1 in both, a duplicate and a rejected row in each.
    assert_eq!(reconciliation_row(&stdout, "track"), vec![8, 4, 2, 2]);
    assert_eq!(reconciliation_row(&stdout, "identify"), vec![2, 2, 0, 0]);
    let expected = model_rows(&database);

    // The server's tracks from a Parquet export, the rest from the database.
    let export = dir.path().join("server_tracks.parquet");
    let from_files = several_database(&dir.path().join("from_files.duckdb"));
    let conn = Connection::open(&from_files).unwrap();
    let table = "\"SERVER_LIVE\".\"SERVER_TRACKS\"";
    conn.execute_batch(&format!(
        "copy {table} to '{}' (format parquet); drop table {table}",
        path(&export)
    ))
    .unwrap();
    drop(conn);
    let source = format!("server.tracks={}", path(&export));
    assert_exit(&run_several(&from_files, &["--source", &source]), 0);
    assert_eq!(model_rows(&from_files), expected);
}

#[test]
fn a_source_file_must_name_one_of_several_sources() {
    let dir = tempfile::tempdir().unwrap();
    let database = several_database(&dir.path().join("sources.duckdb"));
    let unnamed = run_several(&database, &["--source", "tracks=x.parquet"]);
    assert_exit(&unnamed, 1);
    let stderr = text(&unnamed.stderr);
    assert!(
        stderr.contains("--source tracks=PATH does not say which of the sources web, server"),
        "{stderr}"
    );
    assert!(stderr.contains("--source web.tracks=PATH"), "{stderr}");

    let unknown = run_several(&database, &["--source", "sever.tracks=x.parquet"]);
    assert_exit(&unknown, 1);
    let stderr = text(&unknown.stderr);
    assert!(stderr.contains("names no configured source"), "{stderr}");
    assert!(stderr.contains("did you mean 'server'?"), "{stderr}");

    let mapping = run_default(&database, &["--source", "web.tracks=x.parquet"]);
    assert_exit(&mapping, 1);
    let stderr = text(&mapping.stderr);
    assert!(
        stderr.contains("location is not a list of sources"),
        "{stderr}"
    );
}

#[test]
fn a_missing_table_of_one_source_names_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let database = several_database(&dir.path().join("sources.duckdb"));
    let conn = Connection::open(&database).unwrap();
    conn.execute_batch("drop table \"SERVER_LIVE\".\"GROUPS\"")
        .unwrap();
    drop(conn);
    let output = run_several(&database, &[]);
    assert_exit(&output, 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "the database has no table 'SERVER_LIVE.GROUPS' of source 'server' for groups calls"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--source server.groups=PATH"), "{stderr}");
    assert!(
        stderr.contains("vars.nexus.segment.location[1].tables.groups"),
        "{stderr}"
    );
}
