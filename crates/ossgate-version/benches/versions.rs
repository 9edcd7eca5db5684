//! Parses per second and comparisons per second, per scheme, on realistic version strings.
//! Goal: ≥ 2M parses/s and ≥ 10M comparisons/s on parsed SemVer and PEP 440 versions.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ossgate_version::{Scheme, SchemeKind, dispatch};
use std::hint::black_box;

fn corpus(kind: SchemeKind) -> Vec<String> {
    let base: &[&str] = match kind {
        SchemeKind::SemVer | SchemeKind::Pub => &[
            "1.2.3",
            "0.21.11",
            "4.17.21",
            "1.0.0-alpha.1",
            "2.0.0-rc.2",
            "v0.0.0-20210101-abcdef",
            "10.4.0+build.5",
            "3.0.0",
            "0.9.18",
            "1.36.0rc1",
        ],
        SchemeKind::Pep440 => &[
            "1.26.17",
            "2.0.6",
            "3.2",
            "4.2rc1",
            "1.0.post1",
            "2.11.3",
            "1!2.0",
            "0.9.dev3",
            "1.0a12.dev456",
            "1.0+ubuntu.1",
        ],
        SchemeKind::Packagist => &["1.0.0", "v2.3.4", "1.0.0-RC1", "5.4.3.2", "1.0.0-beta2-dev"],
        SchemeKind::Hackage | SchemeKind::Cran => &["1.0", "0.4.0.1", "2.3.1.2", "1.2.10", "9.2.1"],
        SchemeKind::Maven => &[
            "2.17.1",
            "1.0-SNAPSHOT",
            "5.3.18.RELEASE",
            "31.1-jre",
            "1.0-alpha-1",
            "2.0.0-M3",
        ],
        SchemeKind::NuGet => &[
            "13.0.1",
            "6.0.0-preview.7.21377.19",
            "4.3.0.0",
            "1.0.0-beta2",
        ],
        SchemeKind::RubyGems => &["7.0.4", "1.13.10", "2.0.0.pre1", "0.9.5", "6.1.7.3"],
        SchemeKind::Debian => &[
            "1:2.34-0ubuntu3.2",
            "1.0~rc1-1",
            "2.36-9+deb12u4",
            "3.0.11-1~deb12u2",
        ],
        SchemeKind::Rpm => &[
            "2.34-60.el9",
            "1:1.1.1k-7.el8_6",
            "1.0~rc1-1",
            "5.14.0-284.11.1.el9_2",
        ],
        SchemeKind::Alpine => &["1.2.3-r0", "3.1.4_rc1-r2", "2.36.0_p1-r1", "1.0a-r3"],
        SchemeKind::Conan => &["1.2.13", "cci.20230101", "1.1.1t", "3.0.0-rc1", "1.83.0+1"],
        #[allow(unreachable_patterns)]
        _ => &["1.0"],
    };
    base.iter().map(|s| s.to_string()).collect()
}

fn bench(c: &mut Criterion) {
    let kinds = [
        ("semver", SchemeKind::SemVer),
        ("pep440", SchemeKind::Pep440),
        ("pub", SchemeKind::Pub),
        ("packagist", SchemeKind::Packagist),
        ("hackage", SchemeKind::Hackage),
        ("maven", SchemeKind::Maven),
        ("nuget", SchemeKind::NuGet),
        ("rubygems", SchemeKind::RubyGems),
        ("debian", SchemeKind::Debian),
        ("rpm", SchemeKind::Rpm),
        ("alpine", SchemeKind::Alpine),
        ("conan", SchemeKind::Conan),
    ];
    let mut g = c.benchmark_group("parse");
    for (name, kind) in kinds {
        let corpus = corpus(kind);
        g.throughput(Throughput::Elements(corpus.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &corpus, |b, corpus| {
            dispatch!(kind, S => b.iter(|| {
                for s in corpus {
                    black_box(S::parse(black_box(s)).ok());
                }
            }))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("compare");
    for (name, kind) in kinds {
        let corpus = corpus(kind);
        dispatch!(kind, S => {
            let parsed: Vec<<S as Scheme>::V> = corpus.iter().filter_map(|s| S::parse(s).ok()).collect();
            let n = parsed.len() * parsed.len();
            g.throughput(Throughput::Elements(n as u64));
            g.bench_function(BenchmarkId::from_parameter(name), |b| {
                b.iter(|| {
                    let mut less = 0usize;
                    for x in &parsed {
                        for y in &parsed {
                            less += (black_box(x) < black_box(y)) as usize;
                        }
                    }
                    less
                })
            });
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
