//! Checks every rendered model with sqlparser before anything is written or executed: it must
//! parse in its dialect as exactly one query, read only configured sources and other models, and
//! project exactly the model's declared columns in order. A parse is a syntax gate, not proof
//! that an engine accepts the SQL; execution tests do that.

use std::ops::ControlFlow;
use std::sync::Arc;

use sqlparser::ast::{
    visit_relations, Expr, ObjectName, ObjectNamePart, Query, SelectItem, SetExpr, Spanned,
    Statement, Visit, Visitor,
};
use sqlparser::dialect::{self as sql, Dialect as SqlDialect};
use sqlparser::parser::Parser;

use nexus_compiler::{Compiled, CompiledModel, Dialect};
use nexus_config::{Diagnostic, Location, SourceText};

/// The sqlparser dialect that matches ours.
pub fn sql_dialect(dialect: Dialect) -> Box<dyn SqlDialect> {
    match dialect {
        Dialect::Duckdb => Box::new(sql::DuckDbDialect {}),
        Dialect::Postgres => Box::new(sql::PostgreSqlDialect {}),
        Dialect::Redshift => Box::new(sql::RedshiftSqlDialect {}),
        Dialect::Snowflake => Box::new(sql::SnowflakeDialect {}),
        Dialect::Bigquery => Box::new(sql::BigQueryDialect {}),
        Dialect::Databricks => Box::new(sql::DatabricksDialect {}),
    }
}

/// Validates every model of a compile; all problems of all models are returned together.
pub fn validate(compiled: &Compiled) -> Result<(), Vec<Diagnostic>> {
    let dialect = sql_dialect(compiled.dialect);
    let mut known: Vec<Vec<String>> = Vec::new();
    for relation in compiled
        .models
        .iter()
        .map(|m| &m.relation)
        .chain(compiled.sources.iter().map(|s| &s.relation))
    {
        known.push(relation_parts(dialect.as_ref(), relation));
    }
    let diagnostics: Vec<Diagnostic> = compiled
        .models
        .iter()
        .flat_map(|model| validate_model(dialect.as_ref(), model, &known))
        .collect();
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(diagnostics)
    }
}

fn relation_parts(dialect: &dyn SqlDialect, relation: &str) -> Vec<String> {
    Parser::new(dialect)
        .try_with_sql(relation)
        .and_then(|mut p| p.parse_object_name(false))
        .map(|name| name_parts(&name))
        .unwrap_or_default()
}

fn name_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => ident.value.to_ascii_lowercase(),
            ObjectNamePart::Function(f) => f.name.value.to_ascii_lowercase(),
        })
        .collect()
}

/// Problems with one model's SQL, each pointing into the rendered text: its `SELECT` and, for
/// incremental runs, its batch `SELECT` and `DELETE`.
pub fn validate_model(
    dialect: &dyn SqlDialect,
    model: &CompiledModel,
    known: &[Vec<String>],
) -> Vec<Diagnostic> {
    let name = &model.plan.name;
    let mut problems = validate_query(
        dialect,
        model,
        &format!("{name} (rendered)"),
        &model.sql,
        known,
    );
    if let Some(step) = &model.incremental {
        let what = format!("{name} (rendered incremental batch)");
        problems.extend(validate_query(
            dialect,
            model,
            &what,
            &step.batch_sql,
            known,
        ));
        if let Some(delete) = &step.delete {
            problems.extend(validate_delete(dialect, model, delete));
        }
    }
    problems
}

