//! SPDX tag-value (2.x) → the equivalent SPDX JSON document.
//!
//! A tag-value document is a sequence of `Tag: value` lines; a value that starts with
//! `<text>` runs, over as many lines as it needs, to `</text>`. Blank lines and lines starting
//! with `#` are ignored. Sections are implicit: `PackageName` starts a package, `FileName` a
//! file (which belongs to the package before it: its id goes to that package's `hasFiles`),
//! `SnippetSPDXID` a snippet, `LicenseID` an extracted licence, `Annotator` an annotation
//! (attached to the element its `SPDXREF` names), `Relationship` a relationship; the tags
//! before the first of these describe the document.
//!
//! Every tag of SPDX 2.2 and 2.3 is converted to its JSON property (`PackageVersion` →
//! `versionInfo`, `PackageChecksum: SHA1: …` → `checksums[]`, `ExternalRef: CAT TYPE LOC` →
//! `externalRefs[]`, `FilesAnalyzed` → a boolean, ...), so that the SPDX JSON schema and the
//! JSON reader serve both. The 2.0/2.1 review tags (`Reviewer`, ...) are dropped: SPDX 2.3
//! JSON has no place for them. An unknown tag or a line that is not `Tag: value` is a warning
//! with its line; an unterminated `<text>` is an error.

use super::{Lines, ReadError, Warning, Warnings};
use serde_json::{Map, Value, json};

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Document,
    Package(usize),
    File(usize),
    Snippet(usize),
    License(usize),
    Annotation(usize),
    Relationship(usize),
    Review,
}

/// How a tag's value becomes JSON.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    List,
    Bool,
    Checksum,
    ExternalRef,
    VerificationCode,
    ByteRange,
    LineRange,
}

/// (tag, JSON key, kind) per section.
const PACKAGE_TAGS: &[(&str, &str, Kind)] = &[
    ("PackageVersion", "versionInfo", Kind::Str),
    ("PackageFileName", "packageFileName", Kind::Str),
    ("PackageSupplier", "supplier", Kind::Str),
    ("PackageOriginator", "originator", Kind::Str),
    ("PackageDownloadLocation", "downloadLocation", Kind::Str),
    ("FilesAnalyzed", "filesAnalyzed", Kind::Bool),
    (
        "PackageVerificationCode",
        "packageVerificationCode",
        Kind::VerificationCode,
    ),
    ("PackageChecksum", "checksums", Kind::Checksum),
    ("PackageHomePage", "homepage", Kind::Str),
    ("PackageSourceInfo", "sourceInfo", Kind::Str),
    ("PackageLicenseConcluded", "licenseConcluded", Kind::Str),
    (
        "PackageLicenseInfoFromFiles",
        "licenseInfoFromFiles",
        Kind::List,
    ),
    ("PackageLicenseDeclared", "licenseDeclared", Kind::Str),
    ("PackageLicenseComments", "licenseComments", Kind::Str),
    ("PackageCopyrightText", "copyrightText", Kind::Str),
    ("PackageSummary", "summary", Kind::Str),
    ("PackageDescription", "description", Kind::Str),
    ("PackageComment", "comment", Kind::Str),
    ("ExternalRef", "externalRefs", Kind::ExternalRef),
    ("PackageAttributionText", "attributionTexts", Kind::List),
    ("PrimaryPackagePurpose", "primaryPackagePurpose", Kind::Str),
    ("ReleaseDate", "releaseDate", Kind::Str),
    ("BuiltDate", "builtDate", Kind::Str),
    ("ValidUntilDate", "validUntilDate", Kind::Str),
];

const FILE_TAGS: &[(&str, &str, Kind)] = &[
    ("FileType", "fileTypes", Kind::List),
    ("FileChecksum", "checksums", Kind::Checksum),
    ("LicenseConcluded", "licenseConcluded", Kind::Str),
    ("LicenseInfoInFile", "licenseInfoInFiles", Kind::List),
    ("LicenseComments", "licenseComments", Kind::Str),
    ("FileCopyrightText", "copyrightText", Kind::Str),
    ("FileComment", "comment", Kind::Str),
    ("FileNotice", "noticeText", Kind::Str),
    ("FileContributor", "fileContributors", Kind::List),
    ("FileAttributionText", "attributionTexts", Kind::List),
];

