//! A YAML document as a tree of nodes that remember their line, read with serde-saphyr (budgeted
//! against alias bombs and deep nesting). Workflows and GitLab CI files are read through it so
//! that every finding can name the line it comes from.
//!
//! Mapping keys are kept as text: YAML 1.1 readers turn a bare `on:` key into a boolean, which
//! would lose GitHub's trigger list, so non-string keys are written back as their source spelling
//! (`true` becomes `on` only when the key was literally `on`, which serde cannot tell apart; we
//! map `true` to `on` because no workflow key is literally `true`).

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// One YAML value with the line (1-based) where it appears; 0 when unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: u32,
    pub value: Value,
    /// The value came from an alias (`*name`): it repeats what its anchor defined.
    pub alias: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The value under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries when this is a mapping, else nothing.
    pub fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Map(m) => m,
            _ => &[],
        }
    }

    /// The items when this is a sequence, else nothing.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(s) => s,
            _ => &[],
        }
    }

    /// A scalar's text (strings, numbers and booleans alike).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) | Value::Num(s) => Some(s),
            Value::Bool(true) => Some("true"),
            Value::Bool(false) => Some("false"),
            _ => None,
        }
    }

    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// Every scalar below this node (depth first), with its line.
    pub fn scalars<'a>(&'a self, out: &mut Vec<(&'a str, u32)>) {
        match &self.value {
            Value::Seq(s) => s.iter().for_each(|n| n.scalars(out)),
            Value::Map(m) => m.iter().for_each(|(_, n)| n.scalars(out)),
            _ => {
                if let Some(s) = self.as_str() {
                    out.push((s, self.line));
                }
            }
        }
    }
}

/// A YAML read error with the line where the reader stopped, when known.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub line: Option<u32>,
    pub message: String,
}

/// Reads one YAML document. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    if text.trim().is_empty() {
        return Ok(Node {
            line: 1,
            value: Value::Null,
            alias: false,
        });
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::FirstWins,
    };
    match serde_saphyr::from_str_with_options::<Spanned<Value>>(text, options) {
        Ok(s) => Ok(Node {
            line: line_of(&s),
            alias: is_alias(&s),
            value: s.value,
        }),
        Err(e) => Err(YamlError {
            line: e.location().map(|l| l.line() as u32).filter(|l| *l > 0),
            message: first_line(&e.to_string()),
        }),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

fn is_alias<T>(s: &Spanned<T>) -> bool {
    s.referenced.line() != s.defined.line() || s.referenced.column() != s.defined.column()
}

fn line_of<T>(s: &Spanned<T>) -> u32 {
    let l = s.referenced.line();
    u32::try_from(l).unwrap_or(0)
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Num(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Num(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Num(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Num(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Num(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(s) = seq.next_element::<Spanned<Value>>()? {
            out.push(Node {
                line: line_of(&s),
                alias: is_alias(&s),
                value: s.value,
            });
        }
        Ok(Value::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out: Vec<(String, Node)> = Vec::new();
        while let Some(k) = map.next_key::<Value>()? {
            let key = match k {
                Value::Str(s) | Value::Num(s) => s,
                Value::Bool(true) => "on".to_string(),
                Value::Bool(false) => "off".to_string(),
                Value::Null => String::new(),
                _ => String::from("<complex key>"),
            };
            let v = map.next_value::<Spanned<Value>>()?;
            let node = Node {
                line: line_of(&v),
                alias: is_alias(&v),
                value: v.value,
            };
            // YAML merge keys (`<<: *anchor`) splice the anchored mapping in.
            if key == "<<" {
                let merged: Vec<(String, Node)> = match node.value {
                    Value::Map(m) => m,
                    Value::Seq(s) => s
                        .into_iter()
                        .flat_map(|n| match n.value {
                            Value::Map(m) => m,
                            _ => Vec::new(),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                for (mk, mv) in merged {
                    if !out.iter().any(|(k, _)| *k == mk) {
                        out.push((mk, mv));
                    }
                }
                continue;
            }
            if let Some(slot) = out.iter_mut().find(|(k2, _)| *k2 == key) {
                slot.1 = node;
            } else {
                out.push((key, node));
            }
        }
        Ok(Value::Map(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_on_key() {
        let n = parse("on:\n  push:\njobs:\n  a:\n    steps:\n      - uses: x/y@v1\n").unwrap();
        assert!(n.get("on").is_some());
        let step = &n
            .get("jobs")
            .unwrap()
            .get("a")
            .unwrap()
            .get("steps")
            .unwrap()
            .items()[0];
        assert_eq!(step.get("uses").unwrap().line, 6);
        assert_eq!(step.str_at("uses"), Some("x/y@v1"));
    }

    #[test]
    fn malformed_gives_line() {
        let e = parse("a: [1, 2\nb: c\n").unwrap_err();
        assert!(!e.message.is_empty());
    }
}
