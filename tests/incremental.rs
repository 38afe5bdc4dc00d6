//! Incremental builds (`materialization: incremental`) on DuckDB. The demo's Segment data is
//! loaded in batches by `received_at`, with rows that arrive a batch late, re-deliveries that
//! cross batches (another timestamp, so another event id, and another visitor) and visitors
//! whose earliest event arrives last. After every batch, the incremental result must equal a
//! full build of everything loaded so far, row for row and id for id: through `nexus run`'s
//! runner, and through the `ddl` output's `full_refresh.sql` and `run.sql`; and with two
//! Segment sources whose loads lag each other and share message ids.

use duckdb::Connection;
use nexus_compiler::{output_files, Compiled, Format};
use nexus_runner::{demo, ModelRun, Refresh};
use nexus_tests::*;

const TABLES: [&str; 5] = ["TRACKS", "PAGES", "IDENTIFIES", "GROUPS", "ORDER_COMPLETED"];

/// Staging columns that record how a row was loaded, not what it is.
const LOAD_COLUMNS: [&str; 3] = ["window_start", "replaced_event_id", "replaced_anonymous_id"];

/// The demo project's configuration, incremental, with the demo's tables as one source or,
/// with `server`, as the `web` source next to a `server` one.
fn config(server: bool) -> nexus_config::Config {
    let location = if server {
        "      location:\n\
         \x20       - {name: web, schema: SEGMENT_LIVE, event_tables: [ORDER_COMPLETED]}\n\
         \x20       - {name: server, schema: SERVER}\n"
    } else {
        "      location:\n        event_tables: [ORDER_COMPLETED]\n"
    };
    let yaml = format!("{PROJECT_HEAD}{location}{PROJECT_TAIL}");
    config_text("incremental.yml", &yaml)
}

const PROJECT_HEAD: &str = r#"vars:
  nexus:
    segment:
      enabled: true
      materialization: incremental
"#;

const PROJECT_TAIL: &str = r#"      capabilities:
        groups: true
        memberships: true
      traits:
        identifies: all
      attribution:
        referral_exclusions: [checkout.stripe.com, paypal.com]
"#;

/// The demo's rows plus the awkward ones, each with the batch it is loaded in, in `ALL_ROWS`;
/// `SEGMENT_LIVE` keeps the empty tables. With `server`, a second source in `SERVER` holds the
/// same calls (the same message ids), loaded a batch later than the web's (four days, beyond
/// the lookback, so each source needs its own window). Returns the number of batches.
fn prepare(conn: &Connection, server: bool) -> u32 {
    let options = demo::DemoOptions {
        events: 4_000,
        seed: 7,
    };
    demo::generate(conn, &options).expect("demo data");
    conn.execute_batch(AWKWARD_ROWS).expect("awkward rows");
    if server {
        conn.execute_batch(SERVER_ROWS).expect("server rows");
    }
    let mut batches = 0;
    for (schema, tables) in schemas(server) {
        conn.execute_batch(&format!("create schema ALL_{schema}"))
            .unwrap();
        let lag = u32::from(schema == "SERVER");
        for table in tables {
            conn.execute_batch(&format!(
                "create table ALL_{schema}.{table} as select *, {BATCH} + {lag} as load_batch \
                 from {schema}.{table}; delete from {schema}.{table};"
            ))
            .expect("batches assigned");
        }
        let last = scalar(
            conn,
            &format!("select max(load_batch) from ALL_{schema}.TRACKS"),
        );
        batches = batches.max(last.parse::<u32>().expect("a batch number") + 1);
    }
    batches
}

