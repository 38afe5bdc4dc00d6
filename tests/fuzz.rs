//! Property tests over the whole compile path: arbitrary YAML text, and arbitrary configuration
//! trees built from the real keys mixed with junk keys and hostile values. Whatever comes in,
//! nothing panics, and the outcome is either models that pass the validator in every dialect or
//! diagnostics. CI runs `CASES` cases per property (set `PROPTEST_CASES` to run more).

use nexus_compiler::Dialect;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 400;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES)
}

/// Every key of the configuration, at any level, plus look-alikes and junk.
const KEYS: [&str; 49] = [
    "enabled",
    "location",
    "name",
    "database",
    "schema",
    "tables",
    "tracks",
    "pages",
    "identifies",
    "groups",
    "capabilities",
    "events",
    "persons",
    "memberships",
    "attribution",
    "identifiers",
    "traits",
    "classifier",
    "channel_rules",
    "referral_exclusions",
    "click_ids",
    "touchpoint_calls",
    "direct_touchpoints",
    "passthrough_columns",
    "materialization",
    "incremental",
    "lookback_hours",
    "target",
    "channel",
    "when",
    "source",
    "medium",
    "campaign",
    "referrer_host",
    "click_id",
    "in",
    "matches",
    "any",
    "anonymous_id",
    "user_id",
    "email",
    "all",
    "gclid",
    "context_locale",
    "enabeld",
    "nexus",
    "ga4",
    "x y",
    "'; --",
];

/// Scalars a user (or an attacker) might write.
const WORDS: [&str; 24] = [
    "true",
    "nexus",
    "ga4",
    "table",
    "incremental",
    "all",
    "any",
    "pages",
    "tracks",
    "groups",
    "gclid",
    "email",
    "example.com",
    "RAW",
    "SEGMENT_LIVE",
    "^spring-",
    "(",
    "'; drop table x; --",
    "a\"b",
    "back\\slash",
    "ünï💥",
    "",
    " ",
    "%example.com%",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        (-5i64..200).prop_map(|n| Value::Number(n.into())),
        prop::sample::select(&WORDS[..]).prop_map(|w| Value::String(w.to_string())),
        "[a-zA-Z_ .;'\"-]{0,12}".prop_map(Value::String),
        Just(Value::Null),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec((prop::sample::select(&KEYS[..]), inner), 0..6).prop_map(
                |pairs| {
                    let mut map = Mapping::new();
                    for (k, v) in pairs {
                        map.insert(Value::String(k.to_string()), v);
                    }
                    Value::Mapping(map)
                }
            ),
        ]
    })
}

/// A text or a list of texts from `WORDS` and random junk.
fn texts() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        prop::sample::select(&WORDS[..]).prop_map(str::to_string),
        "[a-z_.]{1,10}",
        ".{0,8}",
    ];
    prop::collection::vec(text, 1..4)
        .prop_map(|items| Value::Sequence(items.into_iter().map(Value::String).collect()))
}

/// Mostly `valid`, sometimes anything.
fn mostly(valid: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(valid), 0..3).prop_map(|items| {
            Value::Sequence(items.into_iter().map(|s| Value::String(s.into())).collect())
        }),
        1 => Just(Value::Null),
        1 => texts(),
    ]
}

/// A channel name: usually a hostile string, sometimes any scalar.
fn channel() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::sample::select(&WORDS[..]).prop_map(|w| Value::String(format!("c {w}"))),
        1 => scalar(),
    ]
}

/// A configuration shaped like a real one (enabled, real sections, real keys) whose values are
/// drawn from plausible, wrong and hostile ones, so that many cases get past the loader.
fn plausible() -> impl Strategy<Value = Value> {
    let condition = prop_oneof![
        (
            prop::sample::select(&["source", "medium", "campaign"][..]),
            texts()
        )
            .prop_map(|(field, values)| (field, "in", values)),
        (
            prop::sample::select(&["source", "medium", "campaign"][..]),
            texts()
        )
            .prop_map(|(field, values)| (field, "matches", values)),
        mostly(&["partner.example", "example.org"]).prop_map(|v| ("referrer_host", "in", v)),
        mostly(&["gclid", "fbclid"]).prop_map(|v| ("click_id", "in", v)),
        Just(("click_id", "any", Value::Null)),
        texts().prop_map(|v| ("x", "in", v)),
    ];
    let rule = (channel(), condition).prop_map(|(channel, (field, op, values))| {
        let condition: Value = match op {
            "any" => Value::String("any".into()),
            "matches" => {
                let pattern = values[0].as_str().unwrap_or("^a").to_string();
                let mut m = Mapping::new();
                m.insert("matches".into(), Value::String(pattern));
                Value::Mapping(m)
            }
            _ => {
                let mut m = Mapping::new();
                m.insert("in".into(), values);
                Value::Mapping(m)
            }
        };
        let mut when = Mapping::new();
        when.insert(field.into(), condition);
        let mut rule = Mapping::new();
        rule.insert("channel".into(), channel);
        rule.insert("when".into(), Value::Mapping(when));
        Value::Mapping(rule)
    });
    let schema = prop_oneof![
        4 => prop::sample::select(&["SEGMENT_LIVE", "raw", "_x1"][..])
            .prop_map(|s| Value::String(s.into())),
        1 => scalar(),
    ];
    (
        prop::sample::select(&["nexus", "ga4", "nexus", "ga4", "nexus", "ga4", "ga5"][..]),
        prop::collection::vec(rule, 0..4),
        (
            mostly(&["example.com", "pay.example.org", "stripe.com"]),
            mostly(&["gclid", "fbclid", "msclkid", "my_click"]),
        ),
        prop::collection::vec(any::<bool>(), 5),
        prop::sample::select(&["all", "mapping", "all", "mapping", "junk"][..]),
        mostly(&["context_locale", "context_ip_country", "plan"]),
        schema,
    )
        .prop_map(
            |(classifier, rules, lists, caps, traits, passthrough, schema)| {
                let (exclusions, click_ids) = lists;
                let mut attribution = Mapping::new();
                attribution.insert("classifier".into(), classifier.into());
                attribution.insert("channel_rules".into(), Value::Sequence(rules));
                attribution.insert("referral_exclusions".into(), exclusions);
                attribution.insert("click_ids".into(), click_ids);
                let mut capabilities = Mapping::new();
                for (name, on) in ["events", "persons", "groups", "memberships", "attribution"]
                    .into_iter()
                    .zip(caps.iter())
                {
                    // Memberships without groups is refused; keep that refusal to the other trees.
                    let on = *on && (name != "memberships" || caps[2]);
                    capabilities.insert(name.into(), Value::Bool(on));
                }
                let traits: Value = match traits {
                    "all" => serde_yaml::from_str("{identifies: all, groups: all}").unwrap(),
                    "mapping" => {
                        serde_yaml::from_str("{identifies: {email: email, plan: plan}}").unwrap()
                    }
                    _ => serde_yaml::from_str("{identifies: everything}").unwrap(),
                };
                let mut events = Mapping::new();
                events.insert("passthrough_columns".into(), passthrough);
                let mut location = Mapping::new();
                location.insert("schema".into(), schema);
                let mut segment = Mapping::new();
                segment.insert("enabled".into(), Value::Bool(true));
                segment.insert("location".into(), Value::Mapping(location));
                segment.insert("capabilities".into(), Value::Mapping(capabilities));
                segment.insert("traits".into(), traits);
                segment.insert("events".into(), Value::Mapping(events));
                segment.insert("attribution".into(), Value::Mapping(attribution));
                Value::Mapping(segment)
            },
        )
}

