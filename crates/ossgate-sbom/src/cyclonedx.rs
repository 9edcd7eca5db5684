//! CycloneDX 1.4–1.7, JSON and XML. Both serialisations carry the same content:
//!
//! - `metadata`: timestamp, the tool (1.4: `tools[]`; 1.5+: `tools.components[]`), the author
//!   and supplier when given, and the subject as `metadata.component` (the dependency root);
//! - `components[]`: `type` library, `bom-ref` = purl, `group` (purl namespace), `name`,
//!   `version`, `scope` (runtime → required, optional → optional, dev and test → excluded),
//!   `hashes`, `licenses`, `purl`, and from 1.5 on `evidence.occurrences` (the files, and from 1.6
//!   the lines, where the component was found);
//! - `dependencies[]`: the root on the direct components, every component on its own.

use crate::ids::{serial, timestamp};
use crate::license::{LicenseForm, classify};
use crate::{CdxVersion, Doc, Error, WriteOptions, purl_parts};
use ossgate_model::{Component, Scope};
use quick_xml::escape::escape;
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

const TOOL: &str = "ossgate";
const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The bom-ref of the document's subject.
fn root_ref(doc: &Doc) -> String {
    doc.subject
        .purl
        .clone()
        .unwrap_or_else(|| format!("ossgate-root:{}", doc.subject.name))
}

fn scope(c: &Component) -> &'static str {
    match c.scope {
        Scope::Runtime => "required",
        Scope::Optional => "optional",
        Scope::Dev | Scope::Test => "excluded",
    }
}

/// Licences as CycloneDX allows them: one expression alone, or a list of licence objects.
enum Licenses<'a> {
    None,
    Expression(&'a str),
    List(Vec<LicenseForm>),
}

fn licenses(c: &Component) -> Licenses<'_> {
    match c.licenses.as_slice() {
        [] => Licenses::None,
        [one] => match classify(one) {
            LicenseForm::Expression(_) => Licenses::Expression(one),
            form => Licenses::List(vec![form]),
        },
        many => Licenses::List(
            many.iter()
                .map(|l| match classify(l) {
                    // An expression among several licences is kept as a name: CycloneDX
                    // allows an expression only on its own.
                    LicenseForm::Expression(e) => LicenseForm::Name(e),
                    form => form,
                })
                .collect(),
        ),
    }
}

pub(crate) fn json(doc: &Doc, opts: &WriteOptions) -> Result<String, Error> {
    let v = opts.cdx_version;
    let root = root_ref(doc);
    let mut metadata = Map::new();
    metadata.insert("timestamp".into(), json!(timestamp(opts.reproducible)));
    metadata.insert(
        "tools".into(),
        if v == CdxVersion::V1_4 {
            json!([{"vendor": TOOL, "name": TOOL, "version": TOOL_VERSION}])
        } else {
            json!({"components": [{"type": "application", "name": TOOL, "version": TOOL_VERSION}]})
        },
    );
    if let Some(a) = &opts.author {
        metadata.insert("authors".into(), json!([{ "name": a }]));
    }
    let mut subject = Map::new();
    subject.insert("type".into(), json!("application"));
    subject.insert("bom-ref".into(), json!(root));
    subject.insert("name".into(), json!(doc.subject.name));
    if let Some(ver) = &doc.subject.version {
        subject.insert("version".into(), json!(ver));
    }
    if let Some(p) = &doc.subject.purl {
        subject.insert("purl".into(), json!(p));
    }
    metadata.insert("component".into(), Value::Object(subject));
    if let Some(s) = &opts.supplier {
        metadata.insert("supplier".into(), json!({ "name": s }));
    }

    let components: Vec<Value> = doc.components.iter().map(|c| component(c, v)).collect();
    let mut deps = vec![json!({
        "ref": root,
        "dependsOn": doc.direct.iter().map(|&i| doc.components[i].purl.as_str()).collect::<Vec<_>>(),
    })];
    for (c, e) in doc.components.iter().zip(&doc.edges) {
        let mut d = Map::new();
        d.insert("ref".into(), json!(c.purl));
        if !e.is_empty() {
            d.insert(
                "dependsOn".into(),
                json!(
                    e.iter()
                        .map(|&j| doc.components[j].purl.as_str())
                        .collect::<Vec<_>>()
                ),
            );
        }
        deps.push(Value::Object(d));
    }
    let serial = serial(opts.reproducible, || doc.content_key());
    let bom = json!({
        "$schema": format!("http://cyclonedx.org/schema/bom-{v}.schema.json"),
        "bomFormat": "CycloneDX",
        "specVersion": v.as_str(),
        "serialNumber": format!("urn:uuid:{serial}"),
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": deps,
    });
    let mut s = serde_json::to_string_pretty(&bom)?;
    s.push('\n');
    Ok(s)
}

