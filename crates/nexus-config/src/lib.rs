//! Configuration for nexus: finds `dbt_project.yml` (or `--config`), merges `--vars`, reads the
//! `vars.nexus.segment` block and checks it into a [`Config`]. Also owns the column [`Catalog`]
//! and the [`Diagnostic`] type every stage reports problems with.

mod catalog;
mod config;
mod dbt_project;
mod diagnostic;
mod load;
mod names;
mod position;
mod raw;
mod resolve;

use std::path::PathBuf;

pub use catalog::{Catalog, REQUIRED_COLUMNS};
pub use config::*;
pub use dbt_project::DbtPaths;
pub use diagnostic::{did_you_mean, Diagnostic, Location, SourceText};
pub use load::{ConfigSource, PROJECT_FILE, SEGMENT_PATH};
pub use names::{is_domain, is_sql_identifier, is_value_name};
pub use resolve::{EVENT_COLUMNS, SOURCE_COLUMN, TOUCHPOINT_COLUMNS, TOUCHPOINT_KEY_COLUMN};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read '{}': {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "no {PROJECT_FILE} in '{}' or any parent directory (use --project-dir or --config)",
        .0.display()
    )]
    ProjectNotFound(PathBuf),
    #[error("the configuration has {} error(s)", .0.len())]
    Invalid(Vec<Diagnostic>),
}

/// A checked configuration and the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub config: Config,
}

/// Loads, merges and checks the configuration named by `source`.
pub fn load(source: &ConfigSource) -> Result<Loaded, Error> {
    let (path, tree) = load::load(source)?;
    check(path, &tree)
}

/// Loads and checks a project text that is not a file on disk (the demo's built-in project);
/// `name` is what diagnostics call it.
pub fn load_text(name: &str, text: &str) -> Result<Loaded, Error> {
    let file = SourceText {
        name: name.to_string(),
        text: text.to_string(),
    };
    let tree = load::load_text(file, None)?;
    check(PathBuf::from(name), &tree)
}

/// Diagnostics sorted by where they point, so a file's problems read top to bottom; those
/// without a place keep their order, after the others.
fn in_file_order(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by_key(|d| match &d.location {
        Some(l) => (0, l.source.name.clone(), l.offset),
        None => (1, String::new(), 0),
    });
    diagnostics
}

fn check(path: PathBuf, tree: &load::Loaded) -> Result<Loaded, Error> {
    let (raw, mut diagnostics) = load::deserialize(tree);
    let config = match resolve::resolve(raw, tree) {
        Ok(config) if diagnostics.is_empty() => config,
        Ok(_) => return Err(Error::Invalid(in_file_order(diagnostics))),
        Err(mut more) => {
            diagnostics.append(&mut more);
            return Err(Error::Invalid(in_file_order(diagnostics)));
        }
    };
    tracing::debug!(path = %path.display(), "configuration loaded");
    Ok(Loaded { path, config })
}
