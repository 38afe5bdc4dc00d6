//! The nexus compiler: plans the Segment models a checked configuration enables, renders each
//! to SQL for a dialect from the embedded minijinja templates, and lays the results out as the
//! files of an output format. SQL text lives in `templates/`; this crate only decides and wires.

mod data_tests;
mod dbt;
mod describe;
mod dialect;
mod lists;
mod output;
mod plan;
mod regex;
mod render;

pub use data_tests::{DataTest, REJECT_REASONS, TOUCHPOINT_TYPES};
pub use dbt::{DbtLayout, DBT_FOLDER, DBT_SOURCE};
pub use dialect::Dialect;
pub use output::{is_generated, manifest, output_files, Format, OutputFile, HEADER_MARK};
pub use plan::{
    staging_name, Column, EventTable, ModelKind, ModelPlan, Plan, StageInput, EVENTS,
    EVENT_PROPERTIES, GROUP_IDENTIFIERS, GROUP_TRAITS, MEMBERSHIPS, PERSON_IDENTIFIERS,
    PERSON_TRAITS, REJECTED_ROWS, TOUCHPOINTS,
};
pub use render::Renderer;

use nexus_config::{did_you_mean, CallType, Catalog, Config, Diagnostic, Materialization, Source};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where and how to compile.
#[derive(Debug, Clone)]
pub struct CompileOptions {
    pub dialect: Dialect,
    /// Schema the models are created in (`target.schema`, or the output's default).
    pub target_schema: String,
    pub relations: RelationStyle,
}

/// How models name the relations they read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationStyle {
    /// Fully qualified, quoted relations only: what `sql`, `ddl` and `run` need.
    Qualified,
    /// Also a dbt rendering of every model, reading through `ref()` and `source()`.
    Dbt,
}

/// One rendered model.
#[derive(Debug, Clone)]
pub struct CompiledModel {
    pub plan: ModelPlan,
    /// The fully qualified relation the model is created as.
    pub relation: String,
    /// One bare `SELECT`.
    pub sql: String,
    /// With [`RelationStyle::Dbt`]: the same `SELECT` reading `{{ ref() }}` and
    /// `{{ source() }}` instead of qualified relations.
    pub dbt_sql: Option<String>,
    /// With `materialization: incremental`: what an incremental run does for this model.
    pub incremental: Option<IncrementalModel>,
}

/// A model's incremental run: the `SELECT` of the rows new data changes and, for every model but
/// staging, the `DELETE` of the rows they replace; plain and, for dbt, through `ref()`.
#[derive(Debug, Clone)]
pub struct IncrementalModel {
    pub batch_sql: String,
    pub delete: Option<String>,
    pub dbt_batch_sql: Option<String>,
    pub dbt_delete: Option<String>,
}

/// One data test of one model column, rendered.
#[derive(Debug, Clone)]
pub struct DataTestQuery {
    pub model: String,
    pub column: String,
    pub test: DataTest,
    /// A query whose rows are the failures.
    pub sql: String,
}

/// One table of a Segment source that models may read: a call table or a per-event table.
#[derive(Debug, Clone)]
pub struct SourceTable {
    /// The `source()` key templates read it by.
    pub key: String,
    /// The Segment source's name in list form, `None` for `location` as a mapping.
    pub source: Option<String>,
    /// The call type it holds; `None` for a per-event table (`event_tables`).
    pub call: Option<CallType>,
    /// Its physical name.
    pub table: String,
    /// The fully qualified, quoted relation.
    pub relation: String,
}

/// All models of one compile, in dependency order, with what is needed to write them out.
#[derive(Debug)]
pub struct Compiled {
    pub dialect: Dialect,
    pub target_schema: String,
    pub models: Vec<CompiledModel>,
    /// Every configured table of every Segment source: per source, its call tables in call type
    /// order, then its per-event tables.
    pub sources: Vec<SourceTable>,
    pub materialization: Materialization,
    /// The Segment sources as configured (`location`).
    pub segment_sources: Vec<Source>,
    renderer: Renderer,
}

impl Compiled {
    /// The dialect's create-or-replace statement for a model.
    pub fn ddl(&self, model: &CompiledModel) -> Result<String, Diagnostic> {
        self.renderer.render_ddl(&model.relation, &model.sql)
    }

    /// The statements of a model's incremental run, which needs the model's table to exist;
    /// `None` unless the materialization is incremental.
    pub fn incremental_step(&self, model: &CompiledModel) -> Result<Option<String>, Diagnostic> {
        let Some(step) = &model.incremental else {
            return Ok(None);
        };
        let scratch = step.delete.is_none().then(|| {
            let name = format!("{}__nexus_batch", model.plan.name);
            model_relation(self.dialect, &self.target_schema, &name)
        });
        self.renderer
            .render_merge(
                &model.relation,
                &step.batch_sql,
                scratch.as_deref(),
                step.delete.as_deref(),
            )
            .map(Some)
    }

    /// Every data test of every model as a query whose rows are the failures (SPEC §7).
    pub fn data_tests(&self) -> Result<Vec<DataTestQuery>, Diagnostic> {
        let mut queries = Vec::new();
        for model in &self.models {
            for column in &model.plan.columns {
                let quoted = self.dialect.quote_ident(&column.name);
                for test in &column.tests {
                    queries.push(DataTestQuery {
                        model: model.plan.name.clone(),
                        column: column.name.clone(),
                        test: test.clone(),
                        sql: self
                            .renderer
                            .render_data_test(&model.relation, &quoted, test)?,
                    });
                }
            }
        }
        Ok(queries)
    }

