//! CSAF 2.0: reads `csaf_vex` and `csaf_security_advisory` documents, writes the `csaf_vex`
//! profile.
//!
//! # Reading
//!
//! The product tree is resolved first: every product id defined in `branches` (at any depth),
//! `full_product_names` and `relationships[].full_product_name` maps to its
//! `product_identification_helper` purl (2.0 `purl`, or the first of 2.1's `purls`), else its
//! CPE, else its name. A relationship product (`A` *default_component_of* / *bundled_in* /
//! *installed_on* ... `B`) becomes product `B` with subcomponent `A`. `product_groups` expand
//! `group_ids`.
//!
//! Per vulnerability (named by `cve`, else the first of `ids`; the other ids are aliases), each
//! product in `product_status` gives a statement: `known_not_affected` → not_affected;
//! `known_affected`, `first_affected`, `last_affected` → affected; `fixed`, `first_fixed` →
//! fixed; `under_investigation` → under_investigation. `recommended` is a recommendation, not a
//! status, and is not read. The justification is the product's `flags[].label`; the impact
//! statement the `threats[]` of category `impact` naming the product (or naming none); the action
//! statement the `details` of the `remediations[]` naming the product. The time is
//! `tracking.current_release_date`, the author `publisher.name`.
//!
//! # Writing
//!
//! A `csaf_vex` document: each product or subcomponent is a full product name
//! (`CSAFPID-0001`, ... with its purl or CPE), each (product, subcomponent) pair a
//! `default_component_of` relationship; one vulnerability per CVE (or id) with product status,
//! one flag per not_affected product with a justification, impact threats, and remediations
//! (category `mitigation` carrying the action statement; `none_available` when an affected
//! statement has none, since the profile requires one). These satisfy the profile's mandatory
//! tests (6.1.27.x) as well as the schema.

use crate::{Document, Format, Justification, ReadError, Reader, Statement, Status, WriteOptions};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

struct Tree {
    /// product_id → identifier (purl, CPE or name).
    ident: HashMap<String, String>,
    /// product_id → (component product_id, platform product_id).
    rel: HashMap<String, (String, String)>,
    groups: HashMap<String, Vec<String>>,
}

fn helper_ident(p: &Value) -> Option<String> {
    let h = p.get("product_identification_helper");
    h.and_then(|h| h.get("purl"))
        .and_then(Value::as_str)
        .or_else(|| {
            h.and_then(|h| h.get("purls"))
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(Value::as_str)
        })
        .or_else(|| h.and_then(|h| h.get("cpe")).and_then(Value::as_str))
        .or_else(|| p.get("name").and_then(Value::as_str))
        .map(str::to_string)
}

fn read_tree(doc: &Value) -> Tree {
    let mut t = Tree {
        ident: HashMap::new(),
        rel: HashMap::new(),
        groups: HashMap::new(),
    };
    fn add(t: &mut Tree, p: &Value) {
        if let Some(id) = p.get("product_id").and_then(Value::as_str)
            && let Some(ident) = helper_ident(p)
        {
            t.ident.entry(id.to_string()).or_insert(ident);
        }
    }
    fn branches(t: &mut Tree, v: &Value, depth: usize) {
        let Some(list) = v.get("branches").and_then(Value::as_array) else {
            return;
        };
        if depth > 64 {
            return;
        }
        for b in list {
            if let Some(p) = b.get("product") {
                add(t, p);
            }
            branches(t, b, depth + 1);
        }
    }
    let Some(tree) = doc.get("product_tree") else {
        return t;
    };
    branches(&mut t, tree, 0);
    for p in tree
        .get("full_product_names")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        add(&mut t, p);
    }
    for r in tree
        .get("relationships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let fp = r.get("full_product_name");
        let id = fp.and_then(|f| f.get("product_id")).and_then(Value::as_str);
        let a = r.get("product_reference").and_then(Value::as_str);
        let b = r
            .get("relates_to_product_reference")
            .and_then(Value::as_str);
        if let (Some(id), Some(a), Some(b)) = (id, a, b) {
            t.rel.insert(id.to_string(), (a.to_string(), b.to_string()));
            if let Some(fp) = fp {
                add(&mut t, fp);
            }
        }
    }
    for g in tree
        .get("product_groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = g.get("group_id").and_then(Value::as_str) {
            let ids = g
                .get("product_ids")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            t.groups.insert(id.to_string(), ids);
        }
    }
    t
}