/// The source schemas and their tables.
fn schemas(server: bool) -> Vec<(&'static str, &'static [&'static str])> {
    let mut schemas = vec![("SEGMENT_LIVE", &TABLES[..])];
    if server {
        schemas.push(("SERVER", &TABLES[..4]));
    }
    schemas
}

/// The server source: the web's calls again, an hour later by the clock of the server,
/// without the per-event table.
const SERVER_ROWS: &str = r#"
create schema SERVER;
create table SERVER.TRACKS as
select * replace ("timestamp" + interval 1 hour as "timestamp") from SEGMENT_LIVE.TRACKS;
create table SERVER.PAGES as
select * replace ("timestamp" + interval 1 hour as "timestamp") from SEGMENT_LIVE.PAGES;
create table SERVER.IDENTIFIES as select * from SEGMENT_LIVE.IDENTIFIES;
create table SERVER.GROUPS as
select * replace ("timestamp" + interval 1 hour as "timestamp") from SEGMENT_LIVE.GROUPS;
"#;

/// Four days of `received_at` per batch; a fifth of the rows received in a batch's last day
/// arrive with the next batch instead, within the default 72-hour lookback.
const BATCH: &str = "cast(coalesce(greatest(0, \
    floor((epoch(try_cast(received_at as timestamp)) - epoch(timestamp '2026-11-01')) / 345600) \
    + case when hash(coalesce(id, '')) % 5 = 0 \
      and (epoch(try_cast(received_at as timestamp)) - epoch(timestamp '2026-11-01')) % 345600 \
      >= 259200 then 1 else 0 end), 0) as integer)";

/// Re-deliveries of early track calls three weeks later with another timestamp and visitor,
/// and page views an hour before a visitor's first, without any signal, received two weeks
/// late (so the visitor's direct touchpoint moves to them).
const AWKWARD_ROWS: &str = r#"
insert into SEGMENT_LIVE.TRACKS
select * replace (
    "timestamp" + interval 1 hour as "timestamp",
    received_at + interval 21 day as received_at,
    uuid_ts + interval 21 day as uuid_ts,
    'moved-' || coalesce(anonymous_id, 'nobody') as anonymous_id
)
from SEGMENT_LIVE.TRACKS
where id is not null and received_at < timestamp '2026-11-05' and hash(id) % 20 = 0;

insert into SEGMENT_LIVE.PAGES
select * replace (
    'late-' || first.id as id,
    first."timestamp" - interval 1 hour as "timestamp",
    first.received_at + interval 14 day as received_at,
    first.uuid_ts + interval 14 day as uuid_ts,
    null as url, null as referrer, null as search,
    null as context_page_url, null as context_page_referrer, null as context_page_search,
    null as context_campaign_source, null as context_campaign_medium,
    null as context_campaign_name, null as context_campaign_content,
    null as context_campaign_term
)
from (
    select * from SEGMENT_LIVE.PAGES
    where id is not null and anonymous_id is not null and "timestamp" > timestamp '2000-01-01'
    qualify row_number() over (partition by anonymous_id order by "timestamp", id) = 1
) as first
where hash(first.anonymous_id) % 10 = 0;
"#;

fn load_batch(conn: &Connection, batch: u32, server: bool) {
    for (schema, tables) in schemas(server) {
        for table in tables {
            conn.execute_batch(&format!(
                "insert into {schema}.{table} \
                 select * exclude (load_batch) from ALL_{schema}.{table} where load_batch = {batch}"
            ))
            .expect("batch loads");
        }
    }
}

fn compiled(conn: &Connection, schema: &str, server: bool) -> Compiled {
    let config = config(server);
    let catalog = nexus_runner::introspect_catalog(conn, &config).expect("catalog");
    let compiled = compile_with(&config, &catalog, schema);
    nexus_validator::validate(&compiled).expect("models validate");
    compiled
}

fn build(conn: &Connection, compiled: &Compiled, refresh: Refresh) -> Vec<ModelRun> {
    nexus_runner::build(conn, compiled, &[], refresh, |_| {}).expect("models build")
}

/// Asserts that every model in `schema` holds exactly the rows of the full build in `rebuilt`.
fn assert_same_models(conn: &Connection, compiled: &Compiled, schema: &str, batch: u32) {
    for model in &compiled.models {
        let columns: Vec<String> = model
            .plan
            .column_names()
            .into_iter()
            .filter(|c| !LOAD_COLUMNS.contains(c))
            .map(|c| format!("\"{c}\""))
            .collect();
        let columns = columns.join(", ");
        let name = &model.plan.name;
        let only_in = |a: &str, b: &str| {
            scalar(
                conn,
                &format!(
                    "select count(*) from (select {columns} from {a}.{name} \
                     except all select {columns} from {b}.{name})"
                ),
            )
        };
        assert_eq!(
            only_in(schema, "rebuilt"),
            "0",
            "{name} after batch {batch}: extra rows"
        );
        assert_eq!(
            only_in("rebuilt", schema),
            "0",
            "{name} after batch {batch}: missing rows"
        );
    }
}

/// Loads every batch, runs incrementally after each and compares with a full build.
fn every_batch(server: bool) {
    let conn = nexus_runner::open(":memory:").unwrap();
    let batches = prepare(&conn, server);
    assert!(batches >= 7, "the demo spans {batches} batches");
    let mut updated = 0;
    for batch in 0..batches {
        load_batch(&conn, batch, server);
        let runs = build(&conn, &compiled(&conn, "inc", server), Refresh::Incremental);
        assert_eq!(
            runs.iter().all(|r| r.incremental),
            batch > 0,
            "batch {batch}"
        );
        updated += runs.iter().filter(|r| r.incremental).count();
        let full = compiled(&conn, "rebuilt", server);
        build(&conn, &full, Refresh::Full);
        assert_same_models(&conn, &full, "inc", batch);
    }
    assert!(updated > 0);
    // The awkward rows were all loaded and made a difference.
    let moved = "select count(*) from rebuilt.segment_events where anonymous_id like 'moved-%'";
    assert_ne!(scalar(&conn, moved), "0");
    let late_direct = "select count(*) from rebuilt.segment_touchpoints t \
        join rebuilt.segment_events e on e.event_id = t.touchpoint_event_id \
        where e.segment_id like 'late-%' and t.touchpoint_type = 'direct'";
    assert_ne!(scalar(&conn, late_direct), "0");
}

#[test]
fn every_batch_gives_what_a_full_build_gives() {
    every_batch(false);
}

#[test]
fn every_batch_of_two_lagging_sources_gives_what_a_full_build_gives() {
    every_batch(true);
}

#[test]
fn a_run_reads_only_the_window_and_what_it_changes() {
    let conn = nexus_runner::open(":memory:").unwrap();
    let batches = prepare(&conn, false);
    for batch in 0..batches - 1 {
        load_batch(&conn, batch, false);
    }
    let compiled = compiled(&conn, "inc", false);
    build(&conn, &compiled, Refresh::Incremental);
    load_batch(&conn, batches - 1, false);
    build(&conn, &compiled, Refresh::Incremental);
    let total = scalar(&conn, "select count(*) from inc.stg_segment_pages");
    let rewritten = scalar(
        &conn,
        "select count(*) from inc.stg_segment_pages \
         where window_start = (select max(window_start) from inc.stg_segment_pages)",
    );
    let (total, rewritten): (u64, u64) = (total.parse().unwrap(), rewritten.parse().unwrap());
    assert!(
        rewritten > 0 && rewritten * 3 < total,
        "{rewritten} of {total} rewritten"
    );
}

#[test]
fn full_refresh_rebuilds_and_a_changed_model_asks_for_it() {
    let conn = nexus_runner::open(":memory:").unwrap();
    let batches = prepare(&conn, false);
    load_batch(&conn, 0, false);
    let compiled = compiled(&conn, "inc", false);
    build(&conn, &compiled, Refresh::Incremental);
    let runs = build(&conn, &compiled, Refresh::Full);
    assert!(runs.iter().all(|r| !r.incremental));
    conn.execute_batch("alter table inc.segment_events add column extra varchar")
        .unwrap();
    load_batch(&conn, batches.min(2) - 1, false);
    let error = nexus_runner::build(&conn, &compiled, &[], Refresh::Incremental, |_| {})
        .expect_err("a table of another shape is refused");
    let message = error.to_string();
    assert!(
        message.contains("segment_events") && message.contains("--full-refresh"),
        "{message}"
    );
}

#[test]
fn the_ddl_scripts_give_what_a_full_build_gives() {
    let conn = nexus_runner::open(":memory:").unwrap();
    let batches = prepare(&conn, false);
    for batch in 0..batches {
        load_batch(&conn, batch, false);
        let compiled = compiled(&conn, "ddl", false);
        let files = output_files(&compiled, &Format::Ddl, &[]).expect("ddl files");
        let script = if batch == 0 {
            "full_refresh.sql"
        } else {
            "run.sql"
        };
        let file = files.iter().find(|f| f.path == script).expect("script");
        conn.execute_batch(&file.contents)
            .unwrap_or_else(|e| panic!("{script} after batch {batch}: {e}"));
        if batch % 3 == 2 || batch == batches - 1 {
            let full = self::compiled(&conn, "rebuilt", false);
            build(&conn, &full, Refresh::Full);
            assert_same_models(&conn, &full, "ddl", batch);
        }
    }
}
