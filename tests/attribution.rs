//! Attribution (SPEC §6) executed through the generated SQL on DuckDB: the table of single-event
//! cases in `tests/fixtures/attribution/cases.psv` for both classifiers, direct touchpoints,
//! internal referrers and custom channel rules.

use nexus_tests::*;

const SITE: &str = "https://shop.example.com/landing";

/// The base project of these tests; `extra` is YAML appended under `attribution:`.
fn config(extra: &str) -> nexus_config::Config {
    let text = format!(
        "vars:\n  nexus:\n    segment:\n      enabled: true\n      attribution:\n        \
         referral_exclusions: [checkout.stripe.com, paypal.com]\n{extra}"
    );
    config_text("attribution_test.yml", &text)
}

/// A page or track call of a test.
#[derive(Default, Clone)]
struct Call {
    table: &'static str,
    id: String,
    anonymous_id: Option<String>,
    timestamp: String,
    url: Option<String>,
    search: Option<String>,
    referrer: Option<String>,
    source: Option<String>,
    medium: Option<String>,
    campaign: Option<String>,
}

impl Call {
    fn page(id: &str, visitor: &str, timestamp: &str) -> Call {
        Call {
            table: "PAGES",
            id: id.into(),
            anonymous_id: Some(visitor.into()),
            timestamp: timestamp.into(),
            url: Some(SITE.into()),
            ..Call::default()
        }
    }

    fn track(id: &str, visitor: &str, timestamp: &str) -> Call {
        Call {
            table: "TRACKS",
            ..Call::page(id, visitor, timestamp)
        }
    }

    fn with(mut self, field: &str, value: &str) -> Call {
        let value = Some(value.to_string());
        match field {
            "url" => self.url = value,
            "search" => self.search = value,
            "referrer" => self.referrer = value,
            "source" => self.source = value,
            "medium" => self.medium = value,
            "campaign" => self.campaign = value,
            _ => panic!("no field {field}"),
        }
        self
    }
}

/// An in-memory DuckDB holding `calls` as Segment source tables.
fn sources(calls: &[Call]) -> duckdb::Connection {
    let conn = database("attribution");
    for call in calls {
        let sql =
            format!(
            "insert into \"SEGMENT_LIVE\".\"{}\" (id, anonymous_id, \"timestamp\", received_at, \
             context_page_url, {}context_page_referrer, context_campaign_source, \
             context_campaign_medium, context_campaign_name) values \
             (?, ?, ?::timestamp, ?::timestamp, ?, {}?, ?, ?, ?)",
            call.table,
            if call.table == "PAGES" { "context_page_search, " } else { "" },
            if call.table == "PAGES" { "?, " } else { "" },
        );
        let mut params: Vec<Option<String>> = vec![
            Some(call.id.clone()),
            call.anonymous_id.clone(),
            Some(call.timestamp.clone()),
            Some(call.timestamp.clone()),
            call.url.clone(),
        ];
        if call.table == "PAGES" {
            params.push(call.search.clone());
        }
        params.extend([
            call.referrer.clone(),
            call.source.clone(),
            call.medium.clone(),
            call.campaign.clone(),
        ]);
        conn.execute(&sql, duckdb::params_from_iter(params))
            .unwrap_or_else(|e| panic!("insert {}: {e}", call.id));
    }
    conn
}

/// Builds every model for `config` into `schema`; every data test must pass.
fn build(conn: &duckdb::Connection, config: &nexus_config::Config, schema: &str) {
    build_checked(conn, config, schema);
}

/// (segment id, channel, touchpoint_type) of every touchpoint in `schema`, by segment id.
fn touchpoints(conn: &duckdb::Connection, schema: &str) -> Vec<Vec<String>> {
    rows(
        conn,
        &format!(
            "select e.segment_id, t.channel, t.touchpoint_type \
             from {schema}.segment_touchpoints t \
             join {schema}.segment_events e on e.event_id = t.touchpoint_event_id order by all"
        ),
    )
}

struct Case {
    line: usize,
    name: String,
    call: Call,
    nexus: String,
    touchpoint_type: String,
    ga4: String,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(fixture("attribution/cases.psv")).expect("cases file");
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        assert_eq!(f.len(), 10, "cases.psv line {}: {line}", i + 1);
        let mut call = Call::page(f[0], &format!("visitor_{}", f[0]), "2024-05-01 12:00:00");
        call.url = match f[1] {
            "-" => Some(SITE.into()),
            q if q.starts_with('?') => Some(format!("{SITE}{q}")),
            url => Some(url.into()),
        };
        for (field, value) in ["search", "referrer", "source", "medium", "campaign"]
            .iter()
            .zip(&f[2..7])
        {
            if *value != "-" {
                call = call.with(field, value);
            }
        }
        cases.push(Case {
            line: i + 1,
            name: f[0].into(),
            call,
            nexus: f[7].into(),
            touchpoint_type: f[8].into(),
            ga4: f[9].into(),
        });
    }
    cases
}

