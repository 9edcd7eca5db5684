//! The only module that talks to gix (pinned in the workspace; its API moves every month): it
//! opens a checkout or a bare repository and hands back plain data — the commits reachable from
//! HEAD (time, author, committer, parent count, trailers), the tags (with signature presence)
//! and, for a bare repository, the files of HEAD's tree.
//!
//! Only what the history checks need is decoded: commit headers and messages, not trees or
//! diffs. A shallow clone simply has fewer commits; nothing here fetches.

use std::path::{Path, PathBuf};

/// One commit reachable from HEAD.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub id: String,
    /// Author time, seconds since the epoch.
    pub time: i64,
    pub author_name: String,
    pub author_email: String,
    pub committer_email: String,
    pub parents: usize,
    /// `Reviewed-by:`, `Approved-by:`, `Acked-by:` … trailers (lower-cased keys).
    pub review_trailers: usize,
    pub signed: bool,
}

/// One tag.
#[derive(Debug, Clone)]
pub struct TagInfo {
    pub name: String,
    /// The tagger time of an annotated tag, else the tagged commit's time (seconds).
    pub time: Option<i64>,
    pub annotated: bool,
    /// An annotated tag carrying a PGP or SSH signature block.
    pub signed: bool,
}

/// What the history checks read.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub head: Option<String>,
    pub commits: Vec<CommitInfo>,
    pub tags: Vec<TagInfo>,
    pub shallow: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct GitError {
    pub path: PathBuf,
    pub message: String,
}

fn gerr(path: &Path, e: impl std::fmt::Display) -> GitError {
    GitError {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// An opened repository.
pub struct Repo {
    repo: gix::Repository,
    path: PathBuf,
}

impl Repo {
    pub fn open(path: &Path) -> Result<Repo, GitError> {
        let repo = gix::open(path).map_err(|e| gerr(path, format!("not a git repository: {e}")))?;
        Ok(Repo {
            repo,
            path: path.to_path_buf(),
        })
    }

    pub fn is_bare(&self) -> bool {
        self.repo.is_bare()
    }

    /// Every commit reachable from HEAD (empty for an unborn HEAD), and every tag.
    pub fn history(&self) -> Result<History, GitError> {
        let mut h = History {
            shallow: self.repo.is_shallow().unwrap_or(false),
            ..History::default()
        };
        let head = match self.repo.head_id() {
            Ok(id) => id.detach(),
            Err(_) => return Ok(h),
        };
        h.head = Some(head.to_string());
        let walk = self
            .repo
            .rev_walk([head])
            .all()
            .map_err(|e| gerr(&self.path, e))?;
        for info in walk {
            let info = info.map_err(|e| gerr(&self.path, e))?;
            let obj = self
                .repo
                .find_object(info.id)
                .map_err(|e| gerr(&self.path, e))?;
            let Ok(c) = gix::objs::CommitRef::from_bytes(&obj.data, self.repo.object_hash()) else {
                continue;
            };
            let (author_name, author_email, time) = match c.author() {
                Ok(a) => (a.name.to_string(), a.email.to_string(), a.seconds()),
                Err(_) => (String::new(), String::new(), 0),
            };
            let committer_email = c
                .committer()
                .map(|s| s.email.to_string())
                .unwrap_or_default();
            let message = c.message.to_string();
            h.commits.push(CommitInfo {
                id: info.id.to_string(),
                time,
                author_name,
                author_email,
                committer_email,
                parents: c.parents.len(),
                review_trailers: review_trailers(&message),
                signed: c.extra_headers.iter().any(|(k, _)| *k == "gpgsig"),
            });
        }
        h.tags = self.tags()?;
        Ok(h)
    }

    fn tags(&self) -> Result<Vec<TagInfo>, GitError> {
        let mut out = Vec::new();
        let refs = self.repo.references().map_err(|e| gerr(&self.path, e))?;
        let tags = refs.tags().map_err(|e| gerr(&self.path, e))?;
        for r in tags {
            let Ok(r) = r else { continue };
            let name = r.name().shorten().to_string();
            let Some(id) = r.target().try_id().map(|i| i.to_owned()) else {
                continue;
            };
            let Ok(obj) = self.repo.find_object(id) else {
                continue;
            };
            let mut info = TagInfo {
                name,
                time: None,
                annotated: false,
                signed: false,
            };
            match obj.kind {
                gix::object::Kind::Tag => {
                    if let Ok(t) = gix::objs::TagRef::from_bytes(&obj.data, self.repo.object_hash())
                    {
                        info.annotated = true;
                        info.signed = t.signature.is_some()
                            || t.message.windows(10).any(|w| w == b"-----BEGIN");
                        info.time = t
                            .tagger
                            .and_then(|s| gix::actor::SignatureRef::from_bytes(s).ok())
                            .map(|s| s.seconds());
                    }
                }
                gix::object::Kind::Commit => {
                    if let Ok(c) =
                        gix::objs::CommitRef::from_bytes(&obj.data, self.repo.object_hash())
                    {
                        info.time = c.author().ok().map(|a| a.seconds());
                    }
                }
                _ => {}
            }
            out.push(info);
        }
        Ok(out)
    }

    /// The files of HEAD's tree (for bare repositories): (path, blob id).
    pub fn head_files(&self) -> Result<Vec<(String, gix::ObjectId)>, GitError> {
        let Ok(commit) = self.repo.head_commit() else {
            return Ok(Vec::new());
        };
        let tree = commit.tree().map_err(|e| gerr(&self.path, e))?;
        let mut rec = gix::traverse::tree::Recorder::default();
        tree.traverse()
            .breadthfirst(&mut rec)
            .map_err(|e| gerr(&self.path, e))?;
        Ok(rec
            .records
            .into_iter()
            .filter(|e| e.mode.is_blob())
            .map(|e| (e.filepath.to_string(), e.oid))
            .collect())
    }

    pub fn blob(&self, id: gix::ObjectId) -> Option<Vec<u8>> {
        self.repo.find_object(id).ok().map(|o| o.data.clone())
    }
}

/// Counts review trailers: `Reviewed-by:`, `Approved-by:`, `Acked-by:`, `Reviewed-on:` lines.
pub fn review_trailers(message: &str) -> usize {
    message
        .lines()
        .filter(|l| {
            let l = l.trim_start().to_ascii_lowercase();
            ["reviewed-by:", "approved-by:", "acked-by:", "reviewed-on:"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .count()
}
