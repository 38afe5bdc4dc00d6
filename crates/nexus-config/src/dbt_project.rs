//! The few keys of a dbt project's own `dbt_project.yml` that `--format dbt` needs to lay its
//! files out where dbt looks: `model-paths` and `macro-paths`, with dbt's defaults.

use std::path::{Component, Path};

use serde::Deserialize;

use crate::{Diagnostic, Error, PROJECT_FILE};

/// Where a dbt project keeps its models and macros, relative to the project folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbtPaths {
    pub model_paths: Vec<String>,
    pub macro_paths: Vec<String>,
}

/// The keys read, as dbt spells them; every other key of the file is dbt's business.
#[derive(Debug, Deserialize)]
struct RawDbtProject {
    #[serde(rename = "model-paths")]
    model_paths: Option<Vec<String>>,
    #[serde(rename = "macro-paths")]
    macro_paths: Option<Vec<String>>,
}

impl DbtPaths {
    /// Reads `dbt_project.yml` in `project_dir`.
    pub fn read(project_dir: &Path) -> Result<DbtPaths, Error> {
        let path = project_dir.join(PROJECT_FILE);
        if !path.is_file() {
            return Err(Error::ProjectNotFound(project_dir.to_path_buf()));
        }
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        DbtPaths::parse(&path.display().to_string(), &text).map_err(|d| Error::Invalid(vec![d]))
    }

    /// Parses a project text; `name` is what diagnostics call it.
    pub fn parse(name: &str, text: &str) -> Result<DbtPaths, Diagnostic> {
        let raw: RawDbtProject = serde_yaml::from_str(text).map_err(|e| {
            Diagnostic::error(format!("cannot read the dbt paths of '{name}': {e}"))
        })?;
        let paths = DbtPaths {
            model_paths: raw.model_paths.unwrap_or_else(|| vec!["models".into()]),
            macro_paths: raw.macro_paths.unwrap_or_else(|| vec!["macros".into()]),
        };
        check_paths(name, "model-paths", &paths.model_paths)?;
        check_paths(name, "macro-paths", &paths.macro_paths)?;
        Ok(paths)
    }

    /// The folder dbt reads models from first.
    pub fn models(&self) -> &str {
        &self.model_paths[0]
    }

    /// The folder dbt reads macros (and generic tests in them) from first.
    pub fn macros(&self) -> &str {
        &self.macro_paths[0]
    }
}

/// A path list must name at least one folder, each inside the project, so generated files can
/// never land outside it.
fn check_paths(name: &str, key: &str, paths: &[String]) -> Result<(), Diagnostic> {
    let Some(first) = paths.first() else {
        return Err(Diagnostic::error(format!("'{key}' in '{name}' is empty"))
            .with_key_path(key)
            .with_help(format!(
                "name at least one folder, e.g. {key}: [\"models\"]"
            )));
    };
    let inside = Path::new(first)
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if inside && !first.is_empty() {
        return Ok(());
    }
    Err(Diagnostic::error(format!(
        "'{key}' in '{name}' starts with '{first}', which is not a folder inside the project"
    ))
    .with_key_path(key)
    .with_help("nexus writes only inside the dbt project: use a relative path without '..'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_dbts() {
        let paths = DbtPaths::parse("p", "name: shop\n").unwrap();
        assert_eq!(paths.models(), "models");
        assert_eq!(paths.macros(), "macros");
    }

    #[test]
    fn the_first_configured_path_wins() {
        let text = "model-paths: [dbt/models, more]\nmacro-paths: [dbt/macros]\n";
        let paths = DbtPaths::parse("p", text).unwrap();
        assert_eq!(paths.models(), "dbt/models");
        assert_eq!(paths.macros(), "dbt/macros");
    }

    #[test]
    fn paths_outside_the_project_are_refused() {
        for text in [
            "model-paths: [../elsewhere]",
            "macro-paths: [/abs]",
            "model-paths: []",
        ] {
            let error = DbtPaths::parse("p", text).unwrap_err();
            assert!(error.message.contains("paths"), "{text}: {}", error.message);
        }
    }
}
