//! Discovery: the parallel, gitignore-aware walk, each file's git status, and the
//! classification of paths into [`FileKind`]s by name and, where names are ambiguous, by
//! content.
//!
//! credlint walks with git's ignore rules switched off in the walker and applies them
//! itself, because it must see the files git ignores that hold credentials (a local `.env`
//! is exactly what users want checked) while still skipping ignored directories such as
//! `node_modules/` or `target/` for speed.

mod git;
mod kinds;
mod paths;

pub use git::{GitRules, work_tree_of};
pub use kinds::{dotfile_name, kind_by_content, kind_by_name};
use paths::{Shown, below, display_path, slashes};
pub use paths::{clean, display_for, is_test_path};

use ignore::{WalkBuilder, WalkState};

pub use crate::vocab::{FileKind, GitStatus};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What the walk hands to the scanner.
#[derive(Clone, Debug)]
pub struct WalkedFile {
    pub path: PathBuf,
    pub display: String,
    pub git: GitStatus,
    pub name_kind: Option<FileKind>,
    /// Named on the command line: read even when ignored.
    pub explicit: bool,
    /// Asked about: named, or under a named directory. Files read only as context for
    /// named files get no notes and no findings of their own.
    pub asked: bool,
    /// Test code below the directory that was named (see [`is_test_path`]); never set for
    /// a file named on the command line.
    pub in_tests: bool,
}

/// A directory entry the walk could not use.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkError {
    pub path: String,
    pub message: String,
    /// Something to know rather than a failure (does not change the exit code).
    pub note: bool,
}

#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    pub no_ignore: bool,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Apply `exclude` to files named on the command line too (pre-commit passes every
    /// staged file by name; ruff's `--force-exclude`).
    pub force_exclude: bool,
    pub threads: usize,
}

/// Where the walk starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    /// A path named on the command line: a file is read whatever git thinks of it; a
    /// directory is walked (an ignored directory named explicitly as if `--no-ignore`).
    Named(PathBuf),
    /// The surroundings of named files (their work tree, or outside any work tree their
    /// folder alone), read so that cross-file rules see the config beside a staged `.env`.
    Context(Context),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// Canonical.
    pub dir: PathBuf,
    /// How paths under `dir` are shown: the named files' spelling of it.
    pub shown_as: PathBuf,
    /// Outside a work tree: the folder's own files and its `.aws/` only, not the folders
    /// below (the folder may be a home or `/tmp`).
    pub shallow: bool,
    /// Canonical paths of the named files, read as named rather than as context.
    pub skip: Vec<PathBuf>,
}

/// The context a named file (canonical; `given` as typed) is read in: its work tree, or
/// its own folder outside any.
#[must_use]
pub fn context_of(given: &Path, canonical: &Path) -> Context {
    let (dir, shallow) = match work_tree_of(canonical) {
        Some(top) => (top, false),
        None => (
            canonical
                .parent()
                .map_or_else(PathBuf::new, Path::to_path_buf),
            true,
        ),
    };
    let shown_as = shown_root(given, canonical, &dir);
    Context {
        dir,
        shown_as,
        shallow,
        skip: Vec::new(),
    }
}

/// `root` (an ancestor of `canonical`) spelt the way `given` spells `canonical`: `..` for
/// `../.env` in a work tree one level up, empty for `.env` at the top. Where symlinks make
/// the spellings part, relative to the working directory (or absolute, as given).
fn shown_root(given: &Path, canonical: &Path, root: &Path) -> PathBuf {
    let given = clean(given);
    if let Ok(rel) = canonical.strip_prefix(root) {
        let mut g = given.clone();
        let mut matched = true;
        for c in rel.components().rev() {
            if g.file_name() == Some(c.as_os_str()) {
                g.pop();
            } else {
                matched = false;
                break;
            }
        }
        if matched {
            return g;
        }
    }
    if given.is_absolute() {
        return root.to_path_buf();
    }
    pathdiff::diff_paths(root, current_dir()).unwrap_or_else(|| root.to_path_buf())
}

/// Directories that never hold a project's credentials and are always skipped.
const ALWAYS_SKIP_DIRS: [&str; 1] = [".git"];

