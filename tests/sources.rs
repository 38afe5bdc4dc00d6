//! Several Segment sources in one configuration (`location` as a list): the two sources of
//! `tests/fixtures/sources/several.sql` (a website and a server, with different columns and
//! clashing types, and one message id in both) built on DuckDB with the `several_sources`
//! scenario and checked row by row: each row names its source, ids stay unique across
//! sources, dedup stays within a source and the row counts reconcile over both.

use nexus_compiler::{compile, CompileOptions, Compiled, Dialect, RelationStyle};
use nexus_config::Catalog;
use nexus_tests::*;

/// The two sources loaded and every model built, with every data test passing.
fn build() -> (duckdb::Connection, Compiled) {
    let conn = database("several");
    let compiled = build_checked(&conn, &load_config("several_sources"), "nexus");
    (conn, compiled)
}

/// Rows written as `a|b|c`, one string per row; `~` stands for the fixture's day, `2024-03-01 `.
fn table(rows: &[&str]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.replace('~', "2024-03-01 "))
        .map(|r| r.split('|').map(String::from).collect())
        .collect()
}

#[test]
fn every_call_of_both_sources_is_an_event_that_names_its_source() {
    let (conn, _) = build();
    let got = rows(
        &conn,
        "select segment_source, segment_id, call_type, occurred_at, received_at, event_name, \
         anonymous_id, user_id, ip from nexus.segment_events order by all",
    );
    // The server's text timestamps and integer IPs read as the web's typed columns do; the
    // columns it lacks are NULL; its s2 carries an offset, converted to UTC.
    let expected = table(&[
        "server|g2|group|~12:05:00|NULL|user grouped|NULL|u1|NULL",
        "server|i2|identify|~11:31:00|~11:31:01|user identified|NULL|u1|16909060",
        "server|m1|track|~10:00:00|~10:00:07|order completed|NULL|u1|16909060",
        "server|s2|track|~11:00:00|~12:00:01|invoice paid|NULL|u2|42",
        "web|g1|group|~12:00:00|NULL|user grouped|a1|NULL|NULL",
        "web|i1|identify|~11:30:00|~11:30:01|user identified|a1|u1|NULL",
        "web|m1|track|~10:00:00|~10:00:05|order completed|a1|NULL|10.0.0.1",
        "web|p1|page|~09:00:00|~09:00:01|home|a1|NULL|NULL",
        "web|w2|track|~11:00:00|~11:00:09|signed up|a1|u1|10.0.0.1",
    ]);
    assert_eq!(got, expected);
    let columns = rows(
        &conn,
        "select column_name from information_schema.columns where table_schema = 'nexus' \
         and table_name = 'segment_events' and ordinal_position between 6 and 8 \
         order by ordinal_position",
    );
    assert_eq!(columns, table(&["source", "segment_source", "call_type"]));
}

#[test]
fn a_message_id_in_both_sources_gets_an_event_id_per_source() {
    let (conn, _) = build();
    let event_id = |source: &str| {
        scalar(
            &conn,
            &format!(
                "select event_id from nexus.segment_events \
                 where segment_source = '{source}' and segment_id = 'm1'"
            ),
        )
    };
    let web = expected_id(
        "evt",
        &[Some("web"), Some("m1"), Some("2024-03-01 10:00:00.000000")],
    );
    let server = expected_id(
        "evt",
        &[
            Some("server"),
            Some("m1"),
            Some("2024-03-01 10:00:00.000000"),
        ],
    );
    assert_eq!(event_id("web"), web);
    assert_eq!(event_id("server"), server);
    assert_ne!(web, server);
    // The same text through DuckDB's own md5, as the SPEC writes the rule.
    let s2 = scalar(
        &conn,
        "select 'evt_' || md5('server-s2-2024-03-01 11:00:00.000000')",
    );
    assert_eq!(
        scalar(
            &conn,
            "select event_id from nexus.segment_events where segment_id = 's2'"
        ),
        s2
    );
    // Every other id hashes the event id, so it differs per source too.
    let touchpoints = rows(
        &conn,
        "select t.touchpoint_id, t.segment_source, e.segment_id from nexus.segment_touchpoints t \
         join nexus.segment_events e on e.event_id = t.touchpoint_event_id order by all",
    );
    for row in &touchpoints {
        let event = scalar(
            &conn,
            &format!(
                "select event_id from nexus.segment_events \
                 where segment_source = '{}' and segment_id = '{}'",
                row[1], row[2]
            ),
        );
        assert_eq!(row[0], expected_id("tch", &[Some(&event)]));
    }
}

