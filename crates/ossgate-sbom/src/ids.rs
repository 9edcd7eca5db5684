//! Serial numbers, namespaces and timestamps: random and current by default, derived from the
//! content and fixed when the output must be reproducible.

use jiff::Timestamp;

/// A fixed namespace for content-derived (version 5) UUIDs.
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f73_7367_6174_6542_8f1e_5b0c_2d3a_9e71);

/// A UUID derived from `content` (the same content gives the same UUID).
pub fn content_uuid(content: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(&NAMESPACE, content.as_bytes())
}

/// The document's UUID: random, or derived from `content` when reproducible.
pub(crate) fn serial(reproducible: bool, content: impl FnOnce() -> String) -> uuid::Uuid {
    if reproducible {
        content_uuid(&content())
    } else {
        uuid::Uuid::new_v4()
    }
}

/// The creation time, RFC 3339 in UTC to the second: now, or when reproducible,
/// `SOURCE_DATE_EPOCH` (the reproducible-builds convention) or else the Unix epoch.
pub fn timestamp(reproducible: bool) -> String {
    let t = if reproducible {
        std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .and_then(|s| Timestamp::from_second(s).ok())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    } else {
        Timestamp::now()
    };
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