/// Each work tree's rules, loaded once per walk however many files name it.
#[derive(Default)]
struct RulesCache(Mutex<HashMap<PathBuf, Option<Arc<GitRules>>>>);

impl RulesCache {
    fn for_path(&self, path: &Path) -> Option<Arc<GitRules>> {
        let top = work_tree_of(path)?;
        let mut map = self.0.lock().ok()?;
        map.entry(top.clone())
            .or_insert_with(|| GitRules::discover(&top).map(Arc::new))
            .clone()
    }
}

/// Walk `roots` in parallel and call `visit` on each file that should be read.
/// Ignored files are passed on only when their name marks them as credential files.
pub fn walk(
    roots: &[Root],
    opts: &WalkOptions,
    visit: &(dyn Fn(WalkedFile) + Sync),
) -> Result<Vec<WalkError>, crate::Error> {
    let include = build_globs(&opts.include)?;
    let exclude = build_globs(&opts.exclude)?;
    let errors = Mutex::new(Vec::new());
    let cwd = current_dir();
    let cache = RulesCache::default();
    for root in roots {
        let (canonical, shown_as, shallow, skip, asked) = match root {
            Root::Named(given) => {
                let canonical = given.canonicalize().map_err(|e| crate::Error::Io {
                    path: slashes(&clean(given)),
                    source: e,
                })?;
                if canonical.is_file() {
                    named_file(given, canonical, &cache, exclude.as_ref(), opts, visit);
                    continue;
                }
                (canonical, clean(given), false, &[][..], true)
            }
            Root::Context(c) => (
                c.dir.clone(),
                c.shown_as.clone(),
                c.shallow,
                &c.skip[..],
                false,
            ),
        };
        let rules = cache.for_path(&canonical);
        // A directory named although git ignores it (`credlint .venv`): the user asked
        // for it, so it is read as with `--no-ignore`.
        let no_ignore = opts.no_ignore
            || (asked
                && rules
                    .as_ref()
                    .is_some_and(|r| r.is_ignored(&canonical, true)));
        let shown = Shown::new(&canonical, &shown_as, &cwd, asked);
        let read = AtomicUsize::new(0);
        let ignored = AtomicUsize::new(0);
        let mut builder = WalkBuilder::new(&canonical);
        builder
            .hidden(false)
            .ignore(false)
            .git_ignore(false)
            .git_global(false)
            .git_exclude(false)
            .parents(false)
            .follow_links(false)
            .max_depth(shallow.then_some(2))
            .threads(opts.threads);
        let filter_rules = rules.clone();
        let skipped_dirs = Arc::new(AtomicUsize::new(0));
        let skipped_in_filter = Arc::clone(&skipped_dirs);
        builder.filter_entry(move |e| {
            let name = e.file_name();
            if ALWAYS_SKIP_DIRS.iter().any(|d| name == *d) {
                return false;
            }
            if shallow && e.depth() == 1 && e.file_type().is_some_and(|t| t.is_dir()) {
                return name == ".aws";
            }
            if no_ignore || !e.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            // Ignored directories are skipped, except `.aws` which holds credentials and
            // directories that hold tracked files.
            let enter = name == ".aws" || filter_rules.as_ref().is_none_or(|r| r.enters(e.path()));
            if !enter {
                skipped_in_filter.fetch_add(1, Ordering::Relaxed);
            }
            enter
        });
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        if asked && let Ok(mut v) = errors.lock() {
                            v.push(walk_error(&err, &canonical, &shown_as, &cwd));
                        }
                        return WalkState::Continue;
                    }
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let path = entry.path();
                if skip.iter().any(|s| s == path) {
                    return WalkState::Continue;
                }
                let rel = below(path, &canonical).unwrap_or(path);
                if include.as_ref().is_some_and(|g| !g.is_match(rel))
                    || exclude.as_ref().is_some_and(|g| g.is_match(rel))
                {
                    return WalkState::Continue;
                }
                let git = rules
                    .as_ref()
                    .map_or(GitStatus::NoRepo, |r| r.status(path, false));
                let name_kind = kind_by_name(path);
                let in_aws_dir = path
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == ".aws");
                if git == GitStatus::Ignored && !no_ignore && name_kind.is_none() && !in_aws_dir {
                    ignored.fetch_add(1, Ordering::Relaxed);
                    return WalkState::Continue;
                }
                read.fetch_add(1, Ordering::Relaxed);
                visit(WalkedFile {
                    path: path.to_path_buf(),
                    display: shown.show(path, rel),
                    git,
                    name_kind,
                    explicit: false,
                    asked,
                    in_tests: is_test_path(rel),
                });
                WalkState::Continue
            })
        });
        // A named directory that gave nothing because git ignores what is in it (a
        // virtualenv's own `.gitignore` holds `*`): say so rather than scan nothing.
        let skipped = ignored.into_inner() + skipped_dirs.load(Ordering::Relaxed);
        if asked && read.into_inner() == 0 && skipped > 0 {
            let what = if skipped == 1 { "entry" } else { "entries" };
            if let Ok(mut v) = errors.lock() {
                v.push(WalkError {
                    path: slashes(&shown_as),
                    message: format!(
                        "nothing read: git ignores all {skipped} {what} in it; use --no-ignore to read them"
                    ),
                    note: true,
                });
            }
        }
    }
    let mut errors = errors.into_inner().unwrap_or_default();
    errors.sort();
    errors.dedup();
    Ok(errors)
}

