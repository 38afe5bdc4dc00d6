//! `nexus ls`: the models the configuration enables, in dependency order, one per line.

use nexus_compiler::RelationStyle;
use nexus_config::{Catalog, Config};

use crate::cli::ConfigArgs;
use crate::{context, Failure};

pub fn run(args: &ConfigArgs) -> Result<(), Failure> {
    let (loaded, catalog) = context::load(args)?;
    if !loaded.config.enabled {
        tracing::warn!("nexus is disabled (vars.nexus.segment.enabled is false): no models");
        return Ok(());
    }
    let catalog = match args.catalog {
        Some(_) => catalog,
        None => with_event_tables(catalog, &loaded.config),
    };
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

/// Which models there are does not depend on an event table's columns, so without `--catalog`
/// each configured event table is taken to hold just its message id: listing then needs no
/// database, where compiling needs the real columns.
fn with_event_tables(catalog: Catalog, config: &Config) -> Catalog {
    let tables = config
        .sources
        .iter()
        .enumerate()
        .flat_map(|(index, source)| source.event_tables.iter().map(move |table| (index, table)));
    tables.fold(catalog, |catalog, (index, table)| {
        catalog.with_event_table(index, table, vec!["id".into()])
    })
}
