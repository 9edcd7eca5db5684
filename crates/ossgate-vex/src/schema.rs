//! The official JSON schemas of the formats ossgate writes, embedded (no network): OpenVEX 0.2.0
//! and CSAF 2.0 (with the FIRST CVSS 2.0 / 3.0 / 3.1 schemas it references). The files and their
//! licences are in `crates/ossgate-vex/schemas/`, copied from the shared data. CycloneDX output
//! is checked with `ossgate_sbom::Schema` in the tests.

use jsonschema::Validator;
use serde_json::Value;
use std::sync::OnceLock;

const OPENVEX: &str = include_str!("../schemas/openvex_json_schema.json");
const CSAF_2_0: &str = include_str!("../schemas/csaf-2.0.schema.json");
const CVSS_2_0: &str = include_str!("../schemas/cvss-v2.0.json");
const CVSS_3_0: &str = include_str!("../schemas/cvss-v3.0.json");
const CVSS_3_1: &str = include_str!("../schemas/cvss-v3.1.json");

/// A schema ossgate embeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexSchema {
    OpenVex,
    Csaf20,
}

/// Serves the CVSS schemas CSAF references, by file name; nothing else.
struct Embedded;

impl jsonschema::Retrieve for Embedded {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let text = match uri.path().as_str().rsplit('/').next().unwrap_or("") {
            "cvss-v2.0.json" => CVSS_2_0,
            "cvss-v3.0.json" => CVSS_3_0,
            "cvss-v3.1.json" => CVSS_3_1,
            _ => return Err(format!("no embedded schema for {uri}").into()),
        };
        Ok(serde_json::from_str(text)?)
    }
}

fn validator(schema: VexSchema) -> &'static Validator {
    static OPEN: OnceLock<Validator> = OnceLock::new();
    static CSAF: OnceLock<Validator> = OnceLock::new();
    let (cell, text) = match schema {
        VexSchema::OpenVex => (&OPEN, OPENVEX),
        VexSchema::Csaf20 => (&CSAF, CSAF_2_0),
    };
    cell.get_or_init(|| {
        // The embedded schemas are fixed at build time and tested: failing to compile one is a
        // bug in ossgate, not bad input.
        let value: Value = serde_json::from_str(text).expect("embedded schema is JSON");
        jsonschema::options()
            .with_retriever(Embedded)
            .should_validate_formats(true)
            .build(&value)
            .expect("embedded schema compiles")
    })
}

/// Every violation of `schema` in `doc` as (JSON pointer, message), at most `limit`.
pub fn validate(schema: VexSchema, doc: &Value, limit: usize) -> Vec<(String, String)> {
    validator(schema)
        .iter_errors(doc)
        .take(limit)
        .map(|e| (e.instance_path().to_string(), e.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_compile_and_reject() {
        for s in [VexSchema::OpenVex, VexSchema::Csaf20] {
            assert!(!validate(s, &serde_json::json!({}), 10).is_empty());
        }
    }
}