fn component(c: &Component, v: CdxVersion) -> Value {
    let parts = purl_parts(c);
    let mut m = Map::new();
    m.insert("type".into(), json!("library"));
    m.insert("bom-ref".into(), json!(c.purl));
    if let Some(g) = parts.namespace {
        m.insert("group".into(), json!(g));
    }
    m.insert("name".into(), json!(parts.name));
    m.insert("version".into(), json!(c.version));
    m.insert("scope".into(), json!(scope(c)));
    if !c.hashes.is_empty() {
        m.insert(
            "hashes".into(),
            json!(
                c.hashes
                    .iter()
                    .map(|h| json!({"alg": h.alg.cyclonedx(), "content": h.value}))
                    .collect::<Vec<_>>()
            ),
        );
    }
    match licenses(c) {
        Licenses::None => {}
        Licenses::Expression(e) => {
            m.insert("licenses".into(), json!([{ "expression": e }]));
        }
        Licenses::List(list) => {
            let items: Vec<Value> = list
                .into_iter()
                .map(|l| match l {
                    LicenseForm::Id(id) => json!({"license": {"id": id}}),
                    LicenseForm::Name(n) | LicenseForm::Expression(n) => {
                        json!({"license": {"name": n}})
                    }
                })
                .collect();
            m.insert("licenses".into(), json!(items));
        }
    }
    m.insert("purl".into(), json!(c.purl));
    if v >= CdxVersion::V1_5 && !c.locations.is_empty() {
        let occurrences: Vec<Value> = c
            .locations
            .iter()
            .map(|l| {
                let mut o = Map::new();
                o.insert("location".into(), json!(l.file));
                if v >= CdxVersion::V1_6
                    && let Some(line) = l.line
                {
                    o.insert("line".into(), json!(line));
                }
                Value::Object(o)
            })
            .collect();
        m.insert("evidence".into(), json!({ "occurrences": occurrences }));
    }
    Value::Object(m)
}

/// Appends `<tag>text</tag>` with the text escaped.
fn element(out: &mut String, indent: usize, tag: &str, text: &str) {
    let _ = writeln!(
        out,
        "{:indent$}<{tag}>{}</{tag}>",
        "",
        escape(text),
        indent = indent
    );
}

