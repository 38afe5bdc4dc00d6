//! Executes every emitted model on DuckDB against the small source tables of
//! `tests/fixtures/sources/basic.sql` and checks concrete rows against SPEC §4–§6.

use nexus_tests::*;

const IDENTIFIERS: &str = "segment_person_identifiers";
const ID_COLUMNS: &str = "m.identifier_type, m.identifier_value";
const TRAIT_COLUMNS: &str = "m.identifier_type, m.identifier_value, m.trait_name, m.trait_value";

fn build(fixture_name: &str) -> duckdb::Connection {
    let conn = database("basic");
    let config = load_config(fixture_name);
    let catalog = nexus_runner::introspect_catalog(&conn, &config).expect("catalog");
    let compiled = compile_with(&config, &catalog, "nexus");
    nexus_validator::validate(&compiled).expect("models validate");
    nexus_runner::build(&conn, &compiled, &[], nexus_runner::Refresh::Full, |_| {})
        .expect("models build");
    conn
}

/// Rows of `model` (as `m`) made from the event whose Segment message id is `segment_id`.
fn for_event(
    conn: &duckdb::Connection,
    columns: &str,
    model: &str,
    segment_id: &str,
) -> Vec<Vec<String>> {
    let key = if model == "segment_touchpoints" {
        "touchpoint_event_id"
    } else {
        "event_id"
    };
    rows(
        conn,
        &format!(
            "select {columns} from nexus.{model} m join nexus.segment_events e \
             on e.event_id = m.{key} where e.segment_id = '{segment_id}' order by all"
        ),
    )
}

#[test]
fn dedup_keeps_the_latest_received_at() {
    let conn = build("default");
    let kept = rows(
        &conn,
        "select event_name, received_at from nexus.segment_events where segment_id = 't1'",
    );
    assert_eq!(
        kept,
        vec![vec![
            "order completed".to_string(),
            "2024-03-01 10:00:09".into()
        ]]
    );
}

#[test]
fn rejected_rows_keep_their_reason() {
    let conn = build("default");
    let rejected = rows(
        &conn,
        "select call_type, segment_id, reason from nexus.segment_rejected_rows order by all",
    );
    let expected = [
        ["identify", "i3", "missing_timestamp"],
        ["track", "t5", "missing_timestamp"],
        ["track", "t6", "timestamp_out_of_range"],
        ["track", "NULL", "missing_id"],
        ["track", "NULL", "missing_id"],
    ];
    assert_eq!(
        rejected,
        expected.map(|r| r.map(String::from).to_vec()).to_vec()
    );
}

#[test]
fn rows_in_reconcile_with_events_duplicates_and_rejects() {
    let conn = build("default");
    let source_rows: u64 = ["TRACKS", "PAGES", "IDENTIFIES"]
        .iter()
        .map(|t| {
            scalar(
                &conn,
                &format!("select count(*) from \"SEGMENT_LIVE\".\"{t}\""),
            )
            .parse::<u64>()
            .unwrap()
        })
        .sum();
    let events: u64 = scalar(&conn, "select count(*) from nexus.segment_events")
        .parse()
        .unwrap();
    let rejected: u64 = scalar(&conn, "select count(*) from nexus.segment_rejected_rows")
        .parse()
        .unwrap();
    let duplicates = 1;
    assert_eq!(source_rows, events + rejected + duplicates);
    assert_eq!(events, 15);
}

