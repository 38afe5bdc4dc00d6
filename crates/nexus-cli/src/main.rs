//! The `nexus` binary: parses the command line, runs one command, renders diagnostics and maps
//! the result to SPEC §9's exit codes (0 ok, 1 problems found, 2 could not run).

mod cli;
mod commands;
mod context;
mod database;
mod progress;
mod report;
mod table;
mod write;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use nexus_config::Diagnostic;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The tool ran and found problems in its input.
    Found(Vec<Diagnostic>),
    /// `--check` found this many files out of date.
    Drift(usize),
    /// The tool ran and its checks failed (data tests, row-count reconciliation).
    Failed(String),
    /// The tool could not do its job (I/O, environment, internal error).
    CouldNotRun(anyhow::Error),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli);
    let color = report::use_color(cli.color);
    let result = match &cli.command {
        Command::Compile(args) => commands::compile::run(args),
        Command::Ls(args) => commands::ls::run(args),
        Command::Run(args) => commands::run::run(args, cli.quiet),
        Command::Test(args) => commands::test::run(args),
        Command::Demo(args) => commands::demo::run(args, cli.quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Found(diagnostics)) => {
            eprint!("{}", report::render(&diagnostics, color));
            eprint!(
                "{}",
                report::summary(diagnostics.len(), "nothing was written")
            );
            ExitCode::from(1)
        }
        Err(Failure::Drift(count)) => {
            eprintln!(
                "error: {count} generated file(s) out of date; run `nexus compile` to update"
            );
            ExitCode::from(1)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Err(Failure::CouldNotRun(error)) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn init_tracing(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEXUS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .init();
}
