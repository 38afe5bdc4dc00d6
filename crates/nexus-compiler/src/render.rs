//! Renders planned models to SQL with minijinja. One environment per compile holds the embedded
//! templates, the dialect's quoting and escaping filters, and `ref()` / `source()` functions that
//! write relations the way the output format needs them.

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;
use sqlparser::keywords::ALL_KEYWORDS;

use nexus_config::{
    ChannelRule, Classifier, Config, Diagnostic, Location, Materialization, SourceText,
};

use crate::data_tests::DataTest;
use crate::dialect::Dialect;
use crate::lists::HostLists;
use crate::plan::{EventTable, MappedSelect, ModelPlan, Plan, Stage, INCREMENTAL_STAGING_COLUMNS};
use crate::regex;

/// How `ref()` and `source()` write relations.
#[derive(Debug, Clone)]
pub struct Relations {
    /// Model name → relation text.
    pub models: BTreeMap<String, String>,
    /// Call type key → relation text.
    pub sources: BTreeMap<String, String>,
    /// How a model names its own relation, when not as `models` does (dbt's `{{ this }}`).
    pub this: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct ClickId<'a> {
    name: &'a str,
    /// The name as the touchpoints' column: quoted when it is an SQL keyword (`order`), bare
    /// otherwise, so that the usual click ids keep each warehouse's own identifier case.
    column: String,
    paid: bool,
    /// The source and medium GA4 derives from this click id, when it is one GA4 knows.
    ga4_source: Option<&'static str>,
    ga4_medium: Option<&'static str>,
}

/// Facts shared by every template of one compile.
#[derive(Serialize)]
struct Shared<'a> {
    stages: &'a [Stage],
    identifiers: &'a [MappedSelect],
    traits: &'a [MappedSelect],
    group_traits: &'a [MappedSelect],
    event_tables: &'a [EventTable],
    touchpoint_stages: &'a [String],
    /// The sources' names in list form, each model's `segment_source` values; empty for
    /// `location` as a mapping, whose models have no such column.
    source_names: Vec<String>,
    passthrough: &'a [String],
    click_ids: Vec<ClickId<'a>>,
    classifier: Classifier,
    channel_rules: &'a [ChannelRule],
    referral_exclusions: &'a [String],
    direct_touchpoints: bool,
    /// `materialization: incremental`: staging carries the columns incremental runs need.
    incremental: bool,
    lookback_hours: u32,
}

/// A click id as a column name. sqlparser's list holds the keywords of every dialect it knows,
/// a superset of what any one warehouse reserves, so quoting its members is always safe.
fn click_column(dialect: Dialect, name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    match ALL_KEYWORDS.binary_search(&upper.as_str()) {
        Ok(_) => dialect.quote_ident(name),
        Err(_) => name.to_string(),
    }
}

/// The source and medium GA4 gives a visit that carries only this click id (SPEC §6.5), in the
/// order GA4 checks them; `fbclid` is handled apart, after every paid click id.
fn ga4_click_source(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "gclid" | "gbraid" | "wbraid" => ("google", "cpc"),
        "dclid" => ("google", "cpm"),
        "msclkid" => ("bing", "cpc"),
        "ttclid" => ("tiktok", "cpc"),
        "li_fat_id" => ("linkedin", "cpc"),
        "twclid" => ("twitter", "cpc"),
        "rdt_cid" => ("reddit", "cpc"),
        "epik" => ("pinterest", "cpc"),
        "sccid" => ("snapchat", "cpc"),
        "fbclid" => ("facebook", "social"),
        _ => return None,
    })
}

/// SPEC §4 email(): what a usable email address looks like after lower-casing.
const EMAIL_PATTERN: &str = r"^[^@ ]+@[^@ ]+\.[a-z]{2,}$";

/// Text read as a timestamp: ISO 8601 date, optional time and fraction, optional UTC offset
/// (after a space too, as Snowflake writes `TIMESTAMP_TZ` as text).
/// Every engine accepts more (Spark and Postgres read `yesterday`), so the shape is checked
/// first and the same text gives the same timestamp, or NULL, on every dialect. Groups capture so
/// that POSIX engines read it unchanged.
const TIMESTAMP_PATTERN: &str = concat!(
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
    r"([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?)?",
    r"( ?(Z|[+-][0-9]{2}(:?[0-9]{2})?))?$",
);

/// A timestamp text that ends in a UTC offset (after a time, so a date's `-01` is not one).
const OFFSET_PATTERN: &str =
    r"[0-9]:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$";

