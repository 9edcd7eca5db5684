//! CycloneDX XML (1.0–1.7) → the equivalent CycloneDX JSON document.
//!
//! The two serialisations carry the same model; they differ in how lists and scalars are
//! spelled. The conversion follows the rules the specification's own XML and JSON schemas
//! imply:
//!
//! - the root `<bom xmlns=".../bom/1.x" serialNumber version>` gives `bomFormat`,
//!   `specVersion` (from the namespace), `serialNumber` and `version` (a number);
//! - attributes are properties (`content-type` becomes `contentType`);
//! - a wrapper whose children are all its singular (`components`/`component`,
//!   `hashes`/`hash`, `properties`/`property`, `tags`/`tag`, ...) or one of the few irregular
//!   pairs (`externalReferences`/`reference`, `affects`/`target`, `ancestors`/`component`,
//!   ...) is an array, even with one child or none;
//! - `licenses` holds `{"license": {...}}` and `{"expression": "..."}` entries,
//!   `dependencies` holds `{"ref", "dependsOn": [...]}` (strings inside compositions),
//!   `<hash alg>` is `{"alg", "content"}`, `<property name>` is `{"name", "value"}`, text with
//!   attributes is `{..attributes, "content"}`, an empty element with only a `ref` is that
//!   string;
//! - `contact` and an organisation's `url` repeat in XML and are arrays in JSON; any other
//!   element that repeats becomes an array;
//! - the few numeric and boolean leaves (`line`, `offset`, `score`, `cwe`, `authenticated`,
//!   ...) are converted to numbers and booleans.
//!
//! Elements of other namespaces (extensions such as the 1.x vulnerability extension) are
//! left out. XML is read with quick-xml events: no DTD, no entity expansion beyond the five
//! predefined ones and character references. Errors carry the line.
//!
//! The conversion is exact for everything ossgate reads and writes (a test converts the
//! writer's XML and compares it with the writer's JSON); for rarely used parts of the model
//! (formulation, declarations, ...) a schema check of a converted document may report a
//! difference that is the conversion's rather than the document's.

use super::{Lines, ReadError, Warning, Warnings};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

const CDX_NS: &str = "http://cyclonedx.org/schema/bom/";

/// Deeper nesting is refused (real documents stay far below).
const MAX_DEPTH: usize = 200;

/// Wrapper → item pairs that are not a plural of the item name.
const IRREGULAR_LISTS: &[(&str, &str)] = &[
    ("externalReferences", "reference"),
    ("references", "reference"),
    ("affects", "target"),
    ("ancestors", "component"),
    ("descendants", "component"),
    ("variants", "component"),
    ("formulation", "formula"),
    ("data", "classification"),
    ("identity", "identity"),
    ("lifecycles", "lifecycle"),
];

/// Leaves whose JSON type is a number.
const NUMBERS: &[&str] = &[
    "line",
    "offset",
    "column",
    "score",
    "cwe",
    "confidence",
    "nistQuantumSecurityLevel",
    "classicalSecurityLevel",
    "keySize",
    "tagVersion",
];

/// Leaves whose JSON type is a boolean.
const BOOLEANS: &[&str] = &["authenticated", "x-trust-boundary"];

/// Parents in which `url` repeats (an organisational entity's urls).
const ENTITY_PARENTS: &[&str] = &[
    "supplier",
    "manufacturer",
    "manufacture",
    "provider",
    "organization",
    "publisher",
];

/// One element: local name, attributes (local names), text, children, line.
#[derive(Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<El>,
    line: u32,
    /// In another namespace: left out.
    foreign: bool,
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// 1-based line of a byte offset.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        LineIndex(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    fn line(&self, offset: u64) -> u32 {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        u32::try_from(self.0.partition_point(|&nl| nl < offset) + 1).unwrap_or(u32::MAX)
    }
}

