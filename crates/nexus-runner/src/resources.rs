//! How much of the machine a run may use: DuckDB's `memory_limit` and `threads` settings. A
//! memory limit is a checked size, so it can be written into the `SET` statement as it is.

use std::fmt;
use std::str::FromStr;

use duckdb::Connection;

use crate::Error;

/// Units DuckDB's `memory_limit` accepts, longest first so that `GiB` is not read as `B`.
/// https://duckdb.org/docs/configuration/overview#configuration-reference
const UNITS: [&str; 9] = ["KiB", "MiB", "GiB", "TiB", "KB", "MB", "GB", "TB", "B"];

/// A size such as `4GB`, `512MiB` or `1.5GB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryLimit(String);

impl FromStr for MemoryLimit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let unit = UNITS
            .iter()
            .find(|u| ends_with_unit(text, u))
            .ok_or_else(|| not_a_size(s))?;
        let number = text[..text.len() - unit.len()].trim_end();
        let digits = number.replacen('.', "", 1);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || number.ends_with('.')
        {
            return Err(not_a_size(s));
        }
        Ok(Self(format!("{number}{unit}")))
    }
}

fn ends_with_unit(text: &str, unit: &str) -> bool {
    let start = text.len().saturating_sub(unit.len());
    start > 0
        && text
            .get(start..)
            .is_some_and(|t| t.eq_ignore_ascii_case(unit))
}

fn not_a_size(s: &str) -> String {
    format!("'{s}' is not a memory size; write a number and a unit, e.g. 4GB or 512MiB")
}

impl fmt::Display for MemoryLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Limits for one connection; `None` keeps DuckDB's default (80% of RAM, one thread per core).
#[derive(Debug, Clone, Default)]
pub struct Resources {
    pub memory_limit: Option<MemoryLimit>,
    pub threads: Option<u32>,
}

/// Applies the limits to the connection. DuckDB spills what does not fit to its temporary
/// directory, by default `<database>.tmp` next to a database file.
pub fn limit_resources(conn: &Connection, resources: &Resources) -> Result<(), Error> {
    if let Some(limit) = &resources.memory_limit {
        conn.execute_batch(&format!("SET memory_limit = '{limit}'"))?;
    }
    if let Some(threads) = resources.threads {
        conn.execute_batch(&format!("SET threads = {threads}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_any_unit_are_accepted_and_junk_is_refused() {
        for ok in ["4GB", "4 GB", "512MiB", "1.5gb", "100000B", "2tib"] {
            assert!(ok.parse::<MemoryLimit>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "GB",
            "4XB",
            "4GB'; drop table x; --",
            "-1GB",
            "1.GB",
            ".",
            "4",
            "4é",
        ] {
            assert!(bad.parse::<MemoryLimit>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_limits_reach_duckdb() {
        let conn = crate::open(":memory:").unwrap();
        let resources = Resources {
            memory_limit: Some("256MiB".parse().unwrap()),
            threads: Some(1),
        };
        limit_resources(&conn, &resources).unwrap();
        let threads: i64 = conn
            .query_row("select current_setting('threads')", [], |r| r.get(0))
            .unwrap();
        let memory: String = conn
            .query_row("select current_setting('memory_limit')", [], |r| r.get(0))
            .unwrap();
        assert_eq!(threads, 1);
        assert_eq!(memory, "256.0 MiB");
    }
}
