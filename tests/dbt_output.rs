//! The dbt output of every scenario against the plain SQL that the validator checks: each dbt
//! model is that SQL with relations written through `ref()` and `source()`, and the models file
//! describes every model and column and carries every data test of the plan.

use nexus_compiler::{
    output_files, Compiled, DataTest, DbtLayout, Format, RelationStyle, DBT_SOURCE,
};
use nexus_tests::*;

fn compile_dbt(scenario: &str) -> Compiled {
    let config = load_config(scenario);
    let catalog = fixture_catalog(scenario, &config);
    let compiled = compile_styled(&config, &catalog, "nexus", RelationStyle::Dbt);
    nexus_validator::validate(&compiled).unwrap_or_else(|d| panic!("{scenario}: {d:#?}"));
    compiled
}

/// The dbt SQL with every `ref()` and `source()` written back as the plain relation.
fn plain_relations(compiled: &Compiled, dbt_sql: &str) -> String {
    let mut sql = dbt_sql.to_string();
    for model in &compiled.models {
        let call = format!("{{{{ ref('{}') }}}}", model.plan.name);
        sql = sql.replace(&call, &model.relation);
    }
    for table in &compiled.sources {
        // One dbt source per Segment source of a location list, named after it.
        let dbt_source = match &table.source {
            Some(name) => format!("{DBT_SOURCE}_{name}"),
            None => DBT_SOURCE.to_string(),
        };
        let name = match table.call {
            Some(call) => call.key().to_string(),
            None => table.table.to_ascii_lowercase(),
        };
        let source = format!("{{{{ source('{dbt_source}', '{name}') }}}}");
        sql = sql.replace(&source, &table.relation);
    }
    sql
}

#[test]
fn every_dbt_model_is_its_validated_sql_reading_through_ref_and_source() {
    for scenario in SCENARIOS {
        let compiled = compile_dbt(scenario);
        for model in &compiled.models {
            let dbt_sql = model.dbt_sql.as_deref().expect("a dbt rendering");
            assert!(
                dbt_sql.contains("{{ ref('") || dbt_sql.contains("{{ source('"),
                "{scenario}/{}: reads through ref() or source()",
                model.plan.name
            );
            assert!(
                !dbt_sql.contains("\"nexus\"."),
                "no qualified model relation left"
            );
            assert_eq!(
                plain_relations(&compiled, dbt_sql),
                model.sql,
                "{scenario}/{}",
                model.plan.name
            );
        }
    }
}

#[test]
fn the_models_file_describes_every_column_and_carries_every_data_test() {
    for scenario in SCENARIOS {
        let compiled = compile_dbt(scenario);
        let layout = Format::Dbt(DbtLayout::in_project("models", "macros"));
        let files = output_files(&compiled, &layout, &[]).expect("dbt files");
        let file = files
            .iter()
            .find(|f| f.path == "models/nexus_segment/_nexus_segment__models.yml")
            .expect("models file");
        let doc: serde_yaml::Value = serde_yaml::from_str(&file.contents).unwrap();
        let documented = doc["models"].as_sequence().expect("models");
        assert_eq!(documented.len(), compiled.models.len(), "{scenario}");
        for (model, entry) in compiled.models.iter().zip(documented) {
            assert_eq!(entry["name"].as_str(), Some(model.plan.name.as_str()));
            assert!(!entry["description"].as_str().unwrap_or_default().is_empty());
            let columns = entry["columns"].as_sequence().expect("columns");
            assert_eq!(
                columns.len(),
                model.plan.columns.len(),
                "{}",
                model.plan.name
            );
            for (column, entry) in model.plan.columns.iter().zip(columns) {
                assert_eq!(entry["name"].as_str(), Some(column.name.as_str()));
                assert!(!entry["description"].as_str().unwrap_or_default().is_empty());
                let tests: Vec<String> = entry["data_tests"]
                    .as_sequence()
                    .map(|tests| tests.iter().map(test_name).collect())
                    .unwrap_or_default();
                let planned: Vec<String> = column.tests.iter().map(dbt_test_name).collect();
                assert_eq!(tests, planned, "{}.{}", model.plan.name, column.name);
            }
        }
    }
}

/// One entry of a `data_tests` list as `name` or `name:argument,...`.
fn test_name(test: &serde_yaml::Value) -> String {
    let serde_yaml::Value::Mapping(test) = test else {
        return test.as_str().expect("a test name").to_string();
    };
    let (name, spec) = test.iter().next().expect("one test");
    let arguments = &spec["arguments"];
    let values: Vec<&str> = match arguments.get("values") {
        Some(values) => values
            .as_sequence()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect(),
        None => vec![arguments["prefix"].as_str().expect("a prefix")],
    };
    format!("{}:{}", name.as_str().unwrap(), values.join(","))
}

fn dbt_test_name(test: &DataTest) -> String {
    match test {
        DataTest::Unique | DataTest::NotNull => test.name().into(),
        DataTest::AcceptedValues { values } => format!("accepted_values:{}", values.join(",")),
        DataTest::IdFormat { prefix } => format!("nexus_segment_id_format:{prefix}"),
    }
}
