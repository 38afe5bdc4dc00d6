//! A user-facing problem report: message, the configuration key it concerns, where in which
//! source text it sits, and an optional hint. Every crate of the pipeline reports through it, so
//! the command line renders config, template and SQL problems the same way.

use std::fmt;
use std::sync::Arc;

/// A named source text that diagnostics point into (a YAML file, `--vars`, a rendered model).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    pub name: String,
    pub text: String,
}

/// A place in a source text: byte range plus the 1-based line and column of its start.
#[derive(Debug, Clone)]
pub struct Location {
    pub source: Arc<SourceText>,
    pub offset: usize,
    pub len: usize,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `source`, with line and column computed from the text.
    pub fn at_offset(source: Arc<SourceText>, offset: usize, len: usize) -> Self {
        let offset = offset.min(source.text.len());
        let before = &source.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
        Location {
            source,
            offset,
            len,
            line,
            column,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub message: String,
    /// Dotted key path in the configuration, such as `vars.nexus.segment.attribution.classifier`.
    pub key_path: Option<String>,
    pub location: Option<Location>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            key_path: None,
            location: None,
            help: None,
        }
    }

    pub fn with_key_path(mut self, path: impl Into<String>) -> Self {
        self.key_path = Some(path.into());
        self
    }

    pub fn with_location(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(loc) = &self.location {
            write!(f, " ({}:{}:{})", loc.source.name, loc.line, loc.column)?;
        }
        if let Some(path) = &self.key_path {
            write!(f, " [{path}]")?;
        }
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// The closest of `candidates` to `given`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_columns_from_one() {
        let src = Arc::new(SourceText {
            name: "f".into(),
            text: "ab\ncd\nef".into(),
        });
        let loc = Location::at_offset(src, 4, 1);
        assert_eq!((loc.line, loc.column), (2, 2));
    }

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(
            did_you_mean("enabeld", ["enabled", "location"]),
            Some("enabled")
        );
        assert_eq!(did_you_mean("zzz", ["enabled", "location"]), None);
    }
}
