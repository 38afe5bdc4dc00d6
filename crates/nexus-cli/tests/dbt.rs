//! `nexus compile --format dbt` into a real dbt project (`tests/dbt_project/`): `dbt build` with
//! dbt-duckdb runs the output unchanged, builds every model, passes every data test and gives
//! the rows `nexus run` gives; and compiling into someone else's project never touches their
//! files, changes nothing when nothing changed, and removes only its own stale files.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Instant, SystemTime};

use duckdb::Connection;

use common::*;

const OWNED_MODELS: &str = "models/nexus_segment";
const OWNED_MACROS: &str = "macros/nexus_segment";
const ATTRIBUTION_OFF: &str = "{nexus: {segment: {capabilities: {attribution: false}}}}";

/// A copy of the sample dbt project in `dir`, without anything a run in place left behind.
fn sample_project(dir: &Path) -> PathBuf {
    let project = dir.join("shop");
    copy_tree(&repo().join("tests/dbt_project"), &project);
    project
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let left_behind = ["target", "logs", "nexus_segment", "macros"].contains(&name.as_str())
            || name.contains(".duckdb");
        if left_behind {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else {
            fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// Loads `tests/fixtures/sources/basic.sql` into `shop.duckdb` next to the project and writes
/// the catalog of those tables.
fn load_sources(project: &Path) -> (PathBuf, PathBuf) {
    let database = project.join("shop.duckdb");
    let sql = fs::read_to_string(repo().join("tests/fixtures/sources/basic.sql")).unwrap();
    let conn = Connection::open(&database).unwrap();
    conn.execute_batch(&sql).unwrap();
    (database, write_catalog(&conn, project, CATALOG_QUERY))
}

/// The catalog of the single-source Segment tables: unqualified table names.
const CATALOG_QUERY: &str = "select table_name, column_name from information_schema.columns \
    where table_schema = 'SEGMENT_LIVE' order by table_name, ordinal_position";

/// Writes `catalog.json` from `query`'s (table key, column) rows, as a user would export it
/// from their warehouse.
fn write_catalog(conn: &Connection, project: &Path, query: &str) -> PathBuf {
    let mut stmt = conn.prepare(query).unwrap();
    let pairs = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap();
    let mut catalog: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in pairs {
        let (table, column) = pair.unwrap();
        catalog.entry(table).or_default().push(column);
    }
    let catalog_file = project.join("catalog.json");
    fs::write(&catalog_file, serde_json::to_string(&catalog).unwrap()).unwrap();
    catalog_file
}

/// `nexus compile --format dbt` with the project found by `--project-dir`, written into it.
fn compile_dbt(project: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["compile", "--format", "dbt", "--project-dir", path(project)];
    args.extend_from_slice(extra);
    nexus(&args)
}

/// The dbt of `scripts/setup-python`; the dbt tests fail, never skip, without it.
fn dbt() -> PathBuf {
    let dbt = repo().join(".deps/venv/bin/dbt");
    assert!(
        dbt.is_file(),
        "dbt is not installed at '{}': run scripts/setup-python (make test does)",
        dbt.display()
    );
    dbt
}

fn dbt_build(project: &Path, database: &Path) -> Output {
    Command::new(dbt())
        .args(["build", "--project-dir", ".", "--profiles-dir", "."])
        .current_dir(project)
        .env("NEXUS_DBT_DATABASE", database)
        .env("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        .env("DBT_VERSION_CHECK", "false")
        .env("NO_COLOR", "1")
        .output()
        .expect("dbt runs")
}

/// `(resource type, name, status)` of every node of dbt's `target/run_results.json`.
fn run_results(project: &Path) -> Vec<(String, String, String)> {
    let json = fs::read_to_string(project.join("target/run_results.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let results = doc["results"].as_array().expect("results").iter();
    results
        .map(|r| {
            let id = r["unique_id"].as_str().unwrap();
            let mut parts = id.split('.');
            let kind = parts.next().unwrap().to_string();
            let name = parts.nth(1).unwrap().to_string();
            (kind, name, r["status"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The number after `PASS=` in `nexus test`'s last line, which must also say `FAIL=0`.
fn nexus_test_count(project: &Path, database: &Path) -> usize {
    let output = nexus(&[
        "test",
        "--project-dir",
        path(project),
        "--database",
        path(database),
    ]);
    assert_exit(&output, 0);
    let stdout = text(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let passed = last
        .strip_prefix("PASS=")
        .and_then(|r| r.strip_suffix(" FAIL=0"));
    passed
        .unwrap_or_else(|| panic!("unexpected nexus test summary: {last}"))
        .parse()
        .unwrap()
}

fn column_names(conn: &Connection, schema: &str, table: &str) -> Vec<String> {
    let sql = format!(
        "select column_name from information_schema.columns \
         where table_schema = '{schema}' and table_name = '{table}' order by ordinal_position"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let names = stmt.query_map([], |r| r.get(0)).unwrap();
    names.collect::<Result<_, _>>().unwrap()
}

fn count(conn: &Connection, sql: &str) -> u64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}\n{sql}"))
}

/// Asserts that `dbt.<model>` is a table (`materialization: table`) with the same columns in the
/// same order and the same rows, duplicates included, as `nexus.<model>`; returns the row count.
fn assert_same_table(conn: &Connection, model: &str, dbt: &str, nexus: &str) -> u64 {
    let kind = format!(
        "select count(*) from information_schema.tables where table_schema = '{dbt}' \
         and table_name = '{model}' and table_type = 'BASE TABLE'"
    );
    assert_eq!(count(conn, &kind), 1, "dbt built {dbt}.{model} as a table");
    let columns = column_names(conn, dbt, model);
    assert_eq!(
        columns,
        column_names(conn, nexus, model),
        "columns of {model}"
    );
    let (a, b) = (format!("{dbt}.\"{model}\""), format!("{nexus}.\"{model}\""));
    for (left, right) in [(&a, &b), (&b, &a)] {
        let sql =
            format!("select count(*) from (select * from {left} except all select * from {right})");
        assert_eq!(count(conn, &sql), 0, "rows of {left} missing from {right}");
    }
    let rows = count(conn, &format!("select count(*) from {a}"));
    assert_eq!(rows, count(conn, &format!("select count(*) from {b}")));
    rows
}

fn nexus_models(project: &Path) -> Vec<String> {
    let output = nexus(&["ls", "--project-dir", path(project)]);
    assert_exit(&output, 0);
    text(&output.stdout).lines().map(String::from).collect()
}

#[test]
fn dbt_build_runs_the_output_unchanged_and_matches_nexus_run_row_for_row() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let (database, catalog) = load_sources(&project);
    assert_exit(&compile_dbt(&project, &["--catalog", path(&catalog)]), 0);

    let started = Instant::now();
    let build = dbt_build(&project, &database);
    eprintln!("dbt build took {:.1}s", started.elapsed().as_secs_f64());
    assert_exit(&build, 0);
    let results = run_results(&project);
    let failed: Vec<_> = results
        .iter()
        .filter(|(_, _, status)| !["success", "pass"].contains(&status.as_str()))
        .collect();
    assert!(failed.is_empty(), "dbt nodes that did not pass: {failed:?}");
    let models = nexus_models(&project);
    let built: Vec<&str> = results
        .iter()
        .filter(|(kind, _, _)| kind == "model")
        .map(|(_, name, _)| name.as_str())
        .collect();
    for model in models.iter().map(String::as_str).chain(["orders"]) {
        assert!(
            built.contains(&model),
            "dbt did not build {model}: {built:?}"
        );
    }
    let dbt_tests = results.iter().filter(|(kind, _, _)| kind == "test").count();

    assert_exit(
        &nexus(&[
            "run",
            "--project-dir",
            path(&project),
            "--database",
            path(&database),
        ]),
        0,
    );
    assert_eq!(
        dbt_tests,
        nexus_test_count(&project, &database),
        "dbt runs every data test nexus test runs"
    );
    let conn = Connection::open(&database).unwrap();
    for model in &models {
        let rows = assert_same_table(&conn, model, "analytics", "main");
        assert!(rows > 0, "{model} has rows to compare");
    }
    let orders = "select count(*) from analytics.orders";
    assert_eq!(
        count(&conn, orders),
        1,
        "the project's own model reads segment_events"
    );
}

/// The sample project with the configuration of the `several_sources` scenario instead of its
/// own, and `shop.duckdb` holding those sources, with a catalog keyed by `SCHEMA.TABLE`.
fn several_sources_project(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let project = sample_project(dir);
    let yml = project.join("dbt_project.yml");
    let own = fs::read_to_string(&yml).unwrap();
    let scenario = fs::read_to_string(fixture("several_sources").join("dbt_project.yml")).unwrap();
    let head = &own[..own.find("vars:").expect("the sample has vars")];
    let vars = &scenario[scenario.find("vars:").expect("the scenario has vars")..];
    fs::write(&yml, format!("{head}{vars}")).unwrap();

    let database = project.join("shop.duckdb");
    let sql = fs::read_to_string(repo().join("tests/fixtures/sources/several.sql")).unwrap();
    let conn = Connection::open(&database).unwrap();
    conn.execute_batch(&sql).unwrap();
    // Qualified keys tell the two sources' tables apart.
    let query = "select table_schema || '.' || table_name, column_name \
        from information_schema.columns \
        where table_schema in ('WEB_LIVE', 'SERVER_LIVE') order by all";
    let catalog_file = write_catalog(&conn, &project, query);
    (project, database, catalog_file)
}

#[test]
fn dbt_builds_several_segment_sources_as_dbt_sources_of_their_own_like_nexus_run() {
    let dir = tempfile::tempdir().unwrap();
    let (project, database, catalog) = several_sources_project(dir.path());
    assert_exit(&compile_dbt(&project, &["--catalog", path(&catalog)]), 0);
    let sources = fs::read_to_string(
        project
            .join(OWNED_MODELS)
            .join("_nexus_segment__sources.yml"),
    )
    .unwrap();
    assert!(
        sources.contains("  - name: nexus_segment_web\n"),
        "{sources}"
    );
    assert!(
        sources.contains("  - name: nexus_segment_server\n"),
        "{sources}"
    );
    let staging = fs::read_to_string(project.join(OWNED_MODELS).join("stg_segment_tracks.sql"));
    let staging = staging.unwrap();
    assert!(staging.contains("{{ source('nexus_segment_web', 'tracks') }}"));
    assert!(staging.contains("{{ source('nexus_segment_server', 'tracks') }}"));

    let build = dbt_build(&project, &database);
    assert_exit(&build, 0);
    let results = run_results(&project);
    let failed: Vec<_> = results
        .iter()
        .filter(|(_, _, status)| !["success", "pass"].contains(&status.as_str()))
        .collect();
    assert!(failed.is_empty(), "dbt nodes that did not pass: {failed:?}");
    let dbt_tests = results.iter().filter(|(kind, _, _)| kind == "test").count();

    let run = [
        "run",
        "--project-dir",
        path(&project),
        "--database",
        path(&database),
    ];
    assert_exit(&nexus(&run), 0);
    assert_eq!(dbt_tests, nexus_test_count(&project, &database));
    // The per-event tables' columns are known from the catalog only.
    let ls = nexus(&[
        "ls",
        "--project-dir",
        path(&project),
        "--catalog",
        path(&catalog),
    ]);
    assert_exit(&ls, 0);
    let conn = Connection::open(&database).unwrap();
    for model in text(&ls.stdout).lines() {
        let rows = assert_same_table(&conn, model, "analytics", "main");
        assert!(rows > 0, "{model} has rows to compare");
    }
    // The project's own model sees the order of both sources.
    assert_eq!(count(&conn, "select count(*) from analytics.orders"), 2);
}

#[test]
fn dbt_files_land_in_the_owned_folders_of_the_project_with_headers() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let result = compile_dbt(&project, &[]);
    assert_exit(&result, 0);
    let models = project.join(OWNED_MODELS);
    for name in [
        "segment_events.sql",
        "stg_segment_tracks.sql",
        "_nexus_segment__sources.yml",
        "_nexus_segment__models.yml",
    ] {
        let contents = fs::read_to_string(models.join(name)).unwrap();
        assert!(contents.contains("Generated by nexus"), "{name}");
    }
    let events = fs::read_to_string(models.join("segment_events.sql")).unwrap();
    assert!(events.contains("{{ config(materialized='table') }}"));
    assert!(events.contains("from {{ ref('stg_segment_tracks') }}"));
    let test = project
        .join(OWNED_MACROS)
        .join("nexus_segment_id_format.sql");
    assert!(fs::read_to_string(test)
        .unwrap()
        .contains("{% test nexus_segment_id_format("));
    let top: Vec<String> = fs::read_dir(&project)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !top.iter()
            .any(|n| n.ends_with(".sql") || n == "manifest.json"),
        "{top:?}"
    );
}

/// Replaces `from` by `to` in the project's `dbt_project.yml`, which must contain it.
fn edit_project(project: &Path, from: &str, to: &str) {
    let yml = project.join("dbt_project.yml");
    let config = fs::read_to_string(&yml).unwrap();
    assert!(config.contains(from), "dbt_project.yml lacks {from:?}");
    fs::write(&yml, config.replace(from, to)).unwrap();
}

#[test]
fn dbt_output_follows_the_projects_model_and_macro_paths() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    edit_project(
        &project,
        "model-paths: [\"models\"]\nmacro-paths: [\"macros\"]",
        "model-paths: [\"dbt/models\", \"more\"]\nmacro-paths: [\"dbt/macros\"]",
    );
    assert_exit(&compile_dbt(&project, &[]), 0);
    assert!(project
        .join("dbt/models/nexus_segment/segment_events.sql")
        .is_file());
    assert!(project
        .join("dbt/macros/nexus_segment/nexus_segment_id_format.sql")
        .is_file());
    assert!(!project.join("models/nexus_segment").exists());
}

#[test]
fn a_project_file_without_the_header_is_never_touched() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let models = project.join(OWNED_MODELS);
    fs::create_dir_all(&models).unwrap();
    let mine = models.join("segment_events.sql");
    fs::write(&mine, "select 'my own events'\n").unwrap();
    let refused = compile_dbt(&project, &[]);
    assert_exit(&refused, 1);
    assert!(text(&refused.stderr).contains("refusing to overwrite"));
    assert_eq!(
        fs::read_to_string(&mine).unwrap(),
        "select 'my own events'\n"
    );
    assert_eq!(
        fs::read_dir(&models).unwrap().count(),
        1,
        "nothing else written"
    );

    // A file of the project's own in nexus's folder, of a name nexus does not produce, stays.
    fs::remove_file(&mine).unwrap();
    let notes = models.join("notes.yml");
    fs::write(&notes, "version: 2\n").unwrap();
    let orders = fs::read_to_string(project.join("models/orders.sql")).unwrap();
    assert_exit(&compile_dbt(&project, &[]), 0);
    assert_exit(&compile_dbt(&project, &["--vars", ATTRIBUTION_OFF]), 0);
    assert_eq!(fs::read_to_string(&notes).unwrap(), "version: 2\n");
    assert_eq!(
        fs::read_to_string(project.join("models/orders.sql")).unwrap(),
        orders
    );
}

/// Every file under `root`: path → (contents, modification time).
fn snapshot_tree(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                folders.push(entry.path());
                continue;
            }
            let modified = entry.metadata().unwrap().modified().unwrap();
            files.insert(entry.path(), (fs::read(entry.path()).unwrap(), modified));
        }
    }
    files
}

#[test]
fn a_second_dbt_compile_of_an_unchanged_config_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    assert_exit(&compile_dbt(&project, &[]), 0);
    let before = snapshot_tree(&project);
    let again = compile_dbt(&project, &[]);
    assert_exit(&again, 0);
    assert_eq!(text(&again.stdout), "", "nothing written or removed");
    assert_eq!(
        snapshot_tree(&project),
        before,
        "byte-identical, untouched files"
    );
}

#[test]
fn dbt_check_exits_1_after_a_config_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    assert_exit(&compile_dbt(&project, &[]), 0);
    let clean = compile_dbt(&project, &["--check"]);
    assert_exit(&clean, 0);
    assert!(text(&clean.stdout).contains("up to date"));

    let before = snapshot_tree(&project);
    let changed = compile_dbt(&project, &["--check", "--vars", ATTRIBUTION_OFF]);
    assert_exit(&changed, 1);
    let stdout = text(&changed.stdout);
    assert!(stdout.contains("out of date: ") && stdout.contains("_nexus_segment__models.yml"));
    assert!(stdout.contains("stale: ") && stdout.contains("segment_touchpoints.sql"));
    assert_eq!(snapshot_tree(&project), before, "--check wrote nothing");
}

#[test]
fn a_model_the_config_no_longer_enables_is_removed_from_the_owned_folder() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    assert_exit(&compile_dbt(&project, &[]), 0);
    let touchpoints = project.join(OWNED_MODELS).join("segment_touchpoints.sql");
    assert!(touchpoints.is_file());
    let result = compile_dbt(&project, &["--vars", ATTRIBUTION_OFF]);
    assert_exit(&result, 0);
    assert!(text(&result.stdout).contains("removed "));
    assert!(!touchpoints.exists());
    let models = fs::read_to_string(
        project
            .join(OWNED_MODELS)
            .join("_nexus_segment__models.yml"),
    );
    assert!(!models.unwrap().contains("segment_touchpoints"));
}

