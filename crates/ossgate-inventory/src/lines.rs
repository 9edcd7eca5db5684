//! Line numbers for parsers that do not report spans (serde over TOML and JSON).

/// 1-based line numbers of every line whose trimmed text equals `header`, in file order.
/// TOML arrays of tables (`[[package]]`) appear in the same order as the parsed array.
pub fn header_lines(text: &str, header: &str) -> Vec<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == header)
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

/// 1-based line of the first line that starts (after indentation) with the JSON key `"key":`.
pub struct JsonKeyLines<'a> {
    index: std::collections::HashMap<&'a str, u32>,
}

impl<'a> JsonKeyLines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut index = std::collections::HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if let Some(rest) = t.strip_prefix('"')
                && let Some(end) = rest.find("\":")
            {
                index.entry(&rest[..end]).or_insert(i as u32 + 1);
            }
        }
        JsonKeyLines { index }
    }

    pub fn line(&self, key: &str) -> Option<u32> {
        self.index.get(key).copied()
    }
}

/// 1-based line and column of a byte offset.
pub fn line_of_offset(text: &str, offset: usize) -> u32 {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count() as u32
        + 1
}