#[test]
fn dedup_stays_within_a_source_and_the_counts_reconcile_over_both() {
    let (conn, compiled) = build();
    let kept = rows(
        &conn,
        "select segment_source, segment_id, event_name from nexus.segment_events \
         where segment_id in ('w2', 's2') order by all",
    );
    assert_eq!(kept, table(&["server|s2|invoice paid", "web|w2|signed up"]));
    let rejected = rows(
        &conn,
        "select segment_source, call_type, segment_id, reason from nexus.segment_rejected_rows \
         order by all",
    );
    assert_eq!(
        rejected,
        table(&[
            "server|track|s3|missing_timestamp",
            "web|track|NULL|missing_id"
        ])
    );
    let counts = nexus_runner::reconcile(&conn, &compiled).expect("reconciles");
    let got: Vec<String> = counts
        .iter()
        .map(|c| {
            let n = [c.rows_read, c.events, c.duplicates, c.rejected];
            format!("{} {n:?} {}", c.call_type, c.holds())
        })
        .collect();
    assert_eq!(
        got,
        [
            "track [8, 4, 2, 2] true",
            "page [1, 1, 0, 0] true",
            "identify [2, 2, 0, 0] true",
            "group [2, 2, 0, 0] true",
        ]
    );
}

#[test]
fn identifiers_and_traits_carry_their_source_and_traits_all_takes_both_column_sets() {
    let (conn, _) = build();
    let identifiers = rows(
        &conn,
        "select i.segment_source, e.segment_id, i.identifier_type, i.identifier_value \
         from nexus.segment_person_identifiers i join nexus.segment_events e using (event_id) \
         where e.call_type = 'identify' order by all",
    );
    assert_eq!(
        identifiers,
        table(&[
            "server|i2|email|jane@example.com",
            "server|i2|user_id|u1",
            "web|i1|email|jane@example.com",
            "web|i1|segment_anonymous_id|a1",
            "web|i1|user_id|u1",
        ])
    );
    let traits = rows(
        &conn,
        "select t.segment_source, e.segment_id, t.identifier_type, t.identifier_value, \
         t.trait_name, t.trait_value from nexus.segment_person_traits t \
         join nexus.segment_events e using (event_id) where e.call_type = 'identify' \
         order by all",
    );
    // `traits: {identifies: all}`, every non-reserved column of either source: email of both,
    // first_name from the web's columns, plan from the server's (ids are reserved).
    assert_eq!(
        traits,
        table(&[
            "server|i2|user_id|u1|email|jane@example.com",
            "server|i2|user_id|u1|plan|Pro",
            "web|i1|segment_anonymous_id|a1|email|jane@example.com",
            "web|i1|segment_anonymous_id|a1|first_name|Jane",
        ])
    );
}

#[test]
fn groups_memberships_and_event_properties_stay_with_their_source() {
    let (conn, _) = build();
    let group_traits = rows(
        &conn,
        "select segment_source, identifier_value, trait_name, trait_value \
         from nexus.segment_group_traits order by all",
    );
    assert_eq!(
        group_traits,
        table(&["server|acme|employees|42", "web|acme|name|Acme"])
    );
    let memberships = rows(
        &conn,
        "select segment_source, person_identifier_type, person_identifier_value, \
         group_identifier_value from nexus.segment_memberships order by all",
    );
    assert_eq!(
        memberships,
        table(&["server|user_id|u1|acme", "web|segment_anonymous_id|a1|acme"])
    );
    // Both sources have an ORDER_COMPLETED row for m1: each joins its own source's m1.
    let properties = rows(
        &conn,
        "select p.segment_source, e.segment_source, p.property_name, p.property_value \
         from nexus.segment_event_properties p join nexus.segment_events e using (event_id) \
         order by all",
    );
    assert_eq!(
        properties,
        table(&[
            "server|server|coupon|SPRING",
            "server|server|revenue|99",
            "web|web|currency|EUR",
            "web|web|revenue|12.5",
        ])
    );
}