#[test]
fn events_are_cleaned_and_named() {
    let conn = build("default");
    let t2 = for_event(
        &conn,
        "m.event_name, m.event_description, m.user_id, m.event_type",
        "segment_events",
        "t2",
    );
    assert_eq!(
        t2,
        vec![vec![
            "signed up".to_string(),
            "tracked signed up".into(),
            "u1".into(),
            "web".into()
        ]]
    );
    let p1 = for_event(
        &conn,
        "m.event_name, m.event_description, m.page_path",
        "segment_events",
        "p1",
    );
    assert_eq!(
        p1,
        vec![vec![
            "pricing".to_string(),
            "viewed Pricing".into(),
            "/pricing".into()
        ]]
    );
    let i1 = scalar(
        &conn,
        "select occurred_at from nexus.segment_events where segment_id = 'i1'",
    );
    assert_eq!(i1, "2024-03-01 11:30:00.5");
    let i4 = scalar(
        &conn,
        "select occurred_at from nexus.segment_events where segment_id = 'i4'",
    );
    assert_eq!(
        i4, "2024-03-01 12:00:00.25",
        "the +02:00 offset is converted to UTC"
    );
    let i4 = scalar(
        &conn,
        "select received_at from nexus.segment_events where segment_id = 'i4'",
    );
    assert_eq!(
        i4, "2024-03-01 12:00:01",
        "an offset after a space is read too"
    );
}

#[test]
fn event_ids_are_md5_of_the_canonical_text() {
    let conn = build("default");
    let t2 = scalar(
        &conn,
        "select event_id from nexus.segment_events where segment_id = 't2'",
    );
    assert_eq!(
        t2,
        expected_id("evt", &[Some("t2"), Some("2024-03-01 11:00:00.123456")])
    );
    let i1 = scalar(
        &conn,
        "select event_id from nexus.segment_events where segment_id = 'i1'",
    );
    assert_eq!(
        i1,
        expected_id("evt", &[Some("i1"), Some("2024-03-01 11:30:00.500000")])
    );
    let bad = scalar(
        &conn,
        "select count(*) from nexus.segment_events \
         where not regexp_matches(event_id, '^evt_[0-9a-f]{32}$')",
    );
    assert_eq!(bad, "0");
}

#[test]
fn identifiers_follow_the_default_mapping() {
    let conn = build("default");
    let i1 = for_event(&conn, ID_COLUMNS, IDENTIFIERS, "i1");
    let expected = [
        ["email", "jane@example.com"],
        ["segment_anonymous_id", "a1"],
        ["user_id", "u1"],
    ];
    assert_eq!(i1, expected.map(|r| r.map(String::from).to_vec()).to_vec());
    let i2 = for_event(&conn, ID_COLUMNS, IDENTIFIERS, "i2");
    assert_eq!(i2, vec![vec!["user_id".to_string(), "u2".into()]]);
    let t2 = for_event(&conn, ID_COLUMNS, IDENTIFIERS, "t2");
    let expected = [
        ["email", "jane@example.com"],
        ["segment_anonymous_id", "a1"],
        ["user_id", "u1"],
    ];
    assert_eq!(t2, expected.map(|r| r.map(String::from).to_vec()).to_vec());
}

#[test]
fn identifier_ids_hash_the_event_id_text() {
    let conn = build("default");
    let row = for_event(
        &conn,
        "m.event_id, m.person_identifier_id, m.edge_id",
        IDENTIFIERS,
        "i2",
    );
    let event_id = row[0][0].as_str();
    assert_eq!(
        row[0][1],
        expected_id("per_idfr", &[Some(event_id), Some("user_id"), Some("u2")])
    );
    assert_eq!(row[0][2], expected_id("per_edg", &[Some(event_id)]));
    let edges = for_event(&conn, "count(distinct m.edge_id)", IDENTIFIERS, "i1");
    assert_eq!(
        edges[0][0], "1",
        "all identifiers of one event share its edge"
    );
}

