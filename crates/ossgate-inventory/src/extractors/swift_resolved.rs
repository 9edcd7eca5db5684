//! SwiftPM `Package.resolved` (JSON). Version 1 nests the pins under `object.pins[]` (`package`,
//! `repositoryURL`, `state`); versions 2 and 3 have top-level `pins[]` (`identity`, `kind`,
//! `location`, `state`). A pin's name is its repository URL without scheme and `.git`
//! (`github.com/apple/swift-nio`), as the SwiftURL ecosystem names packages; registry pins keep
//! their identity. Pins on a branch or revision have no version and are reported unresolved;
//! local packages are the project's own and are left out. The file records no edges.

use super::{file_name, json_error};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use serde_json::Value;
use std::path::Path;

pub struct SwiftResolved;

impl Extractor for SwiftResolved {
    fn name(&self) -> &'static str {
        "package-resolved"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "Package.resolved"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root: Value =
            serde_json::from_str(file.text).map_err(|e| json_error(&file.display, e))?;
        let bad = |msg: &str| ExtractError::new(&file.display, Some(1), msg);
        let obj = root
            .as_object()
            .ok_or_else(|| bad("expected a JSON object"))?;
        let (pins, v1) = match (obj.get("pins"), obj.get("object")) {
            (Some(p), _) => (p, false),
            (None, Some(o)) => match o.get("pins") {
                Some(p) => (p, true),
                None => return Err(bad("`object` has no `pins`")),
            },
            (None, None) => return Err(bad("not a Package.resolved: no `pins`")),
        };
        let pins = pins
            .as_array()
            .ok_or_else(|| bad("`pins` is not an array"))?;

        // Each pin opens with its `package` (v1) or `identity` (v2, v3) key, in file order.
        let key = if v1 { "\"package\"" } else { "\"identity\"" };
        let mut lines: Vec<u32> = file
            .text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with(key))
            .map(|(i, _)| i as u32 + 1)
            .collect();
        if lines.len() != pins.len() {
            lines.clear();
        }

        let mut out = Extracted::default();
        for (i, pin) in pins.iter().enumerate() {
            let line = lines.get(i).copied();
            let Some(pin) = pin.as_object() else {
                return Err(ExtractError::new(
                    &file.display,
                    line,
                    "pin is not an object",
                ));
            };
            let text = |k: &str| pin.get(k).and_then(Value::as_str).unwrap_or("");
            let state = pin.get("state").and_then(Value::as_object);
            let state_text = |k: &str| {
                state
                    .and_then(|s| s.get(k))
                    .and_then(Value::as_str)
                    .unwrap_or("")
            };
            let (identity, location) = if v1 {
                (text("package"), text("repositoryURL"))
            } else {
                (text("identity"), text("location"))
            };
            let kind = text("kind");
            if kind == "localSourceControl" || kind == "fileSystem" {
                continue;
            }
            let name = if kind == "registry" || location.is_empty() {
                identity.to_string()
            } else {
                url_name(location)
            };
            if name.is_empty() {
                return Err(ExtractError::new(
                    &file.display,
                    line,
                    "pin without an identity or location",
                ));
            }
            let version = state_text("version");
            if version.is_empty() {
                let pinned = match (state_text("branch"), state_text("revision")) {
                    ("", "") => "nothing".to_string(),
                    ("", rev) => format!("revision {rev}"),
                    (branch, _) => format!("branch {branch}"),
                };
                out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line,
                    text: name,
                    reason: format!("pinned to {pinned}, not a version"),
                });
                continue;
            }
            let mut c = Component::new(Ecosystem::Other("SwiftURL".into()), name, version);
            c.locations.push(loc(&file.display, line));
            out.components.push(c);
        }
        Ok(out)
    }
}

