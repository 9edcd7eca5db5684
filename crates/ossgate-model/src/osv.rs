//! OSV records (ossf/osv-schema), read leniently: unknown fields, ecosystems, severity types and
//! range types are kept or ignored, never an error. What is an error is what makes a record
//! unusable: no `id`, no `modified`, an `affected` entry without a package name, or a range event
//! that is not exactly one of `introduced`, `fixed`, `last_affected`, `limit`.
//!
//! The official types crate (`osv`) rejects records whose ecosystem it does not list, so one new
//! OSV ecosystem would fail a whole all.zip import; hence these types.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OsvRecord {
    pub id: String,
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub severity: Vec<OsvSeverity>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub affected: Vec<Affected>,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub database_specific: Value,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct OsvSeverity {
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Package {
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// One `affected[]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Affected {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub severity: Vec<OsvSeverity>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub ranges: Vec<Range>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub database_specific: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeType {
    Semver,
    Ecosystem,
    Git,
    /// A range type this version of ossgate does not know; never evaluated.
    Unknown,
}

impl<'de> Deserialize<'de> for RangeType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "SEMVER" => RangeType::Semver,
            "ECOSYSTEM" => RangeType::Ecosystem,
            "GIT" => RangeType::Git,
            _ => RangeType::Unknown,
        })
    }
}

impl Serialize for RangeType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl RangeType {
    pub fn as_str(self) -> &'static str {
        match self {
            RangeType::Semver => "SEMVER",
            RangeType::Ecosystem => "ECOSYSTEM",
            RangeType::Git => "GIT",
            RangeType::Unknown => "UNKNOWN",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: RangeType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    pub events: Vec<Event>,
}

/// A range event: exactly one of the four kinds, as the schema requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl Event {
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Introduced(_) => "introduced",
            Event::Fixed(_) => "fixed",
            Event::LastAffected(_) => "last_affected",
            Event::Limit(_) => "limit",
        }
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Event;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an event object with exactly one of introduced, fixed, last_affected, limit",
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
                let mut found: Option<Event> = None;
                while let Some(key) = map.next_key::<String>()? {
                    let value: String = map.next_value()?;
                    let ev = match key.as_str() {
                        "introduced" => Event::Introduced(value),
                        "fixed" => Event::Fixed(value),
                        "last_affected" => Event::LastAffected(value),
                        "limit" => Event::Limit(value),
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown event kind `{other}` (expected introduced, fixed, last_affected or limit)"
                            )));
                        }
                    };
                    if found.is_some() {
                        return Err(de::Error::custom(
                            "an event object must hold exactly one of introduced, fixed, last_affected, limit",
                        ));
                    }
                    found = Some(ev);
                }
                found.ok_or_else(|| de::Error::custom("empty event object"))
            }
        }
        d.deserialize_map(V)
    }
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_record_leniently() {
        let rec: OsvRecord = serde_json::from_str(
            r#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","aliases":null,"unknown_field":1,
                "affected":[{"package":{"ecosystem":"NewEco:1","name":"p"},
                  "ranges":[{"type":"FANCY","events":[{"introduced":"0"}]},
                            {"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}"#,
        )
        .unwrap();
        assert_eq!(rec.affected[0].ranges[0].kind, RangeType::Unknown);
        assert_eq!(
            rec.affected[0].ranges[1].events[1],
            Event::Fixed("1.0.0".into())
        );
        assert!(rec.aliases.is_empty());
    }

    #[test]
    fn entries_round_trip_through_json() {
        let a: Affected = serde_json::from_str(
            r#"{"package":{"ecosystem":"npm","name":"p"},"versions":["1"],
                "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"last_affected":"1.0.0"},{"limit":"2"}]},
                          {"type":"GIT","repo":"r","events":[{"fixed":"abc"}]}]}"#,
        )
        .unwrap();
        let back: Affected = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back.ranges[0].kind, RangeType::Semver);
        assert_eq!(back.ranges[1].kind, RangeType::Git);
        assert_eq!(back.ranges[0].events, a.ranges[0].events);
        assert_eq!(back.versions, ["1"]);
    }

    #[test]
    fn rejects_events_with_two_kinds() {
        let err =
            serde_json::from_str::<Event>(r#"{"introduced":"1.0","fixed":"2.0"}"#).unwrap_err();
        assert!(err.to_string().contains("exactly one"), "{err}");
        assert!(serde_json::from_str::<Event>(r#"{"fixd":"2.0"}"#).is_err());
        assert!(serde_json::from_str::<Event>(r#"{}"#).is_err());
    }

    #[test]
    fn requires_id_and_modified() {
        assert!(
            serde_json::from_str::<OsvRecord>(r#"{"modified":"2024-01-01T00:00:00Z"}"#).is_err()
        );
        assert!(serde_json::from_str::<OsvRecord>(r#"{"id":"A"}"#).is_err());
    }
}
