//! The dialect layer's Rust half: names, identifier quoting and string literal escaping per
//! warehouse. The SQL half (types, hashing, timestamp text, regexes, DDL) is the macro file
//! `templates/dialects/<name>.sql`, which every model template imports.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Duckdb,
    Postgres,
    Redshift,
    Snowflake,
    Bigquery,
    Databricks,
}

impl Dialect {
    pub const ALL: [Dialect; 6] = [
        Dialect::Duckdb,
        Dialect::Postgres,
        Dialect::Redshift,
        Dialect::Snowflake,
        Dialect::Bigquery,
        Dialect::Databricks,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Postgres => "postgres",
            Dialect::Redshift => "redshift",
            Dialect::Snowflake => "snowflake",
            Dialect::Bigquery => "bigquery",
            Dialect::Databricks => "databricks",
        }
    }

    /// The macro file that implements the engine-specific pieces.
    pub fn template(self) -> String {
        format!("dialects/{}.sql", self.name())
    }

    /// Quotes an identifier. Names are validated before they get here; quoting is still done
    /// properly so that a name can never end the identifier early.
    ///
    /// Configured names are matched the way the engine matches an unquoted name, so quoting
    /// only guards against reserved words: Snowflake resolves unquoted names in upper case,
    /// Postgres and Redshift in lower case, and there Segment creates its schemas, tables and
    /// columns unquoted. `SEGMENT_LIVE.TRACKS` is thus `"segment_live"."tracks"` on Postgres.
    /// https://docs.snowflake.com/en/sql-reference/identifiers-syntax
    /// https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS
    /// https://docs.aws.amazon.com/redshift/latest/dg/r_names.html
    pub fn quote_ident(self, name: &str) -> String {
        match self {
            Dialect::Bigquery | Dialect::Databricks => format!("`{}`", name.replace('`', "``")),
            Dialect::Snowflake => double_quoted(&name.to_uppercase()),
            Dialect::Postgres | Dialect::Redshift => double_quoted(&name.to_lowercase()),
            Dialect::Duckdb => double_quoted(name),
        }
    }

    /// A string literal holding `value` exactly.
    pub fn string_literal(self, value: &str) -> String {
        match self {
            // Both treat backslash as an escape character inside string literals.
            // https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#string_and_bytes_literals
            // https://spark.apache.org/docs/latest/sql-ref-literals.html#string-literal
            Dialect::Bigquery | Dialect::Databricks => {
                format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
            }
            // Backslash escapes here too, but a quote is doubled as in standard SQL.
            // https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants
            // https://docs.aws.amazon.com/redshift/latest/dg/r_QUOTE_LITERAL.html
            Dialect::Snowflake | Dialect::Redshift => {
                format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
            }
            // Standard strings: backslash is an ordinary character (standard_conforming_strings
            // is on by default since PostgreSQL 9.1).
            // https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS
            Dialect::Duckdb | Dialect::Postgres => format!("'{}'", value.replace('\'', "''")),
        }
    }
}

fn double_quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dialect {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| format!("unknown dialect '{s}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_double_quotes_or_escape_them() {
        assert_eq!(Dialect::Duckdb.string_literal("it's"), "'it''s'");
        assert_eq!(Dialect::Bigquery.string_literal(r"a\'"), r"'a\\\''");
        assert_eq!(Dialect::Snowflake.string_literal(r"a\.'"), r"'a\\.'''");
        assert_eq!(Dialect::Postgres.string_literal(r"a\."), r"'a\.'");
    }

    #[test]
    fn identifiers_take_the_case_the_engine_gives_unquoted_names() {
        assert_eq!(
            Dialect::Snowflake.quote_ident("segment_live"),
            "\"SEGMENT_LIVE\""
        );
        assert_eq!(Dialect::Postgres.quote_ident("TRACKS"), "\"tracks\"");
        assert_eq!(Dialect::Duckdb.quote_ident("TRACKS"), "\"TRACKS\"");
    }

    #[test]
    fn identifiers_cannot_escape_their_quotes() {
        assert_eq!(Dialect::Postgres.quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::Databricks.quote_ident("a`b"), "`a``b`");
    }
}
