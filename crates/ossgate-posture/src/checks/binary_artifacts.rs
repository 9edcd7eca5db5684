//! Binary-Artifacts: executables and compiled artifacts committed to the source tree, found by
//! magic bytes (ELF, Mach-O, PE, Java class, WebAssembly, ...) or by a binary extension on
//! content that is not text. The Gradle wrapper jar counts too: offline there is no workflow run
//! to show it was validated. Score: 10 minus one per file.

use crate::tree::{Tree, file_name};
use crate::{CheckResult, Finding, Score};

pub const NAME: &str = "Binary-Artifacts";

const EXTENSIONS: &[&str] = &[
    "crx", "deb", "dex", "dey", "elf", "o", "a", "so", "macho", "iso", "class", "jar", "bundle",
    "dylib", "lib", "msi", "dll", "drv", "efi", "exe", "ocx", "pyc", "pyo", "par", "rpm", "wasm",
    "whl", "apk", "aab", "ipa",
];

fn magic(b: &[u8]) -> bool {
    b.starts_with(b"\x7fELF")
        || b.starts_with(&[0xfe, 0xed, 0xfa, 0xce])
        || b.starts_with(&[0xfe, 0xed, 0xfa, 0xcf])
        || b.starts_with(&[0xce, 0xfa, 0xed, 0xfe])
        || b.starts_with(&[0xcf, 0xfa, 0xed, 0xfe])
        || (b.starts_with(&[0xca, 0xfe, 0xba, 0xbe]) && b.len() > 8)
        || b.starts_with(b"MZ") && b.len() > 0x40
        || b.starts_with(b"\0asm")
        || b.starts_with(b"dex\n")
}

fn is_text(b: &[u8]) -> bool {
    let head = &b[..b.len().min(8000)];
    !head.contains(&0) && std::str::from_utf8(head).is_ok()
}

/// Whether a file is a binary artifact.
pub fn is_binary(path: &str, content: &[u8]) -> bool {
    if magic(content) && !is_text(content) {
        return true;
    }
    let name = file_name(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map(|x| x.1).unwrap_or("");
    EXTENSIONS.contains(&ext) && !is_text(content)
}

/// The binary artifacts of the repository.
pub fn find(tree: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in tree.matching(|_| true) {
        if let Some(c) = tree.read_at(i)
            && is_binary(p, &c)
        {
            out.push(p.to_string());
        }
    }
    out
}

pub fn check(tree: &Tree) -> CheckResult {
    let found = find(tree);
    let n = found.len();
    let mut r = CheckResult::new(
        NAME,
        Score::Value(10u8.saturating_sub(n.min(10) as u8)),
        if n == 0 {
            "no binaries found in the repo".to_string()
        } else {
            format!("binaries present in source code: {n}")
        },
    );
    for p in found {
        r.details.push(format!("Warn: binary detected: {p}"));
        r.findings
            .push(Finding::new("binary-artifact", &p, None, None));
    }
    r
}