const SNIPPET_TAGS: &[(&str, &str, Kind)] = &[
    ("SnippetFromFileSPDXID", "snippetFromFile", Kind::Str),
    ("SnippetByteRange", "ranges", Kind::ByteRange),
    ("SnippetLineRange", "ranges", Kind::LineRange),
    ("SnippetLicenseConcluded", "licenseConcluded", Kind::Str),
    ("LicenseInfoInSnippet", "licenseInfoInSnippets", Kind::List),
    ("SnippetLicenseComments", "licenseComments", Kind::Str),
    ("SnippetCopyrightText", "copyrightText", Kind::Str),
    ("SnippetComment", "comment", Kind::Str),
    ("SnippetName", "name", Kind::Str),
    ("SnippetAttributionText", "attributionTexts", Kind::List),
];

const LICENSE_TAGS: &[(&str, &str, Kind)] = &[
    ("ExtractedText", "extractedText", Kind::Str),
    ("LicenseName", "name", Kind::Str),
    ("LicenseCrossReference", "seeAlsos", Kind::List),
    ("LicenseComment", "comment", Kind::Str),
];

const DOCUMENT_TAGS: &[(&str, &str, Kind)] = &[
    ("SPDXVersion", "spdxVersion", Kind::Str),
    ("DataLicense", "dataLicense", Kind::Str),
    ("DocumentName", "name", Kind::Str),
    ("DocumentNamespace", "documentNamespace", Kind::Str),
    ("DocumentComment", "comment", Kind::Str),
];

/// One `Tag: value` with the line it starts on.
struct Entry<'t> {
    tag: &'t str,
    value: String,
    line: u32,
}

/// Splits the text into entries; `<text>` values may span lines.
fn entries<'t>(text: &'t str, w: &mut Warnings) -> Result<Vec<Entry<'t>>, ReadError> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = raw.split_once(':') else {
            w.push("$", Some(line), format!("not a `Tag: value` line: {l:?}"));
            continue;
        };
        let tag = tag.trim();
        if tag.is_empty() || tag.contains(char::is_whitespace) {
            w.push("$", Some(line), format!("not a `Tag: value` line: {l:?}"));
            continue;
        }
        let value = value.trim();
        let value = match value.strip_prefix("<text>") {
            Some(rest) => match rest.find("</text>") {
                Some(end) => rest[..end].to_string(),
                None => {
                    let mut acc = rest.to_string();
                    let mut closed = false;
                    for (_, more) in lines.by_ref() {
                        acc.push('\n');
                        if let Some(end) = more.find("</text>") {
                            acc.push_str(&more[..end]);
                            closed = true;
                            break;
                        }
                        acc.push_str(more);
                    }
                    if !closed {
                        return Err(ReadError::new(
                            Some(line),
                            format!("the <text> value of {tag} is never closed by </text>"),
                        ));
                    }
                    acc
                }
            },
            None => value.to_string(),
        };
        out.push(Entry {
            tag,
            value: value.trim().to_string(),
            line,
        });
    }
    Ok(out)
}

struct Builder {
    w: Warnings,
    lines: Lines,
    doc: Map<String, Value>,
    creation: Map<String, Value>,
    packages: Vec<Map<String, Value>>,
    files: Vec<Map<String, Value>>,
    snippets: Vec<Map<String, Value>>,
    licenses: Vec<Map<String, Value>>,
    /// Annotations and the SPDXID they are about.
    annotations: Vec<(Map<String, Value>, Option<String>)>,
    relationships: Vec<Map<String, Value>>,
    /// The last package, which owns the files that follow it.
    last_package: Option<usize>,
}

pub(crate) fn to_json(text: &str) -> Result<(Value, Vec<Warning>, Lines), ReadError> {
    let mut b = Builder {
        w: Warnings::default(),
        lines: Lines::new(),
        doc: Map::new(),
        creation: Map::new(),
        packages: Vec::new(),
        files: Vec::new(),
        snippets: Vec::new(),
        licenses: Vec::new(),
        annotations: Vec::new(),
        relationships: Vec::new(),
        last_package: None,
    };
    let list = entries(text, &mut b.w)?;
    if !list.iter().any(|e| e.tag == "SPDXVersion") {
        return Err(ReadError::new(
            Some(1),
            "no `SPDXVersion:` line: not an SPDX tag-value document",
        ));
    }
    let mut section = Section::Document;
    for e in &list {
        section = b.entry(section, e);
    }
    Ok(b.finish())
}