/// `https://github.com/apple/swift-nio.git`, `git@github.com:apple/swift-nio.git` and
/// `ssh://git@github.com/apple/swift-nio` all name `github.com/apple/swift-nio`.
fn url_name(location: &str) -> String {
    let mut s = location.trim();
    let had_scheme = match s.find("://") {
        Some(i) => {
            s = &s[i + 3..];
            true
        }
        None => false,
    };
    // Credentials or an ssh user before the host.
    let host_end = s.find('/').unwrap_or(s.len());
    if let Some(at) = s[..host_end].rfind('@') {
        s = &s[at + 1..];
    }
    let s = s.trim_end_matches('/');
    let s = s.strip_suffix(".git").unwrap_or(s);
    if had_scheme {
        s.to_string()
    } else {
        // scp-like `host:path`.
        s.replacen(':', "/", 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        let src = SourceFile {
            display: "Package.resolved".into(),
            path: Path::new("Package.resolved"),
            text,
        };
        SwiftResolved.extract(&src)
    }

    const V1: &str = r#"{
  "object": {
    "pins": [
      {
        "package": "swift-nio",
        "repositoryURL": "https://github.com/apple/swift-nio.git",
        "state": {
          "branch": null,
          "revision": "124119f0bb12384cef35aa041d7c3a686108722d",
          "version": "2.40.0"
        }
      },
      {
        "package": "Forked",
        "repositoryURL": "git@github.com:me/forked.git",
        "state": {
          "branch": "main",
          "revision": "abc",
          "version": null
        }
      }
    ]
  },
  "version": 1
}"#;

    const V3: &str = r#"{
  "originHash" : "x",
  "pins" : [
    {
      "identity" : "swift-log",
      "kind" : "remoteSourceControl",
      "location" : "https://github.com/apple/swift-log",
      "state" : {
        "revision" : "e97a6fcb1ab07462881ac165fdbb37f067e205d5",
        "version" : "1.5.4"
      }
    },
    {
      "identity" : "mona.linkedlist",
      "kind" : "registry",
      "location" : "",
      "state" : {
        "version" : "1.0.0"
      }
    },
    {
      "identity" : "local",
      "kind" : "localSourceControl",
      "location" : "/src/local",
      "state" : {
        "revision" : "abc"
      }
    },
    {
      "identity" : "pinned",
      "kind" : "remoteSourceControl",
      "location" : "ssh://git@gitlab.com/team/pinned.git",
      "state" : {
        "revision" : "def"
      }
    }
  ],
  "version" : 3
}"#;

    #[test]
    fn reads_v1() {
        let ex = run(V1).unwrap();
        assert_eq!(ex.components.len(), 1);
        let c = &ex.components[0];
        assert_eq!(
            (c.name.as_str(), c.version.as_str()),
            ("github.com/apple/swift-nio", "2.40.0")
        );
        assert_eq!(c.locations[0].line, Some(5));
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "github.com/me/forked");
        assert_eq!(ex.unresolved[0].line, Some(14));
    }

    #[test]
    fn reads_v3() {
        let ex = run(V3).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_str(), c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("github.com/apple/swift-log", "1.5.4", Some(5)),
                ("mona.linkedlist", "1.0.0", Some(14)),
            ]
        );
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "gitlab.com/team/pinned");
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(run("not\njson").is_err());
        assert!(run("[]").is_err());
        assert!(run("{}").is_err());
        assert!(run("{\"pins\": {}}").is_err());
        assert!(run("{\"pins\": [1]}").is_err());
        assert!(run("{\"pins\": [{}]}").is_err());
        assert!(run("{\"pins\": []}").unwrap().components.is_empty());
    }

    const EXCEPTIONS: &[(&str, &str)] = &[(
        "lockfiles/swift/package-resolved/invalid",
        "peer returns no packages; ossgate reports malformed input as an ExtractError",
    )];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        assert_eq!(
            check_format(&root, "package-resolved", EXCEPTIONS, run),
            (1, 1)
        );
    }
}
