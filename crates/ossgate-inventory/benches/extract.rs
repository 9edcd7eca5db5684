//! Benchmarks of the inventory on the real inputs (`$OSSGATE_DATA/inputs`, default
//! `../shared/data/inputs`):
//!
//! - `parse/<file>`: one extractor on one lockfile already in memory, as bytes per second
//!   (the goal is at least 50 MB/s on the largest lockfile);
//! - `collect/inputs`: the whole tree, walked and read from disk (the goal is under 1 s).
//!
//! Without the shared data the benchmarks print that they were skipped.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ossgate_inventory::{Options, SourceFile, collect, registry};
use std::path::PathBuf;

fn inputs() -> Option<PathBuf> {
    let dir = std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
        })
        .join("inputs");
    dir.is_dir().then_some(dir)
}

/// The largest lockfile of each big format in the inputs.
const FILES: &[&str] = &[
    "insomnia/package-lock.json",
    "astro/pnpm-lock.yaml",
    "outline/yarn.lock",
    "firefly-iii/composer.lock",
    "deno/Cargo.lock",
    "rubygems.org/Gemfile.lock",
    "saleor/uv.lock",
    "poetry/poetry.lock",
    "kubernetes-client-go/go.mod",
    "localsend/pubspec.lock",
    "jenkins/core/pom.xml",
];

fn parse(c: &mut Criterion) {
    let Some(dir) = inputs() else {
        eprintln!("skipped: no shared inputs");
        return;
    };
    let extractors = registry();
    let mut group = c.benchmark_group("parse");
    for f in FILES {
        let path = dir.join(f);
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped {f}: not present");
            continue;
        };
        let Some(x) = extractors.iter().find(|x| x.applies_to(&path)) else {
            eprintln!("skipped {f}: no extractor");
            continue;
        };
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*f, |b| {
            b.iter(|| {
                x.extract(&SourceFile {
                    display: f.to_string(),
                    path: &path,
                    text: &text,
                })
                .unwrap()
            })
        });
    }
    group.finish();
}

fn whole_tree(c: &mut Criterion) {
    let Some(dir) = inputs() else { return };
    let mut group = c.benchmark_group("collect");
    group.sample_size(20);
    group.bench_function("inputs", |b| {
        b.iter(|| collect(&dir, &Options::default()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, parse, whole_tree);
criterion_main!(benches);