#[test]
fn traits_belong_to_the_anonymous_id_else_the_user_id() {
    let conn = build("default");
    let i1 = for_event(&conn, TRAIT_COLUMNS, "segment_person_traits", "i1");
    let expected = [
        ["segment_anonymous_id", "a1", "anonymous_id", "a1"],
        ["segment_anonymous_id", "a1", "email", "jane@example.com"],
        ["segment_anonymous_id", "a1", "first_name", "Jane"],
        ["segment_anonymous_id", "a1", "user_id", "u1"],
    ];
    assert_eq!(i1, expected.map(|r| r.map(String::from).to_vec()).to_vec());
    let i2 = for_event(
        &conn,
        &format!("{TRAIT_COLUMNS}, m.person_trait_id, m.event_id"),
        "segment_person_traits",
        "i2",
    );
    assert_eq!(i2.len(), 1);
    assert_eq!(
        i2[0][..4],
        ["user_id", "u2", "user_id", "u2"].map(String::from)
    );
    let event_id = i2[0][5].as_str();
    assert_eq!(
        i2[0][4],
        expected_id(
            "per_tr",
            &[Some(event_id), Some("user_id"), Some("u2"), Some("user_id")]
        )
    );
}

#[test]
fn touchpoints_are_classified_by_the_nexus_rules() {
    let conn = build("default");
    let got = rows(
        &conn,
        "select e.segment_id, t.channel, t.touchpoint_type, coalesce(t.source, '-'), \
         coalesce(t.medium, '-'), coalesce(t.referrer_host, '-') from nexus.segment_touchpoints t \
         join nexus.segment_events e on e.event_id = t.touchpoint_event_id order by 1",
    );
    let expected = [
        ["i4", "direct", "direct", "-", "-", "-"],
        ["p1", "paid", "campaign", "newsletter", "email", "-"],
        ["p2", "organic", "referral", "-", "-", "google.com"],
        ["p3", "referral", "referral", "-", "-", "mail.google.com"],
        ["p4", "direct", "direct", "-", "-", "-"],
        ["p6", "paid", "ad_click", "-", "-", "-"],
        ["p7", "social", "facebook_click", "-", "-", "l.facebook.com"],
        ["p8", "social", "referral", "-", "-", "t.co"],
        ["p9", "referral", "referral", "-", "-", "blog.example.org"],
        ["t7", "paid", "campaign", "google", "cpc", "-"],
    ];
    // p5 is a self-referral and a3's second event: not a touchpoint. i1 is a1's second event.
    assert_eq!(got, expected.map(|r| r.map(String::from).to_vec()).to_vec());
}

#[test]
fn dedup_key_hashes_every_signal_with_nulls_spelled_out() {
    let conn = build("default");
    let got = for_event(
        &conn,
        "m.touchpoint_id, m.touchpoint_event_id, m.attribution_deduplication_key",
        "segment_touchpoints",
        "p6",
    );
    let event_id = got[0][1].as_str();
    assert_eq!(got[0][0], expected_id("tch", &[Some(event_id)]));
    // source, medium, campaign, content, term, referrer host, then the click ids of SPEC §6.2.
    let mut parts = vec![None; 6];
    parts.extend([Some("abc")]);
    parts.extend([None; 11]);
    assert_eq!(got[0][2], expected_id("att_dedup", &parts));
}

/// Source tables shaped like a scenario's catalog (all text columns), one valid row each, in
/// every source of the scenario.
fn scenario_database(scenario: &str) -> (duckdb::Connection, nexus_config::Config) {
    let config = load_config(scenario);
    let catalog = fixture_catalog(scenario, &config);
    let conn = nexus_runner::open(":memory:").unwrap();
    for (i, source) in config.sources.iter().enumerate() {
        let prefix = match &source.database {
            Some(db) => {
                conn.execute_batch(&format!("attach if not exists ':memory:' as \"{db}\""))
                    .unwrap();
                format!("\"{db}\".\"{}\"", source.schema)
            }
            None => format!("\"{}\"", source.schema),
        };
        conn.execute_batch(&format!("create schema if not exists {prefix}"))
            .unwrap();
        for call in config.read_calls() {
            let columns = catalog.columns(i, call).unwrap();
            let table = format!("{prefix}.\"{}\"", source.table(call));
            create_one_row(&conn, &table, columns, |c| match c {
                "id" => format!("'{}-1'", call.key()),
                "timestamp" => "'2024-01-01 00:00:00'".into(),
                _ => "null".into(),
            });
        }
        // Per-event tables: the tracks row's message id, so their properties join it.
        for table in &source.event_tables {
            let columns = catalog.event_columns(i, table).unwrap();
            let relation = format!("{prefix}.\"{table}\"");
            create_one_row(&conn, &relation, columns, |c| match c {
                "id" => "'tracks-1'".to_string(),
                _ => format!("'{c} value'"),
            });
        }
    }
    (conn, config)
}