impl Builder {
    /// Applies one entry; returns the section that follows.
    fn entry(&mut self, section: Section, e: &Entry) -> Section {
        let v = e.value.clone();
        match e.tag {
            "PackageName" => {
                let i = self.packages.len();
                let mut m = Map::new();
                m.insert("name".into(), Value::String(v));
                self.packages.push(m);
                self.lines.insert(format!("$.packages[{i}]"), e.line);
                self.last_package = Some(i);
                return Section::Package(i);
            }
            "FileName" => {
                let i = self.files.len();
                let mut m = Map::new();
                m.insert("fileName".into(), Value::String(v));
                self.files.push(m);
                self.lines.insert(format!("$.files[{i}]"), e.line);
                return Section::File(i);
            }
            "SnippetSPDXID" => {
                let i = self.snippets.len();
                let mut m = Map::new();
                m.insert("SPDXID".into(), Value::String(v));
                self.snippets.push(m);
                self.lines.insert(format!("$.snippets[{i}]"), e.line);
                return Section::Snippet(i);
            }
            "LicenseID" => {
                let i = self.licenses.len();
                let mut m = Map::new();
                m.insert("licenseId".into(), Value::String(v));
                self.licenses.push(m);
                self.lines
                    .insert(format!("$.hasExtractedLicensingInfos[{i}]"), e.line);
                return Section::License(i);
            }
            "Annotator" => {
                let i = self.annotations.len();
                let mut m = Map::new();
                m.insert("annotator".into(), Value::String(v));
                self.annotations.push((m, None));
                return Section::Annotation(i);
            }
            "Relationship" => {
                let i = self.relationships.len();
                let path = format!("$.relationships[{i}]");
                let parts: Vec<&str> = v.split_whitespace().collect();
                if let [a, kind, b] = parts.as_slice() {
                    self.relationships.push(
                        json!({"spdxElementId": a, "relationshipType": kind, "relatedSpdxElement": b})
                            .as_object()
                            .cloned()
                            .unwrap_or_default(),
                    );
                    self.lines.insert(path, e.line);
                    return Section::Relationship(i);
                }
                self.w.push(
                    path,
                    Some(e.line),
                    format!("Relationship {v:?} is not `SPDXID TYPE SPDXID`; ignored"),
                );
                return section;
            }
            "Reviewer" => return Section::Review,
            "ReviewDate" | "ReviewComment" if section == Section::Review => return section,
            "Creator" => {
                push_list(&mut self.creation, "creators", Value::String(v));
                return section;
            }
            "Created" => {
                self.creation.insert("created".into(), Value::String(v));
                return section;
            }
            "CreatorComment" => {
                self.creation.insert("comment".into(), Value::String(v));
                return section;
            }
            "LicenseListVersion" => {
                self.creation
                    .insert("licenseListVersion".into(), Value::String(v));
                return section;
            }
            "ExternalDocumentRef" => {
                self.external_document(e);
                return section;
            }
            _ => {}
        }
        match section {
            Section::Document => self.set(Target::Document, DOCUMENT_TAGS, e),
            Section::Package(i) => {
                if e.tag == "ExternalRefComment" {
                    let last = self.packages[i]
                        .get_mut("externalRefs")
                        .and_then(Value::as_array_mut)
                        .and_then(|a| a.last_mut())
                        .and_then(Value::as_object_mut);
                    match last {
                        Some(r) => {
                            r.insert("comment".into(), Value::String(v));
                        }
                        None => self.w.push(
                            format!("$.packages[{i}]"),
                            Some(e.line),
                            "ExternalRefComment without an ExternalRef before it",
                        ),
                    }
                } else {
                    self.set(Target::Package(i), PACKAGE_TAGS, e);
                }
            }
            Section::File(i) => {
                self.set(Target::File(i), FILE_TAGS, e);
            }
            Section::Snippet(i) => {
                self.set(Target::Snippet(i), SNIPPET_TAGS, e);
            }
            Section::License(i) => self.set(Target::License(i), LICENSE_TAGS, e),
            Section::Annotation(i) => {
                let (m, target) = &mut self.annotations[i];
                match e.tag {
                    "AnnotationDate" => {
                        m.insert("annotationDate".into(), Value::String(v));
                    }
                    "AnnotationType" => {
                        m.insert("annotationType".into(), Value::String(v));
                    }
                    "AnnotationComment" => {
                        m.insert("comment".into(), Value::String(v));
                    }
                    "SPDXREF" => *target = Some(v),
                    _ => {
                        // A tag of the enclosing element after its annotation.
                        return self.after_interlude(e);
                    }
                }
            }
            Section::Relationship(i) => {
                if e.tag == "RelationshipComment" {
                    self.relationships[i].insert("comment".into(), Value::String(v));
                } else {
                    return self.after_interlude(e);
                }
            }
            Section::Review => return self.after_interlude(e),
        }
        section
    }

