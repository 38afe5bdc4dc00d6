//! Progress on stderr: one dbt-like line per finished step, and a spinner with the elapsed time
//! while a long step runs on a terminal. Quiet mode prints neither.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use nexus_runner::{ModelRun, Progress};

#[derive(Debug)]
pub struct Reporter {
    quiet: bool,
    spinner: Option<ProgressBar>,
}

impl Reporter {
    pub fn new(quiet: bool) -> Self {
        Reporter {
            quiet,
            spinner: None,
        }
    }

    /// Shows `message` with a spinner until the next line is printed. Draws only on a terminal.
    pub fn busy(&mut self, message: String) {
        self.clear();
        if self.quiet {
            return;
        }
        let spinner = ProgressBar::new_spinner();
        spinner.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        spinner.set_message(message);
        spinner.enable_steady_tick(Duration::from_millis(120));
        self.spinner = Some(spinner);
    }

    /// Prints one progress line, clearing any spinner first.
    pub fn line(&mut self, text: String) {
        self.clear();
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Follows a build: a spinner while a model builds, a line when it is done.
    pub fn model(&mut self, step: Progress<'_>) {
        match step {
            Progress::Started {
                index,
                total,
                model,
            } => self.busy(format!("{index} of {total} building {model}")),
            Progress::Finished { index, total, run } => {
                self.line(finished_line(index, total, run));
            }
        }
    }

    pub fn clear(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.clear();
    }
}

fn finished_line(index: usize, total: usize, run: &ModelRun) -> String {
    let done = if run.incremental {
        "updated"
    } else {
        "created"
    };
    format!(
        "{index} of {total} OK {done} {} ({} rows) [{:.2}s]",
        run.model,
        thousands(run.rows),
        run.elapsed.as_secs_f64()
    )
}

/// `12345` as `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits_in_threes() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }
}
