//! Writers: every output validates against its official schema (OpenVEX 0.2.0, CycloneDX 1.6,
//! CSAF 2.0), and round trips between the three formats keep status, justification, impact and
//! action statements, and products with their subcomponents.

use ossgate_vex::schema::{VexSchema, validate};
use ossgate_vex::{Format, Justification, Statement, Status, WriteOptions, read_value, write};
use serde_json::Value;
use std::collections::BTreeSet;

fn opts(product: Option<&str>) -> WriteOptions {
    let mut o = WriteOptions::new("Example Supplier", "2024-05-01T12:00:00Z".parse().unwrap());
    o.product = product.map(str::to_string);
    o
}

fn check_schema(format: Format, doc: &Value) {
    let errors: Vec<(String, String)> = match format {
        Format::OpenVex => validate(VexSchema::OpenVex, doc, 20),
        Format::Csaf => validate(VexSchema::Csaf20, doc, 20),
        Format::CycloneDx => {
            ossgate_sbom::validate(ossgate_sbom::Schema::CycloneDx("1.6"), doc, 20)
                .into_iter()
                .map(|e| (e.path, e.message))
                .collect()
        }
    };
    assert!(
        errors.is_empty(),
        "{format:?} output breaks the schema: {errors:#?}"
    );
}

/// What a round trip must keep, one entry per (statement, subcomponent).
type Key = (
    BTreeSet<String>,
    String,
    Option<String>,
    Status,
    Option<Justification>,
    Option<String>,
    Option<String>,
);

fn keys(statements: &[Statement]) -> BTreeSet<Key> {
    let mut out = BTreeSet::new();
    for s in statements {
        let ids: BTreeSet<String> = s.ids().map(str::to_string).collect();
        let subs: Vec<Option<String>> = if s.subcomponents.is_empty() {
            vec![None]
        } else {
            s.subcomponents.iter().cloned().map(Some).collect()
        };
        for sub in subs {
            out.insert((
                ids.clone(),
                s.product.clone(),
                sub,
                s.status,
                s.justification,
                s.impact_statement
                    .clone()
                    .filter(|x| x != ossgate_vex::NO_JUSTIFICATION),
                s.action_statement
                    .clone()
                    .filter(|x| x != ossgate_vex::NO_ACTION),
            ));
        }
    }
    out
}

fn statement(
    vuln: &str,
    aliases: &[&str],
    product: &str,
    subs: &[&str],
    status: Status,
) -> Statement {
    let mut s = Statement::new(vuln, product, status);
    s.aliases = aliases.iter().map(|a| a.to_string()).collect();
    s.subcomponents = subs.iter().map(|a| a.to_string()).collect();
    s.timestamp = Some("2024-04-01T08:30:00Z".parse().unwrap());
    s
}

/// Statements about one product release: every status, every justification, subcomponents.
fn release_statements() -> Vec<Statement> {
    let product = "pkg:npm/acme-app@1.2.0";
    let mut out = Vec::new();
    for (i, j) in Justification::ALL.into_iter().enumerate() {
        let mut s = statement(
            &format!("CVE-2024-1000{i}"),
            &[&format!("GHSA-aaaa-bbbb-000{i}")],
            product,
            &[&format!("pkg:npm/lib-{i}@1.0.{i}")],
            Status::NotAffected,
        );
        s.justification = Some(j);
        if i % 2 == 0 {
            s.impact_statement = Some(format!("Reason {i}: the parser is never given user input."));
        }
        out.push(s);
    }
    let mut a = statement(
        "GHSA-cccc-dddd-eeee",
        &[],
        product,
        &["pkg:npm/left-pad@1.0.0", "pkg:npm/right-pad@2.0.0"],
        Status::Affected,
    );
    a.action_statement = Some("Upgrade left-pad to 1.3.0.".into());
    out.push(a);
    out.push(statement(
        "CVE-2023-99999",
        &[],
        product,
        &["pkg:npm/fixed-lib@3.0.0"],
        Status::Fixed,
    ));
    out.push(statement(
        "CVE-2022-12345",
        &["PYSEC-2022-1"],
        product,
        &[],
        Status::UnderInvestigation,
    ));
    out
}