pub(crate) fn to_json(text: &str) -> Result<(Value, Vec<Warning>, Lines), ReadError> {
    let root = parse(text)?;
    let mut w = Warnings::default();
    let mut lines = Lines::new();
    let mut doc = Map::new();
    doc.insert("bomFormat".into(), Value::String("CycloneDX".into()));
    let ns = root.attr("xmlns").unwrap_or("");
    let spec = ns.strip_prefix(CDX_NS).unwrap_or("");
    if spec.is_empty() {
        w.push(
            "$.specVersion",
            Some(root.line),
            format!("the namespace {ns:?} names no CycloneDX version"),
        );
    } else {
        doc.insert("specVersion".into(), Value::String(spec.to_string()));
    }
    if let Some(s) = root.attr("serialNumber") {
        doc.insert("serialNumber".into(), Value::String(s.to_string()));
    }
    if let Some(v) = root.attr("version") {
        match v.trim().parse::<u64>() {
            Ok(n) => {
                doc.insert("version".into(), Value::Number(n.into()));
            }
            Err(_) => w.push(
                "$.version",
                Some(root.line),
                format!("version {v:?} is not a whole number"),
            ),
        }
    }
    lines.insert("$".into(), root.line);
    let mut conv = Conv { lines: &mut lines };
    conv.fill_object(&mut doc, &root, "$", true);
    Ok((Value::Object(doc), w.finish(), lines))
}

struct Conv<'a> {
    lines: &'a mut Lines,
}

impl Conv<'_> {
    /// Adds `el`'s children (and, unless `skip_attrs`, attributes) to `obj`.
    fn fill_object(&mut self, obj: &mut Map<String, Value>, el: &El, path: &str, root: bool) {
        if !root {
            for (k, v) in &el.attrs {
                if k == "xmlns" || k.starts_with("xmlns:") {
                    continue;
                }
                let key = if k == "content-type" {
                    "contentType"
                } else {
                    k
                };
                obj.insert(key.to_string(), leaf(key, v.clone()));
            }
        }
        // Group children by name, keeping first-appearance order.
        let mut order: Vec<&str> = Vec::new();
        let mut groups: HashMap<&str, Vec<&El>> = HashMap::new();
        for c in el.children.iter().filter(|c| !c.foreign) {
            let g = groups.entry(c.name.as_str()).or_default();
            if g.is_empty() {
                order.push(c.name.as_str());
            }
            g.push(c);
        }
        for name in order {
            let group = &groups[name];
            let child_path = format!("{path}.{}", super::key_path(name));
            let always_array = name == "contact"
                || (name == "url" && ENTITY_PARENTS.contains(&el.name.as_str()))
                || (name == "identity" && el.name == "evidence");
            if group.len() == 1 && !always_array {
                let v = self.value(group[0], &child_path, &el.name);
                obj.insert(name.to_string(), v);
            } else {
                let items = group
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let p = format!("{child_path}[{i}]");
                        self.lines.insert(p.clone(), c.line);
                        self.value(c, &p, &el.name)
                    })
                    .collect();
                obj.insert(name.to_string(), Value::Array(items));
            }
        }
    }

    /// The JSON value of one element.
    fn value(&mut self, el: &El, path: &str, parent: &str) -> Value {
        let kids: Vec<&El> = el.children.iter().filter(|c| !c.foreign).collect();
        match el.name.as_str() {
            "licenses" => {
                let items = kids
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let p = format!("{path}[{i}]");
                        self.lines.insert(p.clone(), c.line);
                        if c.name == "expression" {
                            let mut m = Map::new();
                            for (k, v) in &c.attrs {
                                m.insert(k.clone(), Value::String(v.clone()));
                            }
                            m.insert("expression".into(), Value::String(c.text.trim().into()));
                            Value::Object(m)
                        } else {
                            let mut m = Map::new();
                            let lp = format!("{p}.license");
                            let mut inner = Map::new();
                            self.fill_object(&mut inner, c, &lp, false);
                            m.insert(c.name.clone(), Value::Object(inner));
                            Value::Object(m)
                        }
                    })
                    .collect();
                return Value::Array(items);
            }
            "dependencies" if parent == "composition" => {
                let refs = kids
                    .iter()
                    .filter_map(|c| c.attr("ref"))
                    .map(|r| Value::String(r.to_string()))
                    .collect();
                return Value::Array(refs);
            }
            "dependency" if parent == "dependencies" => {
                let mut m = Map::new();
                if let Some(r) = el.attr("ref") {
                    m.insert("ref".into(), Value::String(r.to_string()));
                }
                let depends: Vec<Value> = kids
                    .iter()
                    .filter(|c| c.name == "dependency")
                    .filter_map(|c| c.attr("ref"))
                    .map(|r| Value::String(r.to_string()))
                    .collect();
                if !depends.is_empty() {
                    m.insert("dependsOn".into(), Value::Array(depends));
                }
                let provides: Vec<Value> = kids
                    .iter()
                    .filter(|c| c.name == "provides")
                    .filter_map(|c| c.attr("ref"))
                    .map(|r| Value::String(r.to_string()))
                    .collect();
                if !provides.is_empty() {
                    m.insert("provides".into(), Value::Array(provides));
                }
                return Value::Object(m);
            }
            "hash" if kids.is_empty() => {
                let mut m = Map::new();
                if let Some(a) = el.attr("alg") {
                    m.insert("alg".into(), Value::String(a.to_string()));
                }
                m.insert("content".into(), Value::String(el.text.trim().into()));
                return Value::Object(m);
            }
            "property" if kids.is_empty() => {
                let mut m = Map::new();
                if let Some(a) = el.attr("name") {
                    m.insert("name".into(), Value::String(a.to_string()));
                }
                m.insert("value".into(), Value::String(el.text.trim().into()));
                return Value::Object(m);
            }
            "copyright" => {
                let items = kids
                    .iter()
                    .map(|c| {
                        let mut m = Map::new();
                        m.insert("text".into(), Value::String(c.text.trim().into()));
                        Value::Object(m)
                    })
                    .collect();
                return Value::Array(items);
            }
            _ => {}
        }
        if is_list(el, &kids) {
            let items = kids
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let p = format!("{path}[{i}]");
                    self.lines.insert(p.clone(), c.line);
                    self.value(c, &p, &el.name)
                })
                .collect();
            return Value::Array(items);
        }
        if kids.is_empty() {
            let attrs: Vec<&(String, String)> = el
                .attrs
                .iter()
                .filter(|(k, _)| k != "xmlns" && !k.starts_with("xmlns:"))
                .collect();
            if attrs.is_empty() {
                return leaf(&el.name, el.text.trim().to_string());
            }
            if let [(k, v)] = attrs.as_slice()
                && k == "ref"
                && el.text.trim().is_empty()
            {
                return Value::String(v.clone());
            }
            let mut m = Map::new();
            self.fill_object(&mut m, el, path, false);
            if !el.text.trim().is_empty() {
                m.insert("content".into(), Value::String(el.text.trim().into()));
            }
            return Value::Object(m);
        }
        let mut m = Map::new();
        self.fill_object(&mut m, el, path, false);
        Value::Object(m)
    }
}

