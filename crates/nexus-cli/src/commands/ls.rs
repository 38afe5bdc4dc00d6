//! `nexus ls`: the models the configuration enables, in dependency order, one per line.

use nexus_compiler::RelationStyle;

use crate::cli::ConfigArgs;
use crate::{context, Failure};

pub fn run(args: &ConfigArgs) -> Result<(), Failure> {
    let (loaded, catalog) = context::load(args)?;
    if !loaded.config.enabled {
        tracing::warn!("nexus is disabled (vars.nexus.segment.enabled is false): no models");
        return Ok(());
    }
    let compiled = context::compile(
        &loaded.config,
        &catalog,
        args.dialect,
        "nexus",
        RelationStyle::Qualified,
    )?;
    for model in &compiled.models {
        println!("{}", model.plan.name);
    }
    Ok(())
}