/// Statements about several products, including a CPE and an opaque id.
fn mixed_statements() -> Vec<Statement> {
    let mut a = statement(
        "CVE-2021-44228",
        &[],
        "pkg:maven/com.acme/server@4.2",
        &["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"],
        Status::NotAffected,
    );
    a.justification = Some(Justification::VulnerableCodeNotInExecutePath);
    let mut b = statement(
        "CVE-2021-44228",
        &[],
        "cpe:2.3:a:acme:gateway:5.0:*:*:*:*:*:*:*",
        &[],
        Status::Affected,
    );
    b.action_statement = Some("Apply hotfix HF-5.0-7.".into());
    let mut c = statement(
        "CVE-2020-1234",
        &[],
        "Acme Widget 3",
        &[],
        Status::NotAffected,
    );
    c.impact_statement = Some("Not shipped.".into());
    let d = statement(
        "CVE-2020-1234",
        &[],
        "pkg:maven/com.acme/server@4.2",
        &[],
        Status::Fixed,
    );
    vec![a, b, c, d]
}

fn round_trip(statements: &[Statement], product: Option<&str>) {
    let want = keys(statements);
    for format in [Format::OpenVex, Format::CycloneDx, Format::Csaf] {
        let doc = write(format, statements, &opts(product));
        check_schema(format, &doc);
        let back = read_value(&doc, "mem.json").unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(back.format, format);
        assert_eq!(
            keys(&back.statements),
            want,
            "{format:?} round trip:\n{doc:#}"
        );
    }
    // Across formats: OpenVEX -> CycloneDX -> CSAF -> OpenVEX.
    let mut cur = statements.to_vec();
    for format in [
        Format::OpenVex,
        Format::CycloneDx,
        Format::Csaf,
        Format::OpenVex,
    ] {
        let doc = write(format, &cur, &opts(product));
        check_schema(format, &doc);
        cur = read_value(&doc, "chain.json").unwrap().statements;
    }
    assert_eq!(
        keys(&cur),
        want,
        "chain OpenVEX -> CycloneDX -> CSAF -> OpenVEX"
    );
}

#[test]
fn round_trips_of_a_release() {
    round_trip(&release_statements(), Some("pkg:npm/acme-app@1.2.0"));
}

#[test]
fn round_trips_of_several_products() {
    round_trip(&mixed_statements(), None);
}

#[test]
fn csaf_keeps_one_status_per_product_and_one_entry_per_cve() {
    let mut older = statement(
        "GHSA-xxxx-yyyy-zzzz",
        &["CVE-2024-5555"],
        "pkg:npm/a@1",
        &[],
        Status::Affected,
    );
    older.action_statement = Some("Upgrade.".into());
    let mut newer = statement(
        "CVE-2024-5555",
        &[],
        "pkg:npm/a@1",
        &[],
        Status::NotAffected,
    );
    newer.justification = Some(Justification::ComponentNotPresent);
    newer.timestamp = Some("2024-06-01T00:00:00Z".parse().unwrap());
    let doc = write(Format::Csaf, &[older, newer], &opts(None));
    check_schema(Format::Csaf, &doc);
    let v = doc["vulnerabilities"].as_array().unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["cve"], "CVE-2024-5555");
    assert_eq!(v[0]["ids"][0]["text"], "GHSA-xxxx-yyyy-zzzz");
    assert_eq!(
        v[0]["product_status"]["known_not_affected"],
        serde_json::json!(["CSAFPID-0001"])
    );
    assert!(v[0]["product_status"].get("known_affected").is_none());
}