#[test]
fn segment_source_is_tested_for_not_null_and_the_configured_names() {
    let (_, compiled) = build();
    let events = compiled
        .models
        .iter()
        .find(|m| m.plan.name == "segment_events")
        .expect("segment_events");
    let column = events
        .plan
        .columns
        .iter()
        .find(|c| c.name == "segment_source")
        .expect("a segment_source column");
    let tests: Vec<String> = column.tests.iter().map(|t| format!("{t:?}")).collect();
    assert_eq!(
        tests,
        [
            "NotNull",
            "AcceptedValues { values: [\"web\", \"server\"] }"
        ]
    );
    for model in &compiled.models {
        let last = model.plan.columns.last().expect("columns");
        let has = model
            .plan
            .columns
            .iter()
            .any(|c| c.name == "segment_source");
        assert!(has, "{} names the source", model.plan.name);
        let inside = model.plan.name == "segment_events" || model.plan.name.starts_with("stg_");
        if !inside {
            assert_eq!(last.name, "segment_source", "{}", model.plan.name);
        }
    }
}

#[test]
fn the_mapping_form_has_no_segment_source_column() {
    let config = load_config("default");
    let compiled = compile_with(&config, &Catalog::standard(), "nexus");
    for model in &compiled.models {
        let names = model.plan.column_names();
        assert!(!names.contains(&"segment_source"), "{}", model.plan.name);
    }
}

fn compile_errors(config: &nexus_config::Config, catalog: &Catalog) -> Vec<String> {
    let options = CompileOptions {
        dialect: Dialect::Duckdb,
        target_schema: "nexus".into(),
        relations: RelationStyle::Qualified,
    };
    let errors = compile(config, catalog, &options).expect_err("the compile fails");
    errors.into_iter().map(|d| d.message).collect()
}

#[test]
fn catalog_keys_qualified_by_schema_tell_the_sources_apart() {
    let config = load_config("several_sources");
    let text = r#"{
        "WEB_LIVE.TRACKS": ["id", "timestamp", "context_locale"],
        "server_live.server_tracks": ["ID", "TIMESTAMP"],
        "PAGES": ["id", "timestamp"]
    }"#;
    let error = Catalog::from_json("catalog.json", text, &config).expect_err("ambiguous");
    assert_eq!(
        error.message,
        "catalog key 'PAGES' names tables of both sources 'web' and 'server'"
    );
    assert_eq!(
        error.help.as_deref(),
        Some("qualify it with the schema, as \"WEB_LIVE.PAGES\"")
    );
    let text = text.replace("\"PAGES\"", "\"WEB_LIVE.PAGES\"");
    let catalog = Catalog::from_json("catalog.json", &text, &config).expect("qualified keys");
    use nexus_config::CallType::{Pages, Tracks};
    assert_eq!(catalog.columns(0, Tracks).unwrap().len(), 3);
    assert_eq!(catalog.columns(1, Tracks).unwrap(), ["ID", "TIMESTAMP"]);
    assert!(catalog.columns(1, Pages).is_none());
    // A table unqualified keys name in one source only is found by them.
    let errors = compile_errors(&config, &catalog);
    assert!(
        errors.contains(
            &"the catalog has no table 'SERVER_LIVE.PAGES' of source 'server' for pages calls"
                .to_string()
        ),
        "{errors:#?}"
    );
}

#[test]
fn a_missing_required_column_names_the_source() {
    let conn = database("several");
    conn.execute_batch("alter table \"SERVER_LIVE\".\"IDENTIFIES\" drop column \"TIMESTAMP\"")
        .unwrap();
    let config = load_config("several_sources");
    let catalog = nexus_runner::introspect_catalog(&conn, &config).expect("catalog");
    assert_eq!(
        compile_errors(&config, &catalog),
        [
            "table 'SERVER_LIVE.IDENTIFIES' of source 'server' has no column 'timestamp', which \
             every Segment call needs"
        ]
    );
}