/// The same configuration reading two Segment sources: its location, named `web`, and a
/// `server` source in a schema of its own.
fn with_two_sources(mut segment: Value) -> Value {
    let Value::Mapping(map) = &mut segment else {
        return segment;
    };
    let mut web = match map.remove("location") {
        Some(Value::Mapping(location)) => location,
        _ => Mapping::new(),
    };
    web.insert("name".into(), "web".into());
    let server = serde_yaml::from_str("{name: server, schema: SERVER}").expect("a source");
    map.insert(
        "location".into(),
        Value::Sequence(vec![Value::Mapping(web), server]),
    );
    segment
}

/// The project text holding `segment` under `vars.nexus.segment`.
fn project(segment: &Value) -> String {
    let mut nexus = Mapping::new();
    nexus.insert("segment".into(), segment.clone());
    let mut vars = Mapping::new();
    vars.insert("nexus".into(), Value::Mapping(nexus));
    let mut root = Mapping::new();
    root.insert("vars".into(), Value::Mapping(vars));
    serde_yaml::to_string(&Value::Mapping(root)).expect("a tree serialises")
}

/// Loads a project text and, when it is a usable configuration, compiles and validates it in
/// every dialect; returns whether it compiled. Panics (the property fails) only when a compile
/// that succeeded is rejected by the validator, or when anything panics on the way.
fn compile_everything(text: &str) -> bool {
    let Ok(loaded) = nexus_config::load_text("fuzz.yml", text) else {
        return false;
    };
    let catalog = nexus_config::Catalog::standard();
    for dialect in Dialect::ALL {
        let options = nexus_compiler::CompileOptions {
            dialect,
            target_schema: "nexus".into(),
            relations: nexus_compiler::RelationStyle::Qualified,
        };
        let Ok(compiled) = nexus_compiler::compile(&loaded.config, &catalog, &options) else {
            return false;
        };
        if let Err(d) = nexus_validator::validate(&compiled) {
            panic!("{dialect}: compiled but invalid SQL for\n{text}\n{d:#?}");
        }
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn any_text_is_loaded_or_refused_without_panicking(text in "(?s).{0,300}") {
        compile_everything(&text);
    }

    #[test]
    fn any_configuration_tree_compiles_to_valid_sql_or_a_diagnostic(
        segment in tree(),
        enabled in any::<bool>(),
    ) {
        let mut segment = segment;
        if let (Value::Mapping(map), true) = (&mut segment, enabled) {
            map.insert(Value::String("enabled".into()), Value::Bool(true));
        }
        compile_everything(&project(&segment));
    }
}

/// Runs `plausible()` configurations, shaped by `shape`, through the whole compile path from a
/// fixed seed, so the share of compiling cases that the assertion checks stays stable; returns
/// how many compiled.
fn run_plausible(shape: fn(Value) -> Value) -> u32 {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let cases = cases();
    let mut runner = TestRunner::new_with_rng(Config::with_cases(cases), rng);
    let compiled = std::cell::Cell::new(0u32);
    runner
        .run(&plausible(), |segment| {
            if compile_everything(&project(&shape(segment))) {
                compiled.set(compiled.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "{} of {cases} plausible configurations compiled",
        compiled.get()
    );
    // Without this the property could pass by refusing everything.
    assert!(
        compiled.get() >= cases / 10,
        "only {} of {cases} plausible configurations compiled",
        compiled.get()
    );
    compiled.get()
}

#[test]
fn plausible_configurations_compile_to_valid_sql_or_a_diagnostic_and_many_compile() {
    run_plausible(|segment| segment);
}

#[test]
fn plausible_configurations_of_two_sources_compile_as_their_single_source_forms_do() {
    let single = run_plausible(|segment| segment);
    assert_eq!(run_plausible(with_two_sources), single);
}
