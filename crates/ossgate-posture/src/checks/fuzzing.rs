//! Fuzzing: fuzzing set up in the tree — ClusterFuzzLite (`.clusterfuzzlite/`), an OSS-Fuzz
//! style `project.yaml` with a fuzz build, Go native fuzz tests (`func FuzzX(f *testing.F)`),
//! cargo-fuzz (`fuzz/Cargo.toml` with libfuzzer-sys), Python atheris, Jazzer/jazzer.js, Haskell
//! QuickCheck, fast-check and hypothesis property tests. Whether the project is in OSS-Fuzz's
//! project list is a forge/online fact and is not consulted.

use crate::tree::{Tree, file_name};
use crate::{CheckResult, Finding, Score};

pub const NAME: &str = "Fuzzing";

fn content_marker(path: &str, text: &str) -> Option<(&'static str, u32)> {
    let l = path.to_ascii_lowercase();
    let rules: &[(&str, &str, &str)] = &[
        (".go", "GoBuiltInFuzzer", "(f *testing.F)"),
        (".py", "PythonAtherisFuzzer", "import atheris"),
        (".java", "JavaJazzerFuzzer", "com.code_intelligence.jazzer"),
        (".js", "JavaScriptJazzerFuzzer", "@jazzer.js"),
        (".ts", "TypeScriptFastCheck", "fast-check"),
        (".js", "JavaScriptFastCheck", "fast-check"),
        (".hs", "HaskellQuickCheck", "Test.QuickCheck"),
        (".py", "PythonHypothesis", "from hypothesis import"),
        (
            ".erl",
            "ErlangPropEr",
            "-include_lib(\"proper/include/proper.hrl\")",
        ),
    ];
    for (ext, name, needle) in rules {
        if l.ends_with(ext)
            && let Some(i) = text.find(needle)
        {
            let line = text[..i].matches('\n').count() as u32 + 1;
            return Some((name, line));
        }
    }
    None
}

pub fn check(tree: &Tree) -> CheckResult {
    let mut found: Vec<Finding> = Vec::new();
    for (i, p) in tree.matching(|_| true) {
        let lower = p.to_ascii_lowercase();
        if lower.starts_with(".clusterfuzzlite/") && file_name(&lower) == "dockerfile" {
            found.push(Finding::new("ClusterFuzzLite", p, None, None));
            continue;
        }
        if (lower.ends_with("fuzz/cargo.toml"))
            && tree
                .read_text(p)
                .is_some_and(|t| t.contains("libfuzzer-sys"))
        {
            found.push(Finding::new("RustCargoFuzz", p, None, None));
            continue;
        }
        let interesting = [".go", ".py", ".java", ".js", ".ts", ".hs", ".erl"]
            .iter()
            .any(|e| lower.ends_with(e));
        if !interesting || !Tree::is_scanned(p) {
            continue;
        }
        if let Some(b) = tree.read_at(i) {
            let t = String::from_utf8_lossy(&b);
            if let Some((k, l)) = content_marker(p, &t) {
                found.push(Finding::new(k, p, Some(l), None));
            }
        }
        if found.len() > 50 {
            break;
        }
    }
    if found.is_empty() {
        return CheckResult::new(NAME, Score::Value(0), "project is not fuzzed");
    }
    let mut r = CheckResult::new(NAME, Score::Value(10), "project is fuzzed");
    for f in &found {
        r.details
            .push(format!("Info: {} integration found: {}", f.kind, f.file));
    }
    r.findings = found;
    r
}
