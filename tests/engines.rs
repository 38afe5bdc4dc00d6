//! The same models on every warehouse (SPEC §4, §8): the fixture source tables of
//! `tests/fixtures/sources/basic.sql` are loaded into PostgreSQL and Apache Spark, every model is
//! built there from the SQL emitted for that dialect, and every row, ids included, must equal
//! DuckDB's, and the data tests rendered for the dialect must pass there. Snowflake, BigQuery
//! and Redshift do not run here, so every model and its DDL must parse in those dialects with
//! sqlparser and, independently, with sqlglot.

use nexus_compiler::{output_files, Compiled, Dialect, Format};
use nexus_config::{Catalog, Config};
use nexus_tests::*;
use serde_json::{json, Value};

/// Scenarios whose configuration fits the `basic` source tables: executed on every engine.
const EXECUTED: [&str; 3] = ["default", "capabilities_off", "ga4_rules"];

/// The fixture sources on DuckDB, their catalog and an engine-neutral export of them.
fn sources() -> (duckdb::Connection, Catalog, Vec<SourceTable>) {
    let conn = database("basic");
    let config = load_config("default");
    let catalog = nexus_runner::introspect_catalog(&conn, &config).expect("catalog");
    let tables = export_sources(&conn, &config.sources[0].schema);
    assert_eq!(tables.len(), 3, "TRACKS, PAGES and IDENTIFIES exported");
    (conn, catalog, tables)
}

/// Every model's rows on DuckDB, canonical and sorted: the reference.
fn duckdb_rows(conn: &duckdb::Connection, config: &Config, catalog: &Catalog) -> Vec<Model> {
    let compiled = compile_for(config, catalog, "nexus", Dialect::Duckdb);
    nexus_runner::build(conn, &compiled, &[], |_| {}).expect("models build on DuckDB");
    let models = compiled.models.iter().map(|m| Model {
        name: m.plan.name.clone(),
        rows: canonical_rows(text_rows(conn, &format!("select * from {}", m.relation))),
    });
    let models: Vec<Model> = models.collect();
    let events = models.iter().find(|m| m.name == "segment_events");
    assert!(
        events.is_none_or(|m| m.rows.len() == 15),
        "the reference holds the fixture's events"
    );
    models
}

#[derive(Debug, PartialEq)]
struct Model {
    name: String,
    rows: Vec<Vec<String>>,
}

fn assert_same_rows(engine: &str, scenario: &str, expected: &[Model], got: &[Model]) {
    let names = |m: &[Model]| m.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(got),
        names(expected),
        "{engine} {scenario}: models built"
    );
    for (want, have) in expected.iter().zip(got) {
        assert!(
            !want.rows.is_empty(),
            "{scenario}: {} has rows on DuckDB",
            want.name
        );
        assert_eq!(
            have.rows, want.rows,
            "{engine} {scenario}: rows of {} differ from DuckDB's",
            want.name
        );
    }
}

#[test]
fn postgres_builds_every_model_with_the_rows_and_ids_of_duckdb_and_passes_the_data_tests() {
    let (conn, catalog, tables) = sources();
    for scenario in EXECUTED {
        let config = load_config(scenario);
        let expected = duckdb_rows(&conn, &config, &catalog);
        let pg = Postgres::fresh(&format!("nexus_test_{scenario}"));
        pg.load(&tables);
        let compiled = compile_for(&config, &catalog, "nexus", Dialect::Postgres);
        nexus_validator::validate(&compiled).expect("models validate for postgres");
        pg.build(&compiled);
        let got: Vec<Model> = compiled
            .models
            .iter()
            .map(|m| Model {
                name: m.plan.name.clone(),
                rows: canonical_rows(pg.rows(&m.relation, &m.plan.column_names())),
            })
            .collect();
        assert_same_rows("postgres", scenario, &expected, &got);
        assert_data_tests_pass(&pg, &compiled, scenario);
    }
}

/// The data tests of SPEC §7, rendered for Postgres, find no failing row there either.
fn assert_data_tests_pass(pg: &Postgres, compiled: &Compiled, scenario: &str) {
    let tests = compiled.data_tests().expect("data tests render");
    assert!(tests.len() > 20, "{scenario}: data tests rendered");
    let queries: Vec<String> = tests.iter().map(|t| t.sql.clone()).collect();
    let counts = pg.row_counts(&queries);
    assert_eq!(
        counts.len(),
        tests.len(),
        "{scenario}: one count per data test"
    );
    let failing: Vec<String> = tests
        .iter()
        .zip(&counts)
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| format!("{}.{} {}: {n} rows", t.model, t.column, t.test.name()))
        .collect();
    assert!(
        failing.is_empty(),
        "{scenario}: data tests fail on postgres: {failing:?}"
    );
}

