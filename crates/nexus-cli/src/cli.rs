//! The command line as clap types. Commands and flags follow SPEC §9.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "nexus",
    version,
    about = "Compiles a Segment analytics configuration into warehouse SQL"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More detail on stderr (-v decisions, -vv trace)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to colour diagnostics
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub color: ColorWhen,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render every enabled model to SQL files
    Compile(CompileArgs),
    /// List the models the configuration enables, in dependency order
    Ls(ConfigArgs),
    /// Build every enabled model in a DuckDB database and reconcile the row counts
    Run(RunArgs),
    /// Run the data tests on the models built in a DuckDB database
    Test(DatabaseArgs),
    /// Generate synthetic Segment data, build every model from it, test and summarise
    Demo(DemoArgs),
}

/// Where the configuration comes from.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// Folder holding dbt_project.yml (default: the current folder or its nearest parent with one)
    #[arg(long, value_name = "DIR", conflicts_with = "config")]
    pub project_dir: Option<PathBuf>,
    /// A YAML file shaped like dbt_project.yml (vars.nexus.segment)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// YAML merged onto the file's vars, as dbt's --vars: '{nexus: {segment: {enabled: true}}}'
    #[arg(long, value_name = "YAML")]
    pub vars: Option<String>,
}

/// The configuration plus what compiling without a database needs.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Column catalog JSON (table → columns); default: Segment's standard columns
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// SQL dialect to render for
    #[arg(long, default_value = "duckdb", value_parser = parse_dialect)]
    pub dialect: nexus_compiler::Dialect,
}

fn parse_dialect(s: &str) -> Result<nexus_compiler::Dialect, String> {
    s.parse::<nexus_compiler::Dialect>().map_err(|e| {
        format!("{e}; dialects are duckdb, postgres, redshift, snowflake, bigquery, databricks")
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Sql,
    Ddl,
    Dbt,
}

#[derive(Debug, Args)]
pub struct CompileArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "sql")]
    pub format: FormatArg,
    /// Folder to write into [default: target/nexus; with --format dbt, the dbt project folder]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Only these models
    #[arg(long, value_name = "MODEL", num_args = 1..)]
    pub select: Vec<String>,
    /// Write nothing; exit 1 when the files on disk differ from what would be written
    #[arg(long)]
    pub check: bool,
    /// Overwrite files that lack the generated header
    #[arg(long)]
    pub force: bool,
}

/// A DuckDB database to build in, and where its Segment tables come from.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// DuckDB database file (created when missing)
    #[arg(long, value_name = "FILE.duckdb")]
    pub database: PathBuf,
    /// Read a call table from files instead of the database: tracks=exports/tracks/*.parquet,
    /// or web.tracks=... for a source of a location list (Parquet, CSV or newline-delimited
    /// JSON; globs allowed; repeat per call type and source)
    #[arg(long, value_name = "[SOURCE.]CALL=PATH", value_parser = parse_source)]
    pub source: Vec<nexus_runner::SourceFile>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Only these models (their upstream models must already be built)
    #[arg(long, value_name = "MODEL", num_args = 1..)]
    pub select: Vec<String>,
    /// With materialization: incremental, rebuild every model from scratch
    #[arg(long)]
    pub full_refresh: bool,
    #[command(flatten)]
    pub resources: ResourceArgs,
}

/// How much of the machine DuckDB may use.
#[derive(Debug, Args)]
pub struct ResourceArgs {
    /// Most memory DuckDB may use, e.g. 4GB; beyond it, it spills to FILE.duckdb.tmp
    /// [default: 80% of RAM]
    #[arg(long, value_name = "SIZE")]
    pub memory_limit: Option<nexus_runner::MemoryLimit>,
    /// Threads DuckDB may use [default: one per core]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: Option<u32>,
}

impl ResourceArgs {
    pub fn resources(&self) -> nexus_runner::Resources {
        nexus_runner::Resources {
            memory_limit: self.memory_limit.clone(),
            threads: self.threads,
        }
    }
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many Segment calls to generate
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub events: u64,
    /// DuckDB database file to generate into and build in (replaced tables, kept file)
    #[arg(long, value_name = "FILE.duckdb", default_value = "demo.duckdb")]
    pub database: PathBuf,
    /// Seed of the generator: the same seed gives the same data
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Only generate the data; build it with `nexus run` (e.g. to time the build alone)
    #[arg(long)]
    pub no_build: bool,
    #[command(flatten)]
    pub resources: ResourceArgs,
}

fn parse_source(s: &str) -> Result<nexus_runner::SourceFile, String> {
    let (target, pattern) = s
        .split_once('=')
        .ok_or_else(|| format!("'{s}' is not CALL=PATH, e.g. tracks=exports/tracks.parquet"))?;
    // The source's name is checked against the configuration once it is loaded.
    let (source, call) = match target.trim().split_once('.') {
        Some((source, call)) => (Some(source.to_string()), call),
        None => (None, target.trim()),
    };
    let call = nexus_config::CallType::from_key(call).ok_or_else(|| {
        format!("unknown call type '{call}'; call types are tracks, pages, identifies, groups")
    })?;
    let format = nexus_runner::FileFormat::of(pattern).ok_or_else(|| {
        format!(
            "cannot tell the format of '{pattern}' from its name; \
             use .parquet, .csv or .ndjson/.jsonl/.json (optionally .gz or .zst)"
        )
    })?;
    Ok(nexus_runner::SourceFile {
        source,
        call,
        pattern: pattern.to_string(),
        format,
    })
}