#[test]
fn incomplete_statements_still_give_valid_documents() {
    // A not_affected without any reason and an affected without action, as some sources send.
    let bare = vec![
        statement(
            "CVE-2024-0001",
            &[],
            "pkg:npm/a@1",
            &[],
            Status::NotAffected,
        ),
        statement("CVE-2024-0002", &[], "pkg:npm/a@1", &[], Status::Affected),
    ];
    for format in [Format::OpenVex, Format::CycloneDx, Format::Csaf] {
        check_schema(format, &write(format, &bare, &opts(None)));
    }
}

#[test]
fn every_shared_document_converts_to_valid_documents() {
    let dir = std::env::var_os("OSSGATE_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data").into())
        .join("vex");
    if !dir.is_dir() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "shared data missing"
        );
        eprintln!("skipped: no shared data at {}", dir.display());
        return;
    }
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let mut converted = 0;
    for entry in index["files"].as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        let Ok(doc) = ossgate_vex::read_file(&dir.join(file)) else {
            continue;
        };
        if doc.statements.is_empty() {
            continue;
        }
        for format in [Format::OpenVex, Format::CycloneDx, Format::Csaf] {
            let out = write(format, &doc.statements, &opts(None));
            check_schema(format, &out);
            let back =
                read_value(&out, file).unwrap_or_else(|e| panic!("{file} as {format:?}: {e}"));
            if format == Format::Csaf {
                // CSAF allows one status per product and vulnerability: where a source gives
                // two, the newer is written. Every product and subcomponent is still there.
                let pairs = |k: BTreeSet<Key>| -> BTreeSet<(String, Option<String>)> {
                    k.into_iter().map(|k| (k.1, k.2)).collect()
                };
                assert_eq!(
                    pairs(keys(&back.statements)),
                    pairs(keys(&doc.statements)),
                    "{file}"
                );
            } else if format == Format::CycloneDx {
                // CycloneDX has one `detail`: the impact statement of not_affected statements
                // (the notes of the others), so an impact statement on another status is not kept.
                let norm = |k: BTreeSet<Key>| -> BTreeSet<Key> {
                    k.into_iter()
                        .map(|mut k| {
                            if k.3 != Status::NotAffected {
                                k.5 = None;
                            }
                            k
                        })
                        .collect()
                };
                assert_eq!(
                    norm(keys(&back.statements)),
                    norm(keys(&doc.statements)),
                    "{file} as {format:?}"
                );
            } else {
                assert_eq!(
                    keys(&back.statements),
                    keys(&doc.statements),
                    "{file} as {format:?}"
                );
            }
        }
        converted += 1;
    }
    assert!(converted >= 60, "{converted}");
}

/// The CSAF mandatory tests (CSAF 2.0 section 6.1) through `.ci/csaf-validate.mjs`, when
/// `CSAF_VALIDATOR_LIB` names an installed `@secvisogram/csaf-validator-lib` (CI sets it).
#[test]
fn csaf_exports_pass_the_mandatory_tests() {
    let Some(lib) = std::env::var_os("CSAF_VALIDATOR_LIB") else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must set CSAF_VALIDATOR_LIB"
        );
        eprintln!("skipped: CSAF_VALIDATOR_LIB not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let cases = [
        (
            "release",
            release_statements(),
            Some("pkg:npm/acme-app@1.2.0"),
        ),
        ("mixed", mixed_statements(), None),
    ];
    for (name, statements, product) in cases {
        let path = dir.path().join(format!("{name}.csaf.json"));
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&write(Format::Csaf, &statements, &opts(product)))
                .unwrap(),
        )
        .unwrap();
        files.push(path);
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../.ci/csaf-validate.mjs");
    let out = std::process::Command::new("node")
        .arg(script)
        .args(&files)
        .env("CSAF_VALIDATOR_LIB", lib)
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.matches(": ok (").count(), files.len(), "{text}");
}