#[test]
fn dbt_format_outside_a_dbt_project_or_with_select_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let elsewhere = dir.path().join("not_a_project");
    let outside = compile_dbt(&project, &["--out", path(&elsewhere)]);
    assert_exit(&outside, 2);
    assert!(text(&outside.stderr).contains("has no dbt_project.yml"));
    assert!(!elsewhere.exists());

    let selected = compile_dbt(&project, &["--select", "segment_events"]);
    assert_exit(&selected, 1);
    assert!(text(&selected.stderr).contains("--select does not apply to --format dbt"));
    assert!(!project.join(OWNED_MODELS).exists());
}

/// Demo rows in two load batches (split by `received_at`, a fifth of the 15th's rows arriving
/// with the second batch), plus re-deliveries in the second batch of early track calls with
/// another timestamp: dbt's second build must replace those events, not add to them.
const TWO_BATCHES: &str = r#"
insert into SEGMENT_LIVE.TRACKS
select * replace (
    "timestamp" + interval 1 hour as "timestamp",
    received_at + interval 20 day as received_at,
    uuid_ts + interval 20 day as uuid_ts
)
from SEGMENT_LIVE.TRACKS
where id is not null and received_at < timestamp '2026-11-05' and hash(id) % 10 = 0;
"#;

fn split_into_batches(conn: &Connection) {
    conn.execute_batch(TWO_BATCHES).unwrap();
    conn.execute_batch("create schema ALL_ROWS").unwrap();
    for table in ["TRACKS", "PAGES", "IDENTIFIES", "GROUPS", "ORDER_COMPLETED"] {
        conn.execute_batch(&format!(
            "create table ALL_ROWS.{table} as select *, \
             case when try_cast(received_at as timestamp) < timestamp '2026-11-15' \
               or (try_cast(received_at as timestamp) < timestamp '2026-11-16' \
                   and hash(coalesce(id, '')) % 5 <> 0) then 0 else 1 end as load_batch \
             from SEGMENT_LIVE.{table}; delete from SEGMENT_LIVE.{table};"
        ))
        .unwrap();
    }
}