#[test]
fn every_case_is_classified_as_the_table_says_by_both_classifiers() {
    let cases = cases();
    assert!(cases.len() >= 80, "only {} cases", cases.len());
    let calls: Vec<Call> = cases.iter().map(|c| c.call.clone()).collect();
    let conn = sources(&calls);
    build(&conn, &config(""), "nx");
    build(&conn, &config("        classifier: ga4\n"), "ga");
    let nexus = touchpoints(&conn, "nx");
    let ga4 = touchpoints(&conn, "ga");

    let mut wrong = Vec::new();
    for case in &cases {
        let find = |rows: &[Vec<String>]| -> Vec<Vec<String>> {
            rows.iter().filter(|r| r[0] == case.name).cloned().collect()
        };
        let want_nexus = vec![vec![
            case.name.clone(),
            case.nexus.clone(),
            case.touchpoint_type.clone(),
        ]];
        let want_ga4 = vec![vec![
            case.name.clone(),
            case.ga4.clone(),
            case.touchpoint_type.clone(),
        ]];
        for (got, want) in [(find(&nexus), want_nexus), (find(&ga4), want_ga4)] {
            if got != want {
                wrong.push(format!("line {}: want {want:?}, got {got:?}", case.line));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn direct_touchpoints_are_each_visitors_first_signal_less_event() {
    let calls = vec![
        // v1: a direct visit, then a search visit: both are touchpoints.
        Call::page("v1_first", "v1", "2024-05-01 10:00:00"),
        Call::page("v1_search", "v1", "2024-05-01 11:00:00")
            .with("referrer", "https://www.google.com/"),
        // v2: the first event has a signal, so no direct touchpoint follows.
        Call::page("v2_campaign", "v2", "2024-05-01 10:00:00").with("source", "google"),
        Call::page("v2_later", "v2", "2024-05-01 11:00:00"),
        // v3: two signal-less events at the same time; the smaller event_id wins.
        Call::page("v3_a", "v3", "2024-05-01 10:00:00"),
        Call::page("v3_b", "v3", "2024-05-01 10:00:00"),
        // v4: the first event is a track call.
        Call::track("v4_track", "v4", "2024-05-01 09:00:00"),
        Call::page("v4_page", "v4", "2024-05-01 10:00:00"),
        // No anonymous id: never a direct touchpoint.
        Call {
            anonymous_id: None,
            ..Call::page("nobody", "-", "2024-05-01 08:00:00")
        },
    ];
    let conn = sources(&calls);
    build(&conn, &config(""), "nx");
    build(&conn, &config("        direct_touchpoints: false\n"), "off");
    build(&conn, &config("        touchpoint_calls: [pages]\n"), "pg");

    let ts = "2024-05-01 10:00:00.000000";
    let id = |s: &str| expected_id("evt", &[Some(s), Some(ts)]);
    let v3_first = if id("v3_a") < id("v3_b") {
        "v3_a"
    } else {
        "v3_b"
    };
    let row = |s: &str, channel: &str, kind: &str| vec![s.to_string(), channel.into(), kind.into()];
    let mut expected = vec![
        row("v1_first", "direct", "direct"),
        row("v1_search", "organic", "referral"),
        row("v2_campaign", "paid", "campaign"),
        row(v3_first, "direct", "direct"),
        row("v4_track", "direct", "direct"),
    ];
    expected.sort();
    assert_eq!(touchpoints(&conn, "nx"), expected);
    assert_eq!(
        touchpoints(&conn, "off"),
        vec![
            row("v1_search", "organic", "referral"),
            row("v2_campaign", "paid", "campaign")
        ]
    );
    let pages_only = touchpoints(&conn, "pg");
    assert!(pages_only.contains(&row("v4_page", "direct", "direct")));
    assert!(!pages_only.iter().any(|r| r[0] == "v4_track"));
}

#[test]
fn internal_referrers_are_shown_but_count_as_no_referrer() {
    let calls = vec![
        Call::page("self", "a", "2024-05-01 10:00:00")
            .with("referrer", "https://www.shop.example.com/cart")
            .with("source", "google")
            .with("medium", "cpc"),
        Call::page("excluded", "b", "2024-05-01 10:00:00")
            .with("referrer", "https://secure.paypal.com/checkout"),
    ];
    let conn = sources(&calls);
    build(&conn, &config(""), "nx");
    let got = rows(
        &conn,
        "select e.segment_id, t.channel, t.referrer, t.referrer_host, \
         t.attribution_deduplication_key from nx.segment_touchpoints t \
         join nx.segment_events e on e.event_id = t.touchpoint_event_id order by all",
    );
    let mut self_key = vec![Some("google"), Some("cpc")];
    self_key.extend([None; 16]);
    let excluded_key = vec![None; 18];
    assert_eq!(
        got,
        vec![
            vec![
                "excluded".to_string(),
                "direct".into(),
                "https://secure.paypal.com/checkout".into(),
                "secure.paypal.com".into(),
                expected_id("att_dedup", &excluded_key),
            ],
            vec![
                "self".to_string(),
                "paid".into(),
                "https://www.shop.example.com/cart".into(),
                "shop.example.com".into(),
                expected_id("att_dedup", &self_key),
            ],
        ]
    );
}

const RULES: &str = r#"        channel_rules:
          - channel: newsletter
            when:
              medium: {in: [Email, newsletter]}
          - channel: partner
            when:
              referrer_host: {in: [partner.example]}
              campaign: {matches: "^spring-"}
          - channel: google_ads
            when:
              click_id: {in: [gclid, gbraid, wbraid]}
          - channel: "it's \"odd\"; -- /* not SQL */"
            when:
              source: {in: [weird]}
          - channel: any_click
            when:
              click_id: any
"#;

#[test]
fn custom_rules_come_first_in_order_and_fall_back_to_the_classifier() {
    let at = "2024-05-01 10:00:00";
    let calls = vec![
        Call::page("c1", "c1", at)
            .with("source", "mailchimp")
            .with("medium", "EMAIL"),
        Call::page("c2", "c2", at)
            .with("referrer", "https://sub.partner.example/x")
            .with("campaign", "Spring-Sale"),
        Call::page("c3", "c3", at)
            .with("referrer", "https://partner.example/")
            .with("campaign", "autumn"),
        Call::page("c4", "c4", at).with("url", &format!("{SITE}?gclid=x")),
        Call::page("c5", "c5", at)
            .with("url", &format!("{SITE}?gclid=x"))
            .with("medium", "newsletter"),
        Call::page("c6", "c6", at)
            .with("referrer", "https://notpartner.example/")
            .with("campaign", "spring-x"),
        Call::page("c7", "c7", at).with("url", &format!("{SITE}?msclkid=1")),
        Call::page("c8", "c8", at).with("source", "Weird"),
        Call::page("c9", "c9", at).with("referrer", "https://www.bing.com/"),
    ];
    let conn = sources(&calls);
    build(&conn, &config(RULES), "nx");
    build(
        &conn,
        &config(&format!("        classifier: ga4\n{RULES}")),
        "ga",
    );
    let odd = "it's \"odd\"; -- /* not SQL */";
    let expect = |channels: [&str; 9]| -> Vec<Vec<String>> {
        let kinds = [
            "campaign", "campaign", "campaign", "ad_click", "campaign", "campaign", "ad_click",
            "campaign", "referral",
        ];
        (1..=9)
            .map(|i| {
                vec![
                    format!("c{i}"),
                    channels[i - 1].to_string(),
                    kinds[i - 1].to_string(),
                ]
            })
            .collect()
    };
    assert_eq!(
        touchpoints(&conn, "nx"),
        expect([
            "newsletter",
            "partner",
            "paid",
            "google_ads",
            "newsletter",
            "paid",
            "any_click",
            odd,
            "organic"
        ])
    );
    assert_eq!(
        touchpoints(&conn, "ga"),
        expect([
            "newsletter",
            "partner",
            "Referral",
            "google_ads",
            "newsletter",
            "Referral",
            "any_click",
            odd,
            "Organic Search"
        ])
    );
}

/// Click ids named like an SQL keyword (`order`) or like a column the touchpoints model
/// computes on the way (`query_string`, `has_utm`) are captured as any other.
const ODD_CLICK_IDS: &str = r#"        click_ids: [gclid, order, query_string, has_utm]
        channel_rules:
          - channel: orders
            when:
              click_id: {in: [order]}
"#;

#[test]
fn click_ids_named_like_keywords_or_working_columns_are_captured_as_any_other() {
    let at = "2024-05-01 10:00:00";
    let calls = vec![
        Call::page("k1", "k1", at).with("url", &format!("{SITE}?order=o-1&query_string=q")),
        Call::page("k2", "k2", at).with("url", &format!("{SITE}?has_utm=yes")),
        Call::page("k3", "k3", at).with("url", &format!("{SITE}?gclid=g")),
    ];
    let conn = sources(&calls);
    build(&conn, &config(ODD_CLICK_IDS), "nx");
    let found = rows(
        &conn,
        "select e.segment_id, t.channel, t.touchpoint_type, t.gclid, t.\"order\", \
         t.query_string, t.has_utm from nx.segment_touchpoints t \
         join nx.segment_events e on e.event_id = t.touchpoint_event_id order by all",
    );
    let row = |cells: [&str; 7]| cells.map(String::from).to_vec();
    assert_eq!(
        found,
        vec![
            row(["k1", "orders", "ad_click", "NULL", "o-1", "q", "NULL"]),
            row(["k2", "paid", "ad_click", "NULL", "NULL", "NULL", "yes"]),
            row(["k3", "paid", "ad_click", "g", "NULL", "NULL", "NULL"]),
        ]
    );
}