fn spark_scenario(scenario: &str, compiled: &Compiled) -> Value {
    let models: Vec<Value> = compiled
        .models
        .iter()
        .map(|m| json!({"name": m.plan.name, "relation": m.relation, "sql": m.sql}))
        .collect();
    let tests = compiled.data_tests().expect("data tests render");
    let tests: Vec<&str> = tests.iter().map(|t| t.sql.as_str()).collect();
    json!({
        "name": scenario,
        "create_schema": compiled.create_schema().expect("schema DDL"),
        "models": models,
        "data_tests": tests,
    })
}

#[test]
fn spark_builds_every_model_with_the_rows_and_ids_of_duckdb_and_passes_the_data_tests() {
    let (conn, catalog, tables) = sources();
    let mut expected = Vec::new();
    let mut jobs = Vec::new();
    let mut model_names = Vec::new();
    for scenario in EXECUTED {
        let config = load_config(scenario);
        expected.push(duckdb_rows(&conn, &config, &catalog));
        let compiled = compile_for(&config, &catalog, "nexus", Dialect::Databricks);
        nexus_validator::validate(&compiled).expect("models validate for databricks");
        jobs.push(spark_scenario(scenario, &compiled));
        model_names.push(
            compiled
                .models
                .iter()
                .map(|m| m.plan.name.clone())
                .collect::<Vec<_>>(),
        );
    }
    let sources: Vec<Value> = tables.iter().map(SourceTable::to_json).collect();
    let job = json!({"sources": sources, "scenarios": jobs});
    // One Spark session for every scenario: starting Spark takes several seconds.
    let result = python(
        "spark_models.py",
        &job,
        &[("SPARK_LOCAL_IP", "127.0.0.1"), ("TZ", "UTC")],
    );
    for ((scenario, want), names) in EXECUTED.iter().zip(&expected).zip(&model_names) {
        let got: Vec<Model> = names
            .iter()
            .map(|name| Model {
                name: name.clone(),
                rows: canonical_rows(json_rows(&result[scenario]["models"][name])),
            })
            .collect();
        assert_same_rows("spark", scenario, want, &got);
        let failures = result[scenario]["data_test_failures"]
            .as_array()
            .expect("counts");
        assert!(failures.len() > 20, "{scenario}: data tests ran on Spark");
        assert!(
            failures.iter().all(|n| n == 0),
            "{scenario}: data tests fail on Spark: {failures:?}"
        );
    }
}

/// Every model of every scenario for `dialect`: bare SELECTs and DDL, as files are written.
fn emitted(dialect: Dialect) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for scenario in SCENARIOS {
        let config = load_config(scenario);
        let catalog = fixture_catalog(scenario, &config);
        let compiled = compile_for(&config, &catalog, "nexus", dialect);
        nexus_validator::validate(&compiled)
            .unwrap_or_else(|d| panic!("{scenario} does not validate for {dialect}: {d:#?}"));
        for format in [Format::Sql, Format::Ddl] {
            let files = output_files(&compiled, &format, &[]).expect("files");
            let sql = files.into_iter().filter(|f| f.path.ends_with(".sql"));
            out.extend(sql.map(|f| (format!("{scenario}/{format:?}/{}", f.path), f.contents)));
        }
    }
    out
}

fn sqlglot_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => "postgres",
        Dialect::Redshift => "redshift",
        Dialect::Snowflake => "snowflake",
        Dialect::Bigquery => "bigquery",
        Dialect::Databricks => "databricks",
        Dialect::Duckdb => "duckdb",
    }
}

#[test]
fn every_model_and_its_ddl_parse_with_sqlparser_and_sqlglot_in_every_dialect() {
    let mut items = Vec::new();
    for dialect in Dialect::ALL {
        let parser = nexus_validator::sql_dialect(dialect);
        for (name, sql) in emitted(dialect) {
            if let Err(e) = sqlparser::parser::Parser::parse_sql(parser.as_ref(), &sql) {
                panic!("sqlparser ({dialect}) rejects {name}: {e}\n{sql}");
            }
            items.push(json!({"dialect": sqlglot_name(dialect), "name": name, "sql": sql}));
        }
    }
    let result = python("sqlglot_parse.py", &Value::from(items.clone()), &[]);
    assert_eq!(result["failures"], json!([]), "sqlglot rejects models");
    assert_eq!(
        result["parsed"],
        json!(items.len()),
        "sqlglot parsed every file"
    );
}