impl Tree {
    /// (product, subcomponents) for a product id.
    fn resolve(&self, pid: &str) -> (String, Vec<String>) {
        let mut subs = Vec::new();
        let mut cur = pid.to_string();
        // A relationship's platform may itself be a relationship product: follow the chain to
        // the outermost product (bounded against cycles).
        for _ in 0..16 {
            match self.rel.get(&cur) {
                Some((component, platform)) => {
                    subs.push(self.ident_of(component));
                    cur = platform.clone();
                }
                None => break,
            }
        }
        subs.reverse();
        (self.ident_of(&cur), subs)
    }

    fn ident_of(&self, pid: &str) -> String {
        self.ident
            .get(pid)
            .cloned()
            .unwrap_or_else(|| pid.to_string())
    }

    /// The product ids an element names, directly or through groups.
    fn ids_of(&self, v: &Value) -> Vec<String> {
        let mut out: Vec<String> = v
            .get("product_ids")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        for g in v
            .get("group_ids")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            out.extend(self.groups.get(g).into_iter().flatten().cloned());
        }
        out
    }
}

const STATUS_KEYS: [(&str, Status); 7] = [
    ("known_not_affected", Status::NotAffected),
    ("known_affected", Status::Affected),
    ("first_affected", Status::Affected),
    ("last_affected", Status::Affected),
    ("fixed", Status::Fixed),
    ("first_fixed", Status::Fixed),
    ("under_investigation", Status::UnderInvestigation),
];