/// A file named on the command line: read as named (shown as typed), unless
/// `force_exclude` and an exclude pattern matches it, from the top of its work tree (or
/// its folder) or as typed.
fn named_file(
    given: &Path,
    canonical: PathBuf,
    cache: &RulesCache,
    exclude: Option<&globset::GlobSet>,
    opts: &WalkOptions,
    visit: &(dyn Fn(WalkedFile) + Sync),
) {
    let rules = cache.for_path(&canonical);
    if opts.force_exclude
        && let Some(g) = exclude
    {
        let base = rules
            .as_ref()
            .map(|r| r.root().to_path_buf())
            .or_else(|| canonical.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let rel = canonical.strip_prefix(&base).unwrap_or(&canonical);
        if g.is_match(rel) || g.is_match(clean(given)) {
            return;
        }
    }
    visit(WalkedFile {
        display: slashes(&clean(given)),
        git: rules
            .as_ref()
            .map_or(GitStatus::NoRepo, |r| r.status(&canonical, false)),
        name_kind: kind_by_name(&canonical),
        path: canonical,
        explicit: true,
        asked: true,
        in_tests: false,
    });
}

fn walk_error(err: &ignore::Error, canonical: &Path, root: &Path, cwd: &Path) -> WalkError {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    /// The innermost message, without the path that `WithPath` (and the I/O error inside
    /// it) would repeat.
    fn message_of(e: &ignore::Error) -> String {
        match e {
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => message_of(err),
            ignore::Error::Io(io) => io_message(io),
            other => other.to_string(),
        }
    }
    let path =
        path_of(err).map_or_else(|| slashes(root), |p| display_path(p, canonical, root, cwd));
    WalkError {
        path,
        message: message_of(err),
        note: false,
    }
}

/// An I/O error as the OS says it, without the "(os error 13)" suffix.
fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn current_dir() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    cwd.canonicalize().unwrap_or(cwd)
}

fn build_globs(globs: &[String]) -> Result<Option<globset::GlobSet>, crate::Error> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        // A bare name or pattern matches at any depth, as in .gitignore.
        let pattern = if g.contains('/') {
            g.clone()
        } else {
            format!("**/{g}")
        };
        for p in [
            pattern.clone(),
            format!("{}/**", pattern.trim_end_matches('/')),
        ] {
            let glob = globset::GlobBuilder::new(&p)
                .literal_separator(true)
                .build()
                .map_err(|e| crate::Error::Usage(format!("invalid glob `{g}`: {e}")))?;
            b.add(glob);
        }
    }
    b.build()
        .map(Some)
        .map_err(|e| crate::Error::Usage(format!("invalid globs: {e}")))
}
