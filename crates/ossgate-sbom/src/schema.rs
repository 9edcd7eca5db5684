//! Validation against the official JSON schemas, embedded in the binary (no network): CycloneDX
//! 1.3–1.7 (with the SPDX licence-id, JSF and cryptography schemas they reference) and SPDX 2.3
//! (also used for 2.2 documents, whose schema 2.3 extends). The schema files and their licences
//! are in `crates/ossgate-sbom/schemas/`, copied from the shared data.
//!
//! XML and tag-value documents are first read into the JSON form (see `read`), so the same
//! schemas check their content; XML-specific rules (element order, XSD types) are not checked.

use jsonschema::{Draft, Validator};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

const CDX_1_3: &str = include_str!("../schemas/bom-1.3.schema.json");
const CDX_1_4: &str = include_str!("../schemas/bom-1.4.schema.json");
const CDX_1_5: &str = include_str!("../schemas/bom-1.5.schema.json");
const CDX_1_6: &str = include_str!("../schemas/bom-1.6.schema.json");
const CDX_1_7: &str = include_str!("../schemas/bom-1.7.schema.json");
const CDX_SPDX: &str = include_str!("../schemas/spdx.schema.json");
const CDX_JSF: &str = include_str!("../schemas/jsf-0.82.schema.json");
const CDX_CRYPTO: &str = include_str!("../schemas/cryptography-defs.schema.json");
const SPDX_2_3: &str = include_str!("../schemas/spdx-2.3.schema.json");

/// One schema violation: where in the document (a JSON pointer) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SchemaError {
    pub path: String,
    pub message: String,
}

/// Which schema a document is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    CycloneDx(&'static str),
    Spdx23,
}

impl Schema {
    /// The schema for a CycloneDX `specVersion` or an SPDX `spdxVersion`; `None` when ossgate
    /// embeds none for it (CycloneDX 1.0–1.2 JSON has no official schema here).
    pub fn for_document(doc: &Value) -> Option<Schema> {
        if let Some(v) = doc.get("specVersion").and_then(Value::as_str) {
            return match v {
                "1.3" => Some(Schema::CycloneDx("1.3")),
                "1.4" => Some(Schema::CycloneDx("1.4")),
                "1.5" => Some(Schema::CycloneDx("1.5")),
                "1.6" => Some(Schema::CycloneDx("1.6")),
                "1.7" => Some(Schema::CycloneDx("1.7")),
                _ => None,
            };
        }
        match doc.get("spdxVersion").and_then(Value::as_str) {
            Some("SPDX-2.2" | "SPDX-2.3") => Some(Schema::Spdx23),
            _ => None,
        }
    }

    pub fn name(self) -> String {
        match self {
            Schema::CycloneDx(v) => format!("CycloneDX {v} JSON schema"),
            Schema::Spdx23 => "SPDX 2.3 JSON schema".into(),
        }
    }

    fn text(self) -> &'static str {
        match self {
            Schema::CycloneDx("1.3") => CDX_1_3,
            Schema::CycloneDx("1.4") => CDX_1_4,
            Schema::CycloneDx("1.5") => CDX_1_5,
            Schema::CycloneDx("1.6") => CDX_1_6,
            Schema::CycloneDx(_) => CDX_1_7,
            Schema::Spdx23 => SPDX_2_3,
        }
    }
}

/// Serves the schemas the CycloneDX schemas reference, by file name; nothing else.
struct Embedded;

impl jsonschema::Retrieve for Embedded {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let file = uri.path().as_str().rsplit('/').next().unwrap_or("");
        let text = match file {
            "spdx.schema.json" => CDX_SPDX,
            "jsf-0.82.schema.json" => CDX_JSF,
            "cryptography-defs.schema.json" => CDX_CRYPTO,
            _ => return Err(format!("no embedded schema for {uri}").into()),
        };
        Ok(serde_json::from_str(text)?)
    }
}

fn validator(schema: Schema) -> &'static Validator {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<String, &'static Validator>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    let key = schema.name();
    if let Some(v) = map.get(&key) {
        return v;
    }
    // The embedded schemas are fixed at build time and tested: failing to compile one is a
    // bug in ossgate, not bad input.
    let value: Value = serde_json::from_str(schema.text()).expect("embedded schema is JSON");
    let v = jsonschema::options()
        .with_draft(Draft::Draft7)
        .with_retriever(Embedded)
        .should_validate_formats(true)
        .build(&value)
        .expect("embedded schema compiles");
    let v: &'static Validator = Box::leak(Box::new(v));
    map.insert(key, v);
    v
}

/// Every violation of `schema` in `doc`, in document order, at most `limit`.
pub fn validate(schema: Schema, doc: &Value, limit: usize) -> Vec<SchemaError> {
    let mut out: Vec<SchemaError> = validator(schema)
        .iter_errors(doc)
        .take(limit)
        .map(|e| SchemaError {
            path: e.instance_path().to_string(),
            message: e.to_string(),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_embedded_schema_compiles() {
        for s in [
            Schema::CycloneDx("1.3"),
            Schema::CycloneDx("1.4"),
            Schema::CycloneDx("1.5"),
            Schema::CycloneDx("1.6"),
            Schema::CycloneDx("1.7"),
            Schema::Spdx23,
        ] {
            validator(s);
        }
    }

    #[test]
    fn finds_violations_with_paths() {
        let doc = json!({
            "bomFormat": "CycloneDX", "specVersion": "1.6",
            "components": [{"type": "library", "name": "a"}, {"type": "nonsense", "name": "b"}]
        });
        let s = Schema::for_document(&doc).unwrap();
        let errs = validate(s, &doc, 100);
        assert!(
            errs.iter().any(|e| e.path == "/components/1/type"),
            "{errs:?}"
        );
        let ok = json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []});
        assert!(validate(s, &ok, 100).is_empty());
        let bad_licence = json!({
            "bomFormat": "CycloneDX", "specVersion": "1.6",
            "components": [{"type": "library", "name": "a", "licenses": [{"license": {"id": "NotALicence"}}]}]
        });
        assert!(!validate(s, &bad_licence, 100).is_empty());
    }
}
