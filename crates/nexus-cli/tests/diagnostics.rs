//! Every bad configuration under `tests/fixtures/bad/` through `nexus compile`: exit 1, nothing
//! written, and the rendered diagnostics (plain, as without a terminal) match their reviewed
//! snapshot in `snapshots/diagnostics/`.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::*;

/// The fixture names, sorted.
fn bad_configs() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/fixtures/bad"))
        .expect("tests/fixtures/bad")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".yml").map(str::to_string))
        .collect();
    names.sort();
    names
}

/// Stderr of compiling one bad configuration, checked for exit 1 and an untouched output folder.
fn diagnostics(name: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("models");
    let config = format!("tests/fixtures/bad/{name}.yml");
    let output = Command::new(env!("CARGO_BIN_EXE_nexus"))
        .current_dir(repo())
        .args(["compile", "--config", &config, "--color", "never", "--out"])
        .arg(&target)
        .env_remove("NEXUS_LOG")
        .output()
        .expect("nexus runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
    assert!(!target.exists(), "{name}: nothing may be written");
    assert!(output.stdout.is_empty(), "{name}: results only on success");
    stderr
}

#[test]
fn there_are_at_least_thirty_bad_configurations_each_saying_what_it_exercises() {
    let names = bad_configs();
    assert!(names.len() >= 30, "only {} bad configurations", names.len());
    for name in names {
        let text =
            std::fs::read_to_string(repo().join(format!("tests/fixtures/bad/{name}.yml"))).unwrap();
        assert!(
            text.starts_with("# "),
            "{name}.yml must open with a comment"
        );
    }
}

#[test]
fn every_bad_configuration_renders_its_reviewed_diagnostic() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("snapshots/diagnostics"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for name in bad_configs() {
            insta::assert_snapshot!(name.clone(), diagnostics(&name));
        }
    });
}

#[test]
fn no_diagnostic_snapshot_is_unreferenced() {
    let expected: BTreeSet<String> = bad_configs().iter().map(|n| format!("{n}.snap")).collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(repo().join("snapshots/diagnostics"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".snap"))
                .collect()
        })
        .unwrap_or_default();
    let stale: Vec<&String> = on_disk.difference(&expected).collect();
    assert!(stale.is_empty(), "snapshots without a fixture: {stale:?}");
}
