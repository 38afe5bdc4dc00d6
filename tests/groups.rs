//! Groups and memberships (SPEC §5.5) executed on DuckDB against
//! `tests/fixtures/sources/groups.sql`, with ids recomputed from SPEC §4's canonical text.

use nexus_tests::*;

fn config(capabilities: &str) -> nexus_config::Config {
    let text = format!(
        "vars:\n  nexus:\n    segment:\n      enabled: true\n      capabilities: {capabilities}\n"
    );
    config_text("groups_test.yml", &text)
}

/// Builds every model, checks every data test passes and every call table reconciles.
fn build(capabilities: &str) -> duckdb::Connection {
    let conn = database("groups");
    let compiled = build_checked(&conn, &config(capabilities), "nexus");
    let counts = nexus_runner::reconcile(&conn, &compiled).expect("reconcile");
    assert!(counts.iter().all(|c| c.holds()), "{counts:?}");
    assert!(counts.iter().any(|c| c.call_type == "group"), "{counts:?}");
    conn
}

fn event_id(segment_id: &str, timestamp: &str) -> String {
    expected_id("evt", &[Some(segment_id), Some(timestamp)])
}

const G1: (&str, &str) = ("g1", "2024-03-01 10:00:00.000000");
const G2: (&str, &str) = ("g2", "2024-03-01 11:00:00.000000");
const G4: (&str, &str) = ("g4", "2024-03-01 13:00:00.000000");

#[test]
fn group_calls_are_events_and_rejected_rows() {
    let conn = build("{groups: true}");
    let events = rows(
        &conn,
        "select segment_id, event_type, event_name, call_type from nexus.segment_events \
         where call_type = 'group' order by 1",
    );
    let event = |id: &str| -> Vec<String> {
        vec![
            id.into(),
            "identity".into(),
            "user grouped".into(),
            "group".into(),
        ]
    };
    assert_eq!(
        events,
        vec![event("g1"), event("g2"), event("g3"), event("g4")]
    );
    let rejected = rows(
        &conn,
        "select call_type, segment_id, reason from nexus.segment_rejected_rows",
    );
    assert_eq!(rejected, vec![vec!["group", "g5", "missing_timestamp"]]);
}

#[test]
fn group_identifiers_hash_event_type_and_group() {
    let conn = build("{groups: true}");
    let got = rows(
        &conn,
        "select group_identifier_id, event_id, identifier_type, identifier_value \
         from nexus.segment_group_identifiers order by identifier_value",
    );
    let row = |(id, ts): (&str, &str), group: &str| {
        let event = event_id(id, ts);
        vec![
            expected_id(
                "grp_idfr",
                &[Some(&event), Some("segment_group_id"), Some(group)],
            ),
            event.clone(),
            "segment_group_id".into(),
            group.to_string(),
        ]
    };
    assert_eq!(
        got,
        vec![row(G1, "acme"), row(G2, "globex"), row(G4, "initech")]
    );
}

#[test]
fn group_traits_are_every_non_reserved_column_as_text() {
    let conn = build("{groups: true}");
    let got = rows(
        &conn,
        "select group_trait_id, identifier_value, trait_name, trait_value \
         from nexus.segment_group_traits order by identifier_value, trait_name",
    );
    let row = |(id, ts): (&str, &str), group: &str, name: &str, value: &str| {
        let event = event_id(id, ts);
        vec![
            expected_id(
                "grp_tr",
                &[
                    Some(&event),
                    Some("segment_group_id"),
                    Some(group),
                    Some(name),
                ],
            ),
            group.to_string(),
            name.to_string(),
            value.to_string(),
        ]
    };
    assert_eq!(
        got,
        vec![
            row(G1, "acme", "employees", "42"),
            row(G1, "acme", "name", "Acme Inc"),
            row(G1, "acme", "plan", "Pro"),
            row(G2, "globex", "plan", "team"),
            row(G4, "initech", "employees", "7"),
            row(G4, "initech", "name", "Initech"),
        ]
    );
}

#[test]
fn memberships_link_the_anonymous_id_else_the_user_id_to_the_group() {
    let conn = build("{groups: true, memberships: true}");
    let got = rows(
        &conn,
        "select membership_id, person_identifier_type, person_identifier_value, \
         group_identifier_type, group_identifier_value from nexus.segment_memberships order by all",
    );
    let row = |(id, ts): (&str, &str), kind: &str, person: &str, group: &str| {
        let event = event_id(id, ts);
        vec![
            expected_id(
                "mbr",
                &[Some(&event), Some(kind), Some(person), Some(group)],
            ),
            kind.to_string(),
            person.to_string(),
            "segment_group_id".into(),
            group.to_string(),
        ]
    };
    let mut expected = vec![
        row(G1, "segment_anonymous_id", "a1", "acme"),
        row(G2, "user_id", "u2", "globex"),
    ];
    expected.sort();
    assert_eq!(got, expected);
}

#[test]
fn group_calls_give_person_identifiers_by_the_default_mapping() {
    let conn = build("{groups: true}");
    let got = rows(
        &conn,
        "select e.segment_id, i.identifier_type, i.identifier_value \
         from nexus.segment_person_identifiers i join nexus.segment_events e using (event_id) \
         where e.call_type = 'group' order by all",
    );
    let expected = [
        ["g1", "segment_anonymous_id", "a1"],
        ["g1", "user_id", "u1"],
        ["g2", "user_id", "u2"],
        ["g3", "segment_anonymous_id", "a3"],
    ];
    assert_eq!(got, expected.map(|r| r.map(String::from).to_vec()).to_vec());
}

#[test]
fn memberships_without_groups_is_a_configuration_error() {
    let text = "vars:\n  nexus:\n    segment:\n      enabled: true\n      \
                capabilities: {memberships: true}\n";
    let Err(nexus_config::Error::Invalid(d)) = nexus_config::load_text("p.yml", text) else {
        panic!("memberships without groups must be refused");
    };
    assert_eq!(
        d[0].message,
        "capabilities.memberships needs capabilities.groups: true"
    );
}
