//! Snapshots of every model's SQL (and the manifest) for each scenario under `tests/fixtures/`
//! that compiles, in every dialect, and of every file of the dbt output for one scenario,
//! reviewed with `cargo insta review`. Also rejects snapshot files that no scenario produces any
//! more, so a removed model cannot leave a stale snapshot behind.

use std::collections::BTreeSet;

use nexus_compiler::{output_files, DbtLayout, Dialect, Format, RelationStyle};
use nexus_tests::*;

/// The scenario whose dbt output is snapshotted: it has a database, custom table names,
/// passthrough columns and custom identifiers and traits.
const DBT_SCENARIO: &str = "custom_location";

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo_root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// Snapshot name prefix: DuckDB's keep the scenario alone, the other dialects add their name.
fn prefix(scenario: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Duckdb => scenario.to_string(),
        _ => format!("{scenario}__{dialect}"),
    }
}

fn snapshot_names() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for scenario in SCENARIOS {
        let config = load_config(scenario);
        let catalog = fixture_catalog(scenario, &config);
        for dialect in Dialect::ALL {
            let compiled = compile_for(&config, &catalog, "nexus", dialect);
            nexus_validator::validate(&compiled)
                .unwrap_or_else(|d| panic!("{scenario} {dialect}: {d:#?}"));
            let mut files = output_files(&compiled, &Format::Sql, &[]).expect("files");
            // An incremental run is a script of statements, only written by the ddl format.
            if config.materialization == nexus_config::Materialization::Incremental {
                let ddl = output_files(&compiled, &Format::Ddl, &[]).expect("ddl files");
                files.extend(ddl.into_iter().filter(|f| f.path == "run.sql"));
            }
            for file in files {
                let stem = file.path.trim_end_matches(".sql").replace('.', "_");
                out.push((
                    format!("{}__{stem}", prefix(scenario, dialect)),
                    file.contents,
                ));
            }
        }
    }
    out.extend(dbt_snapshot_names());
    out
}

fn dbt_snapshot_names() -> Vec<(String, String)> {
    let config = load_config(DBT_SCENARIO);
    let catalog = fixture_catalog(DBT_SCENARIO, &config);
    let compiled = compile_styled(&config, &catalog, "nexus", RelationStyle::Dbt);
    let layout = Format::Dbt(DbtLayout::in_project("models", "macros"));
    let files = output_files(&compiled, &layout, &[]).expect("dbt files");
    files
        .into_iter()
        .map(|file| {
            let name = file.path.rsplit('/').next().unwrap_or(&file.path);
            let stem = name.trim_start_matches('_').replace('.', "_");
            (format!("{DBT_SCENARIO}__dbt__{stem}"), file.contents)
        })
        .collect()
}

#[test]
fn every_model_of_every_scenario_matches_its_snapshot() {
    let settings = settings();
    settings.bind(|| {
        for (name, contents) in snapshot_names() {
            insta::assert_snapshot!(name, contents);
        }
    });
}

#[test]
fn no_snapshot_file_is_unreferenced() {
    let expected: BTreeSet<String> = snapshot_names()
        .into_iter()
        .map(|(n, _)| format!("{n}.snap"))
        .collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(repo_root().join("snapshots"))
        .expect("snapshots folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".snap"))
        .collect();
    let unreferenced: Vec<&String> = on_disk.difference(&expected).collect();
    assert!(
        unreferenced.is_empty(),
        "snapshots no scenario produces: {unreferenced:?}"
    );
}

#[test]
fn compiling_twice_gives_byte_identical_output() {
    let config = load_config("custom_location");
    let catalog = fixture_catalog("custom_location", &config);
    let first = output_files(&compile_with(&config, &catalog, "nexus"), &Format::Ddl, &[]).unwrap();
    let second =
        output_files(&compile_with(&config, &catalog, "nexus"), &Format::Ddl, &[]).unwrap();
    assert_eq!(first, second);
}