    /// A tag after an annotation, relationship or review: it belongs to the package, file
    /// or document before them.
    fn after_interlude(&mut self, e: &Entry) -> Section {
        let back = match (self.files.len(), self.last_package) {
            _ if e.tag.starts_with("Package") || e.tag == "ExternalRef" => self
                .last_package
                .map_or(Section::Document, Section::Package),
            (n, _) if n > 0 && (e.tag.starts_with("File") || e.tag.starts_with("License")) => {
                Section::File(n - 1)
            }
            _ => Section::Document,
        };
        self.entry(back, e)
    }

    fn external_document(&mut self, e: &Entry) {
        let parts: Vec<&str> = e.value.split_whitespace().collect();
        let path = "$.externalDocumentRefs";
        if let [id, uri, alg, value] = parts.as_slice() {
            let r = json!({
                "externalDocumentId": id,
                "spdxDocument": uri,
                "checksum": {"algorithm": alg.trim_end_matches(':'), "checksumValue": value},
            });
            push_list(&mut self.doc, "externalDocumentRefs", r);
        } else {
            self.w.push(
                path,
                Some(e.line),
                format!(
                    "ExternalDocumentRef {:?} is not `DocumentRef-ID URI ALGORITHM: CHECKSUM`",
                    e.value
                ),
            );
        }
    }

    fn object(&mut self, t: Target) -> &mut Map<String, Value> {
        match t {
            Target::Document => &mut self.doc,
            Target::Package(i) => &mut self.packages[i],
            Target::File(i) => &mut self.files[i],
            Target::Snippet(i) => &mut self.snippets[i],
            Target::License(i) => &mut self.licenses[i],
        }
    }

