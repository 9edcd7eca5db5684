//! OSV `affected[]` evaluation, as the schema's "Evaluation" section defines it:
//!
//! ```text
//! IsVulnerable = IncludedInVersions(v, versions) || IncludedInRanges(v, ranges)
//! IncludedInRanges: for each range where BeforeLimits(v, range):
//!     vulnerable = false
//!     for evt in sorted(range.events):
//!         introduced and v >= evt      -> vulnerable = true   ("0" sorts before everything)
//!         fixed and v >= evt           -> vulnerable = false
//!         last_affected and v > evt    -> vulnerable = false
//!     if vulnerable: return true
//! BeforeLimits: no limit events, or v < some limit ("*" is infinity)
//! ```

use crate::{Scheme, SchemeKind, VersionError, dispatch, for_ecosystem};
use ossgate_model::Ecosystem;
use ossgate_model::osv::{Affected, Event, Range, RangeType};
use std::cmp::Ordering;

/// The outcome of evaluating one version against one `affected[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Affected; the string says which list entry or range interval decided it.
    Affected(String),
    NotAffected,
    /// Nothing in the entry could be evaluated for this version; the string says why.
    CannotEvaluate(String),
}

impl Decision {
    pub fn is_affected(&self) -> bool {
        matches!(self, Decision::Affected(_))
    }
}

/// Evaluates `version` of a package of `eco` against one `affected[]` entry.
pub fn evaluate(eco: &Ecosystem, entry: &Affected, version: &str) -> Decision {
    evaluate_with(for_ecosystem(eco), eco, entry, version)
}

/// [`evaluate`] with the ecosystem's scheme already looked up (the scan's hot path).
pub fn evaluate_with(
    kind: Option<SchemeKind>,
    eco: &Ecosystem,
    entry: &Affected,
    version: &str,
) -> Decision {
    let mut evaluated = false;
    let mut problems: Vec<String> = Vec::new();

    for range in &entry.ranges {
        let scheme = match range.kind {
            RangeType::Semver => Some(SchemeKind::SemVer),
            RangeType::Ecosystem => match kind {
                Some(k) => Some(k),
                None => {
                    problems.push(format!("no version ordering for ecosystem {eco} yet"));
                    None
                }
            },
            RangeType::Git => {
                problems.push("GIT range needs the repository's commit graph".into());
                None
            }
            RangeType::Unknown => {
                problems.push("unknown range type".into());
                None
            }
        };
        let Some(scheme) = scheme else { continue };
        let outcome = dispatch!(scheme, S => in_range::<S>(range, version));
        match outcome {
            Ok(Some(why)) => return Decision::Affected(why),
            Ok(None) => evaluated = true,
            Err(e) => problems.push(format!("{} range: {e}", range.kind.as_str())),
        }
    }

    // The versions list last: ranges are a few events, lists can hold hundreds of versions.
    if !entry.versions.is_empty() {
        evaluated = true;
        if let Some(hit) = in_versions(kind, &entry.versions, version) {
            return Decision::Affected(format!("versions list entry {hit}"));
        }
    }

    if evaluated || problems.is_empty() {
        Decision::NotAffected
    } else {
        problems.dedup();
        Decision::CannotEvaluate(problems.join("; "))
    }
}

/// `IncludedInVersions`: equal under the ecosystem's rules where both sides parse, else equal
/// as text.
fn in_versions<'a>(
    kind: Option<SchemeKind>,
    versions: &'a [String],
    version: &str,
) -> Option<&'a str> {
    if let Some(hit) = versions.iter().find(|v| v.as_str() == version) {
        return Some(hit);
    }
    let kind = kind?;
    let lead = leading_number(version);
    dispatch!(kind, S => {
        let Ok(mine) = S::parse(version) else { return None };
        versions
            .iter()
            // Equal versions start with the same number: skip the parse when they cannot be.
            .filter(|v| lead.is_none() || leading_number(v).is_none_or(|l| Some(l) == lead))
            .find(|v| S::parse(v).map(|p| p == mine).unwrap_or(false))
            .map(|s| s.as_str())
    })
}

/// The first number of a version (after an optional `v`/`=`, without leading zeros), or `None`
/// when the string has an epoch or does not start with a number: then no shortcut is taken.
fn leading_number(v: &str) -> Option<&str> {
    let t = v.trim();
    let t = t.strip_prefix(['v', 'V', '=']).unwrap_or(t);
    if t.contains([':', '!']) {
        return None; // epochs (Debian, RPM, PEP 440) come first
    }
    let end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    if end == 0 {
        return None;
    }
    let digits = t[..end].trim_start_matches('0');
    Some(if digits.is_empty() { "0" } else { digits })
}

