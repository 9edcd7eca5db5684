//! Applying VEX statements to a scan: 10,000 statements against 10,000 findings (the issue's
//! bar: under 50 ms), building the index included. Half the statements are about the scanned
//! release (with a subcomponent), half about components directly; every finding has two ids.

use criterion::{Criterion, criterion_group, criterion_main};
use ossgate_model::{Ecosystem, Finding, Scope, Severity};
use ossgate_vex::{Index, Justification, Statement, Status};
use std::hint::black_box;

const N: usize = 10_000;

fn finding(i: usize) -> Finding {
    Finding {
        id: format!("GHSA-{i:04x}-test-{i}"),
        aliases: vec![format!("CVE-2024-{:05}", i)],
        records: vec![],
        summary: None,
        purl: format!("pkg:npm/lib-{}@1.{}.0", i % 2000, i % 7),
        ecosystem: Ecosystem::Npm,
        name: format!("lib-{}", i % 2000),
        version: format!("1.{}.0", i % 7),
        severity: Severity::unknown(),
        kev: None,
        fixed_versions: vec![],
        upgrade_to: None,
        breaking_upgrade: None,
        informational: None,
        direct: false,
        scope: Scope::Runtime,
        sources: vec![],
        matched_by: String::new(),
    }
}

fn statement(i: usize) -> Statement {
    // Every other statement names a finding's vulnerability; the rest name others.
    let vuln = if i.is_multiple_of(2) {
        format!("CVE-2024-{:05}", i)
    } else {
        format!("CVE-2023-{:05}", i)
    };
    let (product, subs) = if i % 4 < 2 {
        (
            "pkg:npm/app@2.0.0".to_string(),
            vec![format!("pkg:npm/lib-{}", i % 2000)],
        )
    } else {
        (format!("pkg:npm/lib-{}@1.{}.0", i % 2000, i % 7), vec![])
    };
    let mut s = Statement::new(vuln, product, Status::NotAffected);
    s.subcomponents = subs;
    s.justification = Some(Justification::VulnerableCodeNotInExecutePath);
    s.timestamp = Some(jiff::Timestamp::from_second(1_700_000_000 + i as i64).unwrap());
    s.source = if i.is_multiple_of(3) {
        "store".into()
    } else {
        "vex.json".into()
    };
    s
}

fn bench(c: &mut Criterion) {
    let findings: Vec<Finding> = (0..N).map(finding).collect();
    let statements: Vec<Statement> = (0..N).map(statement).collect();
    // The decisions are real: check the expected count once.
    let index = Index::new(&statements, Some("pkg:npm/app@2.0.0"));
    let decided = findings
        .iter()
        .filter(|f| index.decide_finding(f).is_some())
        .count();
    assert_eq!(decided, N / 2, "every even finding has a statement");
    c.bench_function("apply/10000x10000", |b| {
        b.iter(|| {
            let index = Index::new(black_box(&statements), Some("pkg:npm/app@2.0.0"));
            let n = findings
                .iter()
                .filter(|f| {
                    index
                        .decide_finding(f)
                        .is_some_and(|d| index_winner_suppresses(&statements, d.winner))
                })
                .count();
            black_box(n)
        })
    });
}

fn index_winner_suppresses(statements: &[Statement], i: usize) -> bool {
    statements[i].status.suppresses()
}

criterion_group!(benches, bench);
criterion_main!(benches);
