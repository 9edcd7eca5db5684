#![allow(dead_code)]
//! Helpers shared by the CLI tests: run the binary with its own store.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub struct Env {
    pub home: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ossgate"));
        c.args(args)
            .env("OSSGATE_HOME", self.home.path())
            .env_remove("OSSGATE_OSV_BASE_URL")
            .env("NO_COLOR", "1");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked"),
            "ossgate panicked on {args:?}: {stderr}"
        );
        out
    }

    pub fn json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let out = self.run(args);
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}) from {args:?}: {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), v)
    }

    pub fn status_records(&self) -> u64 {
        let (_, v) = self.json(&["db", "status", "--format", "json"]);
        v["records"].as_u64().unwrap()
    }
}

pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A minimal valid OSV record for an npm package.
pub fn npm_record(id: &str, modified: &str, name: &str, fixed: &str, alias: &str) -> String {
    format!(
        r#"{{"id":"{id}","modified":"{modified}","aliases":["{alias}"],"summary":"test {id}",
  "severity":[{{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}],
  "affected":[{{"package":{{"ecosystem":"npm","name":"{name}"}},
    "ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}},{{"fixed":"{fixed}"}}]}}]}}]}}"#
    )
}

/// Writes a zip of (name, content) entries.
pub fn write_zip(path: &Path, entries: &[(String, String)]) {
    let f = std::fs::File::create(path).unwrap();
    let mut w = zip::ZipWriter::new(f);
    let opts: zip::write::SimpleFileOptions = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        w.start_file(name.as_str(), opts).unwrap();
        std::io::Write::write_all(&mut w, content.as_bytes()).unwrap();
    }
    w.finish().unwrap();
}
