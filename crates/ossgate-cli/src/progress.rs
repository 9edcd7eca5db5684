//! indicatif progress bars behind the library's `Progress` trait.

use indicatif::{ProgressBar, ProgressStyle};
use ossgate_vulndb::{NoProgress, Progress};
use std::cell::RefCell;

pub struct Bar {
    bar: RefCell<Option<ProgressBar>>,
}

impl Bar {
    /// A bar when `show`, else nothing at all.
    pub fn boxed(show: bool) -> Box<dyn Progress> {
        if show {
            Box::new(Bar {
                bar: RefCell::new(None),
            })
        } else {
            Box::new(NoProgress)
        }
    }

    fn replace(&self, bar: ProgressBar) {
        if let Some(old) = self.bar.borrow_mut().replace(bar) {
            old.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, label: &str, total: u64) {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} records ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(short(label));
        self.replace(bar);
    }

    fn start_bytes(&self, label: &str, total: Option<u64>) {
        let bar = match total {
            Some(t) => ProgressBar::new(t),
            None => ProgressBar::no_length(),
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(short(label));
        self.replace(bar);
    }

    fn inc(&self, n: u64) {
        if let Some(b) = self.bar.borrow().as_ref() {
            b.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(b) = self.bar.borrow_mut().take() {
            b.finish_and_clear();
        }
    }
}

fn short(label: &str) -> String {
    let name = label
        .rsplit('/')
        .nth(1)
        .filter(|_| label.ends_with("all.zip"));
    match name {
        Some(eco) => format!("{eco}/all.zip"),
        None => label.rsplit('/').next().unwrap_or(label).to_string(),
    }
}