pub(crate) fn xml(doc: &Doc, opts: &WriteOptions) -> Result<String, Error> {
    let v = opts.cdx_version;
    let root = root_ref(doc);
    let serial = serial(opts.reproducible, || doc.content_key());
    let mut out = String::with_capacity(512 + doc.components.len() * 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/{v}\" serialNumber=\"urn:uuid:{serial}\" version=\"1\">"
    );
    out.push_str("  <metadata>\n");
    element(&mut out, 4, "timestamp", &timestamp(opts.reproducible));
    out.push_str("    <tools>\n");
    if v == CdxVersion::V1_4 {
        out.push_str("      <tool>\n");
        element(&mut out, 8, "vendor", TOOL);
        element(&mut out, 8, "name", TOOL);
        element(&mut out, 8, "version", TOOL_VERSION);
        out.push_str("      </tool>\n");
    } else {
        out.push_str("      <components>\n        <component type=\"application\">\n");
        element(&mut out, 10, "name", TOOL);
        element(&mut out, 10, "version", TOOL_VERSION);
        out.push_str("        </component>\n      </components>\n");
    }
    out.push_str("    </tools>\n");
    if let Some(a) = &opts.author {
        out.push_str("    <authors>\n      <author>\n");
        element(&mut out, 8, "name", a);
        out.push_str("      </author>\n    </authors>\n");
    }
    let _ = writeln!(
        out,
        "    <component type=\"application\" bom-ref=\"{}\">",
        escape(&root)
    );
    element(&mut out, 6, "name", &doc.subject.name);
    if let Some(ver) = &doc.subject.version {
        element(&mut out, 6, "version", ver);
    }
    if let Some(p) = &doc.subject.purl {
        element(&mut out, 6, "purl", p);
    }
    out.push_str("    </component>\n");
    if let Some(s) = &opts.supplier {
        out.push_str("    <supplier>\n");
        element(&mut out, 6, "name", s);
        out.push_str("    </supplier>\n");
    }
    out.push_str("  </metadata>\n  <components>\n");
    for c in &doc.components {
        xml_component(&mut out, c, v);
    }
    out.push_str("  </components>\n  <dependencies>\n");
    let _ = writeln!(out, "    <dependency ref=\"{}\">", escape(&root));
    for &i in &doc.direct {
        let _ = writeln!(
            out,
            "      <dependency ref=\"{}\"/>",
            escape(&doc.components[i].purl)
        );
    }
    out.push_str("    </dependency>\n");
    for (c, e) in doc.components.iter().zip(&doc.edges) {
        if e.is_empty() {
            let _ = writeln!(out, "    <dependency ref=\"{}\"/>", escape(&c.purl));
            continue;
        }
        let _ = writeln!(out, "    <dependency ref=\"{}\">", escape(&c.purl));
        for &j in e {
            let _ = writeln!(
                out,
                "      <dependency ref=\"{}\"/>",
                escape(&doc.components[j].purl)
            );
        }
        out.push_str("    </dependency>\n");
    }
    out.push_str("  </dependencies>\n</bom>\n");
    Ok(out)
}

fn xml_component(out: &mut String, c: &Component, v: CdxVersion) {
    let parts = purl_parts(c);
    let _ = writeln!(
        out,
        "    <component type=\"library\" bom-ref=\"{}\">",
        escape(&c.purl)
    );
    if let Some(g) = &parts.namespace {
        element(out, 6, "group", g);
    }
    element(out, 6, "name", &parts.name);
    element(out, 6, "version", &c.version);
    element(out, 6, "scope", scope(c));
    if !c.hashes.is_empty() {
        out.push_str("      <hashes>\n");
        for h in &c.hashes {
            let _ = writeln!(
                out,
                "        <hash alg=\"{}\">{}</hash>",
                h.alg.cyclonedx(),
                h.value
            );
        }
        out.push_str("      </hashes>\n");
    }
    match licenses(c) {
        Licenses::None => {}
        Licenses::Expression(e) => {
            out.push_str("      <licenses>\n");
            element(out, 8, "expression", e);
            out.push_str("      </licenses>\n");
        }
        Licenses::List(list) => {
            out.push_str("      <licenses>\n");
            for l in list {
                out.push_str("        <license>\n");
                match l {
                    LicenseForm::Id(id) => element(out, 10, "id", &id),
                    LicenseForm::Name(n) | LicenseForm::Expression(n) => {
                        element(out, 10, "name", &n)
                    }
                }
                out.push_str("        </license>\n");
            }
            out.push_str("      </licenses>\n");
        }
    }
    element(out, 6, "purl", &c.purl);
    if v >= CdxVersion::V1_5 && !c.locations.is_empty() {
        out.push_str("      <evidence>\n        <occurrences>\n");
        for l in &c.locations {
            out.push_str("          <occurrence>\n");
            element(out, 12, "location", &l.file);
            if v >= CdxVersion::V1_6
                && let Some(line) = l.line
            {
                element(out, 12, "line", &line.to_string());
            }
            out.push_str("          </occurrence>\n");
        }
        out.push_str("        </occurrences>\n      </evidence>\n");
    }
    out.push_str("    </component>\n");
}
