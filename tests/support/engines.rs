//! Test glue for running the emitted SQL on engines other than the embedded DuckDB: the fixture
//! source tables exported portably (explicit types, canonical timestamp text, NULLs kept),
//! PostgreSQL driven through `psql`, and the Python helpers of `tests/` (Spark, sqlglot) run
//! from the git-ignored virtualenv. A missing engine is a failure with the command that sets it
//! up, never a skip. The SQL strings here are harness glue, not product SQL.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use nexus_compiler::{Compiled, Dialect};
use serde_json::{json, Value};

use crate::repo_root;

/// A row as canonical text: NULL is `None`, timestamps always carry six fractional digits.
pub type Row = Vec<Option<String>>;

/// One source table of the fixture, as an engine-neutral description.
#[derive(Debug, Clone)]
pub struct SourceTable {
    pub schema: String,
    pub table: String,
    /// Column name and whether it is a timestamp (else text).
    pub columns: Vec<(String, bool)>,
    pub rows: Vec<Row>,
}

impl SourceTable {
    pub fn to_json(&self) -> Value {
        let columns: Vec<Value> = self
            .columns
            .iter()
            .map(|(name, ts)| json!({"name": name, "type": if *ts { "timestamp" } else { "text" }}))
            .collect();
        json!({"schema": self.schema, "table": self.table, "columns": columns, "rows": self.rows})
    }
}

/// Every table of `schema` in a DuckDB database, timestamps written with all six digits.
pub fn export_sources(conn: &duckdb::Connection, schema: &str) -> Vec<SourceTable> {
    let columns = text_rows(
        conn,
        &format!(
            "select table_name, column_name, data_type like 'TIMESTAMP%' from \
             information_schema.columns where table_schema = '{schema}' \
             order by table_name, ordinal_position"
        ),
    );
    let mut tables: Vec<SourceTable> = Vec::new();
    for row in columns {
        let [table, column, ts] = [0, 1, 2].map(|i| row[i].clone().unwrap_or_default());
        if tables.last().map(|t| &t.table) != Some(&table) {
            tables.push(SourceTable {
                schema: schema.into(),
                table: table.clone(),
                columns: vec![],
                rows: vec![],
            });
        }
        let last = tables.last_mut().expect("just pushed");
        last.columns.push((column, ts == "true"));
    }
    for t in &mut tables {
        let select: Vec<String> = t
            .columns
            .iter()
            .map(|(c, ts)| match ts {
                true => format!("strftime(\"{c}\", '%Y-%m-%d %H:%M:%S.%f')"),
                false => format!("\"{c}\""),
            })
            .collect();
        let sql = format!(
            "select {} from \"{}\".\"{}\"",
            select.join(", "),
            t.schema,
            t.table
        );
        t.rows = text_rows(conn, &sql);
    }
    tables
}

/// Every row of a DuckDB query as text, NULL as `None`.
pub fn text_rows(conn: &duckdb::Connection, sql: &str) -> Vec<Row> {
    let sql = format!("select columns(*)::varchar from ({sql})");
    let mut stmt = conn.prepare(&sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let mut out = Vec::new();
    let mut result = stmt.query([]).expect("query runs");
    while let Some(row) = result.next().expect("row") {
        let n = row.as_ref().column_count();
        out.push((0..n).map(|i| row.get(i).expect("text")).collect());
    }
    out
}

/// Timestamp text in canonical form (`YYYY-MM-DD HH:MM:SS.ffffff`); other text unchanged.
pub fn canonical(value: &str) -> String {
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.clone().all(|i| b[i].is_ascii_digit());
    let looks_like = b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b' ' || b[10] == b'T')
        && b[13] == b':'
        && b[16] == b':'
        && digits(17..19);
    let fraction = value.get(19..).unwrap_or_default();
    let fraction_ok = fraction.is_empty()
        || (fraction.starts_with('.')
            && fraction.len() <= 7
            && fraction[1..].bytes().all(|c| c.is_ascii_digit()));
    if !looks_like || !fraction_ok {
        return value.to_string();
    }
    let digits = fraction.trim_start_matches('.');
    format!("{} {}.{digits:0<6}", &value[..10], &value[11..19])
}

/// Rows in canonical text, sorted, so that engines can be compared row for row.
pub fn canonical_rows(rows: Vec<Row>) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|v| v.map_or_else(|| "NULL".to_string(), |v| canonical(&v)))
                .collect()
        })
        .collect();
    out.sort();
    out
}

/// Rows of a JSON array of arrays (strings or nulls) as produced by the Python helpers.
pub fn json_rows(value: &Value) -> Vec<Row> {
    let rows = value.as_array().expect("an array of rows");
    rows.iter()
        .map(|r| {
            let cells = r.as_array().expect("a row is an array");
            cells.iter().map(|c| c.as_str().map(String::from)).collect()
        })
        .collect()
}

