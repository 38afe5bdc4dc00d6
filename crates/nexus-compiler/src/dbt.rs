//! The `dbt` output format (SPEC §8): every model wrapped with dbt's `config()` and reading
//! through `ref()` and `source()`, a sources file with a dbt source per Segment source of
//! `location`, a models file with a description of every model and column and every data test,
//! and the generic test behind the id-format tests. Everything lands in folders named
//! [`DBT_FOLDER`] that nexus owns.

use minijinja::value::{Serde, Value};
use serde::Serialize;

use nexus_config::{CallType, Diagnostic, Materialization, Source};

use crate::data_tests::DataTest;
use crate::output::{sql_header, yaml_header, OutputFile};
use crate::plan::{ModelKind, Plan};
use crate::render::Relations;
use crate::{describe, Compiled, CompiledModel, SourceTable};

/// The subfolder of the project's model and macro paths that nexus owns.
pub const DBT_FOLDER: &str = "nexus_segment";

/// Name of the dbt source that holds the Segment tables; prefixed so it cannot clash with a
/// source the project defines itself. With several Segment sources each is a dbt source of its
/// own, named `nexus_segment_<name>`.
pub const DBT_SOURCE: &str = "nexus_segment";

/// The dbt source of a Segment source: [`DBT_SOURCE`], suffixed with the name in list form.
pub(crate) fn dbt_source(name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{DBT_SOURCE}_{name}"),
        None => DBT_SOURCE.to_string(),
    }
}

/// The generic test behind every id-format data test, named like the folders it lives in.
const ID_FORMAT_TEST: &str = "nexus_segment_id_format";

/// Where the files go inside the dbt project, relative to its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbtLayout {
    /// The owned folder of models and their yml files.
    pub models: String,
    /// The owned folder of the generic test.
    pub macros: String,
}

impl DbtLayout {
    /// The owned subfolders of a project's first model path and first macro path.
    pub fn in_project(model_path: &str, macro_path: &str) -> DbtLayout {
        let owned = |path: &str| format!("{}/{DBT_FOLDER}", path.trim_end_matches('/'));
        DbtLayout {
            models: owned(model_path),
            macros: owned(macro_path),
        }
    }
}

/// How the dbt rendering writes relations: `ref()` for models, `source()` for source tables.
// TODO: models keep their SPEC names in dbt, so one can clash with a project's own model of the
// same name; acceptable because dbt refuses such a project at parse time, naming both files.
pub(crate) fn relations(plan: &Plan, sources: &[SourceTable]) -> Relations {
    let models = plan
        .models
        .iter()
        .map(|m| (m.name.clone(), format!("{{{{ ref('{}') }}}}", m.name)))
        .collect();
    let sources = sources
        .iter()
        .map(|t| {
            let source = dbt_source(t.source.as_deref());
            let relation = format!("{{{{ source('{source}', '{}') }}}}", dbt_table_name(t));
            (t.key.clone(), relation)
        })
        .collect();
    Relations {
        models,
        sources,
        this: Some("{{ this }}".into()),
    }
}

/// A table's name in the dbt sources file: the call type key, or a per-event table's physical
/// name in lower case, which a call type key can never be.
pub(crate) fn dbt_table_name(table: &SourceTable) -> String {
    match table.call {
        Some(call) => call.key().to_string(),
        None => table.table.to_ascii_lowercase(),
    }
}

/// dbt reads every model file as Jinja, so the plain SQL must hold no Jinja delimiter of its
/// own: the dbt rendering would then mean something else than the SQL that was validated.
pub(crate) fn check_no_jinja(model: &str, sql: &str) -> Result<(), Diagnostic> {
    let Some(found) = ["{{", "{%", "{#"].into_iter().find(|d| sql.contains(d)) else {
        return Ok(());
    };
    Err(Diagnostic::error(format!(
        "model '{model}' contains '{found}', which dbt would read as Jinja"
    ))
    .with_help("this is a bug in a nexus template; --format sql is not affected"))
}

#[derive(Serialize)]
struct ModelDoc {
    name: String,
    description: String,
    columns: Vec<ColumnDoc>,
}

#[derive(Serialize)]
struct ColumnDoc {
    name: String,
    description: String,
    tests: Vec<DataTest>,
}

/// One dbt source of the sources file: a Segment source and the tables the models read.
#[derive(Serialize)]
struct DbtSource {
    name: String,
    description: String,
    database: Option<String>,
    schema: String,
    tables: Vec<DbtTable>,
}

#[derive(Serialize)]
struct DbtTable {
    name: String,
    identifier: String,
    description: String,
}

/// Every file of the dbt output, in a stable order.
pub(crate) fn files(
    compiled: &Compiled,
    layout: &DbtLayout,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut files = Vec::new();
    for model in &compiled.models {
        files.push(OutputFile {
            path: format!("{}/{}.sql", layout.models, model.plan.name),
            contents: model_file(compiled, model)?,
        });
    }
    files.push(OutputFile {
        path: format!("{}/_{DBT_FOLDER}__sources.yml", layout.models),
        contents: sources_file(compiled)?,
    });
    files.push(OutputFile {
        path: format!("{}/_{DBT_FOLDER}__models.yml", layout.models),
        contents: models_file(compiled)?,
    });
    files.push(OutputFile {
        path: format!("{}/{ID_FORMAT_TEST}.sql", layout.macros),
        contents: id_format_test(compiled)?,
    });
    Ok(files)
}

