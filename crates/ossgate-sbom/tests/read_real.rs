//! Every real document in the shared data reads: each CycloneDX and SPDX document in
//! `sboms/` and each CycloneDX document in `vex/` reads without error, except those in
//! [`NOT_READ`], which must fail with a message saying why. Component counts are checked
//! against an independent count: the distinct purls a plain text scan finds in the document.

use ossgate_sbom::read;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Documents ossgate does not read, relative to `sboms/`, and what the error must say.
const NOT_READ: &[(&str, &str)] = &[
    ("csaf/csaf_2.0/examples/csaf/bsi-2022-0001.json", "CSAF"),
    (
        "csaf/csaf_2.0/examples/csaf/cisco-sa-20180328-smi2.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-01-a-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-01-f-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-01-na-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-01-ui-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-02-na-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-03-ms-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-04-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-05-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-06-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-07-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-08-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-09-001.json",
        "CSAF",
    ),
    (
        "csaf/csaf_2.0/examples/csaf/csaf_vex/sec-vex-2022-0001.json",
        "CSAF",
    ),
    ("csaf/csaf_2.0/examples/csaf/rhsa-2019_1862.json", "CSAF"),
    ("csaf/csaf_2.0/examples/csaf/rhsa-2021_5186.json", "CSAF"),
    ("csaf/csaf_2.0/examples/csaf/rhsa-2021_5217.json", "CSAF"),
    ("csaf/csaf_2.0/examples/csaf/rhsa-2022_0011.json", "CSAF"),
    (
        "spdx/ai/example01/spdx3.0/simplehtr-example.json",
        "SPDX 3.0",
    ),
    ("spdx/ai/example02/spdx3.0/sbom.spdx3.json", "SPDX 3.0"),
    (
        "spdx/dataset/example01/spdx3.0/example01.spdx3.json",
        "SPDX 3.0",
    ),
    ("spdx/software/example1/spdx3.0/example1.json", "SPDX 3.0"),
    (
        "spdx/software/example10/spdx3.0/hello-source.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example11/spdx3.0/sbom.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example12/spdx3.0/hello-dist.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example12/spdx3.0/hello-src.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example13/spdx3.0/example13.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example14/content/examplemaven-0.0.1.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example14/spdx3.0/examplemaven-0.0.1-enriched.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example3/spdx3.0/example3-bin.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example3/spdx3.0/example3-src.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example4/spdx3.0/example4-bin.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example4/spdx3.0/example4-src.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example5/spdx3.0/example5-bin.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example5/spdx3.0/example5-src.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example6/spdx3.0/example6-bin.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example6/spdx3.0/example6-lib.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example6/spdx3.0/example6-src.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example7/spdx3.0/example7-bin.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example7/spdx3.0/example7-go-module.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example7/spdx3.0/example7-golang.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example7/spdx3.0/example7-third-party-modules.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example8/spdx3.0/examplemaven-0.0.1.spdx3.json",
        "SPDX 3.0",
    ),
    (
        "spdx/software/example9/spdx3.0/appbomination.spdx3.json",
        "SPDX 3.0",
    ),
];

/// The shared data directory (`$OSSGATE_DATA`, else `shared/data` beside the workspace), or
/// `None` (skip) when it is missing outside CI.
fn shared(sub: &str) -> Option<PathBuf> {
    let root = std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
        });
    let dir = root.join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "shared data missing at {}",
        dir.display()
    );
    eprintln!("skipped: no shared data at {}", dir.display());
    None
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The values that follow `open` up to `close` in `text`, for every occurrence.
fn scan<'t>(text: &'t str, open: &str, close: char) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        rest = &rest[i + open.len()..];
        let end = rest.find(close).unwrap_or(rest.len());
        out.push(rest[..end].trim());
        rest = &rest[end..];
    }
    out
}

/// The distinct purls the document's text names where a purl belongs, found without parsing.
fn scanned_purls(text: &str) -> BTreeSet<String> {
    let compact: String = text.split_whitespace().collect::<Vec<_>>().join("");
    let mut found: Vec<&str> = Vec::new();
    found.extend(scan(&compact, "\"purl\":\"", '"'));
    for v in scan(text, "<purl>", '>') {
        // `<purl>` up to the next `>`: the value, or `<![CDATA[value]]`.
        let v = v.strip_suffix("</purl").unwrap_or(v);
        found.push(
            v.strip_prefix("<![CDATA[")
                .and_then(|v| v.strip_suffix("]]"))
                .unwrap_or(v),
        );
    }
    for v in scan(&compact, "\"referenceLocator\":\"", '"') {
        if v.starts_with("pkg:") {
            found.push(v);
        }
    }
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if let [
            "ExternalRef:",
            "PACKAGE-MANAGER" | "PACKAGE_MANAGER",
            "purl",
            p,
        ] = parts.as_slice()
        {
            found.push(p);
        }
    }
    found.into_iter().map(|p| p.replace("&amp;", "&")).collect()
}

struct Outcome {
    read: usize,
    components: usize,
}