pub fn read(doc: &Value, file: &str) -> Result<Document, ReadError> {
    let mut r = Reader::new(file);
    let d = doc
        .get("document")
        .filter(|d| d.is_object())
        .ok_or_else(|| r.err("/document", "missing"))?;
    let tracking = d.get("tracking").cloned().unwrap_or(Value::Null);
    let id = r.opt_str(&tracking, "id", "/document/tracking")?;
    let time = r
        .opt_time(&tracking, "current_release_date", "/document/tracking")
        .or_else(|| r.opt_time(&tracking, "initial_release_date", "/document/tracking"));
    let author = d
        .pointer("/publisher/name")
        .and_then(Value::as_str)
        .map(str::to_string);
    let tree = read_tree(doc);
    let mut out = Vec::new();
    for (i, v) in r.opt_array(doc, "vulnerabilities", "")?.iter().enumerate() {
        let p = format!("/vulnerabilities/{i}");
        if !v.is_object() {
            return Err(r.err(&p, "a vulnerability must be an object"));
        }
        let mut ids: Vec<String> = Vec::new();
        if let Some(cve) = r.opt_str(v, "cve", &p)? {
            ids.push(cve);
        }
        for (j, x) in r.opt_array(v, "ids", &p)?.iter().enumerate() {
            match x.get("text").and_then(Value::as_str) {
                Some(t) if !ids.iter().any(|y| y == t) => ids.push(t.to_string()),
                Some(_) => {}
                None => return Err(r.err(format!("{p}/ids/{j}/text"), "missing")),
            }
        }
        if ids.is_empty() {
            return Err(r.err(&p, "the vulnerability has neither cve nor ids"));
        }
        let name = ids.remove(0);
        let description = r
            .opt_array(v, "notes", &p)?
            .iter()
            .find(|n| n.get("category").and_then(Value::as_str) == Some("description"))
            .and_then(|n| n.get("text").and_then(Value::as_str))
            .map(str::to_string)
            .or(r.opt_str(v, "title", &p)?);
        // Per-product reasons.
        let mut flags: HashMap<String, Justification> = HashMap::new();
        for (j, f) in r.opt_array(v, "flags", &p)?.iter().enumerate() {
            let label = f.get("label").and_then(Value::as_str).unwrap_or("");
            match Justification::parse(label) {
                Some(j) => {
                    for pid in tree.ids_of(f) {
                        flags.insert(pid, j);
                    }
                }
                None => r.warn(
                    &format!("{p}/flags/{j}/label"),
                    format!("unknown label {label:?}, ignored"),
                ),
            }
        }
        let mut impact: HashMap<String, Vec<String>> = HashMap::new();
        let mut general_impact: Vec<String> = Vec::new();
        for t in r.opt_array(v, "threats", &p)? {
            if t.get("category").and_then(Value::as_str) != Some("impact") {
                continue;
            }
            let Some(details) = t.get("details").and_then(Value::as_str) else {
                continue;
            };
            let pids = tree.ids_of(t);
            if pids.is_empty() {
                general_impact.push(details.to_string());
            }
            for pid in pids {
                impact.entry(pid).or_default().push(details.to_string());
            }
        }
        let mut actions: HashMap<String, Vec<String>> = HashMap::new();
        for rem in r.opt_array(v, "remediations", &p)? {
            let Some(details) = rem.get("details").and_then(Value::as_str) else {
                continue;
            };
            for pid in tree.ids_of(rem) {
                let list = actions.entry(pid).or_default();
                if !list.iter().any(|x| x == details) {
                    list.push(details.to_string());
                }
            }
        }
        let Some(ps) = v.get("product_status") else {
            r.warn(&p, format!("{name} has no product_status: no statement"));
            continue;
        };
        for (key, status) in STATUS_KEYS {
            let kp = format!("{p}/product_status/{key}");
            for (j, pid) in r
                .opt_array(ps, key, &format!("{p}/product_status"))?
                .iter()
                .enumerate()
            {
                let Some(pid) = pid.as_str() else {
                    return Err(r.err(format!("{kp}/{j}"), "expected a product id"));
                };
                let (product, subcomponents) = tree.resolve(pid);
                let imp = impact.get(pid).unwrap_or(&general_impact);
                out.push(Statement {
                    vulnerability: name.clone(),
                    aliases: ids.clone(),
                    description: description.clone(),
                    product,
                    subcomponents,
                    status,
                    justification: flags
                        .get(pid)
                        .copied()
                        .filter(|_| status == Status::NotAffected),
                    impact_statement: (!imp.is_empty()).then(|| imp.join("\n")),
                    action_statement: actions.get(pid).map(|a| a.join("\n")),
                    notes: None,
                    author: author.clone(),
                    timestamp: time,
                    source: file.to_string(),
                });
            }
        }
    }
    Ok(Document {
        format: Format::Csaf,
        id,
        author,
        timestamp: time,
        statements: out,
        warnings: r.warnings,
    })
}

fn is_cve(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else {
        return false;
    };
    let mut parts = rest.splitn(2, '-');
    let year = parts.next().unwrap_or("");
    let num = parts.next().unwrap_or("");
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && num.len() >= 4
        && num.bytes().all(|b| b.is_ascii_digit())
}

fn system_name(id: &str) -> String {
    let prefix = id.split('-').next().unwrap_or(id);
    match prefix {
        "GHSA" => "GitHub Security Advisory".into(),
        "GO" => "Go Vulnerability Database".into(),
        "PYSEC" => "PyPA Advisory Database".into(),
        "RUSTSEC" => "RustSec Advisory Database".into(),
        _ if prefix.is_empty() || prefix == id => "OSV".into(),
        p => p.to_string(),
    }
}

/// The product tree being written: identifiers and (product, subcomponent) pairs to ids.
#[derive(Default)]
struct TreeOut {
    names: Vec<Value>,
    relationships: Vec<Value>,
    ids: HashMap<String, String>,
    pairs: HashMap<(String, String), String>,
    next: usize,
}

impl TreeOut {
    fn new_id(&mut self) -> String {
        self.next += 1;
        format!("CSAFPID-{:04}", self.next)
    }