fn model_file(compiled: &Compiled, model: &CompiledModel) -> Result<String, Diagnostic> {
    let missing = || {
        Diagnostic::error(format!(
            "model '{}' was compiled without its dbt rendering",
            model.plan.name
        ))
        .with_help("compile with RelationStyle::Dbt to write --format dbt")
    };
    let body = model.dbt_sql.as_deref().ok_or_else(missing)?;
    let incremental = match (compiled.materialization, &model.incremental) {
        (Materialization::Incremental, Some(step)) => Some(minijinja::context! {
            batch => step.dbt_batch_sql.as_deref().ok_or_else(missing)?,
            delete => step.dbt_delete.as_deref(),
            staging => matches!(model.plan.kind, ModelKind::Staging(_)),
        }),
        _ => None,
    };
    let ctx = minijinja::context! { header => sql_header(), body, incremental };
    compiled.renderer.render_file("dbt/model.sql", ctx)
}

fn sources_file(compiled: &Compiled) -> Result<String, Diagnostic> {
    let mut read: Vec<CallType> = Vec::new();
    for call in compiled.models.iter().flat_map(|m| &m.plan.sources) {
        if !read.contains(call) {
            read.push(*call);
        }
    }
    let sources: Vec<DbtSource> = compiled
        .segment_sources
        .iter()
        .map(|source| dbt_source_doc(compiled, source, &read))
        .collect();
    let ctx = minijinja::context! {
        header => yaml_header(),
        sources => Value::from(Serde(&sources)),
    };
    compiled.renderer.render_file("dbt/sources.yml", ctx)
}

/// A Segment source's entry: its call tables that models read, then its per-event tables.
fn dbt_source_doc(compiled: &Compiled, source: &Source, read: &[CallType]) -> DbtSource {
    let tables = compiled
        .sources
        .iter()
        .filter(|t| t.source == source.name)
        .filter(|t| t.call.is_none_or(|call| read.contains(&call)));
    let tables = tables.map(|t| DbtTable {
        name: dbt_table_name(t),
        identifier: t.table.clone(),
        description: match t.call {
            Some(call) => format!("Segment {} calls, one row per delivery.", call.call_name()),
            None => format!(
                "Segment's per-event table {}: one column per property.",
                t.table
            ),
        },
    });
    let description = match &source.name {
        Some(name) => format!(
            "Segment source '{name}': its raw call tables, read by the nexus Segment models."
        ),
        None => "Segment's raw call tables, read by the nexus Segment models.".into(),
    };
    DbtSource {
        name: dbt_source(source.name.as_deref()),
        description,
        database: source.database.clone(),
        schema: source.schema.clone(),
        tables: tables.collect(),
    }
}

fn models_file(compiled: &Compiled) -> Result<String, Diagnostic> {
    let models = compiled
        .models
        .iter()
        .map(model_doc)
        .collect::<Result<Vec<_>, _>>()?;
    let ctx = minijinja::context! {
        header => yaml_header(),
        models => Value::from(Serde(&models)),
        id_format_test => ID_FORMAT_TEST,
    };
    compiled.renderer.render_file("dbt/models.yml", ctx)
}

fn model_doc(model: &CompiledModel) -> Result<ModelDoc, Diagnostic> {
    let kind = model.plan.kind;
    let columns = model.plan.columns.iter().map(|c| {
        let description = describe::column(kind, &c.name).ok_or_else(|| {
            Diagnostic::error(format!(
                "column '{}' of model '{}' has no description",
                c.name, model.plan.name
            ))
            .with_help("this is a bug in nexus: describe the column in describe.rs")
        })?;
        Ok(ColumnDoc {
            name: c.name.clone(),
            description,
            tests: c.tests.clone(),
        })
    });
    Ok(ModelDoc {
        name: model.plan.name.clone(),
        description: describe::model(kind),
        columns: columns.collect::<Result<_, Diagnostic>>()?,
    })
}

/// The generic test is the very query `nexus test` runs, with dbt's test arguments in place of
/// the relation, the column and the prefix.
fn id_format_test(compiled: &Compiled) -> Result<String, Diagnostic> {
    let test = DataTest::IdFormat {
        prefix: "{{ prefix }}".into(),
    };
    let body = compiled
        .renderer
        .render_data_test("{{ model }}", "{{ column_name }}", &test)?;
    let ctx = minijinja::context! { header => sql_header(), name => ID_FORMAT_TEST, body };
    compiled.renderer.render_file("dbt/id_format_test.sql", ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_folders_sit_under_the_first_paths() {
        let layout = DbtLayout::in_project("dbt/models/", "macros");
        assert_eq!(layout.models, "dbt/models/nexus_segment");
        assert_eq!(layout.macros, "macros/nexus_segment");
    }

    #[test]
    fn sql_with_a_jinja_delimiter_cannot_become_a_dbt_model() {
        assert!(check_no_jinja("m", "select '[0-9a-f]{32}' as x\n").is_ok());
        for delimiter in ["{{", "{%", "{#"] {
            let sql = format!("select '{delimiter}' as x\n");
            let error = check_no_jinja("m", &sql).unwrap_err();
            assert!(error.message.contains(delimiter), "{}", error.message);
        }
    }
}