/// Whether `el` is a list wrapper: its children all carry its singular name (or an irregular
/// pair's), or it has none and its name is plural. Elements with attributes are not lists.
fn is_list(el: &El, kids: &[&El]) -> bool {
    if el.attrs.iter().any(|(k, _)| !k.starts_with("xmlns")) || !el.text.trim().is_empty() {
        return false;
    }
    let name = el.name.as_str();
    let item_of = |item: &str| -> bool {
        IRREGULAR_LISTS.iter().any(|&(w, i)| w == name && i == item)
            || name == format!("{item}s")
            || name == format!("{item}es")
            || item
                .strip_suffix('y')
                .is_some_and(|stem| name == format!("{stem}ies"))
    };
    match kids.first() {
        Some(first) => kids.iter().all(|k| k.name == first.name) && item_of(&first.name),
        None => {
            IRREGULAR_LISTS.iter().any(|&(w, _)| w == name)
                || [
                    "components",
                    "services",
                    "hashes",
                    "externalReferences",
                    "dependencies",
                    "properties",
                    "authors",
                    "tags",
                    "occurrences",
                    "vulnerabilities",
                ]
                .contains(&name)
        }
    }
}

/// A leaf's text as its JSON type.
fn leaf(name: &str, text: String) -> Value {
    if NUMBERS.contains(&name) {
        if let Ok(n) = text.parse::<i64>() {
            return Value::Number(n.into());
        }
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    if BOOLEANS.contains(&name) {
        match text.as_str() {
            "true" | "1" => return Value::Bool(true),
            "false" | "0" => return Value::Bool(false),
            _ => {}
        }
    }
    Value::String(text)
}

/// Parses the document into its root element, marking elements of other namespaces.
fn parse(text: &str) -> Result<El, ReadError> {
    let lines = LineIndex::new(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<El> = Vec::new();
    let mut root: Option<El> = None;
    // Namespace prefix → URI, as declared (document-wide: good enough for SBOMs).
    let mut prefixes: HashMap<String, String> = HashMap::new();
    // The default namespace in force at each open element.
    let mut defaults: Vec<String> = Vec::new();
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            ReadError::new(
                Some(lines.line(reader.error_position())),
                format!("not well-formed XML: {e}"),
            )
        })?;
        let line = lines.line(at);
        let fail = |m: String| ReadError::new(Some(line), m);
        match event {
            Event::Start(e) | Event::Empty(e) if stack.len() >= MAX_DEPTH => {
                let _ = e;
                return Err(fail(format!("elements nested deeper than {MAX_DEPTH}")));
            }
            Event::Start(e) => {
                let el = open(&e, line, &mut prefixes, &mut defaults).map_err(fail)?;
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = open(&e, line, &mut prefixes, &mut defaults).map_err(fail)?;
                defaults.pop();
                close(el, &mut stack, &mut root).map_err(fail)?;
            }
            Event::End(_) => {
                defaults.pop();
                let Some(el) = stack.pop() else {
                    return Err(fail("an end tag with no start tag".into()));
                };
                close(el, &mut stack, &mut root).map_err(fail)?;
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                add_text(&mut stack, &s).map_err(fail)?;
            }
            Event::CData(t) => {
                let s = t.xml10_content();
                add_text(&mut stack, &s).map_err(fail)?;
            }
            Event::GeneralRef(r) => {
                let s = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => return Err(fail(format!("bad character reference `&{};`", &*r))),
                    }
                } else {
                    match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => s.to_string(),
                        None => {
                            return Err(fail(format!(
                                "unknown entity `&{};` (only XML's five predefined entities are read)",
                                &*r
                            )));
                        }
                    }
                };
                add_text(&mut stack, &s).map_err(fail)?;
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(ReadError::new(
            Some(open.line),
            format!("<{}> is never closed", open.name),
        ));
    }
    let root = root.ok_or_else(|| ReadError::new(Some(1), "XML without a root element"))?;
    if root.name != "bom" {
        return Err(ReadError::new(
            Some(root.line),
            format!("the root element is <{}>, not a CycloneDX <bom>", root.name),
        ));
    }
    Ok(root)
}

