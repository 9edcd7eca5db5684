//! Writing and reading a 10,000-component SBOM (with hashes, licences and about three edges per
//! component) in each format: `write/<format>` builds the document from components,
//! `read/<format>` reads it back into components (sniffing, parsing, conversion for XML and
//! tag-value, identification and the graph). The goal is under 100 ms for each, CycloneDX JSON
//! and SPDX JSON in particular.

use criterion::{Criterion, criterion_group, criterion_main};
use ossgate_model::{Component, Ecosystem, Hash, HashAlg};
use ossgate_sbom::{CdxVersion, Format, Subject, WriteOptions, read, write};
use std::hint::black_box;

const N: usize = 10_000;

fn components() -> Vec<Component> {
    let ecosystems = [
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::CratesIo,
        Ecosystem::Maven,
    ];
    let mut list: Vec<Component> = (0..N)
        .map(|i| {
            let eco = ecosystems[i % ecosystems.len()].clone();
            let name = match eco {
                Ecosystem::Maven => format!("org.example{}:artifact-{i}", i % 50),
                _ => format!("package-{i}"),
            };
            let mut c = Component::new(eco, name, format!("{}.{}.{}", i % 7, i % 13, i % 5));
            c.direct = i % 20 == 0;
            let digest: Vec<u8> = (0..32).map(|b| (i * 31 + b) as u8).collect();
            c.hashes = vec![Hash::from_bytes(HashAlg::Sha256, &digest).unwrap()];
            c.licenses = vec![
                if i % 3 == 0 {
                    "MIT OR Apache-2.0"
                } else {
                    "MIT"
                }
                .into(),
            ];
            c
        })
        .collect();
    let purls: Vec<String> = list.iter().map(|c| c.purl.clone()).collect();
    for (i, c) in list.iter_mut().enumerate() {
        c.dependencies = [1, 7, 31]
            .iter()
            .map(|d| purls[(i + d) % N].clone())
            .collect();
    }
    list
}

fn bench(c: &mut Criterion) {
    let comps = components();
    let subject = Subject {
        name: "bench".into(),
        version: Some("1.0.0".into()),
        purl: None,
    };
    let formats = [
        ("cyclonedx-json", Format::CycloneDxJson),
        ("spdx-json", Format::SpdxJson),
        ("cyclonedx-xml", Format::CycloneDxXml),
        ("spdx-tag-value", Format::SpdxTagValue),
    ];
    let mut group = c.benchmark_group("sbom-10k");
    group.sample_size(10);
    for (name, format) in formats {
        let opts = WriteOptions {
            format,
            cdx_version: CdxVersion::V1_6,
            reproducible: true,
            ..WriteOptions::default()
        };
        group.bench_function(format!("write/{name}"), |b| {
            b.iter(|| write(&subject, black_box(&comps), &opts).unwrap())
        });
        let text = write(&subject, &comps, &opts).unwrap();
        let (_, check) = read::read("bench", &text).unwrap();
        assert_eq!(check.components.len(), N, "{name}");
        group.bench_function(format!("read/{name}"), |b| {
            b.iter(|| read::read("bench", black_box(&text)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