#[derive(Debug)]
pub struct Renderer {
    env: Environment<'static>,
    shared: Value,
    models: BTreeMap<String, String>,
    this: Option<String>,
}

impl Renderer {
    pub fn new(config: &Config, plan: &Plan, dialect: Dialect, relations: Relations) -> Self {
        let shared = Shared {
            stages: &plan.stages,
            identifiers: &plan.identifiers,
            traits: &plan.traits,
            group_traits: &plan.group_traits,
            event_tables: &plan.event_tables,
            touchpoint_stages: &plan.touchpoint_stages,
            source_names: config.source_names(),
            passthrough: &config.events.passthrough_columns,
            click_ids: config
                .attribution
                .click_ids
                .iter()
                .map(|name| {
                    let ga4 = ga4_click_source(name);
                    ClickId {
                        name,
                        column: click_column(dialect, name),
                        paid: nexus_config::is_paid_click_id(name),
                        ga4_source: ga4.map(|(source, _)| source),
                        ga4_medium: ga4.map(|(_, medium)| medium),
                    }
                })
                .collect(),
            classifier: config.attribution.classifier,
            channel_rules: &config.attribution.channel_rules,
            referral_exclusions: &config.attribution.referral_exclusions,
            direct_touchpoints: config.attribution.direct_touchpoints,
            incremental: config.materialization == Materialization::Incremental,
            lookback_hours: config.incremental.lookback_hours,
        };
        let shared = Value::from(Serde(&shared));
        Renderer {
            models: relations.models.clone(),
            this: relations.this.clone(),
            env: environment(dialect, relations),
            shared,
        }
    }

    /// The model's SQL: one bare `SELECT` (with CTEs), ending in a newline.
    /// `stage` is the staging facts of a staging model, `None` for the others. With `batch`,
    /// the `SELECT` of an incremental run: only the rows the new data changes.
    pub fn render_model(
        &self,
        model: &ModelPlan,
        stage: Option<&Stage>,
        batch: bool,
    ) -> Result<String, Diagnostic> {
        let ctx = minijinja::context! {
            model => Value::from(Serde(model)),
            stage => Value::from(Serde(stage)),
            batch,
            this => self.this_relation(model),
            ..self.shared.clone()
        };
        self.render(model.kind.template(), ctx)
            .map(|sql| tidy(&sql))
    }

    /// What an incremental run deletes from a model before inserting its batch.
    pub fn render_delete(&self, model: &ModelPlan) -> Result<String, Diagnostic> {
        let ctx = minijinja::context! {
            model => Value::from(Serde(model)),
            this => self.this_relation(model),
            ..self.shared.clone()
        };
        self.render("incremental/delete.sql", ctx)
            .map(|sql| tidy(&sql))
    }

    /// A model's step of an incremental run: a staging model's batch goes through `scratch`;
    /// any other model runs `delete` first.
    pub fn render_merge(
        &self,
        relation: &str,
        select: &str,
        scratch: Option<&str>,
        delete: Option<&str>,
    ) -> Result<String, Diagnostic> {
        let ctx = minijinja::context! { this => relation, select, scratch, delete };
        self.render("incremental/merge.sql", ctx)
            .map(|sql| tidy(&sql))
    }

    fn this_relation(&self, model: &ModelPlan) -> Option<String> {
        self.this
            .clone()
            .or_else(|| self.models.get(&model.name).cloned())
    }

    /// The dialect's create-or-replace statement for `relation` from `select`.
    pub fn render_ddl(&self, relation: &str, select: &str) -> Result<String, Diagnostic> {
        let ctx = minijinja::context! { relation, select };
        self.render("ddl/create_table.sql", ctx)
            .map(|sql| tidy(&sql))
    }

    /// A data test as a query whose rows are the failures; `column` is quoted already.
    pub fn render_data_test(
        &self,
        relation: &str,
        column: &str,
        test: &DataTest,
    ) -> Result<String, Diagnostic> {
        let ctx = minijinja::context! { relation, column, test => Value::from(Serde(test)) };
        self.render(&format!("tests/{}.sql", test.name()), ctx)
            .map(|sql| tidy(&sql))
    }

    /// The row-count reconciliation of SPEC §8: one row per staged call table.
    pub fn render_reconciliation(&self, has_events: bool) -> Result<String, Diagnostic> {
        let ctx = minijinja::context! { has_events, ..self.shared.clone() };
        self.render("checks/reconciliation.sql", ctx)
            .map(|sql| tidy(&sql))
    }

