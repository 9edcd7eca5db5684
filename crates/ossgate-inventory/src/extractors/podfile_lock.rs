//! CocoaPods `Podfile.lock` (YAML).
//!
//! ```yaml
//! PODS:
//!   - Alamofire (5.4.0)
//!   - Firebase/Core (8.0.0):
//!     - Firebase/CoreOnly
//!     - FirebaseAnalytics (= 8.0.0)
//! DEPENDENCIES:
//!   - Alamofire (~> 5.4)
//!   - Firebase/Core
//! SPEC REPOS: ...
//! EXTERNAL SOURCES: ...
//! SPEC CHECKSUMS: ...
//! COCOAPODS: 1.11.2
//! ```
//!
//! `PODS` lists every installed pod as `Name (version)`, with the pods it depends on when it has
//! any (an entry that is a one-key mapping). `DEPENDENCIES` lists what the Podfile asks for: the
//! direct dependencies.
//!
//! A subspec (`Firebase/Core`) is part of its pod (`Firebase`) and is released with it, and
//! advisories name pods, so subspecs are reported as their pod: one component per pod and
//! version, at the line of its first entry, direct when the Podfile names the pod or any of its
//! subspecs. The edges are the pods an entry depends on (other than its own pod). Pods from
//! `EXTERNAL SOURCES` (a git repository or a local path) are reported like the others with the
//! version their podspec declares, which is what CocoaPods installed. An entry without a
//! `(version)` is reported as unresolved.
//!
//! An empty file, a document that is not a mapping, or a mapping without any of `PODS`,
//! `DEPENDENCIES`, `PODFILE CHECKSUM` and `COCOAPODS` is an error.

use super::file_name;
use super::pubspec_lock::{span_line, yaml_error, yaml_is_empty};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

pub struct PodfileLock;

#[derive(serde::Deserialize)]
struct Lock {
    #[serde(rename = "PODS", default)]
    pods: Option<Vec<Spanned<PodEntry>>>,
    #[serde(rename = "DEPENDENCIES", default)]
    dependencies: Option<Vec<String>>,
    #[serde(rename = "PODFILE CHECKSUM", default)]
    checksum: Option<IgnoredAny>,
    #[serde(rename = "COCOAPODS", default)]
    cocoapods: Option<IgnoredAny>,
}

/// One `PODS` entry: `Name (1.0)` or `Name (1.0): [dependencies]`.
struct PodEntry {
    spec: String,
    dependencies: Vec<String>,
}

impl<'de> Deserialize<'de> for PodEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = PodEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`Name (version)`, or a mapping of it to its dependencies")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PodEntry, E> {
                Ok(PodEntry {
                    spec: v.to_string(),
                    dependencies: Vec::new(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PodEntry, A::Error> {
                let Some((spec, deps)) = map.next_entry::<String, Option<Vec<String>>>()? else {
                    return Err(serde::de::Error::custom("empty pod entry"));
                };
                if map.next_key::<IgnoredAny>()?.is_some() {
                    return Err(serde::de::Error::custom(
                        "a pod entry maps one pod to its dependencies",
                    ));
                }
                Ok(PodEntry {
                    spec,
                    dependencies: deps.unwrap_or_default(),
                })
            }
        }
        d.deserialize_any(EntryVisitor)
    }
}

fn cocoapods() -> Ecosystem {
    Ecosystem::Other("CocoaPods".into())
}

/// `Name (requirement)` → (`Name`, `requirement`); a bare `Name` has no requirement.
fn split_spec(spec: &str) -> (&str, Option<&str>) {
    let spec = spec.trim();
    match spec.split_once(" (") {
        Some((name, rest)) => (name.trim(), rest.strip_suffix(')').map(str::trim)),
        None => (spec, None),
    }
}

/// The pod a (sub)spec belongs to: `Firebase/Core` → `Firebase`.
fn pod_of(name: &str) -> &str {
    name.split('/').next().unwrap_or(name)
}

impl Extractor for PodfileLock {
    fn name(&self) -> &'static str {
        "podfile-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "Podfile.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        if yaml_is_empty(file.text) {
            return Err(ExtractError::new(&file.display, None, "empty file"));
        }
        let lock: Lock =
            serde_saphyr::from_str(file.text).map_err(|e| yaml_error(&file.display, &e))?;
        if lock.pods.is_none()
            && lock.dependencies.is_none()
            && lock.checksum.is_none()
            && lock.cocoapods.is_none()
        {
            return Err(ExtractError::new(
                &file.display,
                Some(1),
                "not a Podfile.lock: no `PODS`, `DEPENDENCIES` or `COCOAPODS`",
            ));
        }
        let direct: HashSet<&str> = lock
            .dependencies
            .iter()
            .flatten()
            .map(|d| pod_of(split_spec(d).0))
            .collect();

