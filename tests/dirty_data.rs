//! Dirty Segment data (`tests/fixtures/sources/dirty.sql`): duplicates, empty, placeholder and
//! NULL ids, missing and ancient timestamps, missing optional columns, type clashes, very long
//! URLs and odd Unicode. Every model builds, every data test passes, the counts reconcile, and
//! every row that is not an event is rejected with its reason: all with exact counts.

use nexus_tests::*;

fn built() -> (duckdb::Connection, nexus_compiler::Compiled) {
    let conn = database("dirty");
    let config = config_text(
        "dirty.yml",
        "vars:\n  nexus:\n    segment:\n      enabled: true\n",
    );
    let compiled = build_checked(&conn, &config, "nexus");
    (conn, compiled)
}

fn count(conn: &duckdb::Connection, sql: &str) -> String {
    scalar(conn, &format!("select count(*) from ({sql})"))
}

#[test]
fn counts_reconcile_exactly_per_call_table() {
    let (conn, compiled) = built();
    let got: Vec<(String, u64, u64, u64, u64)> = nexus_runner::reconcile(&conn, &compiled)
        .unwrap()
        .into_iter()
        .map(|r| (r.call_type, r.rows_read, r.events, r.duplicates, r.rejected))
        .collect();
    let expected = vec![
        ("track".to_string(), 18, 7, 2, 9),
        ("page".to_string(), 5, 3, 1, 1),
        ("identify".to_string(), 3, 1, 1, 1),
    ];
    assert_eq!(got, expected);
}

#[test]
fn every_row_that_is_not_an_event_has_its_reason() {
    let (conn, _) = built();
    let got = rows(
        &conn,
        "select call_type, reason, count(*) from nexus.segment_rejected_rows \
         group by all order by all",
    );
    let expected = [
        ["identify", "missing_id", "1"],
        ["page", "missing_timestamp", "1"],
        ["track", "missing_id", "5"],
        ["track", "missing_timestamp", "2"],
        ["track", "timestamp_out_of_range", "2"],
    ];
    assert_eq!(got, expected.map(|r| r.map(String::from).to_vec()).to_vec());
}

#[test]
fn models_hold_exactly_the_rows_the_faults_allow() {
    let (conn, _) = built();
    let model = |name: &str| count(&conn, &format!("select * from nexus.{name}"));
    assert_eq!(model("segment_events"), "11");
    assert_eq!(model("segment_person_identifiers"), "13");
    assert_eq!(model("segment_touchpoints"), "9");
    let channels = rows(
        &conn,
        "select channel, count(*) from nexus.segment_touchpoints group by all order by all",
    );
    assert_eq!(channels, vec![vec!["direct", "6"], vec!["paid", "3"]]);
}

#[test]
fn clashing_types_long_urls_and_unicode_come_through_as_text() {
    let (conn, _) = built();
    let value = |sql: &str| scalar(&conn, sql);
    assert_eq!(
        value(
            "select identifier_value from nexus.segment_person_identifiers i \
             join nexus.segment_events e using (event_id) \
             where e.segment_id = 'd9' and identifier_type = 'user_id'"
        ),
        "42"
    );
    let touchpoint = |id: &str, column: &str| {
        value(&format!(
            "select t.{column} from nexus.segment_touchpoints t join nexus.segment_events e \
             on e.event_id = t.touchpoint_event_id where e.segment_id = '{id}'"
        ))
    };
    assert_eq!(touchpoint("d11", "term"), "12345");
    assert_eq!(touchpoint("d11", "source"), "google");
    assert_eq!(touchpoint("p1", "gclid"), "zz");
    assert_eq!(touchpoint("p3", "source"), "ünï");
    assert_eq!(
        value("select length(landing_url) from nexus.segment_touchpoints where gclid = 'zz'"),
        (20000 + "https://shop.example.com/?gclid=zz".len()).to_string()
    );
    assert_eq!(
        value("select event_name from nexus.segment_events where segment_id = 'd12'"),
        "añadir al carrito 🛒"
    );
    assert_eq!(
        value(
            "select string_agg(identifier_value, ',' order by identifier_value) \
             from nexus.segment_person_identifiers where identifier_type = 'email'"
        ),
        "jane@example.com,jane@example.com"
    );
}
