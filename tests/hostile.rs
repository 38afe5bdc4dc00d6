//! Hostile configuration values: every config string that reaches SQL as a value (channel names,
//! rule values and rule patterns; names are validated as identifiers before they get there)
//! carries quotes, semicolons, comment markers, backslashes and Unicode. Every model still parses
//! as exactly one statement in every dialect, and on DuckDB the values come back as data.

use nexus_compiler::Dialect;
use nexus_tests::*;

/// (channel, utm_source that the rule matches with `in`) pairs, and one `matches` rule.
const HOSTILE: [(&str, &str); 5] = [
    ("'; drop table nexus.segment_events; --", "it's"),
    ("/* comment */ \"quoted\" ident", "semi;colon"),
    (r"back\slash \' \\", r"back\'slash"),
    ("-- line comment\u{2028}after", "--dash"),
    ("ünï cødé 💥 \u{200b} عربى", "ünï💥"),
];
const PATTERN_CHANNEL: &str = "pattern ' \" ; -- \\";
/// A regular expression full of SQL punctuation; it matches the campaign below.
const PATTERN: &str = r#"^it's \\ "q" ;-- /\*x\*/$"#;
const CAMPAIGN: &str = r#"IT'S \ "Q" ;-- /*X*/"#;

fn yaml_string(s: &str) -> String {
    // JSON strings are YAML strings.
    serde_json::to_string(s).unwrap()
}

fn config() -> nexus_config::Config {
    let mut rules = String::new();
    for (channel, source) in HOSTILE {
        rules.push_str(&format!(
            "          - channel: {}\n            when:\n              source: {{in: [{}]}}\n",
            yaml_string(channel),
            yaml_string(source)
        ));
    }
    rules.push_str(&format!(
        "          - channel: {}\n            when:\n              campaign: {{matches: {}}}\n",
        yaml_string(PATTERN_CHANNEL),
        yaml_string(PATTERN)
    ));
    let text = format!(
        "vars:\n  nexus:\n    segment:\n      enabled: true\n      attribution:\n        \
         channel_rules:\n{rules}"
    );
    config_text("hostile.yml", &text)
}

#[test]
fn every_model_is_one_statement_in_every_dialect_with_hostile_values() {
    let config = config();
    let catalog = nexus_config::Catalog::standard();
    for dialect in Dialect::ALL {
        let compiled = compile_for(&config, &catalog, "nexus", dialect);
        nexus_validator::validate(&compiled)
            .unwrap_or_else(|d| panic!("{dialect}: hostile values broke a model: {d:#?}"));
    }
}

#[test]
fn hostile_values_are_data_on_duckdb() {
    let conn = database("attribution");
    let insert = "insert into \"SEGMENT_LIVE\".\"PAGES\" (id, anonymous_id, \"timestamp\", \
                  received_at, context_page_url, context_campaign_source, context_campaign_name) \
                  values (?, ?, '2024-05-01 10:00:00', '2024-05-01 10:00:00', \
                  'https://shop.example.com/', ?, ?)";
    for (i, (_, source)) in HOSTILE.iter().enumerate() {
        let id = format!("h{i}");
        conn.execute(insert, duckdb::params![id, id, source, None::<String>])
            .unwrap();
    }
    conn.execute(
        insert,
        duckdb::params!["hp", "hp", None::<String>, CAMPAIGN],
    )
    .unwrap();
    build_checked(&conn, &config(), "nexus");

    let got = rows(
        &conn,
        "select e.segment_id, t.channel from nexus.segment_touchpoints t \
         join nexus.segment_events e on e.event_id = t.touchpoint_event_id order by 1",
    );
    let mut expected: Vec<Vec<String>> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, (channel, _))| vec![format!("h{i}"), channel.to_string()])
        .collect();
    expected.push(vec!["hp".into(), PATTERN_CHANNEL.into()]);
    assert_eq!(got, expected);
    // The statement-ending channel name did not end anything.
    assert_eq!(
        scalar(&conn, "select count(*) from nexus.segment_events"),
        "6"
    );
}
