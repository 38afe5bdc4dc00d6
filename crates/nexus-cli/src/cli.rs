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
}

/// Where the configuration comes from.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Folder holding dbt_project.yml (default: the current folder or its nearest parent with one)
    #[arg(long, value_name = "DIR", conflicts_with = "config")]
    pub project_dir: Option<PathBuf>,
    /// A YAML file shaped like dbt_project.yml (vars.nexus.segment)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// YAML merged onto the file's vars, as dbt's --vars: '{nexus: {segment: {enabled: true}}}'
    #[arg(long, value_name = "YAML")]
    pub vars: Option<String>,
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
    /// Folder to write into
    #[arg(long, value_name = "DIR", default_value = "target/nexus")]
    pub out: PathBuf,
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