    /// Sets a tag of the current element.
    fn set(&mut self, t: Target, tags: &[(&str, &str, Kind)], e: &Entry) {
        if e.tag == "SPDXID" && !matches!(t, Target::Snippet(_) | Target::License(_)) {
            if let (Target::File(_), Some(p)) = (t, self.last_package) {
                push_list(
                    &mut self.packages[p],
                    "hasFiles",
                    Value::String(e.value.clone()),
                );
            }
            self.object(t)
                .insert("SPDXID".into(), Value::String(e.value.clone()));
            return;
        }
        let Some(&(_, key, kind)) = tags.iter().find(|(tag, _, _)| *tag == e.tag) else {
            self.w.push(
                t.path(),
                Some(e.line),
                format!("unknown tag {:?} here; ignored", e.tag),
            );
            return;
        };
        let field_path = || format!("{}.{key}", t.path());
        let v = e.value.clone();
        let value = match kind {
            Kind::Str => {
                let obj = self.object(t);
                if obj.contains_key(key) {
                    self.w.push(
                        field_path(),
                        Some(e.line),
                        format!("{} is given twice; the last is kept", e.tag),
                    );
                }
                self.object(t).insert(key.into(), Value::String(v));
                return;
            }
            Kind::List => Value::String(v),
            Kind::Bool => {
                let b = match v.to_ascii_lowercase().as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => {
                        self.w.push(
                            field_path(),
                            Some(e.line),
                            format!("{} must be true or false, not {v:?}", e.tag),
                        );
                        Value::String(v)
                    }
                };
                self.object(t).insert(key.into(), b);
                return;
            }
            Kind::Checksum => match v.split_once(':') {
                Some((alg, value)) => {
                    json!({"algorithm": alg.trim(), "checksumValue": value.trim()})
                }
                None => {
                    self.w.push(
                        field_path(),
                        Some(e.line),
                        format!("{} {v:?} is not `ALGORITHM: VALUE`", e.tag),
                    );
                    return;
                }
            },
            Kind::ExternalRef => {
                let parts: Vec<&str> = v.split_whitespace().collect();
                match parts.as_slice() {
                    [cat, ty, loc] => json!({
                        "referenceCategory": cat,
                        "referenceType": ty,
                        "referenceLocator": loc,
                    }),
                    _ => {
                        self.w.push(
                            field_path(),
                            Some(e.line),
                            format!("ExternalRef {v:?} is not `CATEGORY TYPE LOCATOR`"),
                        );
                        return;
                    }
                }
            }
            Kind::VerificationCode => {
                let (code, excludes) = match v.split_once('(') {
                    Some((code, rest)) => (code.trim(), Some(rest.trim_end_matches(')'))),
                    None => (v.as_str(), None),
                };
                let mut m = Map::new();
                m.insert(
                    "packageVerificationCodeValue".into(),
                    Value::String(code.to_string()),
                );
                if let Some(ex) = excludes {
                    let ex = ex.trim();
                    let ex = ex
                        .strip_prefix("excludes:")
                        .or_else(|| ex.strip_prefix("excludes"))
                        .unwrap_or(ex);
                    let files: Vec<Value> = ex
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.to_string()))
                        .collect();
                    m.insert(
                        "packageVerificationCodeExcludedFiles".into(),
                        Value::Array(files),
                    );
                }
                self.object(t).insert(key.into(), Value::Object(m));
                return;
            }
            Kind::ByteRange | Kind::LineRange => {
                let unit = if matches!(kind, Kind::ByteRange) {
                    "offset"
                } else {
                    "lineNumber"
                };
                let file = self
                    .object(t)
                    .get("snippetFromFile")
                    .cloned()
                    .unwrap_or(Value::Null);
                let nums: Vec<Option<u64>> =
                    v.split(':').map(|s| s.trim().parse::<u64>().ok()).collect();
                match nums.as_slice() {
                    [Some(a), Some(b)] => json!({
                        "startPointer": {unit: a, "reference": file},
                        "endPointer": {unit: b, "reference": file},
                    }),
                    _ => {
                        self.w.push(
                            field_path(),
                            Some(e.line),
                            format!("{} {v:?} is not `START:END`", e.tag),
                        );
                        return;
                    }
                }
            }
        };
        push_list(self.object(t), key, value);
    }

    fn finish(mut self) -> (Value, Vec<Warning>, Lines) {
        let mut doc = std::mem::take(&mut self.doc);
        if !self.creation.is_empty() {
            doc.insert("creationInfo".into(), Value::Object(self.creation));
        }
        // Annotations go on the element they are about (the document when unsaid).
        for (a, target) in self.annotations {
            let target = target.unwrap_or_else(|| "SPDXRef-DOCUMENT".into());
            let holder = self
                .packages
                .iter_mut()
                .chain(self.files.iter_mut())
                .chain(self.snippets.iter_mut())
                .find(|m| m.get("SPDXID").and_then(Value::as_str) == Some(target.as_str()));
            match holder {
                Some(m) => push_list(m, "annotations", Value::Object(a)),
                None => push_list(&mut doc, "annotations", Value::Object(a)),
            }
        }
        let arrays = [
            ("packages", self.packages),
            ("files", self.files),
            ("snippets", self.snippets),
            ("hasExtractedLicensingInfos", self.licenses),
            ("relationships", self.relationships),
        ];
        for (key, list) in arrays {
            if !list.is_empty() {
                doc.insert(
                    key.into(),
                    Value::Array(list.into_iter().map(Value::Object).collect()),
                );
            }
        }
        (Value::Object(doc), self.w.finish(), self.lines)
    }
}

#[derive(Clone, Copy)]
enum Target {
    Document,
    Package(usize),
    File(usize),
    Snippet(usize),
    License(usize),
}

impl Target {
    /// The JSON path of the element.
    fn path(self) -> String {
        match self {
            Target::Document => "$".into(),
            Target::Package(i) => format!("$.packages[{i}]"),
            Target::File(i) => format!("$.files[{i}]"),
            Target::Snippet(i) => format!("$.snippets[{i}]"),
            Target::License(i) => format!("$.hasExtractedLicensingInfos[{i}]"),
        }
    }
}

fn push_list(obj: &mut Map<String, Value>, key: &str, v: Value) {
    match obj.get_mut(key) {
        Some(Value::Array(a)) => a.push(v),
        _ => {
            obj.insert(key.into(), Value::Array(vec![v]));
        }
    }
}
