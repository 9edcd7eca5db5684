//! Reader tests: small documents per format, warnings with their paths, and the round trip
//! through every writer format and CycloneDX version.

use super::*;
use crate::{CdxVersion, Format, Subject, WriteOptions, write};
use ossgate_model::{Component, Ecosystem, Hash, HashAlg, Scope};
use std::collections::BTreeMap;

fn read_ok(name: &str, text: &str) -> (DocKind, SbomContents) {
    read(name, text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn by_purl(c: &SbomContents) -> BTreeMap<&str, &Component> {
    c.components.iter().map(|c| (c.purl.as_str(), c)).collect()
}

fn has_warning(c: &SbomContents, path: &str, needle: &str) -> bool {
    c.warnings
        .iter()
        .any(|w| w.path == path && w.message.contains(needle))
}

// ---------------------------------------------------------------------------------------------
// Identification.

#[test]
fn sniffs_each_serialisation_by_content() {
    let cases = [
        (
            "x.json",
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6"}"#,
            Some(DocKind::CycloneDxJson),
        ),
        (
            "x.json",
            r#"{"spdxVersion":"SPDX-2.3"}"#,
            Some(DocKind::SpdxJson),
        ),
        (
            "x.xml",
            r#"<?xml version="1.0"?><!-- c --><bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>"#,
            Some(DocKind::CycloneDxXml),
        ),
        (
            "x.txt",
            "# c\n\nSPDXVersion: SPDX-2.2\n",
            Some(DocKind::SpdxTagValue),
        ),
        ("x.json", r#"{"csaf_version":"2.0"}"#, None),
        ("x.xml", "<project/>", None),
        ("x.json", r#"{"name":"a"}"#, None),
    ];
    for (name, text, want) in cases {
        assert_eq!(sniff(name, text), want, "{text}");
    }
    let e = identify("a.json", r#"{"@context":"https://openvex.dev/ns/v0.2.0"}"#).unwrap_err();
    assert!(e.message.contains("OpenVEX"), "{e}");
    let e = identify("a.json", r#"{"spdxVersion":"SPDX-3.0"}"#).unwrap_err();
    assert!(e.message.contains("2.2 and 2.3"), "{e}");
    let e = identify("a.xml", "<bom/>").unwrap_err();
    assert!(e.message.contains("namespace"), "{e}");
}

#[test]
fn unreadable_documents_are_errors_with_lines() {
    let e = read(
        "a.cdx.json",
        "{\"bomFormat\": \"CycloneDX\",\n\"components\": [\n}",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    let e = read(
        "a.xml",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<components>\n</bom>",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    let e = read(
        "a.spdx",
        "SPDXVersion: SPDX-2.3\nPackageName: a\nPackageComment: <text>never\nclosed\n",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.message.contains("</text>"), "{e}");
    let e = read(
        "a.xml",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">&bogus;</bom>",
    )
    .unwrap_err();
    assert!(e.message.contains("entity"), "{e}");
}

#[test]
fn identity_falls_back_from_purl_to_name_to_cpe() {
    let mut w = Warnings::default();
    let src = IdentSource {
        purl: Some(("pkg:npm/%40a/b", "$.p".into())),
        group: None,
        name: Some("ignored"),
        version: Some("1.2.3"),
        cpe: None,
    };
    let i = identify_component(&src, false, &mut w).unwrap();
    assert_eq!((i.name.as_str(), i.version.as_str()), ("@a/b", "1.2.3"));
    assert_eq!(i.purl, "pkg:npm/%40a/b@1.2.3");
    let src = IdentSource {
        purl: None,
        group: None,
        name: None,
        version: None,
        cpe: Some("cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*"),
    };
    let i = identify_component(&src, false, &mut w).unwrap();
    assert_eq!(i.purl, "pkg:generic/openssl@3.0.1");
    assert_eq!(
        cpe_parts("cpe:/a:gnu:glibc:2.31"),
        Some(("gnu", "glibc", Some("2.31")))
    );
    let src = IdentSource {
        purl: Some(("not-a-purl", "$.x.purl".into())),
        group: Some("org"),
        name: Some("n"),
        version: None,
        cpe: None,
    };
    let (text, reason) = identify_component(&src, false, &mut w).unwrap_err();
    assert_eq!(text, "org/n");
    assert!(reason.contains("no version"), "{reason}");
    assert!(w.finish().iter().any(|w| w.path == "$.x.purl"));
}

#[test]
fn splits_licence_expressions_at_top_level_and() {
    assert_eq!(split_and("MIT AND (A OR B)"), vec!["MIT", "A OR B"]);
    assert_eq!(
        split_and("(MIT AND BSD-3-Clause)"),
        vec!["MIT AND BSD-3-Clause"]
    );
    assert_eq!(split_and("GPL-2.0-only"), vec!["GPL-2.0-only"]);
    assert_eq!(split_and("A and B"), vec!["A", "B"]);
}

// ---------------------------------------------------------------------------------------------
// CycloneDX JSON.

const CDX: &str = r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"type": "application", "bom-ref": "root", "name": "app", "version": "2.0"}},
  "components": [
    {"type": "library", "bom-ref": "a", "name": "a", "version": "1.0", "purl": "pkg:npm/a@1.0",
     "scope": "excluded",
     "hashes": [{"alg": "SHA-256", "content": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
                {"alg": "SHA3-256", "content": "00"}],
     "licenses": [{"license": {"id": "MIT"}}, {"license": {"name": "Custom"}}],
     "components": [
        {"type": "library", "bom-ref": "a-inner", "group": "org.x", "name": "inner", "version": "3"}
     ]},
    {"type": "library", "bom-ref": "b", "name": "b", "purl": "pkg:pypi/b@2.1",
     "licenses": [{"expression": "MIT OR Apache-2.0"}], "scope": "optional"},
    {"type": "file", "bom-ref": "f", "name": "README"},
    {"type": "library", "bom-ref": "noversion", "name": "c"},
    {"type": "library", "name": "d", "version": "1", "purl": "pkg:bad", "hashes": [{"alg": "SHA-256", "content": "xyz"}]},
    {"type": "library", "version": "1"},
    {"type": "library", "bom-ref": "a", "name": "dup", "version": "9"},
    "not an object"
  ],
  "services": [{"bom-ref": "svc", "name": "api"}],
  "dependencies": [
    {"ref": "root", "dependsOn": ["a", "svc"]},
    {"ref": "a", "dependsOn": ["b", "f", "missing", 7]},
    {"ref": "pkg:pypi/b@2.1", "dependsOn": ["a-inner"]}
  ]
}"#;

#[test]
fn cyclonedx_json_components_graph_and_warnings() {
    let (kind, c) = read_ok("bom.json", CDX);
    assert_eq!(kind, DocKind::CycloneDxJson);
    let m = by_purl(&c);
    let purls: Vec<&str> = m.keys().copied().collect();
    assert_eq!(
        purls,
        vec![
            "pkg:generic/d@1",
            "pkg:generic/dup@9",
            "pkg:generic/org.x/inner@3",
            "pkg:npm/a@1.0",
            "pkg:pypi/b@2.1",
        ]
    );
    let a = m["pkg:npm/a@1.0"];
    assert_eq!(a.scope, Scope::Dev);
    assert!(a.direct);
    assert_eq!(a.hashes.len(), 1, "SHA3 is dropped, SHA-256 kept");
    assert_eq!(a.hashes[0].value, "a".repeat(64));
    assert_eq!(a.licenses, vec!["MIT", "Custom"]);
    assert_eq!(a.dependencies, vec!["pkg:pypi/b@2.1"]);
    assert_eq!(a.locations[0].file, "bom.json");
    let b = m["pkg:pypi/b@2.1"];
    assert_eq!((b.name.as_str(), b.version.as_str()), ("b", "2.1"));
    assert_eq!(b.scope, Scope::Optional);
    assert_eq!(b.licenses, vec!["MIT OR Apache-2.0"]);
    assert!(!b.direct, "the subject's dependsOn decides");
    assert_eq!(
        b.dependencies,
        vec!["pkg:generic/org.x/inner@3"],
        "ref by purl"
    );
    let inner = m["pkg:generic/org.x/inner@3"];
    assert_eq!(inner.name, "org.x/inner");
    let subject = c.subject.as_ref().unwrap();
    assert_eq!(
        (subject.name.as_str(), subject.version.as_str()),
        ("app", "2.0")
    );
    assert_eq!(subject.dependencies, vec!["pkg:npm/a@1.0"]);
    let unresolved: Vec<&str> = c.unresolved.iter().map(|u| u.0.as_str()).collect();
    assert_eq!(unresolved, vec!["$.components[3]", "$.components[5]"]);
    assert!(has_warning(&c, "$.components[4].purl", "not a valid purl"));
    assert!(has_warning(
        &c,
        "$.components[4].hashes[0]",
        "not a SHA-256 digest"
    ));
    assert!(has_warning(&c, "$.components[5].name", "missing"));
    assert!(has_warning(
        &c,
        "$.components[6]['bom-ref']",
        "already used"
    ));
    assert!(has_warning(&c, "$.components[7]", "must be an object"));
    assert!(has_warning(
        &c,
        "$.dependencies[1].dependsOn[2]",
        "\"missing\""
    ));
    assert!(has_warning(
        &c,
        "$.dependencies[1].dependsOn[3]",
        "not a number"
    ));
    assert!(
        !c.warnings
            .iter()
            .any(|w| w.message.contains("svc") || w.message.contains("\"f\"")),
        "services and files are known refs: {:?}",
        c.warnings
    );
}

#[test]
fn cyclonedx_without_subject_edges_takes_roots_as_direct() {
    let doc = r#"{"bomFormat":"CycloneDX","specVersion":"1.4","components":[
        {"type":"library","bom-ref":"x","purl":"pkg:cargo/x@1","name":"x"},
        {"type":"library","bom-ref":"y","purl":"pkg:cargo/y@1","name":"y"}],
        "dependencies":[{"ref":"x","dependsOn":["y"]}]}"#;
    let (_, c) = read_ok("b.json", doc);
    let direct: Vec<&str> = c
        .components
        .iter()
        .filter(|c| c.direct)
        .map(|c| c.purl.as_str())
        .collect();
    assert_eq!(direct, vec!["pkg:cargo/x@1"]);
    assert!(c.subject.is_none());
    let (_, c) = read_ok(
        "b.json",
        r#"{"bomFormat":"CycloneDX","specVersion":"1.4","components":{}}"#,
    );
    assert!(has_warning(&c, "$.components", "must be an array"));
    let (_, c) = read_ok("b.json", r#"{"specVersion":"1.4","components":[]}"#);
    assert!(has_warning(&c, "$.bomFormat", "missing"));
}

// ---------------------------------------------------------------------------------------------
// CycloneDX XML.

const CDX_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.2" xmlns:v="http://cyclonedx.org/schema/ext/vulnerability/1.0" version="1">
  <metadata>
    <component type="application" bom-ref="root"><name>app</name><version>1</version></component>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:maven/g/a@1">
      <group>g</group>
      <name>a</name>
      <version>1</version>
      <hashes><hash alg="SHA-1">da39a3ee5e6b4b0d3255bfef95601890afd80709</hash></hashes>
      <licenses><license><id>Apache-2.0</id></license></licenses>
      <purl>pkg:maven/g/a@1</purl>
      <v:vulnerabilities><v:vulnerability ref="x"><v:id>CVE-1</v:id></v:vulnerability></v:vulnerabilities>
      <components>
        <component type="library"><name>nested &amp; co</name><version>2</version><purl>pkg:maven/g/n@2</purl></component>
      </components>
    </component>
    <component type="library">
      <name>no-version</name>
    </component>
  </components>
  <dependencies>
    <dependency ref="root"><dependency ref="pkg:maven/g/a@1"/></dependency>
    <dependency ref="pkg:maven/g/a@1"><dependency ref="pkg:maven/g/n@2"/><dependency ref="ghost"/></dependency>
  </dependencies>
</bom>
"#;

#[test]
fn cyclonedx_xml_reads_like_json_with_lines() {
    let (kind, c) = read_ok("bom.xml", CDX_XML);
    assert_eq!(kind, DocKind::CycloneDxXml);
    let m = by_purl(&c);
    let a = m["pkg:maven/g/a@1"];
    assert_eq!(a.name, "g:a");
    assert_eq!(a.hashes[0].alg, HashAlg::Sha1);
    assert_eq!(a.licenses, vec!["Apache-2.0"]);
    assert_eq!(a.dependencies, vec!["pkg:maven/g/n@2"]);
    assert!(a.direct);
    assert_eq!(a.locations[0].line, Some(7));
    assert!(m.contains_key("pkg:maven/g/n@2"));
    assert_eq!(c.unresolved.len(), 1);
    let ghost = c
        .warnings
        .iter()
        .find(|w| w.message.contains("ghost"))
        .expect("dangling ref warned");
    assert_eq!(ghost.path, "$.dependencies[1].dependsOn[1]");
    assert_eq!(ghost.line, Some(25));
    let (doc, _) = to_json(DocKind::CycloneDxXml, CDX_XML).unwrap();
    assert_eq!(doc["specVersion"], "1.2");
    assert_eq!(doc["version"], 1);
    assert!(
        doc["components"][0].get("vulnerabilities").is_none(),
        "extension elements are left out"
    );
    assert_eq!(doc["components"][0]["components"][0]["name"], "nested & co");
}

#[test]
fn cyclonedx_xml_converts_lists_scalars_and_text() {
    let xml = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="2">
      <metadata>
        <supplier><name>S</name><url>https://s</url><contact><email>a@s</email></contact></supplier>
        <tools><components><component type="application"><name>t</name></component></components></tools>
      </metadata>
      <components>
        <component type="library">
          <name>x</name><version>1</version>
          <licenses><expression>MIT OR 0BSD</expression></licenses>
          <externalReferences><reference type="vcs"><url>https://git</url></reference></externalReferences>
          <properties><property name="k">v</property></properties>
          <evidence><occurrences><occurrence><location>a.lock</location><line>4</line></occurrence></occurrences>
            <copyright><text>(c) me</text></copyright></evidence>
        </component>
      </components>
      <services><service><name>s</name><authenticated>true</authenticated><endpoints><endpoint>https://e</endpoint></endpoints></service></services>
    </bom>"#;
    let (doc, w) = to_json(DocKind::CycloneDxXml, xml).unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(doc["version"], 2);
    assert_eq!(
        doc["metadata"]["supplier"]["url"],
        serde_json::json!(["https://s"])
    );
    assert_eq!(doc["metadata"]["supplier"]["contact"][0]["email"], "a@s");
    assert_eq!(doc["metadata"]["tools"]["components"][0]["name"], "t");
    let c = &doc["components"][0];
    assert_eq!(
        c["licenses"],
        serde_json::json!([{"expression": "MIT OR 0BSD"}])
    );
    assert_eq!(c["externalReferences"][0]["url"], "https://git");
    assert_eq!(
        c["properties"],
        serde_json::json!([{"name": "k", "value": "v"}])
    );
    assert_eq!(c["evidence"]["occurrences"][0]["line"], 4);
    assert_eq!(
        c["evidence"]["copyright"],
        serde_json::json!([{"text": "(c) me"}])
    );
    assert_eq!(doc["services"][0]["authenticated"], true);
    assert_eq!(
        doc["services"][0]["endpoints"],
        serde_json::json!(["https://e"])
    );
    let errors = crate::validate(crate::Schema::CycloneDx("1.6"), &doc, 10);
    assert!(errors.is_empty(), "{errors:?}");
}

// ---------------------------------------------------------------------------------------------
// SPDX.

const SPDX: &str = r#"{
  "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "d",
  "documentDescribes": ["SPDXRef-root"],
  "hasExtractedLicensingInfos": [{"licenseId": "LicenseRef-Mine", "name": "My Licence", "extractedText": "..."}],
  "packages": [
    {"SPDXID": "SPDXRef-root", "name": "product", "versionInfo": "5"},
    {"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1.0",
     "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:golang/example.com/a@v1.0"}],
     "checksums": [{"algorithm": "SHA1", "checksumValue": "da39a3ee5e6b4b0d3255bfef95601890afd80709"}, {"algorithm": "BLAKE3", "checksumValue": "00"}, {"algorithm": "CRC", "checksumValue": "00"}],
     "licenseConcluded": "MIT", "licenseDeclared": "NOASSERTION"},
    {"SPDXID": "SPDXRef-b", "name": "b", "versionInfo": "2",
     "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:v:bee:2:*:*:*:*:*:*:*"}],
     "licenseDeclared": "(MIT OR 0BSD) AND LicenseRef-Mine"},
    {"SPDXID": "SPDXRef-c", "name": "c", "versionInfo": "3"},
    {"SPDXID": "SPDXRef-nov", "name": "nov"},
    {"name": "noid", "versionInfo": "1"}
  ],
  "files": [{"SPDXID": "SPDXRef-file", "fileName": "./x"}],
  "relationships": [
    {"spdxElementId": "SPDXRef-root", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-a"},
    {"spdxElementId": "SPDXRef-c", "relationshipType": "DEV_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-root"},
    {"spdxElementId": "SPDXRef-b", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-a"},
    {"spdxElementId": "SPDXRef-a", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-file"},
    {"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-gone"},
    {"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "DocumentRef-other:SPDXRef-x"}
  ]
}"#;

#[test]
fn spdx_json_packages_relationships_and_subject() {
    let (kind, c) = read_ok("x.spdx.json", SPDX);
    assert_eq!(kind, DocKind::SpdxJson);
    let m = by_purl(&c);
    assert_eq!(
        m.keys().copied().collect::<Vec<_>>(),
        vec![
            "pkg:generic/b@2",
            "pkg:generic/c@3",
            "pkg:generic/noid@1",
            "pkg:golang/example.com/a@v1.0"
        ]
    );
    let a = m["pkg:golang/example.com/a@v1.0"];
    assert_eq!(a.ecosystem, Ecosystem::Go);
    assert_eq!(
        a.licenses,
        vec!["MIT"],
        "concluded when declared is NOASSERTION"
    );
    assert_eq!(a.hashes.len(), 1);
    assert_eq!(a.dependencies, vec!["pkg:generic/b@2"]);
    assert!(a.direct);
    let b = m["pkg:generic/b@2"];
    assert_eq!(b.name, "b", "the name field wins over the CPE's product");
    assert_eq!(b.licenses, vec!["MIT OR 0BSD", "My Licence"]);
    assert!(!b.direct);
    let cc = m["pkg:generic/c@3"];
    assert_eq!(cc.scope, Scope::Dev);
    assert!(cc.direct);
    let s = c.subject.as_ref().unwrap();
    assert_eq!(s.name, "product");
    assert_eq!(
        s.dependencies,
        vec!["pkg:generic/c@3", "pkg:golang/example.com/a@v1.0"]
    );
    assert_eq!(c.unresolved.len(), 1);
    assert_eq!(c.unresolved[0].0, "$.packages[4]");
    assert!(has_warning(&c, "$.packages[1].checksums[2]", "CRC"));
    assert!(!c.warnings.iter().any(|w| w.message.contains("BLAKE3")));
    assert!(has_warning(&c, "$.packages[5].SPDXID", "missing"));
    assert!(has_warning(
        &c,
        "$.relationships[4].relatedSpdxElement",
        "SPDXRef-gone"
    ));
    assert!(!c.warnings.iter().any(|w| w.message.contains("DocumentRef")));
    assert!(
        !c.warnings
            .iter()
            .any(|w| w.message.contains("SPDXRef-file"))
    );
}

const TV: &str = "SPDXVersion: SPDX-2.2
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: t
DocumentNamespace: https://example.com/t
Creator: Tool: x
Created: 2024-01-01T00:00:00Z
DocumentComment: <text>two
lines</text>

PackageName: top
SPDXID: SPDXRef-top
PackageVersion: 1
FilesAnalyzed: true
PackageVerificationCode: d6a770ba38583ed4bb4525bd96e50461655d2758 (excludes: ./a, ./b)
PackageDownloadLocation: NOASSERTION
PackageLicenseDeclared: MIT

FileName: ./src/main.c
SPDXID: SPDXRef-main
FileChecksum: SHA1: da39a3ee5e6b4b0d3255bfef95601890afd80709
LicenseConcluded: MIT
LicenseInfoInFile: MIT
FileCopyrightText: NONE

PackageName: lib
SPDXID: SPDXRef-lib
PackageVersion: 0.9
PackageChecksum: SHA256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/lib@0.9
ExternalRefComment: the Debian package
PackageLicenseDeclared: LicenseRef-X
FilesAnalyzed: maybe
Bogus line without a colon
UnknownTag: x

LicenseID: LicenseRef-X
ExtractedText: <text>Some
licence text</text>
LicenseName: X Licence

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-top
Relationship: SPDXRef-top DEPENDS_ON SPDXRef-lib
RelationshipComment: linked
Relationship: broken
";

#[test]
fn spdx_tag_value_converts_to_json_and_reads() {
    let (doc, w) = to_json(DocKind::SpdxTagValue, TV).unwrap();
    assert_eq!(doc["comment"], "two\nlines");
    assert_eq!(
        doc["creationInfo"]["creators"],
        serde_json::json!(["Tool: x"])
    );
    let top = &doc["packages"][0];
    assert_eq!(top["filesAnalyzed"], true);
    assert_eq!(top["hasFiles"], serde_json::json!(["SPDXRef-main"]));
    assert_eq!(
        top["packageVerificationCode"]["packageVerificationCodeExcludedFiles"],
        serde_json::json!(["./a", "./b"])
    );
    assert_eq!(doc["files"][0]["checksums"][0]["algorithm"], "SHA1");
    assert_eq!(
        doc["packages"][1]["externalRefs"][0]["comment"],
        "the Debian package"
    );
    assert_eq!(
        doc["hasExtractedLicensingInfos"][0]["extractedText"],
        "Some\nlicence text"
    );
    assert_eq!(doc["relationships"][1]["comment"], "linked");
    let lines_of = |needle: &str| {
        w.iter()
            .find(|w| w.message.contains(needle))
            .and_then(|w| w.line)
    };
    assert_eq!(lines_of("maybe"), Some(33));
    assert_eq!(lines_of("Bogus"), Some(34));
    assert_eq!(lines_of("UnknownTag"), Some(35));
    assert_eq!(lines_of("broken"), Some(45));

    let (kind, c) = read_ok("t.spdx", TV);
    assert_eq!(kind, DocKind::SpdxTagValue);
    assert_eq!(c.components.len(), 1);
    let lib = &c.components[0];
    assert_eq!(lib.purl, "pkg:deb/debian/lib@0.9");
    assert_eq!(lib.licenses, vec!["X Licence"]);
    assert_eq!(lib.locations[0].line, Some(26));
    assert!(lib.direct);
    assert_eq!(c.subject.as_ref().unwrap().name, "top");
}

// ---------------------------------------------------------------------------------------------
// Round trip through the writers.

fn sample() -> Vec<Component> {
    let mut a = Component::new(Ecosystem::Npm, "@scope/a", "1.0.0");
    a.direct = true;
    a.hashes = vec![Hash::from_hex(HashAlg::Sha512, &"ab".repeat(64)).unwrap()];
    a.licenses = vec!["MIT".into()];
    let mut b = Component::new(Ecosystem::PyPI, "b-pkg", "2.0");
    b.hashes = vec![
        Hash::from_hex(HashAlg::Sha256, &"01".repeat(32)).unwrap(),
        Hash::from_hex(HashAlg::Sha1, &"02".repeat(20)).unwrap(),
    ];
    b.licenses = vec!["MIT OR Apache-2.0".into()];
    let mut c = Component::new(Ecosystem::Maven, "org.example:c", "3.1");
    c.licenses = vec!["Apache-2.0".into(), "Some Custom Licence".into()];
    let mut d = Component::new(Ecosystem::CratesIo, "d", "0.4.0");
    d.direct = true;
    d.scope = Scope::Dev;
    let mut e = Component::new(Ecosystem::Go, "github.com/x/e", "v1.2.3");
    e.direct = true;
    e.scope = Scope::Optional;
    a.dependencies = vec![b.purl.clone(), c.purl.clone()];
    b.dependencies = vec![c.purl.clone()];
    d.dependencies = vec![c.purl.clone()];
    vec![a, b, c, d, e]
}

/// What must survive a round trip, per purl.
type Kept = BTreeMap<String, (String, String, Vec<String>, Vec<Hash>, Vec<String>, bool)>;

fn kept(list: &[Component]) -> Kept {
    list.iter()
        .map(|c| {
            let mut h = c.hashes.clone();
            h.sort();
            let mut d = c.dependencies.clone();
            d.sort();
            (
                c.purl.clone(),
                (
                    c.name.clone(),
                    c.version.clone(),
                    c.licenses.clone(),
                    h,
                    d,
                    c.direct,
                ),
            )
        })
        .collect()
}

fn all_formats() -> Vec<(Format, CdxVersion)> {
    let mut v = Vec::new();
    for f in [Format::CycloneDxJson, Format::CycloneDxXml] {
        for cv in [
            CdxVersion::V1_4,
            CdxVersion::V1_5,
            CdxVersion::V1_6,
            CdxVersion::V1_7,
        ] {
            v.push((f, cv));
        }
    }
    v.push((Format::SpdxJson, CdxVersion::V1_6));
    v.push((Format::SpdxTagValue, CdxVersion::V1_6));
    v
}

fn write_as(components: &[Component], f: Format, v: CdxVersion) -> String {
    let subject = Subject {
        name: "product".into(),
        version: Some("9.9".into()),
        purl: None,
    };
    let opts = WriteOptions {
        format: f,
        cdx_version: v,
        reproducible: true,
        ..WriteOptions::default()
    };
    write(&subject, components, &opts).unwrap()
}

#[test]
fn round_trip_keeps_components_licences_hashes_and_edges_in_every_format() {
    let original = sample();
    let want = kept(&original);
    for (f, v) in all_formats() {
        let text = write_as(&original, f, v);
        let (_, got) = read_ok("sbom", &text);
        assert!(got.warnings.is_empty(), "{f:?} {v}: {:?}", got.warnings);
        assert!(got.unresolved.is_empty(), "{f:?} {v}: {:?}", got.unresolved);
        assert_eq!(kept(&got.components), want, "{f:?} {v}");
        let s = got.subject.as_ref().unwrap();
        assert_eq!((s.name.as_str(), s.version.as_str()), ("product", "9.9"));
        let scopes: BTreeMap<&str, Scope> = got
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.scope))
            .collect();
        for c in &original {
            assert_eq!(scopes[c.purl.as_str()], c.scope, "{f:?} {v} {}", c.purl);
        }
        // read → write → read: every format into every other.
        for (f2, v2) in all_formats() {
            let again = write_as(&got.components, f2, v2);
            let (_, back) = read_ok("sbom", &again);
            assert_eq!(kept(&back.components), want, "{f:?} {v} → {f2:?} {v2}");
        }
    }
}

#[test]
fn written_xml_converts_to_the_written_json() {
    let comps = sample();
    for v in [
        CdxVersion::V1_4,
        CdxVersion::V1_5,
        CdxVersion::V1_6,
        CdxVersion::V1_7,
    ] {
        let mut json: Value =
            serde_json::from_str(&write_as(&comps, Format::CycloneDxJson, v)).unwrap();
        json.as_object_mut().unwrap().remove("$schema");
        let (xml, w) = to_json(
            DocKind::CycloneDxXml,
            &write_as(&comps, Format::CycloneDxXml, v),
        )
        .unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(xml, json, "CycloneDX {v}");
        let schema = crate::Schema::for_document(&xml).unwrap();
        let errors = crate::validate(schema, &xml, 10);
        assert!(errors.is_empty(), "{v}: {errors:?}");
    }
}

#[test]
fn written_tag_value_converts_to_the_written_json() {
    let comps = sample();
    let json: Value =
        serde_json::from_str(&write_as(&comps, Format::SpdxJson, CdxVersion::V1_6)).unwrap();
    let (tv, w) = to_json(
        DocKind::SpdxTagValue,
        &write_as(&comps, Format::SpdxTagValue, CdxVersion::V1_6),
    )
    .unwrap();
    assert!(w.is_empty(), "{w:?}");
    for key in [
        "packages",
        "relationships",
        "hasExtractedLicensingInfos",
        "creationInfo",
        "name",
    ] {
        assert_eq!(tv[key], json[key], "{key}");
    }
    let errors = crate::validate(crate::Schema::Spdx23, &tv, 10);
    assert!(errors.is_empty(), "{errors:?}");
}