/// A fresh database on the test suite's PostgreSQL server (scripts/setup-postgres).
#[derive(Debug)]
pub struct Postgres {
    port: String,
    database: String,
}

impl Postgres {
    /// Connects to the server `scripts/setup-postgres` started and (re)creates `database`.
    pub fn fresh(database: &str) -> Postgres {
        let port_file = repo_root().join(".deps/postgres.port");
        let port = std::fs::read_to_string(&port_file).unwrap_or_else(|_| {
            panic!(
                "PostgreSQL is not set up ({} is missing): run scripts/setup-postgres \
                 (make test does)",
                port_file.display()
            )
        });
        let admin = Postgres {
            port: port.trim().into(),
            database: "postgres".into(),
        };
        admin.execute(&format!("drop database if exists {database}"));
        admin.execute(&format!("create database {database}"));
        Postgres {
            database: database.into(),
            ..admin
        }
    }

    fn psql(&self, sql: &str) -> String {
        let mut child = Command::new("psql")
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
            ])
            .args([
                "-p",
                &self.port,
                "-U",
                "postgres",
                "-d",
                &self.database,
                "-f",
                "-",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("psql runs (Debian package postgresql-client)");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(sql.as_bytes()).expect("psql reads the SQL");
        drop(stdin);
        let output = child.wait_with_output().expect("psql finishes");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "PostgreSQL on port {} failed (is it running? scripts/setup-postgres starts it):\n\
             {stderr}\n--- SQL ---\n{sql}",
            self.port
        );
        String::from_utf8(output.stdout).expect("utf-8")
    }

    pub fn execute(&self, sql: &str) {
        self.psql(sql);
    }

    /// Creates the fixture tables the way Segment would, named as the dialect quotes them.
    pub fn load(&self, tables: &[SourceTable]) {
        let d = Dialect::Postgres;
        let mut sql = String::new();
        for t in tables {
            let name = format!("{}.{}", d.quote_ident(&t.schema), d.quote_ident(&t.table));
            let defs: Vec<String> = t
                .columns
                .iter()
                .map(|(c, ts)| {
                    format!(
                        "{} {}",
                        d.quote_ident(c),
                        if *ts { "timestamp" } else { "text" }
                    )
                })
                .collect();
            sql += &format!(
                "create schema if not exists {};\n",
                d.quote_ident(&t.schema)
            );
            sql += &format!("create table {name} ({});\n", defs.join(", "));
            for row in &t.rows {
                let values: Vec<String> = row
                    .iter()
                    .map(|v| v.as_deref().map_or("null".into(), |v| d.string_literal(v)))
                    .collect();
                sql += &format!("insert into {name} values ({});\n", values.join(", "));
            }
        }
        self.execute(&sql);
    }

    /// Builds every model with its emitted DDL (what `--format ddl` writes to run.sql).
    pub fn build(&self, compiled: &Compiled) {
        let mut sql = compiled.create_schema().expect("schema DDL") + "\n";
        for model in &compiled.models {
            sql += &compiled.ddl(model).expect("model DDL");
        }
        self.execute(&sql);
    }

    /// The number of rows each query returns, in order, from one psql run.
    pub fn row_counts(&self, queries: &[String]) -> Vec<u64> {
        let sql: String = queries
            .iter()
            .map(|q| format!("select count(*) from (\n{q}\n) as counted;\n"))
            .collect();
        let text = self.psql(&sql);
        text.lines()
            .map(|l| l.trim().parse().expect("a count"))
            .collect()
    }

    /// Every row of a relation, columns in `columns` order.
    pub fn rows(&self, relation: &str, columns: &[&str]) -> Vec<Row> {
        let d = Dialect::Postgres;
        let cells: Vec<String> = columns
            .iter()
            .map(|c| format!("to_jsonb(t.{})", d.quote_ident(c)))
            .collect();
        let sql = format!(
            "select coalesce(jsonb_agg(jsonb_build_array({})), '[]') from {relation} as t;",
            cells.join(", ")
        );
        let text = self.psql(&sql);
        let value: Value = serde_json::from_str(text.trim()).expect("psql printed JSON");
        json_rows(&value)
    }
}

/// The virtualenv's Python (scripts/setup-python), running `script` from `tests/` with `input`
/// as its JSON standard input; returns its JSON standard output.
pub fn python(script: &str, input: &Value, env: &[(&str, &str)]) -> Value {
    let python = repo_root().join(".deps/venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup-python (make test does)",
        python.display()
    );
    let script: PathBuf = repo_root().join("tests").join(script);
    let mut child = Command::new(&python)
        .arg(&script)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(input.to_string().as_bytes())
        .expect("python reads its input");
    drop(stdin);
    let output = child.wait_with_output().expect("python finishes");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{} failed:\n{stderr}",
        script.display()
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{} printed no JSON ({e}):\n{stderr}", script.display()))
}
