//! A plain aligned text table with optional ANSI colour per cell.
//!
//! Written here rather than taken from comfy-table: coloured cells there need its `tty` and
//! `custom_styling` features (crossterm, console, ansi-str), a heavy build for one coloured
//! column.

pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<(String, Option<&'static str>)>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; each cell may carry an ANSI SGR colour code (e.g. `"31"` for red).
    pub fn row(&mut self, cells: Vec<(String, Option<&'static str>)>) {
        self.rows.push(cells);
    }

    pub fn render(&self, color: bool) -> String {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, (c, _)) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, cells: Vec<(&str, Option<&str>)>| {
            let mut parts = Vec::with_capacity(n);
            for (i, (text, code)) in cells.into_iter().enumerate() {
                let pad = widths[i].saturating_sub(text.chars().count());
                let last = i + 1 == n;
                let body = match (color, code) {
                    (true, Some(code)) => format!("\x1b[{code}m{text}\x1b[0m"),
                    _ => text.to_string(),
                };
                parts.push(if last {
                    body
                } else {
                    format!("{body}{}", " ".repeat(pad))
                });
            }
            out.push_str(parts.join("  ").trim_end());
            out.push('\n');
        };
        line(
            &mut out,
            self.headers
                .iter()
                .map(|h| (h.as_str(), color.then_some("1")))
                .collect(),
        );
        for r in &self.rows {
            line(&mut out, r.iter().map(|(t, c)| (t.as_str(), *c)).collect());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns_and_colours_only_when_asked() {
        let mut t = Table::new(&["A", "BB"]);
        t.row(vec![("xyz".into(), Some("31")), ("1".into(), None)]);
        assert_eq!(t.render(false), "A    BB\nxyz  1\n");
        assert!(t.render(true).contains("\x1b[31mxyz\x1b[0m"));
    }
}