fn validate_query(
    dialect: &dyn SqlDialect,
    model: &CompiledModel,
    what: &str,
    sql: &str,
    known: &[Vec<String>],
) -> Vec<Diagnostic> {
    let source = Arc::new(SourceText {
        name: what.to_string(),
        text: sql.to_string(),
    });
    let report = Report {
        model: &model.plan.name,
        source: &source,
    };
    let statements = match Parser::parse_sql(dialect, sql) {
        Ok(statements) => statements,
        Err(e) => return vec![report.parse_error(&e.to_string())],
    };
    let query = match statements.as_slice() {
        [Statement::Query(query)] => query,
        [_] => return vec![report.at(1, 1, "is not a query")],
        _ => {
            return vec![report.at(
                1,
                1,
                &format!("has {} statements, not exactly one", statements.len()),
            )]
        }
    };
    let mut problems = check_relations(query, known, &report);
    problems.extend(check_columns(query, &model.plan.column_names(), &report));
    problems
}

/// An incremental run's `DELETE`: exactly one statement of that kind.
fn validate_delete(dialect: &dyn SqlDialect, model: &CompiledModel, sql: &str) -> Vec<Diagnostic> {
    let source = Arc::new(SourceText {
        name: format!("{} (rendered incremental delete)", model.plan.name),
        text: sql.to_string(),
    });
    let report = Report {
        model: &model.plan.name,
        source: &source,
    };
    match Parser::parse_sql(dialect, sql) {
        Ok(statements) if matches!(statements.as_slice(), [Statement::Delete(_)]) => vec![],
        Ok(_) => vec![report.at(1, 1, "is not exactly one DELETE statement")],
        Err(e) => vec![report.parse_error(&e.to_string())],
    }
}

struct Report<'a> {
    model: &'a str,
    source: &'a Arc<SourceText>,
}

impl Report<'_> {
    fn at(&self, line: u64, column: u64, message: &str) -> Diagnostic {
        let offset: usize = self
            .source
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1) as usize)
            .map(str::len)
            .sum();
        let location = Location::at_offset(
            self.source.clone(),
            offset + column.saturating_sub(1) as usize,
            1,
        );
        Diagnostic::error(format!("model '{}' {message}", self.model)).with_location(Some(location))
    }

    /// sqlparser ends its messages with "at Line: L, Column: C".
    fn parse_error(&self, message: &str) -> Diagnostic {
        let (text, position) = message.rsplit_once(" at Line: ").unwrap_or((message, ""));
        let mut numbers = position
            .split(", Column: ")
            .map(|n| n.trim().parse::<u64>().unwrap_or(1));
        let (line, column) = (numbers.next().unwrap_or(1), numbers.next().unwrap_or(1));
        self.at(line, column, &format!("does not parse: {text}"))
    }
}

/// Names every CTE of the statement, so that references to them are not taken for tables.
struct CteNames(Vec<String>);

impl Visitor for CteNames {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            self.0.extend(
                with.cte_tables
                    .iter()
                    .map(|c| c.alias.name.value.to_ascii_lowercase()),
            );
        }
        ControlFlow::Continue(())
    }
}

fn check_relations(query: &Query, known: &[Vec<String>], report: &Report<'_>) -> Vec<Diagnostic> {
    let mut ctes = CteNames(Vec::new());
    let _ = query.visit(&mut ctes);
    let mut problems = Vec::new();
    let _ = visit_relations(query, |name: &ObjectName| {
        let parts = name_parts(name);
        let is_cte = parts.len() == 1 && ctes.0.contains(&parts[0]);
        if !is_cte && !known.contains(&parts) {
            let start = name.span().start;
            problems.push(report.at(
                start.line,
                start.column,
                &format!("reads '{name}', which is neither a configured source nor a model"),
            ));
        }
        ControlFlow::<()>::Continue(())
    });
    problems
}

fn check_columns(query: &Query, declared: &[&str], report: &Report<'_>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for items in projections(&query.body) {
        let names: Vec<String> = items.iter().map(projected_name).collect();
        // Quoted names take the engine's case (Snowflake upper-cases them), so compare without it.
        let same = |n: &String, d: &&str| n.eq_ignore_ascii_case(d);
        if names.len() == declared.len() && names.iter().zip(declared).all(|(n, d)| same(n, d)) {
            continue;
        }
        let first_bad = names
            .iter()
            .zip(declared)
            .position(|(n, d)| !same(n, d))
            .unwrap_or(names.len().min(declared.len()));
        let start = items
            .get(first_bad)
            .or(items.last())
            .map(|i| i.span().start);
        let (line, column) = start.map_or((1, 1), |s| (s.line, s.column));
        problems.push(report.at(
            line,
            column,
            &format!(
                "projects columns ({}) but declares ({})",
                names.join(", "),
                declared.join(", ")
            ),
        ));
    }
    problems
}