        let mut out = Extracted::default();
        // Components by (pod, version); the purl of each pod's first version, for the edges.
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        let mut pod_purl: HashMap<String, String> = HashMap::new();
        let mut edges: Vec<Vec<&str>> = Vec::new();
        let pods = lock.pods.as_deref().unwrap_or_default();
        for entry in pods {
            let line = span_line(&entry.referenced);
            let (name, version) = split_spec(&entry.value.spec);
            let pod = pod_of(name);
            let version = version.unwrap_or("");
            if pod.is_empty() || version.is_empty() {
                out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line,
                    text: entry.value.spec.trim().to_string(),
                    reason: "Podfile.lock pod without a `(version)`".into(),
                });
                continue;
            }
            let deps = entry
                .value
                .dependencies
                .iter()
                .map(|d| pod_of(split_spec(d).0))
                .filter(|d| *d != pod);
            let key = (pod.to_string(), version.to_string());
            if let Some(&i) = index.get(&key) {
                if let Some(e) = edges.get_mut(i) {
                    e.extend(deps);
                }
                continue;
            }
            let mut c = Component::new(cocoapods(), pod, version);
            c.locations.push(loc(&file.display, line));
            c.direct = direct.contains(pod);
            pod_purl.entry(pod.to_string()).or_insert(c.purl.clone());
            index.insert(key, out.components.len());
            edges.push(deps.collect());
            out.components.push(c);
        }
        for (c, deps) in out.components.iter_mut().zip(edges) {
            let mut seen = HashSet::new();
            c.dependencies = deps
                .into_iter()
                .filter(|d| seen.insert(*d))
                .filter_map(|d| pod_purl.get(d).cloned())
                .collect();
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        PodfileLock.extract(&SourceFile {
            display: "Podfile.lock".into(),
            path: Path::new("Podfile.lock"),
            text,
        })
    }

    const LOCK: &str = "PODS:
  - Alamofire (5.4.0)
  - Firebase/Core (8.0.0):
    - Firebase/CoreOnly
    - FirebaseAnalytics (= 8.0.0)
  - Firebase/CoreOnly (8.0.0):
    - FirebaseCore (= 8.0.0)
  - FirebaseAnalytics (8.0.0):
    - FirebaseCore (~> 8.0)
    - GoogleUtilities/AppDelegateSwizzler (~> 7.4)
  - FirebaseCore (8.0.0)
  - GoogleUtilities/AppDelegateSwizzler (7.5.2):
    - GoogleUtilities/Environment
  - GoogleUtilities/Environment (7.5.2)
  - LocalPod (0.1.0)

DEPENDENCIES:
  - Alamofire (~> 5.4)
  - Firebase/Core
  - \"LocalPod (from `../LocalPod`)\"

SPEC REPOS:
  trunk:
    - Alamofire
    - Firebase

EXTERNAL SOURCES:
  LocalPod:
    :path: \"../LocalPod\"

SPEC CHECKSUMS:
  Alamofire: 4ea1197a744f2fb5fb875fe31caf17ded4762e8f

PODFILE CHECKSUM: 07aa55f54421f6e6d3a920c11716a89fc9243d1b

COCOAPODS: 1.11.2
";

    #[test]
    fn reads_pods_subspecs_direct_and_edges() {
        let ex = run(LOCK).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line, c.direct))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:cocoapods/Alamofire@5.4.0", Some(2), true),
                ("pkg:cocoapods/Firebase@8.0.0", Some(3), true),
                ("pkg:cocoapods/FirebaseAnalytics@8.0.0", Some(8), false),
                ("pkg:cocoapods/FirebaseCore@8.0.0", Some(11), false),
                ("pkg:cocoapods/GoogleUtilities@7.5.2", Some(12), false),
                ("pkg:cocoapods/LocalPod@0.1.0", Some(15), true),
            ]
        );
        let deps: Vec<_> = ex
            .components
            .iter()
            .map(|c| c.dependencies.clone())
            .collect();
        assert_eq!(
            deps,
            [
                vec![],
                vec![
                    "pkg:cocoapods/FirebaseAnalytics@8.0.0".to_string(),
                    "pkg:cocoapods/FirebaseCore@8.0.0".to_string(),
                ],
                vec![
                    "pkg:cocoapods/FirebaseCore@8.0.0".to_string(),
                    "pkg:cocoapods/GoogleUtilities@7.5.2".to_string(),
                ],
                vec![],
                vec![],
                vec![],
            ]
        );
        assert!(ex.components.iter().all(|c| c.ecosystem == cocoapods()));
        assert!(ex.unresolved.is_empty());
    }

    #[test]
    fn entries_without_versions_and_empty_locks() {
        let ex = run("PODS:\n  - A\n  - B (1.0)\n").unwrap();
        assert_eq!(ex.components.len(), 1);
        assert_eq!(ex.unresolved[0].text, "A");
        assert_eq!(ex.unresolved[0].line, Some(2));
        assert!(
            run("PODFILE CHECKSUM: abc\nCOCOAPODS: 1.15.2\n")
                .unwrap()
                .components
                .is_empty()
        );
        assert_eq!(split_spec("A (from `x`)"), ("A", Some("from `x`")));
        assert_eq!(split_spec("A/B"), ("A/B", None));
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(run("").is_err());
        assert!(run("\n# nothing\n").is_err());
        assert!(run("just text").is_err());
        assert!(run("OTHER: 1\n").is_err());
        let err = run("PODS:\n  - A (1.0)\n  - 3\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        let err = run("PODS:\n  - A (1.0): x\n    B: y\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        let err = run("PODS: [\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        assert!(PodfileLock.applies_to(Path::new("ios/Podfile.lock")));
        assert!(!PodfileLock.applies_to(Path::new("ios/Podfile")));
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let must_fail = [("lockfiles/cocoapods/podfile-lock/empty", "an empty file")];
        assert_eq!(check_format(&root, "podfile-lock", &must_fail, run), (1, 1));
    }
}