fn check(root: &Path, file: &Path, expected_failure: Option<&str>, out: &mut Outcome) {
    let rel = file.strip_prefix(root).unwrap().display().to_string();
    let text = std::fs::read_to_string(file).unwrap();
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let result = read::read(&name, &text);
    match (expected_failure, result) {
        (Some(why), Err(e)) => {
            assert!(
                e.message.contains(why),
                "{rel}: error {e:?} should say {why:?}"
            );
        }
        (Some(_), Ok(_)) => panic!("{rel} is listed as not read, but reads: update NOT_READ"),
        (None, Err(e)) => panic!("{rel}: {e}"),
        (None, Ok((_, c))) => {
            out.read += 1;
            out.components += c.components.len();
            // Independent count: each purl the text scan finds is the subject's, a
            // component's, or (without a version) unresolved, and every component whose purl
            // is written in the document is found by the scan.
            let mut scanned = scanned_purls(&text);
            if let Some(s) = &c.subject {
                scanned.remove(&s.purl);
            }
            let unresolved: BTreeSet<&str> = c.unresolved.iter().map(|u| u.1.as_str()).collect();
            scanned.retain(|p| !unresolved.contains(p.as_str()));
            let from_document: BTreeSet<String> = c
                .components
                .iter()
                .filter(|c| {
                    text.contains(c.purl.as_str()) || text.contains(&c.purl.replace('&', "&amp;"))
                })
                .map(|c| c.purl.clone())
                .collect();
            let not_read: BTreeSet<String> = scanned.difference(&from_document).cloned().collect();
            assert!(
                not_read.is_empty(),
                "{rel}: purls in the text that were not read: {not_read:?}"
            );
            assert_eq!(
                from_document.difference(&scanned).count(),
                0,
                "{rel}: components whose purl the scan did not find"
            );
            assert!(
                c.components.len() >= from_document.len(),
                "{rel}: {} components, {} distinct purls",
                c.components.len(),
                from_document.len()
            );
        }
    }
}

#[test]
fn every_real_sbom_reads_or_is_listed() {
    let Some(root) = shared("sboms") else { return };
    let mut all = Vec::new();
    files(&root, &mut all);
    all.retain(|p| p.extension().is_some_and(|e| e != "md"));
    let mut out = Outcome {
        read: 0,
        components: 0,
    };
    let mut listed_seen = 0;
    for f in &all {
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
        let listed = NOT_READ
            .iter()
            .find(|(p, _)| *p == rel)
            .map(|(_, why)| *why);
        listed_seen += usize::from(listed.is_some());
        check(&root, f, listed, &mut out);
    }
    assert_eq!(listed_seen, NOT_READ.len(), "every listed document exists");
    assert_eq!(all.len(), 140, "documents besides SOURCES.md");
    assert_eq!(out.read, 140 - NOT_READ.len());
    assert!(out.components > 5_000, "{}", out.components);
}

#[test]
fn every_cyclonedx_document_in_the_vex_data_reads() {
    let Some(root) = shared("vex/cyclonedx") else {
        return;
    };
    let mut all = Vec::new();
    files(&root, &mut all);
    all.retain(|p| p.extension().is_some_and(|e| e == "json" || e == "xml"));
    let mut out = Outcome {
        read: 0,
        components: 0,
    };
    for f in &all {
        check(&root, f, None, &mut out);
    }
    assert_eq!(out.read, 42);
    assert!(out.components >= 3);
}

/// Where the JSON and XML editions of one BOM in the data really differ: (directory, purl).
const DATA_DIFFERENCES: &[(&str, &str)] = &[
    // The JSON gives a licence expression, the XML none.
    (
        "dropwizard-1.3.15",
        "pkg:maven/org.glassfish.hk2/osgi-resource-locator@1.0.1?type=jar",
    ),
];

/// The same product in JSON and XML reads to the same components.
#[test]
fn json_and_xml_of_the_same_bom_agree() {
    let Some(root) = shared("sboms/cyclonedx/SBOM") else {
        return;
    };
    for dir in [
        "cern-lhc-vdm-editor-e564943",
        "dropwizard-1.3.15",
        "juice-shop/v11.1.2",
    ] {
        let get = |f: &str| {
            let text = std::fs::read_to_string(root.join(dir).join(f)).unwrap();
            let (_, c) = read::read(f, &text).unwrap();
            let mut v: Vec<(String, Vec<String>, usize, Vec<String>)> = c
                .components
                .iter()
                .map(|c| {
                    let known = DATA_DIFFERENCES.contains(&(dir, c.purl.as_str()));
                    let licenses = if known {
                        Vec::new()
                    } else {
                        c.licenses.clone()
                    };
                    (
                        c.purl.clone(),
                        licenses,
                        c.hashes.len(),
                        c.dependencies.clone(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        let (j, x) = (get("bom.json"), get("bom.xml"));
        assert!(!j.is_empty(), "{dir}");
        assert_eq!(j.len(), x.len(), "{dir}");
        for (a, b) in j.iter().zip(&x) {
            assert_eq!(a, b, "{dir}");
        }
    }
    for v in ["1.2", "1.3", "1.4"] {
        let dir = root.join("laravel-7.12.0");
        let count = |f: String| {
            let text = std::fs::read_to_string(dir.join(&f)).unwrap();
            let (_, c) = read::read(&f, &text).unwrap();
            (
                c.components.len(),
                c.components
                    .iter()
                    .map(|c| c.dependencies.len())
                    .sum::<usize>(),
            )
        };
        assert_eq!(
            count(format!("bom.{v}.json")),
            count(format!("bom.{v}.xml")),
            "laravel {v}"
        );
    }
}