/// The select lists of every branch of a (possibly set-operation) query body.
fn projections(body: &SetExpr) -> Vec<&[SelectItem]> {
    match body {
        SetExpr::Select(select) => vec![select.projection.as_slice()],
        SetExpr::Query(query) => projections(&query.body),
        SetExpr::SetOperation { left, right, .. } => {
            let mut out = projections(left);
            out.extend(projections(right));
            out
        }
        _ => Vec::new(),
    }
}

fn projected_name(item: &SelectItem) -> String {
    match item {
        SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
        SelectItem::UnnamedExpr(Expr::Identifier(ident)) => ident.value.clone(),
        SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => {
            parts.last().map(|p| p.value.clone()).unwrap_or_default()
        }
        SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) => "*".into(),
        _ => "<unnamed expression>".into(),
    }
}

#[cfg(test)]
mod tests {
    use nexus_compiler::{Column, ModelKind, ModelPlan};

    use super::*;

    fn model(sql: &str, columns: &[&str]) -> CompiledModel {
        let columns = columns.iter().map(|c| Column {
            name: c.to_string(),
            tests: vec![],
        });
        CompiledModel {
            plan: ModelPlan {
                name: "segment_events".into(),
                kind: ModelKind::Events,
                columns: columns.collect(),
                depends_on: vec![],
                sources: vec![],
            },
            relation: "\"nexus\".\"segment_events\"".into(),
            sql: sql.into(),
            dbt_sql: None,
            incremental: None,
        }
    }

    fn problems(sql: &str, columns: &[&str]) -> Vec<String> {
        let dialect = sql_dialect(Dialect::Duckdb);
        let known = vec![vec!["segment_live".to_string(), "tracks".to_string()]];
        validate_model(dialect.as_ref(), &model(sql, columns), &known)
            .into_iter()
            .map(|d| {
                let loc = d.location.expect("every problem points into the SQL");
                format!("{}:{}: {}", loc.line, loc.column, d.message)
            })
            .collect()
    }

    #[test]
    fn accepts_a_query_over_known_relations_and_ctes() {
        let sql = "with t as (select id from segment_live.tracks)\nselect id as a, id as b from t";
        assert!(problems(sql, &["a", "b"]).is_empty());
    }

    #[test]
    fn rejects_more_than_one_statement() {
        let found = problems("select 1 as a; drop table x", &["a"]);
        assert_eq!(
            found,
            ["1:1: model 'segment_events' has 2 statements, not exactly one"]
        );
    }

    #[test]
    fn rejects_unknown_relations_at_their_position() {
        let found = problems("select id as a\nfrom secrets.passwords", &["a"]);
        assert_eq!(
            found,
            [
                "2:6: model 'segment_events' reads 'secrets.passwords', which is neither a \
              configured source nor a model"
            ]
        );
    }

    #[test]
    fn rejects_columns_that_differ_from_the_declaration_in_any_union_branch() {
        let sql = "select id as a, id as b from segment_live.tracks\nunion all\n\
                   select id as b, id as a from segment_live.tracks";
        let found = problems(sql, &["a", "b"]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("3:8: model 'segment_events' projects columns (b, a)"));
    }

    #[test]
    fn reports_parse_errors_with_their_position() {
        let found = problems("select id as a\nfrom segment_live.tracks where )", &["a"]);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("2:32: model 'segment_events' does not parse"),
            "{found:?}"
        );
    }
}