    fn product(&mut self, ident: &str) -> String {
        if let Some(id) = self.ids.get(ident) {
            return id.clone();
        }
        let id = self.new_id();
        let mut p = Map::new();
        p.insert("name".into(), json!(ident));
        p.insert("product_id".into(), json!(id));
        match crate::product::ProductId::parse(ident) {
            crate::product::ProductId::Purl(_) => {
                p.insert(
                    "product_identification_helper".into(),
                    json!({"purl": ident}),
                );
            }
            crate::product::ProductId::Cpe(_) => {
                p.insert(
                    "product_identification_helper".into(),
                    json!({"cpe": ident}),
                );
            }
            crate::product::ProductId::Other(_) => {}
        }
        self.names.push(Value::Object(p));
        self.ids.insert(ident.to_string(), id.clone());
        id
    }

    fn pair(&mut self, product: &str, sub: &str) -> String {
        let key = (product.to_string(), sub.to_string());
        if let Some(id) = self.pairs.get(&key) {
            return id.clone();
        }
        let platform = self.product(product);
        let component = self.product(sub);
        let id = self.new_id();
        self.relationships.push(json!({
            "category": "default_component_of",
            "product_reference": component,
            "relates_to_product_reference": platform,
            "full_product_name": {"name": format!("{sub} as a component of {product}"), "product_id": id},
        }));
        self.pairs.insert(key, id.clone());
        id
    }
}

fn status_key(s: Status) -> &'static str {
    match s {
        Status::NotAffected => "known_not_affected",
        Status::Affected => "known_affected",
        Status::Fixed => "fixed",
        Status::UnderInvestigation => "under_investigation",
    }
}

