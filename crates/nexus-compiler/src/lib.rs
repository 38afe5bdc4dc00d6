//! The nexus compiler: plans the Segment models a checked configuration enables, renders each
//! to SQL for a dialect from the embedded minijinja templates, and lays the results out as the
//! files of an output format. SQL text lives in `templates/`; this crate only decides and wires.

mod dialect;
mod lists;
mod output;
mod plan;
mod render;
mod tests;

use std::collections::BTreeMap;

pub use dialect::Dialect;
pub use output::{is_generated, manifest, output_files, Format, OutputFile, HEADER_MARK};
pub use plan::{
    staging_name, Column, ModelKind, ModelPlan, Plan, EVENTS, PERSON_IDENTIFIERS, PERSON_TRAITS,
    REJECTED_ROWS, STAGED_CALLS, TOUCHPOINTS,
};
pub use render::Renderer;
pub use tests::{DataTest, NEXUS_CHANNELS, REJECT_REASONS, TOUCHPOINT_TYPES};

use nexus_config::{did_you_mean, CallType, Catalog, Config, Diagnostic};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where and how to compile.
#[derive(Debug, Clone)]
pub struct CompileOptions {
    pub dialect: Dialect,
    /// Schema the models are created in (`target.schema`, or the output's default).
    pub target_schema: String,
}

/// One rendered model.
#[derive(Debug, Clone)]
pub struct CompiledModel {
    pub plan: ModelPlan,
    /// The fully qualified relation the model is created as.
    pub relation: String,
    /// One bare `SELECT`.
    pub sql: String,
}

/// All models of one compile, in dependency order, with what is needed to write them out.
#[derive(Debug)]
pub struct Compiled {
    pub dialect: Dialect,
    pub target_schema: String,
    pub models: Vec<CompiledModel>,
    /// Relation text of each configured source table, by call type.
    pub sources: Vec<(CallType, String)>,
    renderer: Renderer,
}

impl Compiled {
    /// The dialect's create-or-replace statement for a model.
    pub fn ddl(&self, model: &CompiledModel) -> Result<String, Diagnostic> {
        self.renderer.render_ddl(&model.relation, &model.sql)
    }

    pub fn create_schema(&self) -> Result<String, Diagnostic> {
        self.renderer
            .render_create_schema(&self.dialect.quote_ident(&self.target_schema))
    }

    pub fn model(&self, name: &str) -> Option<&CompiledModel> {
        self.models.iter().find(|m| m.plan.name == name)
    }
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Renderer")
    }
}

/// Plans and renders every model the configuration enables.
pub fn compile(
    config: &Config,
    catalog: &Catalog,
    options: &CompileOptions,
) -> Result<Compiled, Vec<Diagnostic>> {
    let dialect = options.dialect;
    if !dialect.is_implemented() {
        return Err(vec![Diagnostic::error(format!(
            "dialect '{dialect}' is not supported yet"
        ))
        .with_help("use --dialect duckdb")]);
    }
    let plan = plan::plan(config, catalog, dialect)?;

    let relations = relations(config, &plan, options);
    let sources = relations
        .sources
        .iter()
        .filter_map(|(k, v)| Some((CallType::from_key(k)?, v.clone())));
    let sources = sources.collect();
    let models_rel = relations.models.clone();
    let renderer = Renderer::new(config, &plan, dialect, relations);

    let mut models = Vec::new();
    let mut diagnostics = Vec::new();
    for model in &plan.models {
        match renderer.render_model(model) {
            Ok(sql) => models.push(CompiledModel {
                relation: models_rel[&model.name].clone(),
                plan: model.clone(),
                sql,
            }),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(Compiled {
        dialect,
        target_schema: options.target_schema.clone(),
        models,
        sources,
        renderer,
    })
}

/// Fully qualified, quoted relations of every model and source table.
fn relations(config: &Config, plan: &Plan, options: &CompileOptions) -> render::Relations {
    let d = options.dialect;
    let schema = d.quote_ident(&options.target_schema);
    let models = plan.models.iter().map(|m| {
        (
            m.name.clone(),
            format!("{schema}.{}", d.quote_ident(&m.name)),
        )
    });
    let loc = &config.location;
    let prefix = match &loc.database {
        Some(db) => format!("{}.{}", d.quote_ident(db), d.quote_ident(&loc.schema)),
        None => d.quote_ident(&loc.schema),
    };
    let sources = CallType::ALL.map(|c| {
        (
            c.key().to_string(),
            format!("{prefix}.{}", d.quote_ident(loc.table(c))),
        )
    });
    render::Relations {
        models: models.collect(),
        sources: sources.into_iter().collect::<BTreeMap<_, _>>(),
    }
}

/// Checks `--select` names against the compiled models.
pub fn check_selection(compiled: &Compiled, select: &[String]) -> Result<(), Vec<Diagnostic>> {
    let names: Vec<&str> = compiled
        .models
        .iter()
        .map(|m| m.plan.name.as_str())
        .collect();
    let unknown: Vec<Diagnostic> = select
        .iter()
        .filter(|s| !names.contains(&s.as_str()))
        .map(|s| {
            let d = Diagnostic::error(format!("unknown or disabled model '{s}' in --select"));
            match did_you_mean(s, names.iter().copied()) {
                Some(best) => d.with_help(format!("did you mean '{best}'?")),
                None => d.with_help(format!("models are: {}", names.join(", "))),
            }
        })
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(unknown)
    }
}
