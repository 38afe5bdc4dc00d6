//! `nexus compile`: load, resolve, render, validate, then write (or `--check`) the files of the
//! chosen output format. `--format dbt` writes into a dbt project: the folder given with `--out`,
//! else the one holding the configuration, laid out by that project's own `dbt_project.yml`.

use std::path::{Path, PathBuf};

use nexus_compiler::{output_files, DbtLayout, Format, RelationStyle};
use nexus_config::{DbtPaths, Loaded};

use crate::cli::{CompileArgs, FormatArg};
use crate::{context, write, Failure};

pub fn run(args: &CompileArgs) -> Result<(), Failure> {
    let (loaded, catalog) = context::load(&args.config)?;
    context::require_enabled(&loaded)?;
    let out = out_folder(args, &loaded);
    let format = format(args.format, &out)?;
    let schema = loaded
        .config
        .target
        .schema
        .clone()
        .unwrap_or_else(|| "nexus".into());
    let relations = match format {
        Format::Dbt(_) => RelationStyle::Dbt,
        Format::Sql | Format::Ddl => RelationStyle::Qualified,
    };

    let dialect = args.config.dialect;
    let compiled = context::compile(&loaded.config, &catalog, dialect, &schema, relations)?;
    nexus_compiler::check_selection(&compiled, &args.select).map_err(Failure::Found)?;

    // The dbt output wraps the plain SQL of the same models, so validating that covers both.
    nexus_validator::validate(&compiled).map_err(Failure::Found)?;

    let files =
        output_files(&compiled, &format, &args.select).map_err(|d| Failure::Found(vec![d]))?;
    if args.check {
        return report_drift(write::check(&out, &files));
    }
    write::guard(&out, &files, args.force).map_err(Failure::Found)?;
    let outcome = write::write(&out, &files).map_err(Failure::CouldNotRun)?;
    for path in &outcome.written {
        println!("wrote {}", path.display());
    }
    for path in &outcome.removed {
        println!("removed {}", path.display());
    }
    tracing::info!(
        written = outcome.written.len(),
        unchanged = outcome.unchanged.len(),
        removed = outcome.removed.len(),
        "compiled {} models",
        compiled.models.len()
    );
    Ok(())
}

/// `--out`, else `target/nexus`, else for dbt the project the configuration was read from.
fn out_folder(args: &CompileArgs, loaded: &Loaded) -> PathBuf {
    if let Some(out) = &args.out {
        return out.clone();
    }
    match args.format {
        FormatArg::Dbt => loaded
            .path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        FormatArg::Sql | FormatArg::Ddl => PathBuf::from("target/nexus"),
    }
}

fn format(arg: FormatArg, out: &Path) -> Result<Format, Failure> {
    match arg {
        FormatArg::Sql => Ok(Format::Sql),
        FormatArg::Ddl => Ok(Format::Ddl),
        FormatArg::Dbt => {
            let paths = DbtPaths::read(out).map_err(|e| dbt_project_failure(e, out))?;
            Ok(Format::Dbt(DbtLayout::in_project(
                paths.models(),
                paths.macros(),
            )))
        }
    }
}

/// `--format dbt` only ever writes into a folder that is a dbt project.
fn dbt_project_failure(error: nexus_config::Error, out: &Path) -> Failure {
    match error {
        nexus_config::Error::ProjectNotFound(_) => Failure::CouldNotRun(anyhow::anyhow!(
            "--format dbt writes into a dbt project, and '{}' has no dbt_project.yml; \
             pass --out <your dbt project folder>",
            out.display()
        )),
        other => context::config_failure(other),
    }
}

fn report_drift(drift: write::Drift) -> Result<(), Failure> {
    for path in &drift.changed {
        println!("out of date: {}", path.display());
    }
    for path in &drift.stale {
        println!("stale: {}", path.display());
    }
    if drift.changed.is_empty() && drift.stale.is_empty() {
        println!("up to date");
        Ok(())
    } else {
        Err(Failure::Drift(drift.changed.len() + drift.stale.len()))
    }
}
