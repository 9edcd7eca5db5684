//! The files of the repository under assessment: the working tree of a checkout (without
//! `.git`; ignored files are left out as git would) or HEAD's tree of a bare repository.
//! Paths are repository-relative with `/` separators; contents are read on demand.

use crate::git;
use std::path::{Path, PathBuf};

/// Files larger than this are never read into memory (content checks skip them).
const MAX_READ: u64 = 16 * 1024 * 1024;

enum Source {
    Dir(PathBuf),
    Mem(Vec<Vec<u8>>),
}

pub struct Tree {
    paths: Vec<String>,
    source: Source,
}

impl Tree {
    /// Walks a checkout (honouring .gitignore, skipping `.git`).
    pub fn from_dir(root: &Path) -> std::io::Result<Tree> {
        if !root.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not a directory",
            ));
        }
        let mut paths = Vec::new();
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(false)
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for e in walker.flatten() {
            if e.file_type().is_some_and(|t| t.is_file())
                && let Ok(rel) = e.path().strip_prefix(root)
            {
                paths.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        paths.sort();
        Ok(Tree {
            paths,
            source: Source::Dir(root.to_path_buf()),
        })
    }

    /// HEAD's tree of a (bare) repository, read into memory.
    pub fn from_repo(repo: &git::Repo) -> Result<Tree, git::GitError> {
        let mut paths = Vec::new();
        let mut data = Vec::new();
        for (p, id) in repo.head_files()? {
            if let Some(d) = repo.blob(id) {
                paths.push(p);
                data.push(d);
            }
        }
        Ok(Tree {
            paths,
            source: Source::Mem(data),
        })
    }

    /// Files given in memory (tests, fixtures).
    pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Tree {
        let (paths, data) = files.into_iter().unzip();
        Tree {
            paths,
            source: Source::Mem(data),
        }
    }

    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// The bytes of the file at index `i`.
    pub fn read_at(&self, i: usize) -> Option<Vec<u8>> {
        match &self.source {
            Source::Dir(root) => {
                let p = root.join(&self.paths[i]);
                let meta = std::fs::metadata(&p).ok()?;
                if meta.len() > MAX_READ {
                    return None;
                }
                std::fs::read(p).ok()
            }
            Source::Mem(d) => d.get(i).cloned(),
        }
    }

    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        let i = self.paths.iter().position(|p| p == path)?;
        self.read_at(i)
    }

    pub fn read_text(&self, path: &str) -> Option<String> {
        self.read(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// (index, path) of files whose path satisfies `pred`.
    pub fn matching(&self, pred: impl Fn(&str) -> bool) -> Vec<(usize, &str)> {
        self.paths
            .iter()
            .enumerate()
            .filter(|(_, p)| pred(p))
            .map(|(i, p)| (i, p.as_str()))
            .collect()
    }

    /// The files Scorecard scans for content: not under `testdata/` or `src/test/` trees.
    pub fn is_scanned(path: &str) -> bool {
        let l = path.to_ascii_lowercase();
        !(l.starts_with("testdata/")
            || l.contains("/testdata/")
            || l.starts_with("src/test/")
            || l.contains("/src/test/"))
    }

    /// GitHub workflow files (`.github/workflows/*.yml|yaml`, directly in that folder).
    pub fn workflows(&self) -> Vec<(usize, &str)> {
        self.matching(is_workflow_path)
    }
}

pub fn is_workflow_path(p: &str) -> bool {
    let l = p.to_ascii_lowercase();
    (l.ends_with(".yml") || l.ends_with(".yaml"))
        && l.rsplit_once('/').map(|(d, _)| d) == Some(".github/workflows")
}

pub fn file_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}
