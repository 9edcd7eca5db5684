//! Fuzzing every extractor with proptest: arbitrary bytes, and mutations of real lockfiles
//! (the peer fixtures, when the shared data is present, plus small seeds of every format written
//! here). Every extractor gets every input, whatever its format: a result or an error, never a
//! panic and never a hang.
//!
//! The CI run uses a few hundred cases per property. A longer run is one environment variable
//! away; the duration of the last long run is recorded in docs/benchmarks.md:
//!
//!     OSSGATE_FUZZ_CASES=200000 cargo test --release -p ossgate-inventory --test fuzz

use ossgate_inventory::{SourceFile, registry};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Small seeds in many formats, so that mutation explores structure even without shared data.
const SEEDS: &[&str] = &[
    "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\ndependencies = [\"b 0.1.0\"]\n",
    "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"dependencies\": {\"a\": \"^1\"}}, \"node_modules/a\": {\"version\": \"1.0.0\"}}}",
    "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\nsnapshots:\n  a@1.0.0: {}\n---\nlockfileVersion: '9.0'\n",
    "a@^1:\n  version \"1.0.0\"\n  resolved \"https://r/a-1.0.0.tgz\"\n  dependencies:\n    b \"^2\"\n",
    "<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent><properties><v>2.0</v></properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>${v}</version><scope>test</scope></dependency></dependencies></project>",
    "<?xml version=\"1.0\"?><packages><package id=\"A\" version=\"1.0.0\" targetFramework=\"net48\" /></packages>",
    "<Project><ItemGroup><PackageReference Include=\"A\" Version=\"1.0.0\" /></ItemGroup></Project>",
    "packages:\n  http:\n    dependency: \"direct main\"\n    description:\n      name: http\n    source: hosted\n    version: \"1.2.0\"\nsdks:\n  dart: \">=3.0.0 <4.0.0\"\n",
    "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\nDepends: libgcc-s1\n\nPackage: libgcc-s1\nStatus: install ok installed\nVersion: 12.2.0-14\n",
    "P:musl\nV:1.2.4-r2\nA:x86_64\nD:so:libc.musl-x86_64.so.1\n\nP:busybox\nV:1.36.1-r5\n",
    "module example.com/m\n\ngo 1.21\n\nrequire (\n\ta.com/x v1.0.0 // indirect\n)\nreplace a.com/x => ./x\n",
    "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n      base64 (>= 0)\n\nDEPENDENCIES\n  rack\n",
    "flask==2.0.1 \\\n  --hash=sha256:abc\nrequests>=2\n-r other.txt\n",
    "%{\n  \"plug\": {:hex, :plug, \"1.14.0\", \"hash\", [:mix], [{:mime, \"~> 2.0\", [hex: :mime]}], \"hexpm\", \"h\"},\n}\n",
    "{\"1.2.0\",\n[{<<\"cowboy\">>,{pkg,<<\"cowboy\">>,<<\"2.10.0\">>},0}]}.\n[\n{pkg_hash,[]}].\n",
    "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          echo uses: x/y@z\n",
    "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n",
    "[project]\nname = \"x\"\ndependencies = [\"requests==2.31.0\", \"flask>=2\"]\n",
    "Gem::Specification.new do |s|\n  s.name = \"x\"\n  s.version = \"1.0\"\n  s.add_dependency \"rack\", \"~> 3.0\"\nend\n",
];

fn seeds() -> &'static Vec<String> {
    static ALL: OnceLock<Vec<String>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<String> = SEEDS.iter().map(|s| s.to_string()).collect();
        let data = std::env::var_os("OSSGATE_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
            });
        let index = data.join("peer-fixtures/lockfiles/index.json");
        if let Ok(text) = std::fs::read_to_string(&index) {
            let records: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
            for r in records {
                let path = data
                    .join("peer-fixtures")
                    .join(r["fixture"].as_str().unwrap());
                if let Ok(bytes) = std::fs::read(path)
                    && bytes.len() < 64 * 1024
                {
                    all.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
        all
    })
}

fn cases() -> u32 {
    std::env::var("OSSGATE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Runs every extractor on `text`; none may panic.
fn run_all(text: &str) {
    static EXTRACTORS: OnceLock<Vec<Box<dyn ossgate_inventory::Extractor>>> = OnceLock::new();
    let extractors = EXTRACTORS.get_or_init(registry);
    // A path that exists nowhere, so extractors that look beside the file find nothing.
    let path = Path::new("/nonexistent/ossgate-fuzz/input");
    for x in extractors {
        let _ = x.extract(&SourceFile {
            display: "input".into(),
            path,
            text,
        });
    }
}

/// One edit of a seed: the mutations that break parsers in practice.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, String),
    Delete(usize, usize),
    Truncate(usize),
    Duplicate(usize, usize),
    SwapLines(usize, usize),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let tokens = prop::sample::select(vec![
        "\n", "  ", "\t", "\"", "'", ":", ",", "{", "}", "[", "]", "<", ">", "/>", "</", "=", "==",
        "@", "#", "\\", "- ", "---\n", "${", "&a ", "*a", "null", "0", "-1", "1e999", "\u{0}",
        "\u{feff}", "é", "𝄞", "<!--", "]]>", "%{", "<<\"", "#{",
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (any::<usize>(), tokens).prop_map(|(i, t)| Edit::Insert(i, t.to_string())),
        (any::<usize>(), 0usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), 0usize..256).prop_map(|(i, n)| Edit::Duplicate(i, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
    ]
}

fn apply(seed: &str, edits: &[Edit]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Flip(i, b) => {
                if !bytes.is_empty() {
                    let i = i % bytes.len();
                    bytes[i] = *b;
                }
            }
            Edit::Insert(i, t) => {
                let i = i % (bytes.len() + 1);
                bytes.splice(i..i, t.bytes());
            }
            Edit::Delete(i, n) => {
                let i = i % len;
                let end = (i + n).min(bytes.len());
                if i < end {
                    bytes.drain(i..end);
                }
            }
            Edit::Truncate(i) => bytes.truncate(i % len),
            Edit::Duplicate(i, n) => {
                let i = i % len;
                let end = (i + n).min(bytes.len());
                if i < end {
                    let chunk = bytes[i..end].to_vec();
                    bytes.splice(end..end, chunk);
                }
            }
            Edit::SwapLines(a, b) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.split('\n').collect();
                let n = lines.len();
                lines.swap(a % n, b % n);
                bytes = lines.join("\n").into_bytes();
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..2048), |bytes| {
            run_all(&String::from_utf8_lossy(&bytes));
            Ok(())
        })
        .unwrap();
}

#[test]
fn mutated_lockfiles_never_panic() {
    let n = seeds().len();
    assert!(n >= SEEDS.len());
    let mut runner = TestRunner::new(Config {
        cases: cases() * 4,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(0..n, prop::collection::vec(edit_strategy(), 1..8)),
            |(i, edits)| {
                run_all(&apply(&seeds()[i], &edits));
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn deep_nesting_and_huge_lines_never_panic() {
    for open in ["[", "{", "- ", "<a>", "(", "%{"] {
        run_all(&open.repeat(100_000));
    }
    run_all(&"a".repeat(4 << 20));
    run_all(&"\n".repeat(1 << 20));
    // YAML alias expansion (a billion laughs) must be bounded.
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 0..9u8 {
        let (prev, next) = ((b'a' + i) as char, (b'a' + i + 1) as char);
        laughs.push_str(&format!(
            "{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    run_all(&laughs);
}
