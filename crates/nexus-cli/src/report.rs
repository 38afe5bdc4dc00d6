//! Renders diagnostics on stderr with codespan-reporting: source line, marker, key path and
//! hint; coloured on a terminal unless `--color never` or `NO_COLOR` says otherwise.

use std::io::{IsTerminal, Write};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::Buffer};

use nexus_config::Diagnostic;

use crate::cli::ColorWhen;

pub fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
        }
    }
}

/// The diagnostics as text, ready for stderr.
pub fn render(diagnostics: &[Diagnostic], color: bool) -> String {
    let mut files = SimpleFiles::new();
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    for d in diagnostics {
        let report = to_report(d, &mut files);
        if term::emit_to_write_style(&mut buffer, &config, &files, &report).is_err() {
            let _ = writeln!(buffer, "error: {d}");
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn to_report(d: &Diagnostic, files: &mut SimpleFiles<String, String>) -> Report<usize> {
    let mut report = Report::error().with_message(&d.message);
    if let Some(loc) = &d.location {
        let id = files.add(loc.source.name.clone(), loc.source.text.clone());
        let end = (loc.offset + loc.len).min(loc.source.text.len());
        let label = Label::primary(id, loc.offset..end);
        let label = match &d.key_path {
            Some(path) => label.with_message(format!("in {path}")),
            None => label,
        };
        report = report.with_labels(vec![label]);
    } else if let Some(path) = &d.key_path {
        report = report.with_notes(vec![format!("key: {path}")]);
    }
    if let Some(help) = &d.help {
        report.notes.push(format!("help: {help}"));
    }
    report
}

/// A closing line such as "error: 3 problems found; nothing was written".
pub fn summary(count: usize, what: &str) -> String {
    let noun = if count == 1 { "problem" } else { "problems" };
    format!("error: {count} {noun} found; {what}\n")
}