/// A table of text columns holding one row, each value from `value` of the lower-case name.
fn create_one_row(
    conn: &duckdb::Connection,
    table: &str,
    columns: &[String],
    value: impl Fn(&str) -> String,
) {
    let defs: Vec<String> = columns.iter().map(|c| format!("\"{c}\" varchar")).collect();
    let values: Vec<String> = columns
        .iter()
        .map(|c| value(&c.to_ascii_lowercase()))
        .collect();
    conn.execute_batch(&format!(
        "create table {table} ({}); insert into {table} values ({})",
        defs.join(", "),
        values.join(", ")
    ))
    .unwrap();
}

#[test]
fn every_scenario_builds_on_duckdb_from_its_own_catalog() {
    for scenario in SCENARIOS {
        let (conn, config) = scenario_database(scenario);
        let catalog = nexus_runner::introspect_catalog(&conn, &config).unwrap();
        let declared = fixture_catalog(scenario, &config);
        for i in 0..config.sources.len() {
            for call in config.read_calls() {
                assert_eq!(
                    catalog.columns(i, call),
                    declared.columns(i, call),
                    "{scenario}: {call} of source {i} introspected"
                );
            }
        }
        let schema = config
            .target
            .schema
            .clone()
            .unwrap_or_else(|| "nexus".into());
        let compiled = compile_with(&config, &catalog, &schema);
        nexus_validator::validate(&compiled).unwrap();
        let runs = nexus_runner::build(&conn, &compiled, &[], nexus_runner::Refresh::Full, |_| {})
            .unwrap_or_else(|e| panic!("{scenario}: {e}"));
        assert_eq!(runs.len(), compiled.models.len());
        if config.capabilities.events {
            let events = scalar(
                &conn,
                &format!("select count(*) from \"{schema}\".segment_events"),
            );
            let calls = config.read_calls().len() * config.sources.len();
            assert_eq!(
                events,
                calls.to_string(),
                "{scenario}: one event per call table of each source"
            );
        }
    }
}

#[test]
fn a_model_failing_mid_build_rolls_back_every_model_and_points_at_the_line() {
    let conn = build("default");
    let before = scalar(&conn, "select count(*) from nexus.stg_segment_tracks");
    conn.execute_batch(
        "insert into \"SEGMENT_LIVE\".\"TRACKS\" (id, \"timestamp\") \
         values ('t_new', timestamp '2024-03-05 10:00:00')",
    )
    .unwrap();
    let config = load_config("default");
    let catalog = nexus_runner::introspect_catalog(&conn, &config).unwrap();
    let mut compiled = compile_with(&config, &catalog, "nexus");
    let last = compiled.models.last_mut().unwrap();
    last.sql = "select\n    1 as fine,\n    no_such_column as broken\n".into();

    let error = nexus_runner::build(&conn, &compiled, &[], nexus_runner::Refresh::Full, |_| {})
        .unwrap_err();
    let diagnostic = error.model_diagnostic().expect("a model failure");
    assert!(
        diagnostic
            .message
            .starts_with("model 'segment_touchpoints' failed on DuckDB:"),
        "{}",
        diagnostic.message
    );
    let location = diagnostic.location.expect("points into the rendered DDL");
    let line = location.source.text.lines().nth(location.line - 1).unwrap();
    assert!(line.contains("no_such_column"), "marked line: {line}");
    // The staging model built before the failure was rolled back with it.
    assert_eq!(
        scalar(&conn, "select count(*) from nexus.stg_segment_tracks"),
        before
    );
}