/// A CSAF 2.0 `csaf_vex` document. Where two statements give the same product different
/// statuses for one vulnerability (CSAF forbids that), the newer one is written.
pub fn write(statements: &[Statement], opts: &WriteOptions) -> Value {
    let mut tree = TreeOut::default();
    // Vulnerabilities by CVE (else main id), in first-seen order.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<&Statement>> = HashMap::new();
    for s in statements {
        let key = s
            .ids()
            .find(|x| is_cve(x))
            .unwrap_or(&s.vulnerability)
            .to_string();
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(s);
    }
    let mut vulns = Vec::new();
    for key in order {
        let list = &groups[&key];
        // Product id → its newest statement.
        let mut by_pid: BTreeMap<String, &Statement> = BTreeMap::new();
        let mut pid_order: Vec<String> = Vec::new();
        for s in list.iter() {
            let pids: Vec<String> = if s.subcomponents.is_empty() {
                vec![tree.product(&s.product)]
            } else {
                s.subcomponents
                    .iter()
                    .map(|x| tree.pair(&s.product, x))
                    .collect()
            };
            for pid in pids {
                let newer = match by_pid.get(&pid) {
                    None => {
                        pid_order.push(pid.clone());
                        true
                    }
                    // Ties go to the statement given later.
                    Some(old) => s.timestamp >= old.timestamp,
                };
                if newer {
                    by_pid.insert(pid, s);
                }
            }
        }
        let mut status: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut flags: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut threats: Vec<(String, Vec<&str>)> = Vec::new();
        let mut remediations: Vec<(&str, String, Vec<&str>)> = Vec::new();
        for pid in &pid_order {
            let s = by_pid[pid];
            let pid = pid.as_str();
            status.entry(status_key(s.status)).or_default().push(pid);
            if s.status == Status::NotAffected {
                if let Some(j) = s.justification {
                    flags.entry(j.as_str()).or_default().push(pid);
                }
                let text = match (&s.impact_statement, s.justification) {
                    (Some(t), _) => Some(t.clone()),
                    (None, None) => Some(crate::NO_JUSTIFICATION.to_string()),
                    (None, Some(_)) => None,
                };
                if let Some(text) = text {
                    match threats.iter_mut().find(|(t, _)| *t == text) {
                        Some((_, pids)) => pids.push(pid),
                        None => threats.push((text, vec![pid])),
                    }
                }
            } else if let Some(t) = &s.impact_statement {
                match threats.iter_mut().find(|(x, _)| x == t) {
                    Some((_, pids)) => pids.push(pid),
                    None => threats.push((t.clone(), vec![pid])),
                }
            }
            let action = match (&s.action_statement, s.status) {
                (Some(a), _) => Some(("mitigation", a.clone())),
                (None, Status::Affected) => Some(("none_available", crate::NO_ACTION.to_string())),
                _ => None,
            };
            if let Some((cat, text)) = action {
                match remediations
                    .iter_mut()
                    .find(|(c, t, _)| *c == cat && *t == text)
                {
                    Some((_, _, pids)) => pids.push(pid),
                    None => remediations.push((cat, text, vec![pid])),
                }
            }
        }
        let first = list[0];
        let mut v = Map::new();
        let mut ids: Vec<Value> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for x in first.ids().chain(list.iter().flat_map(|s| s.ids())) {
            if x == key || seen.contains(&x) {
                continue;
            }
            seen.push(x);
            ids.push(json!({"system_name": system_name(x), "text": x}));
        }
        if is_cve(&key) {
            v.insert("cve".into(), json!(key));
        } else {
            ids.insert(0, json!({"system_name": system_name(&key), "text": key}));
        }
        if !ids.is_empty() {
            v.insert("ids".into(), Value::Array(ids));
        }
        let description = list
            .iter()
            .find_map(|s| s.description.clone())
            .unwrap_or_else(|| format!("Vulnerability {key}."));
        v.insert(
            "notes".into(),
            json!([{"category": "description", "text": description, "title": "Vulnerability description"}]),
        );
        v.insert("product_status".into(), json!(status));
        if !flags.is_empty() {
            v.insert(
                "flags".into(),
                Value::Array(
                    flags
                        .into_iter()
                        .map(|(label, pids)| json!({"label": label, "product_ids": pids}))
                        .collect(),
                ),
            );
        }
        if !remediations.is_empty() {
            v.insert(
                "remediations".into(),
                Value::Array(
                    remediations
                        .into_iter()
                        .map(|(c, t, pids)| json!({"category": c, "details": t, "product_ids": pids}))
                        .collect(),
                ),
            );
        }
        if !threats.is_empty() {
            v.insert(
                "threats".into(),
                Value::Array(
                    threats
                        .into_iter()
                        .map(|(t, pids)| json!({"category": "impact", "details": t, "product_ids": pids}))
                        .collect(),
                ),
            );
        }
        vulns.push(Value::Object(v));
    }
    let now = crate::format_time(opts.timestamp);
    let id = opts
        .id
        .clone()
        .unwrap_or_else(|| format!("OSSGATE-VEX-{}", crate::content_id(statements, opts)));
    let title = opts.title.clone().unwrap_or_else(|| match &opts.product {
        Some(p) => format!("VEX for {p}"),
        None => "VEX statements".to_string(),
    });
    let mut product_tree = Map::new();
    product_tree.insert("full_product_names".into(), Value::Array(tree.names));
    if !tree.relationships.is_empty() {
        product_tree.insert("relationships".into(), Value::Array(tree.relationships));
    }
    json!({
        "document": {
            "category": "csaf_vex",
            "csaf_version": "2.0",
            "lang": "en",
            "notes": [{"category": "summary", "title": "Summary", "text": format!("Exploitability of vulnerabilities: {title}.")}],
            "publisher": {"category": "vendor", "name": opts.author, "namespace": opts.namespace},
            "title": title,
            "tracking": {
                "current_release_date": now,
                "generator": {"date": now, "engine": {"name": "ossgate", "version": env!("CARGO_PKG_VERSION")}},
                "id": id,
                "initial_release_date": now,
                "revision_history": [{"date": now, "number": "1", "summary": "Initial version."}],
                "status": "final",
                "version": "1",
            },
        },
        "product_tree": product_tree,
        "vulnerabilities": vulns,
    })
}
