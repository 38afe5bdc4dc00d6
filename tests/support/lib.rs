//! Helpers shared by the cross-crate tests: fixture paths, compiling a fixture, a DuckDB with
//! fixture source tables, row queries, ids computed independently from SPEC §4's text, and the
//! glue that runs models on other engines (`engines`).

mod engines;

use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use nexus_compiler::{compile, CompileOptions, Compiled, Dialect, RelationStyle};
use nexus_config::{Catalog, Config, ConfigSource};

pub use engines::*;

/// Scenarios that must compile and build, each a folder under `tests/fixtures/` whose
/// `dbt_project.yml` opens with a comment saying what it exercises.
pub const SCENARIOS: [&str; 9] = [
    "default",
    "capabilities_off",
    "custom_location",
    "missing_columns",
    "ga4_rules",
    "groups",
    "event_properties",
    "incremental",
    "several_sources",
];

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// The checked configuration of `tests/fixtures/<name>/dbt_project.yml`.
pub fn load_config(name: &str) -> Config {
    let source = ConfigSource {
        project_dir: Some(fixture(name)),
        ..ConfigSource::default()
    };
    match nexus_config::load(&source) {
        Ok(loaded) => loaded.config,
        Err(nexus_config::Error::Invalid(d)) => panic!("fixture '{name}' is invalid: {d:#?}"),
        Err(e) => panic!("fixture '{name}': {e}"),
    }
}

/// The catalog a fixture declares in `catalog.json`, else the standard one.
pub fn fixture_catalog(name: &str, config: &Config) -> Catalog {
    let path = fixture(name).join("catalog.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            Catalog::from_json("catalog.json", &text, config).expect("fixture catalog parses")
        }
        Err(_) => Catalog::standard(),
    }
}

pub fn compile_with(config: &Config, catalog: &Catalog, schema: &str) -> Compiled {
    compile_for(config, catalog, schema, Dialect::Duckdb)
}

/// Compiles for DuckDB with relations written in `style`.
pub fn compile_styled(
    config: &Config,
    catalog: &Catalog,
    schema: &str,
    style: RelationStyle,
) -> Compiled {
    compile_options(config, catalog, schema, Dialect::Duckdb, style)
}

/// Compiles for `dialect` with fully qualified relations.
pub fn compile_for(config: &Config, catalog: &Catalog, schema: &str, dialect: Dialect) -> Compiled {
    compile_options(config, catalog, schema, dialect, RelationStyle::Qualified)
}

fn compile_options(
    config: &Config,
    catalog: &Catalog,
    schema: &str,
    dialect: Dialect,
    style: RelationStyle,
) -> Compiled {
    let options = CompileOptions {
        dialect,
        target_schema: schema.into(),
        relations: style,
    };
    compile(config, catalog, &options).unwrap_or_else(|d| panic!("compile failed: {d:#?}"))
}

/// An in-memory DuckDB holding the source tables of `tests/fixtures/sources/<name>.sql`.
pub fn database(sources: &str) -> duckdb::Connection {
    let conn = nexus_runner::open(":memory:").expect("in-memory DuckDB opens");
    let sql = std::fs::read_to_string(fixture("sources").join(format!("{sources}.sql")))
        .expect("source fixture");
    conn.execute_batch(&sql).expect("source fixture loads");
    conn
}

/// Every row of a query, each value as DuckDB's text for it and NULL as "NULL".
pub fn rows(conn: &duckdb::Connection, sql: &str) -> Vec<Vec<String>> {
    let sql = format!("select columns(*)::varchar from ({sql})");
    let mut stmt = conn.prepare(&sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let mut out = Vec::new();
    let mut result = stmt.query([]).expect("query runs");
    while let Some(row) = result.next().expect("row") {
        let n = row.as_ref().column_count();
        let values = (0..n).map(|i| {
            row.get::<_, Option<String>>(i)
                .expect("text")
                .unwrap_or_else(|| "NULL".into())
        });
        out.push(values.collect());
    }
    out
}

/// One text value.
pub fn scalar(conn: &duckdb::Connection, sql: &str) -> String {
    rows(conn, sql)
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .unwrap_or_else(|| "NULL".into())
}

/// `<prefix>_` + md5 of the parts joined with `-`, NULL parts written `_null_` (SPEC §4).
pub fn expected_id(prefix: &str, parts: &[Option<&str>]) -> String {
    let text: Vec<&str> = parts.iter().map(|p| p.unwrap_or("_null_")).collect();
    let digest = Md5::digest(text.join("-").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}_{hex}")
}

/// The checked configuration of a project text (`name` is what diagnostics call it).
pub fn config_text(name: &str, yaml: &str) -> Config {
    match nexus_config::load_text(name, yaml) {
        Ok(loaded) => loaded.config,
        Err(nexus_config::Error::Invalid(d)) => panic!("'{name}' is invalid: {d:#?}"),
        Err(e) => panic!("'{name}': {e}"),
    }
}

/// Compiles for the database's own catalog, validates, builds every model into `schema` and
/// asserts that every data test passes.
pub fn build_checked(conn: &duckdb::Connection, config: &Config, schema: &str) -> Compiled {
    let catalog = nexus_runner::introspect_catalog(conn, config).expect("catalog");
    let compiled = compile_with(config, &catalog, schema);
    nexus_validator::validate(&compiled).expect("models validate");
    nexus_runner::build(conn, &compiled, &[], nexus_runner::Refresh::Full, |_| {})
        .expect("models build");
    let outcomes = nexus_runner::run_data_tests(conn, &compiled, |_| {}).expect("tests run");
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed())
        .map(|o| format!("{}.{} {}", o.test.model, o.test.column, o.test.test.name()))
        .collect();
    assert!(failed.is_empty(), "data tests failed: {failed:?}");
    compiled
}