fn open(
    e: &BytesStart,
    line: u32,
    prefixes: &mut HashMap<String, String>,
    defaults: &mut Vec<String>,
) -> Result<El, String> {
    let full: String = e.name().0.to_string();
    let mut attrs = Vec::new();
    let mut default_ns = defaults.last().cloned().unwrap_or_default();
    for a in e.attributes() {
        let a = a.map_err(|err| format!("a bad attribute in <{full}>: {err}"))?;
        let key: String = a.key.0.to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| format!("a bad value of attribute `{key}` in <{full}>: {err}"))?
            .into_owned();
        if key == "xmlns" {
            default_ns = value.clone();
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            prefixes.insert(p.to_string(), value.clone());
        }
        let local =
            key.rsplit_once(':').map_or(
                key.as_str(),
                |(p, l)| {
                    if p == "xmlns" { key.as_str() } else { l }
                },
            );
        attrs.push((local.to_string(), value));
    }
    let (ns, name) = match full.split_once(':') {
        Some((p, l)) => (prefixes.get(p).cloned().unwrap_or_default(), l.to_string()),
        None => (default_ns.clone(), full.clone()),
    };
    defaults.push(default_ns);
    let foreign = !ns.is_empty() && !ns.starts_with(CDX_NS);
    Ok(El {
        name,
        attrs,
        line,
        foreign,
        ..El::default()
    })
}

fn close(el: El, stack: &mut [El], root: &mut Option<El>) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => {
            if !el.foreign {
                parent.children.push(el);
            }
            Ok(())
        }
        None if root.is_none() => {
            *root = Some(el);
            Ok(())
        }
        None => Err(format!("a second root element <{}>", el.name)),
    }
}

fn add_text(stack: &mut [El], s: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(el) => {
            el.text.push_str(s);
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None => Err("text outside the root element".into()),
    }
}
