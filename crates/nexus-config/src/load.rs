//! Finds and reads the configuration: `dbt_project.yml` discovery as dbt does it, `--config`,
//! the `--vars` deep merge, and deserialisation of `vars.nexus.segment` into the raw structs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use crate::diagnostic::{did_you_mean, Diagnostic, Location, SourceText};
use crate::position::{PositionIndex, Span};
use crate::raw::RawSegment;
use crate::Error;

pub const PROJECT_FILE: &str = "dbt_project.yml";
/// Key path of the block this crate reads, from the root of the project file.
pub const SEGMENT_PATH: &str = "vars.nexus.segment";

/// Where the configuration comes from, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct ConfigSource {
    pub project_dir: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
    /// YAML mapping merged onto the file's `vars`, as dbt's `--vars`.
    pub vars: Option<String>,
}

/// A parsed YAML text with the positions of its keys.
struct Document {
    source: Arc<SourceText>,
    positions: PositionIndex,
    /// Prepended to paths looked up in `positions` (`vars.` for `--vars`).
    prefix: &'static str,
}

/// The merged configuration tree and what is needed to point back into its texts.
pub struct Loaded {
    pub segment: Value,
    pub legacy_exclusions: Option<Value>,
    documents: Vec<Document>,
}

impl Loaded {
    /// Location of the key at `path` (a full path from the file root), preferring `--vars`,
    /// which overrides the file.
    pub fn locate_key(&self, path: &str) -> Option<Location> {
        self.locate(path, PositionIndex::key)
    }

    pub fn locate_value(&self, path: &str) -> Option<Location> {
        self.locate(path, PositionIndex::value)
    }

    fn locate(
        &self,
        path: &str,
        find: fn(&PositionIndex, &str) -> Option<Span>,
    ) -> Option<Location> {
        self.documents.iter().rev().find_map(|doc| {
            let inner = path.strip_prefix(doc.prefix)?;
            let span = find(&doc.positions, inner)?;
            Some(Location {
                source: doc.source.clone(),
                offset: span.offset,
                len: span.len,
                line: span.line,
                column: span.column,
            })
        })
    }
}

/// The configuration file to read: `--config`, else `dbt_project.yml` in `--project-dir`, else
/// in the current directory or the nearest parent that has one.
pub fn find_config_file(source: &ConfigSource) -> Result<PathBuf, Error> {
    if let Some(file) = &source.config_file {
        return Ok(file.clone());
    }
    if let Some(dir) = &source.project_dir {
        let file = dir.join(PROJECT_FILE);
        return if file.is_file() {
            Ok(file)
        } else {
            Err(Error::ProjectNotFound(dir.clone()))
        };
    }
    let cwd = std::env::current_dir().map_err(|e| Error::Io {
        path: ".".into(),
        source: e,
    })?;
    cwd.ancestors()
        .map(|dir| dir.join(PROJECT_FILE))
        .find(|file| file.is_file())
        .ok_or(Error::ProjectNotFound(cwd))
}

/// Reads the file and `--vars`, merges them and returns the `vars.nexus.segment` tree.
pub fn load(source: &ConfigSource) -> Result<(PathBuf, Loaded), Error> {
    let path = find_config_file(source)?;
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Io {
        path: path.clone(),
        source: e,
    })?;
    let file = SourceText {
        name: display_path(&path),
        text,
    };
    Ok((path, load_text(file, source.vars.as_deref())?))
}

/// Parses a project text and optional `--vars`, merges them and returns the
/// `vars.nexus.segment` tree.
pub fn load_text(file: SourceText, vars: Option<&str>) -> Result<Loaded, Error> {
    let (mut root, file_doc) = parse(file, "")?;
    let mut documents = vec![file_doc];

    if let Some(vars) = vars {
        let text = SourceText {
            name: "--vars".into(),
            text: vars.to_string(),
        };
        let (over, doc) = parse(text, "vars.")?;
        let over = expect_mapping(over, &doc, "--vars")?;
        let vars = root_mapping(&mut root)
            .entry("vars".into())
            .or_insert(Value::Null);
        deep_merge(vars, over);
        documents.push(doc);
    }

    let vars = root.get("vars").cloned().unwrap_or(Value::Null);
    let segment = vars
        .get("nexus")
        .and_then(|n| n.get("segment"))
        .cloned()
        .unwrap_or(Value::Null);
    let legacy_exclusions = vars.get("referral_exclusions").cloned();
    Ok(Loaded {
        segment,
        legacy_exclusions,
        documents,
    })
}

fn display_path(path: &Path) -> String {
    path.display().to_string()
}

fn parse(source: SourceText, prefix: &'static str) -> Result<(Value, Document), Error> {
    let source = Arc::new(source);
    let value: Value = match serde_yaml::from_str(&source.text) {
        Ok(v) => v,
        Err(e) => return Err(Error::Invalid(vec![yaml_syntax_error(&source, &e)])),
    };
    let positions = PositionIndex::build(&source.text);
    Ok((
        value,
        Document {
            source,
            positions,
            prefix,
        },
    ))
}

fn yaml_syntax_error(source: &Arc<SourceText>, e: &serde_yaml::Error) -> Diagnostic {
    let location = e
        .location()
        .map(|l| Location::at_offset(source.clone(), l.index(), 1));
    let message = e.to_string();
    // serde_yaml appends " at line L column C"; the location already says where.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    Diagnostic::error(format!("invalid YAML: {message}"))
        .with_location(location)
        .with_help("YAML indents with spaces, never tabs; check brackets and quotes before here")
}

