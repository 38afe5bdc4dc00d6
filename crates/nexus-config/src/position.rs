//! Source positions of every key and value of a YAML document, by key path. serde works on
//! values without positions, so checks made after deserialisation look their place up here.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Byte range and 1-based line/column of a key or value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
    pub line: usize,
    pub column: usize,
}

/// Key path (`a.b[2].c`) → span of the key and of the value.
#[derive(Debug, Default)]
pub struct PositionIndex {
    keys: HashMap<String, Span>,
    values: HashMap<String, Span>,
}

impl PositionIndex {
    /// Indexes `text`; a document that does not parse gives an empty index (the YAML error itself
    /// is reported by the loader, with its own position).
    pub fn build(text: &str) -> Self {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut walker, false).is_err() {
            return PositionIndex::default();
        }
        walker.index
    }

    /// The span of the key at `path`, else of its value.
    pub fn key(&self, path: &str) -> Option<Span> {
        self.keys
            .get(path)
            .or_else(|| self.values.get(path))
            .copied()
    }

    /// The span of the value at `path`, else of its key.
    pub fn value(&self, path: &str) -> Option<Span> {
        self.values
            .get(path)
            .or_else(|| self.keys.get(path))
            .copied()
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    index: PositionIndex,
}

fn span(mark: Marker, len: usize) -> Span {
    Span {
        offset: mark.index(),
        len: len.max(1),
        line: mark.line(),
        column: mark.col() + 1,
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl Walker {
    /// The path of the value that the next event fills, or `None` when it is a mapping key.
    fn slot(&self) -> Option<String> {
        match self.stack.last() {
            None => Some(String::new()),
            Some(Frame::Map { key: None, .. }) => None,
            Some(Frame::Map { path, key: Some(k) }) => Some(join(path, k)),
            Some(Frame::Seq { path, index }) => Some(format!("{path}[{index}]")),
        }
    }

    fn advance(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key, .. }) => *key = None,
            Some(Frame::Seq { index, .. }) => *index += 1,
            None => {}
        }
    }

    fn scalar(&mut self, value: String, quoted: bool, mark: Marker) {
        let len = value.chars().count() + if quoted { 2 } else { 0 };
        match self.slot() {
            None => {
                if let Some(Frame::Map { path, key }) = self.stack.last_mut() {
                    self.index.keys.insert(join(path, &value), span(mark, len));
                    *key = Some(value);
                }
            }
            Some(path) => {
                self.index.values.insert(path, span(mark, len));
                self.advance();
            }
        }
    }

    fn open(&mut self, mark: Marker, sequence: bool) {
        // A mapping or sequence used as a key has no path; give it one nobody looks up.
        let path = self.slot().unwrap_or_else(|| "\u{0}complex".to_string());
        self.index.values.insert(path.clone(), span(mark, 1));
        self.stack.push(if sequence {
            Frame::Seq { path, index: 0 }
        } else {
            Frame::Map { path, key: None }
        });
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, style, ..) => {
                self.scalar(value, style != TScalarStyle::Plain, mark)
            }
            Event::MappingStart(..) => self.open(mark, false),
            Event::SequenceStart(..) => self.open(mark, true),
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.advance();
            }
            Event::Alias(..) => self.advance(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_sequence_items() {
        let text = "vars:\n  nexus:\n    segment:\n      enabled: yes\n      ids: [a, 'b']\n";
        let index = PositionIndex::build(text);
        let key = index.key("vars.nexus.segment.enabled").unwrap();
        assert_eq!((key.line, key.column, key.len), (4, 7, 7));
        let item = index.value("vars.nexus.segment.ids[1]").unwrap();
        assert_eq!((item.line, item.column, item.len), (5, 16, 3));
    }
}