fn load_batch(conn: &Connection, batch: u32) {
    for table in ["TRACKS", "PAGES", "IDENTIFIES", "GROUPS", "ORDER_COMPLETED"] {
        conn.execute_batch(&format!(
            "insert into SEGMENT_LIVE.{table} \
             select * exclude (load_batch) from ALL_ROWS.{table} where load_batch = {batch}"
        ))
        .unwrap();
    }
}

/// Asserts that `left.<model>` and `right.<model>` hold the same rows, leaving out the staging
/// columns that record how a row was loaded.
fn assert_same_rows(conn: &Connection, model: &str, left: &str, right: &str) {
    let load = ["window_start", "replaced_event_id", "replaced_anonymous_id"];
    let columns: Vec<String> = column_names(conn, right, model)
        .into_iter()
        .filter(|c| !load.contains(&c.as_str()))
        .map(|c| format!("\"{c}\""))
        .collect();
    let columns = columns.join(", ");
    for (a, b) in [(left, right), (right, left)] {
        let sql = format!(
            "select count(*) from (select {columns} from {a}.\"{model}\" \
             except all select {columns} from {b}.\"{model}\")"
        );
        assert_eq!(count(conn, &sql), 0, "rows of {a}.{model} missing from {b}");
    }
}

#[test]
fn incremental_dbt_builds_equal_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    edit_project(
        &project,
        "      enabled: true\n",
        "      enabled: true\n      materialization: incremental\n",
    );
    let database = project.join("shop.duckdb");
    let demo = ["demo", "-q", "--events", "3000", "--no-build", "--database"];
    assert_exit(&nexus(&[&demo[..], &[path(&database)]].concat()), 0);
    let conn = Connection::open(&database).unwrap();
    split_into_batches(&conn);
    load_batch(&conn, 0);
    let catalog = write_catalog(&conn, &project, CATALOG_QUERY);
    drop(conn);
    assert_exit(&compile_dbt(&project, &["--catalog", path(&catalog)]), 0);
    let events = fs::read_to_string(project.join(OWNED_MODELS).join("segment_events.sql"));
    assert!(events.unwrap().contains("materialized='incremental'"));

    assert_exit(&dbt_build(&project, &database), 0);
    load_batch(&Connection::open(&database).unwrap(), 1);
    assert_exit(&dbt_build(&project, &database), 0);
    let results = run_results(&project);
    let failed: Vec<_> = results
        .iter()
        .filter(|(_, _, status)| !["success", "pass"].contains(&status.as_str()))
        .collect();
    assert!(failed.is_empty(), "dbt nodes that did not pass: {failed:?}");

    let run = [
        "run",
        "--full-refresh",
        "--project-dir",
        path(&project),
        "--database",
    ];
    assert_exit(&nexus(&[&run[..], &[path(&database)]].concat()), 0);
    let conn = Connection::open(&database).unwrap();
    let batches = "select count(distinct window_start) from analytics.stg_segment_tracks";
    assert_eq!(
        count(&conn, batches),
        1,
        "the second dbt build was incremental"
    );
    for model in nexus_models(&project) {
        assert_same_rows(&conn, &model, "analytics", "main");
    }
}