fn expect_mapping(value: Value, doc: &Document, what: &str) -> Result<Value, Error> {
    match value {
        Value::Mapping(_) | Value::Null => Ok(value),
        _ => Err(Error::Invalid(vec![Diagnostic::error(format!(
            "{what} must be a YAML mapping such as '{{nexus: {{segment: {{enabled: true}}}}}}'"
        ))
        .with_location(Some(Location::at_offset(doc.source.clone(), 0, 1)))])),
    }
}

fn root_mapping(root: &mut Value) -> &mut Mapping {
    if !root.is_mapping() {
        *root = Value::Mapping(Mapping::new());
    }
    root.as_mapping_mut().expect("just made a mapping")
}

/// Merges `over` onto `base`: mappings key by key, anything else replaced.
pub fn deep_merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Mapping(base), Value::Mapping(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(slot) => deep_merge(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

/// At most this many type errors are collected before deserialising gives up.
const MAX_TYPE_ERRORS: usize = 100;

/// Deserialises the segment block into the raw structs. serde stops at its first complaint, so
/// each complaint becomes a positioned diagnostic, the offending key is dropped (its default
/// applies) and deserialising starts again: every type error of a file is reported at once, and
/// the checks that follow still run on the rest.
pub fn deserialize(loaded: &Loaded) -> (RawSegment, Vec<Diagnostic>) {
    let mut value = loaded.segment.clone();
    let mut diagnostics = Vec::new();
    while diagnostics.len() < MAX_TYPE_ERRORS && !value.is_null() {
        let error = match serde_path_to_error::deserialize::<_, RawSegment>(value.clone()) {
            Ok(raw) => return (raw, diagnostics),
            Err(e) => e,
        };
        let steps = steps(error.path());
        let path = join_path(&steps);
        let full = if path.is_empty() {
            SEGMENT_PATH.to_string()
        } else {
            format!("{SEGMENT_PATH}.{path}")
        };
        diagnostics.push(serde_diagnostic(
            loaded,
            &full,
            &error.into_inner().to_string(),
        ));
        if !remove_key(&mut value, &steps) {
            break;
        }
    }
    (RawSegment::default(), diagnostics)
}

/// One step of a path into the YAML tree.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &serde_path_to_error::Path) -> Vec<Step> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Map { key } | Segment::Enum { variant: key } => Some(Step::Key(key.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

/// Removes the mapping key that holds the node at `steps` (for a list item, the key holding the
/// list). Returns false when there is no such key, so that the caller stops.
fn remove_key(root: &mut Value, steps: &[Step]) -> bool {
    let Some(last_key) = steps.iter().rposition(|s| matches!(s, Step::Key(_))) else {
        return false;
    };
    let mut node = root;
    for step in &steps[..last_key] {
        let next = match (step, node) {
            (Step::Key(k), Value::Mapping(m)) => m.get_mut(k.as_str()),
            (Step::Index(i), Value::Sequence(items)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(child) => node = child,
            None => return false,
        }
    }
    let (Step::Key(key), Value::Mapping(map)) = (&steps[last_key], node) else {
        return false;
    };
    map.remove(key.as_str()).is_some()
}

fn join_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Index(index) => out.push_str(&format!("[{index}]")),
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
        }
    }
    out
}

/// serde names Rust types ("expected u32", "expected struct RawLocation"); a user wants the YAML
/// words and an example of what to write.
fn plain_type_error(message: &str) -> (String, Option<&'static str>) {
    let replacements = [
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected a sequence", "expected a list"),
        ("expected a boolean", "expected true or false"),
        ("unit value", "nothing"),
    ];
    let mut out = message.to_string();
    for (rust, yaml) in replacements {
        out = out.replace(rust, yaml);
    }
    if let Some(at) = out.find("expected struct ") {
        out.replace_range(at.., "expected a mapping of settings");
    }
    let help = if out.contains("a list of sources") {
        Some("write the location keys below it, or a list of sources such as '- name: web'")
    } else if out.contains("true or false") {
        Some("write true or false, without quotes")
    } else if out.contains("a list") {
        Some("write a list such as [a, b], or one item per line starting with '- '")
    } else if out.contains("whole number") {
        Some("write a number such as 72, without quotes")
    } else if out.contains("a mapping") {
        Some("write the keys below this one, indented")
    } else if out.contains("expected a string") {
        Some("write text; quote it when it could be read as a number or true/false")
    } else {
        None
    };
    (out, help)
}

/// serde reports unknown fields as "unknown field `x`, expected one of `a`, `b`"; we re-word that
/// with a suggestion and point at the key itself.
fn serde_diagnostic(loaded: &Loaded, path: &str, message: &str) -> Diagnostic {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        let message = message.split(" at line ").next().unwrap_or(message);
        let (message, help) = plain_type_error(message);
        let d = Diagnostic::error(format!("wrong type for '{path}': {message}"))
            .with_key_path(path)
            .with_location(loaded.locate_value(path));
        return match help {
            Some(help) => d.with_help(help),
            None => d,
        };
    };
    let key = rest.split('`').next().unwrap_or_default();
    let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
    let parent = path.rsplit_once('.').map_or(path, |(p, _)| p);
    let mut d = Diagnostic::error(format!("unknown key '{key}' in '{parent}'"))
        .with_key_path(path)
        .with_location(loaded.locate_key(path));
    d = match did_you_mean(key, expected.iter().copied()) {
        Some(best) => d.with_help(format!("did you mean '{best}'?")),
        None => d.with_help(format!("valid keys are: {}", expected.join(", "))),
    };
    d
}
