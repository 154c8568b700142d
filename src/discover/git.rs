//! Git's view of a work tree: its ignore rules and index, so the walk knows for every file
//! whether git would commit it.

use crate::vocab::GitStatus;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Git's view of one work tree: its ignore rules, loaded lazily per directory and shared by
/// the walker's threads, and the paths in its index (tracked files, which ignore rules no
/// longer affect). `.ignore` files are ripgrep's convention, not git's, and are not read:
/// a `.env` listed only there is still one `git add` away from a commit.
pub struct GitRules {
    root: PathBuf,
    exclude: Gitignore,
    global: Gitignore,
    /// Paths in the index, relative to `root`, `/`-separated, sorted.
    tracked: Vec<Vec<u8>>,
    per_dir: RwLock<HashMap<PathBuf, Arc<Gitignore>>>,
    dir_ignored: RwLock<HashMap<PathBuf, bool>>,
}

impl GitRules {
    /// Rules for the work tree containing `start` (canonical), if any.
    #[must_use]
    pub fn discover(start: &Path) -> Option<Self> {
        let root = start
            .ancestors()
            .find(|a| a.join(".git").exists())?
            .to_path_buf();
        let git_dir = git_dir(&root);
        let mut b = GitignoreBuilder::new(&root);
        b.add(git_dir.join("info/exclude"));
        let exclude = b.build().unwrap_or_else(|_| Gitignore::empty());
        let (global, _) = Gitignore::global();
        Some(Self {
            tracked: index_paths(&git_dir.join("index")),
            root,
            exclude,
            global,
            per_dir: RwLock::default(),
            dir_ignored: RwLock::default(),
        })
    }

    /// The top of the work tree.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn matcher(&self, dir: &Path) -> Arc<Gitignore> {
        if let Some(m) = self.per_dir.read().ok().and_then(|m| m.get(dir).cloned()) {
            return m;
        }
        let mut b = GitignoreBuilder::new(dir);
        let p = dir.join(".gitignore");
        if p.is_file() {
            b.add(p);
        }
        let m = Arc::new(b.build().unwrap_or_else(|_| Gitignore::empty()));
        if let Ok(mut w) = self.per_dir.write() {
            w.insert(dir.to_path_buf(), Arc::clone(&m));
        }
        m
    }

    /// `path` relative to the work tree, as the index spells it.
    fn index_key(&self, path: &Path) -> Option<Vec<u8>> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let s = rel.to_str()?.replace('\\', "/");
        Some(s.into_bytes())
    }

    /// Whether the index holds `path` (a file) or anything under it (a directory).
    fn in_index(&self, path: &Path, is_dir: bool) -> bool {
        let Some(mut key) = self.index_key(path) else {
            return false;
        };
        if is_dir {
            key.push(b'/');
            let i = self.tracked.partition_point(|p| p < &key);
            return self.tracked.get(i).is_some_and(|p| p.starts_with(&key));
        }
        self.tracked.binary_search(&key).is_ok()
    }

    /// Whether git ignores `path` (absolute, under the work tree) and does not track it.
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        if self.in_index(path, is_dir) {
            return false;
        }
        let Some(parent) = path.parent() else {
            return false;
        };
        if parent.starts_with(&self.root) && parent != self.root && self.dir_is_ignored(parent) {
            return true;
        }
        self.matches_here(path, is_dir)
    }

    fn dir_is_ignored(&self, dir: &Path) -> bool {
        if let Some(&v) = self
            .dir_ignored
            .read()
            .ok()
            .and_then(|m| m.get(dir).copied())
            .as_ref()
        {
            return v;
        }
        // Whether the directory itself is excluded, whatever it tracks: git does not look
        // inside an excluded directory for untracked files.
        let v = {
            let parent = dir.parent();
            parent.is_some_and(|p| {
                p.starts_with(&self.root) && p != self.root && self.dir_is_ignored(p)
            }) || self.matches_here(dir, true)
        };
        if let Ok(mut w) = self.dir_ignored.write() {
            w.insert(dir.to_path_buf(), v);
        }
        v
    }

    /// The rules of the nearest `.gitignore` that has an opinion, then the exclude files.
    fn matches_here(&self, path: &Path, is_dir: bool) -> bool {
        if path.file_name().is_some_and(|n| n == ".git") {
            return true;
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            if !d.starts_with(&self.root) {
                break;
            }
            let m = self.matcher(d);
            let r = m.matched(path, is_dir);
            if r.is_ignore() {
                return true;
            }
            if r.is_whitelist() {
                return false;
            }
            dir = d.parent();
        }
        self.exclude.matched(path, is_dir).is_ignore()
            || self.global.matched(path, is_dir).is_ignore()
    }

    #[must_use]
    pub fn status(&self, path: &Path, is_dir: bool) -> GitStatus {
        if !is_dir && self.in_index(path, false) {
            GitStatus::Tracked
        } else if self.is_ignored(path, is_dir) {
            GitStatus::Ignored
        } else {
            GitStatus::Committable
        }
    }

    /// Whether git's ignore rules match `path`, tracked or not.
    #[must_use]
    pub fn ignore_rules_match(&self, path: &Path, is_dir: bool) -> bool {
        let parent_ignored = path
            .parent()
            .is_some_and(|p| p.starts_with(&self.root) && p != self.root && self.dir_is_ignored(p));
        parent_ignored || self.matches_here(path, is_dir)
    }

    /// Whether the walk should enter `dir`: not ignored, or holding tracked files.
    pub(super) fn enters(&self, dir: &Path) -> bool {
        !self.is_ignored(dir, true)
    }
}

/// The git directory of a work tree: `.git` itself, or where a `.git` file (a linked
/// worktree or a submodule) points.
fn git_dir(root: &Path) -> PathBuf {
    let dot_git = root.join(".git");
    if dot_git.is_file()
        && let Ok(text) = std::fs::read_to_string(&dot_git)
        && let Some(target) = text.trim().strip_prefix("gitdir:")
    {
        return root.join(target.trim());
    }
    dot_git
}

/// The paths in a git index, sorted; empty when there is no index or it cannot be read (a
/// new repository, or a format this reader does not know: then only ignore rules count).
fn index_paths(index: &Path) -> Vec<Vec<u8>> {
    let Ok(file) = gix_index::File::at(
        index,
        gix_index::hash::Kind::Sha1,
        true,
        gix_index::decode::Options::default(),
    ) else {
        return Vec::new();
    };
    let mut paths: Vec<Vec<u8>> = file
        .entries()
        .iter()
        .map(|e| e.path(&file).to_vec())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The top of the git work tree holding `path` (canonical), if any.
#[must_use]
pub fn work_tree_of(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}
