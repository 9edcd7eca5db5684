//! Benchmarks of the scan path and of import.
//!
//! - `match/<N>`: matching N components against a store holding the real OSV data, for
//!   N = 1×, 4×, 16× of a generated project (scan time must grow linearly).
//! - `scan/<N>`: the same, from a generated package-lock.json on disk (inventory + match).
//! - `import/<zip>`: records per second importing a real archive into a fresh store.
//!
//! The data comes from `$OSSGATE_DATA/osv` (default `../shared/data/osv`) when present, else from
//! the committed `examples/osv`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ossgate_model::{Component, Ecosystem};
use ossgate_store::{AdvisoryStore, SqliteStore};
use ossgate_vulndb::{NoProgress, import_path, match_components};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn osv_dir() -> PathBuf {
    let shared = std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"))
        .join("osv");
    if shared.is_dir() {
        shared
    } else {
        root().join("examples/osv")
    }
}

/// A store with crates.io, npm and PyPI advisories.
fn store(dir: &Path) -> SqliteStore {
    let mut s = SqliteStore::open(&dir.join("bench.db")).unwrap();
    let osv = osv_dir();
    let sources: Vec<PathBuf> = if osv.join("npm.zip").is_file() {
        ["crates.io.zip", "npm.zip", "PyPI.zip"]
            .iter()
            .map(|z| osv.join(z))
            .collect()
    } else {
        vec![osv]
    };
    for src in sources {
        for r in import_path(&mut s, &src, &NoProgress) {
            assert!(r.failed.is_none(), "{:?}", r.failed);
        }
    }
    s
}

/// N npm components: one in four names a package that has advisories (at an old version, so
/// it matches), the rest are packages without advisories — the mix of a real project.
fn components(s: &SqliteStore, n: usize) -> Vec<Component> {
    let vulnerable = [
        "lodash",
        "minimist",
        "acorn",
        "node-fetch",
        "ansi-regex",
        "jquery",
        "qs",
        "ws",
    ];
    let _ = s;
    (0..n)
        .map(|i| {
            if i % 4 == 0 {
                let name = vulnerable[(i / 4) % vulnerable.len()];
                Component::new(Ecosystem::Npm, name, format!("1.{}.0", i % 7))
            } else {
                Component::new(
                    Ecosystem::Npm,
                    format!("pkg-{i}"),
                    format!("{}.{}.{}", i % 5, i % 11, i % 3),
                )
            }
        })
        .collect()
}

fn package_lock(comps: &[Component]) -> String {
    let mut s = String::from(
        "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"name\": \"bench\"}",
    );
    for (i, c) in comps.iter().enumerate() {
        // Distinct install paths so that repeated names at different versions all appear.
        s.push_str(&format!(
            ",\n    \"node_modules/n{i}/node_modules/{}\": {{\"version\": \"{}\"}}",
            c.name, c.version
        ));
    }
    s.push_str("\n  }\n}\n");
    s
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let base = 1000;

    let mut g = c.benchmark_group("match");
    for mult in [1usize, 4, 16] {
        let comps = components(&s, base * mult);
        g.throughput(Throughput::Elements(comps.len() as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{mult}x")),
            &comps,
            |b, comps| b.iter(|| match_components(&s, comps).unwrap().findings.len()),
        );
    }
    g.finish();

    let mut g = c.benchmark_group("scan");
    for mult in [1usize, 4, 16] {
        let comps = components(&s, base * mult);
        let proj = dir.path().join(format!("p{mult}"));
        std::fs::create_dir_all(&proj).unwrap();
        let lock = proj.join("package-lock.json");
        std::fs::write(&lock, package_lock(&comps)).unwrap();
        g.throughput(Throughput::Elements(comps.len() as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{mult}x")),
            &lock,
            |b, lock| {
                b.iter(|| {
                    let inv = ossgate_inventory::collect(lock, &Default::default()).unwrap();
                    match_components(&s, &inv.components)
                        .unwrap()
                        .findings
                        .len()
                })
            },
        );
    }
    g.finish();

    let osv = osv_dir();
    let zip = osv.join("crates.io.zip");
    if zip.is_file() {
        let records = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap())
            .unwrap()
            .len();
        let mut g = c.benchmark_group("import");
        g.sample_size(10);
        g.throughput(Throughput::Elements(records as u64));
        g.bench_function("crates.io.zip", |b| {
            b.iter_with_setup(
                || {
                    let d = tempfile::tempdir().unwrap();
                    let st = SqliteStore::open(&d.path().join("i.db")).unwrap();
                    (d, st)
                },
                |(_d, mut st)| {
                    let r = import_path(&mut st, &zip, &NoProgress);
                    assert!(r[0].failed.is_none());
                    st.status().unwrap().records
                },
            )
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
