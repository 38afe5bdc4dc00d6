//! Per-event properties: Segment's one-table-per-track-event exports become
//! `segment_event_properties`, joined to the track call by message id, on DuckDB against
//! `tests/fixtures/sources/event_properties.sql`.

use nexus_tests::*;

fn config(tables: &str) -> nexus_config::Config {
    config_text(
        "event_properties.yml",
        &format!(
            "vars:\n  nexus:\n    segment:\n      enabled: true\n      location:\n        \
             event_tables: {tables}\n"
        ),
    )
}

#[test]
fn every_property_of_every_event_table_is_a_row_of_text() {
    let conn = database("event_properties");
    build_checked(&conn, &config("[ORDER_COMPLETED, product_viewed]"), "nexus");
    let got = rows(
        &conn,
        "select e.segment_id, p.property_name, p.property_value, p.event_id = e.event_id, \
         p.occurred_at = e.occurred_at, p.source from nexus.segment_event_properties p \
         join nexus.segment_events e using (event_id) order by all",
    );
    let row = |id: &str, name: &str, value: &str| -> Vec<String> {
        [id, name, value, "true", "true", "segment"]
            .map(String::from)
            .to_vec()
    };
    assert_eq!(
        got,
        vec![
            row("o1", "currency", "EUR"),
            row("o1", "revenue", "12.5"),
            row("o2", "currency", "usd"),
            row("o2", "revenue", "99.0"),
            row("v1", "price", "30"),
            row("v1", "sku", "SKU-1"),
        ]
    );
    // Rows of o8 (no track call) and o9 (a rejected call) join no event.
    assert_eq!(
        scalar(&conn, "select count(*) from nexus.segment_event_properties"),
        "6"
    );
}

#[test]
fn an_event_table_missing_from_the_database_is_a_diagnostic() {
    let conn = database("event_properties");
    let config = config("[ORDER_REFUNDED]");
    let catalog = nexus_runner::introspect_catalog(&conn, &config).unwrap();
    let options = nexus_compiler::CompileOptions {
        dialect: nexus_compiler::Dialect::Duckdb,
        target_schema: "nexus".into(),
        relations: nexus_compiler::RelationStyle::Qualified,
    };
    let errors = nexus_compiler::compile(&config, &catalog, &options).unwrap_err();
    assert_eq!(
        errors[0].message,
        "the catalog has no event table 'SEGMENT_LIVE.ORDER_REFUNDED'"
    );
}

#[test]
fn an_event_table_that_is_a_call_table_is_refused() {
    let text = "vars:\n  nexus:\n    segment:\n      enabled: true\n      location:\n        \
                event_tables: [TRACKS]\n";
    let Err(nexus_config::Error::Invalid(d)) = nexus_config::load_text("p.yml", text) else {
        panic!("TRACKS is a call table");
    };
    assert_eq!(d[0].message, "'TRACKS' is a call table, not an event table");
}