    /// The row-count reconciliation (SPEC §8) over the built models.
    pub fn reconciliation(&self) -> Result<String, Diagnostic> {
        let has_events = self.models.iter().any(|m| m.plan.kind == ModelKind::Events);
        self.renderer.render_reconciliation(has_events)
    }

    /// A summary query over the built models, from `templates/reports/<name>.sql`.
    pub fn report(&self, name: &str) -> Result<String, Diagnostic> {
        self.renderer.render_report(name)
    }

    pub fn create_schema(&self) -> Result<String, Diagnostic> {
        self.renderer
            .render_create_schema(&self.dialect.quote_ident(&self.target_schema))
    }
}

/// Plans and renders every model the configuration enables.
pub fn compile(
    config: &Config,
    catalog: &Catalog,
    options: &CompileOptions,
) -> Result<Compiled, Vec<Diagnostic>> {
    let dialect = options.dialect;
    let plan = plan::plan(config, catalog, dialect)?;

    let sources = source_tables(config, dialect);
    let qualified = render::Relations {
        models: plan
            .models
            .iter()
            .map(|m| {
                (
                    m.name.clone(),
                    model_relation(dialect, &options.target_schema, &m.name),
                )
            })
            .collect(),
        sources: sources
            .iter()
            .map(|t| (t.key.clone(), t.relation.clone()))
            .collect(),
        this: None,
    };
    let renderer = Renderer::new(config, &plan, dialect, qualified);
    let dbt_renderer = (options.relations == RelationStyle::Dbt)
        .then(|| Renderer::new(config, &plan, dialect, dbt::relations(&plan, &sources)));

    let mut models = Vec::new();
    let mut diagnostics = Vec::new();
    for model in &plan.models {
        let incremental = (config.materialization == Materialization::Incremental)
            .then(|| render_incremental(&plan, model, &renderer, dbt_renderer.as_ref()))
            .transpose();
        let rendered = render_model(&plan, model, &renderer, dbt_renderer.as_ref());
        match rendered.and_then(|r| Ok((r, incremental?))) {
            Ok(((sql, dbt_sql), incremental)) => models.push(CompiledModel {
                relation: model_relation(dialect, &options.target_schema, &model.name),
                plan: model.clone(),
                sql,
                dbt_sql,
                incremental,
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
        materialization: config.materialization,
        segment_sources: config.sources.clone(),
        renderer,
    })
}

/// A model's plain SQL and, when asked for, its dbt rendering from the same template and plan,
/// so the two differ only in how relations are written.
fn render_model(
    plan: &Plan,
    model: &ModelPlan,
    renderer: &Renderer,
    dbt_renderer: Option<&Renderer>,
) -> Result<(String, Option<String>), Diagnostic> {
    let stage = stage_of(plan, model);
    let sql = renderer.render_model(model, stage, false)?;
    let Some(dbt_renderer) = dbt_renderer else {
        return Ok((sql, None));
    };
    dbt::check_no_jinja(&model.name, &sql)?;
    Ok((sql, Some(dbt_renderer.render_model(model, stage, false)?)))
}

/// A model's incremental run, rendered the same two ways as the model.
fn render_incremental(
    plan: &Plan,
    model: &ModelPlan,
    renderer: &Renderer,
    dbt_renderer: Option<&Renderer>,
) -> Result<IncrementalModel, Diagnostic> {
    let stage = stage_of(plan, model);
    // Staging replaces rows by key after building its batch apart; the others delete first.
    let delete = |r: &Renderer| match stage {
        Some(_) => Ok(None),
        None => r.render_delete(model).map(Some),
    };
    let batch_sql = renderer.render_model(model, stage, true)?;
    let (dbt_batch_sql, dbt_delete) = match dbt_renderer {
        Some(r) => (Some(r.render_model(model, stage, true)?), delete(r)?),
        None => (None, None),
    };
    Ok(IncrementalModel {
        batch_sql,
        delete: delete(renderer)?,
        dbt_batch_sql,
        dbt_delete,
    })
}

fn stage_of<'a>(plan: &'a Plan, model: &ModelPlan) -> Option<&'a plan::Stage> {
    plan.stages
        .iter()
        .find(|s| model.kind == ModelKind::Staging(s.call))
}

/// The fully qualified, quoted relation a model is created as.
fn model_relation(d: Dialect, schema: &str, model: &str) -> String {
    format!("{}.{}", d.quote_ident(schema), d.quote_ident(model))
}

/// Every table of every source, each with its `source()` key and qualified relation.
fn source_tables(config: &Config, d: Dialect) -> Vec<SourceTable> {
    let mut out = Vec::new();
    for source in &config.sources {
        let table = |key: String, call: Option<CallType>, table: &str| SourceTable {
            key,
            source: source.name.clone(),
            call,
            table: table.to_string(),
            relation: table_relation(source, d, table),
        };
        for call in CallType::ALL {
            let key = plan::call_table_key(source, call);
            out.push(table(key, Some(call), source.table(call)));
        }
        for name in &source.event_tables {
            out.push(table(plan::event_table_key(source, name), None, name));
        }
    }
    out
}

/// The fully qualified, quoted relation of a table of a source.
fn table_relation(source: &Source, d: Dialect, table: &str) -> String {
    let table = d.quote_ident(table);
    match &source.database {
        Some(db) => format!(
            "{}.{}.{table}",
            d.quote_ident(db),
            d.quote_ident(&source.schema)
        ),
        None => format!("{}.{table}", d.quote_ident(&source.schema)),
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