/// A parsed event bound: `introduced: "0"` is below every version, `limit: "*"` above.
enum Bound<V> {
    Zero,
    At(V),
    Infinity,
}

impl<V: Ord> Bound<V> {
    fn cmp_version(&self, v: &V) -> Ordering {
        match self {
            Bound::Zero => Ordering::Less,
            Bound::At(b) => b.cmp(v),
            Bound::Infinity => Ordering::Greater,
        }
    }
    fn cmp_bound(&self, other: &Bound<V>) -> Ordering {
        match (self, other) {
            (Bound::Zero, Bound::Zero) | (Bound::Infinity, Bound::Infinity) => Ordering::Equal,
            (Bound::Zero, _) | (_, Bound::Infinity) => Ordering::Less,
            (_, Bound::Zero) | (Bound::Infinity, _) => Ordering::Greater,
            (Bound::At(a), Bound::At(b)) => a.cmp(b),
        }
    }
}

/// `IncludedInRanges` for one range. `Ok(Some(why))` when affected.
fn in_range<S: Scheme>(range: &Range, version: &str) -> Result<Option<String>, VersionError> {
    let v = S::parse(version)?;
    let mut events: Vec<(Bound<S::V>, &Event)> = Vec::with_capacity(range.events.len());
    let mut has_limit = false;
    let mut before_a_limit = false;
    for ev in &range.events {
        let raw = ev.version();
        let bound = match ev {
            Event::Introduced(_) if raw == "0" => Bound::Zero,
            Event::Limit(_) if raw.contains('*') => Bound::Infinity,
            _ => Bound::At(S::parse(raw)?),
        };
        if let Event::Limit(_) = ev {
            has_limit = true;
            if bound.cmp_version(&v) == Ordering::Greater {
                before_a_limit = true;
            }
            continue;
        }
        events.push((bound, ev));
    }
    if has_limit && !before_a_limit {
        return Ok(None);
    }
    // Stable: events at the same version keep the record's order.
    events.sort_by(|a, b| a.0.cmp_bound(&b.0));

    let mut vulnerable = false;
    let mut opened_by: Option<usize> = None;
    for (i, (bound, ev)) in events.iter().enumerate() {
        let ord = bound.cmp_version(&v); // bound vs version
        match ev {
            Event::Introduced(_) if ord != Ordering::Greater => {
                vulnerable = true;
                opened_by = Some(i);
            }
            Event::Fixed(_) if ord != Ordering::Greater => vulnerable = false,
            Event::LastAffected(_) if ord == Ordering::Less => vulnerable = false,
            _ => {}
        }
    }
    if !vulnerable {
        return Ok(None);
    }
    let start = opened_by.unwrap_or(0);
    let mut why = format!(
        "{} range introduced {}",
        range.kind.as_str(),
        events[start].1.version()
    );
    if let Some((_, close)) = events[start + 1..]
        .iter()
        .find(|(_, e)| !matches!(e, Event::Introduced(_)))
    {
        why.push_str(&format!(", {} {}", close.kind(), close.version()));
    }
    Ok(Some(why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(json: &str) -> Affected {
        serde_json::from_str(json).unwrap()
    }

    fn affected(eco: Ecosystem, e: &Affected, v: &str) -> bool {
        match evaluate(&eco, e, v) {
            Decision::Affected(_) => true,
            Decision::NotAffected => false,
            Decision::CannotEvaluate(why) => panic!("cannot evaluate {v}: {why}"),
        }
    }

    #[test]
    fn introduced_fixed_multiple_intervals() {
        let e = entry(
            r#"{"ranges":[{"type":"SEMVER","events":[
                {"introduced":"0.0.0-0"},{"fixed":"0.21.11"},
                {"introduced":"0.22.0"},{"fixed":"0.22.4"},
                {"introduced":"0.23.0"},{"fixed":"0.23.5"}]}]}"#,
        );
        let eco = Ecosystem::CratesIo;
        for v in [
            "0.1.0",
            "0.21.10",
            "0.22.0",
            "0.22.3",
            "0.23.4",
            "0.22.4-alpha.1",
        ] {
            assert!(affected(eco.clone(), &e, v), "{v} should be affected");
        }
        // 0.23.0-alpha.1 sorts below 0.23.0, between the second fix and the third interval.
        for v in [
            "0.21.11",
            "0.21.12",
            "0.22.4",
            "0.22.9",
            "0.23.0-alpha.1",
            "0.23.5",
            "1.0.0",
        ] {
            assert!(!affected(eco.clone(), &e, v), "{v} should not be affected");
        }
        assert_eq!(
            evaluate(&eco, &e, "0.22.1"),
            Decision::Affected("SEMVER range introduced 0.22.0, fixed 0.22.4".into())
        );
    }

    #[test]
    fn events_in_any_order() {
        let e = entry(
            r#"{"ranges":[{"type":"ECOSYSTEM","events":[
                {"fixed":"2.0.0"},{"introduced":"1.5.0"},{"fixed":"1.2.0"},{"introduced":"0"}]}]}"#,
        );
        assert!(affected(Ecosystem::Npm, &e, "1.1.9"));
        assert!(!affected(Ecosystem::Npm, &e, "1.3.0"));
        assert!(affected(Ecosystem::Npm, &e, "1.9.9"));
        assert!(!affected(Ecosystem::Npm, &e, "2.0.0"));
    }

    #[test]
    fn last_affected_is_inclusive() {
        let e = entry(
            r#"{"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0.0"},{"last_affected":"1.6.3"}]}]}"#,
        );
        assert!(!affected(Ecosystem::Npm, &e, "0.9.0"));
        assert!(affected(Ecosystem::Npm, &e, "1.6.3"));
        assert!(!affected(Ecosystem::Npm, &e, "1.6.4"));
    }

    #[test]
    fn limit_bounds_the_range() {
        let e = entry(
            r#"{"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"limit":"1.5.0"}]}]}"#,
        );
        assert!(affected(Ecosystem::Npm, &e, "1.4.9"));
        assert!(!affected(Ecosystem::Npm, &e, "1.5.0"));
        let star = entry(
            r#"{"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"limit":"*"}]}]}"#,
        );
        assert!(affected(Ecosystem::Npm, &star, "99.0.0"));
    }

    #[test]
    fn versions_list_uses_ecosystem_equality() {
        let e = entry(r#"{"versions":["1.0","2.0.post1","0!3.0","04.0"]}"#);
        assert!(affected(Ecosystem::PyPI, &e, "1.0.0"));
        assert!(affected(Ecosystem::PyPI, &e, "2.0-post1"));
        assert!(affected(Ecosystem::PyPI, &e, "v3.0"));
        assert!(affected(Ecosystem::PyPI, &e, "4.0.0"));
        assert!(!affected(Ecosystem::PyPI, &e, "1.0.1"));
        assert_eq!(leading_number("v007.1"), Some("7"));
        assert_eq!(leading_number("1:2.0"), None);
        assert_eq!(leading_number("abc"), None);
    }

    #[test]
    fn list_or_range_either_decides() {
        let e = entry(
            r#"{"versions":["0.5"],"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"1.2"}]}]}"#,
        );
        assert!(affected(Ecosystem::PyPI, &e, "0.5"));
        assert!(affected(Ecosystem::PyPI, &e, "1.1"));
        assert!(!affected(Ecosystem::PyPI, &e, "1.2"));
    }

    #[test]
    fn pep440_prereleases_and_post_releases() {
        let e = entry(
            r#"{"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.4.0"}]}]}"#,
        );
        assert!(affected(Ecosystem::PyPI, &e, "2.4.0rc1"));
        assert!(!affected(Ecosystem::PyPI, &e, "2.4.0.post1"));
        assert!(!affected(Ecosystem::PyPI, &e, "2.4"));
    }

    #[test]
    fn git_only_and_unknown_ecosystems_cannot_be_evaluated() {
        let git = entry(
            r#"{"ranges":[{"type":"GIT","repo":"https://x","events":[{"introduced":"0"},{"fixed":"abc"}]}]}"#,
        );
        assert!(matches!(
            evaluate(&Ecosystem::PyPI, &git, "1.0"),
            Decision::CannotEvaluate(_)
        ));
        let eco = entry(r#"{"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}"#);
        assert!(matches!(
            evaluate(&Ecosystem::Other("NoSuchEcosystem".into()), &eco, "1.0"),
            Decision::CannotEvaluate(_)
        ));
        // A GIT range beside an ECOSYSTEM range does not make the entry unevaluable.
        let both = entry(
            r#"{"ranges":[{"type":"GIT","repo":"https://x","events":[{"introduced":"0"}]},
                          {"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}"#,
        );
        assert_eq!(
            evaluate(&Ecosystem::PyPI, &both, "1.0"),
            Decision::NotAffected
        );
    }

    #[test]
    fn unparsable_installed_version_is_reported_not_guessed() {
        let e = entry(r#"{"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}"#);
        assert!(matches!(
            evaluate(&Ecosystem::Npm, &e, "github:user/repo#abc"),
            Decision::CannotEvaluate(_)
        ));
    }
}
