//! The steps every command shares: load the configuration and the catalog, compile.

use nexus_compiler::{compile as compile_models, CompileOptions, Compiled, Dialect, RelationStyle};
use nexus_config::{Catalog, Config, ConfigSource, Diagnostic, Loaded};

use crate::cli::{ConfigArgs, ProjectArgs};
use crate::Failure;

/// The checked configuration named by the command line.
pub fn load_config(args: &ProjectArgs) -> Result<Loaded, Failure> {
    let source = ConfigSource {
        project_dir: args.project_dir.clone(),
        config_file: args.config.clone(),
        vars: args.vars.clone(),
    };
    nexus_config::load(&source).map_err(config_failure)
}

/// The configuration and the catalog given with `--catalog` (else the standard one).
pub fn load(args: &ConfigArgs) -> Result<(Loaded, Catalog), Failure> {
    let loaded = load_config(&args.project)?;
    let catalog = match &args.catalog {
        None => Catalog::standard(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::CouldNotRun(anyhow::anyhow!(
                    "cannot read catalog '{}': {e}",
                    path.display()
                ))
            })?;
            Catalog::from_json(&path.display().to_string(), &text, &loaded.config)
                .map_err(|d| Failure::Found(vec![d]))?
        }
    };
    Ok((loaded, catalog))
}

pub fn config_failure(error: nexus_config::Error) -> Failure {
    match error {
        nexus_config::Error::Invalid(diagnostics) => Failure::Found(diagnostics),
        other => Failure::CouldNotRun(other.into()),
    }
}

pub fn require_enabled(loaded: &Loaded) -> Result<(), Failure> {
    if loaded.config.enabled {
        return Ok(());
    }
    Err(Failure::Found(vec![Diagnostic::error(format!(
        "nexus is disabled in '{}'",
        loaded.path.display()
    ))
    .with_key_path("vars.nexus.segment.enabled")
    .with_help(
        "set vars.nexus.segment.enabled: true to build the Segment models",
    )]))
}

pub fn compile(
    config: &Config,
    catalog: &Catalog,
    dialect: Dialect,
    schema: &str,
    relations: RelationStyle,
) -> Result<Compiled, Failure> {
    let options = CompileOptions {
        dialect,
        target_schema: schema.to_string(),
        relations,
    };
    compile_models(config, catalog, &options).map_err(Failure::Found)
}