    /// A summary query over the built models (`templates/reports/<name>.sql`).
    pub fn render_report(&self, name: &str) -> Result<String, Diagnostic> {
        self.render(&format!("reports/{name}.sql"), self.shared.clone())
            .map(|sql| tidy(&sql))
    }

    /// A whole output file from `templates/<name>` (the dbt files), its context given.
    pub fn render_file(&self, name: &str, ctx: Value) -> Result<String, Diagnostic> {
        self.render(name, ctx).map(|text| tidy(&text))
    }

    /// The dialect's create-schema-if-missing statement.
    pub fn render_create_schema(&self, schema: &str) -> Result<String, Diagnostic> {
        let ctx = minijinja::context! { schema };
        self.render("ddl/create_schema.sql", ctx)
            .map(|sql| tidy(&sql))
    }

    fn render(&self, name: &str, ctx: Value) -> Result<String, Diagnostic> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(&self.env, &e))?;
        template
            .render(ctx)
            .map_err(|e| template_error(&self.env, &e))
    }
}

fn environment(dialect: Dialect, relations: Relations) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .expect("the default delimiters are valid");
    env.set_syntax(syntax);
    minijinja_embed::load_templates!(&mut env);
    env.add_filter("lit", move |value: String| dialect.string_literal(&value));
    env.add_filter("ident", move |value: String| dialect.quote_ident(&value));
    // segment_touchpoints carries a click id's value under a prefixed name until its last
    // select, so that no click id can shadow a column computed on the way (`query_string`).
    env.add_filter("click_value", |name: String| format!("click__{name}"));
    // A double-quoted JSON string is a YAML scalar that no value can break out of.
    env.add_filter("yaml", |value: String| {
        serde_json::to_string(&value).expect("a string serialises")
    });
    // Regex group rewrites for engines that number or count groups their own way (regex.rs).
    env.add_filter("only_group", |pattern: String, group: usize| {
        regex::only_group(&pattern, group).map_err(invalid)
    });
    env.add_filter("posix_groups", |pattern: String| {
        regex::posix_groups(&pattern)
    });
    env.add_filter("posix_group", |pattern: String, group: usize| {
        regex::posix_group(&pattern, group).map_err(invalid)
    });
    // Globals, unlike render context, are visible inside imported macro files.
    env.add_global("dialect_template", dialect.template());
    env.add_global("email_pattern", EMAIL_PATTERN);
    env.add_global("lists", Value::from(Serde(HostLists::load())));
    env.add_global("timestamp_pattern", TIMESTAMP_PATTERN);
    env.add_global("offset_pattern", OFFSET_PATTERN);
    env.add_global(
        "incremental_staging_columns",
        Value::from(INCREMENTAL_STAGING_COLUMNS.to_vec()),
    );
    let Relations {
        models, sources, ..
    } = relations;
    env.add_function("ref", move |name: String| lookup(&models, &name, "model"));
    env.add_function("source", move |call: String| {
        lookup(&sources, &call, "source")
    });
    env
}

fn invalid(message: String) -> minijinja::Error {
    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, message)
}

fn lookup(
    map: &BTreeMap<String, String>,
    key: &str,
    what: &str,
) -> Result<String, minijinja::Error> {
    map.get(key).cloned().ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("unknown {what} '{key}'"),
        )
    })
}

/// Points a template failure at the template line that caused it.
fn template_error(env: &Environment<'_>, error: &minijinja::Error) -> Diagnostic {
    let name = error.name().unwrap_or("<template>").to_string();
    let source = env
        .get_template(&name)
        .map(|t| t.source().to_string())
        .unwrap_or_default();
    let source = Arc::new(SourceText {
        name: format!("templates/{name}"),
        text: source,
    });
    let location = error
        .range()
        .map(|r| Location::at_offset(source.clone(), r.start, r.len()));
    let location = location.or_else(|| {
        let line = error.line()?;
        let offset: usize = source
            .text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        Some(Location::at_offset(source.clone(), offset, 1))
    });
    let detail = error.detail().map(|d| format!(": {d}")).unwrap_or_default();
    Diagnostic::error(format!(
        "template error in '{name}': {}{detail}",
        error.kind()
    ))
    .with_location(location)
}

/// Removes trailing spaces and blank-line runs that template control lines leave, so the SQL
/// reads as if written by hand and diffs stay small.
fn tidy(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut blank = true;
    for line in sql.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
        blank = false;
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
