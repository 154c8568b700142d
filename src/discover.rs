//! Discovery: the parallel, gitignore-aware walk, each file's git status, and the
//! classification of paths into [`FileKind`]s by name and, where names are ambiguous, by
//! content.
//!
//! credlint walks with git's ignore rules switched off in the walker and applies them
//! itself, because it must see the files git ignores that hold credentials (a local `.env`
//! is exactly what users want checked) while still skipping ignored directories such as
//! `node_modules/` or `target/` for speed.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

pub use crate::vocab::{FileKind, GitStatus};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// Classify a path by its name alone. `None` means the name does not decide.
#[must_use]
/// Whether a path is in a cache folder of the AWS CLI or an SDK: `.aws/cli/cache/`,
/// `.aws/sso/cache/`, `.aws/boto/cache/` or `.aws/login/cache/`.
fn in_aws_cache(path: &Path) -> bool {
    let mut up = path.ancestors().skip(1).filter_map(Path::file_name);
    let (Some(cache), Some(tool), Some(aws)) = (up.next(), up.next(), up.next()) else {
        return false;
    };
    cache == "cache"
        && matches!(tool.to_str(), Some("cli" | "sso" | "boto" | "login"))
        && dotfile_name(aws.to_str().unwrap_or("")) == ".aws"
}

pub fn kind_by_name(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|p| p.to_str())
        .unwrap_or("");
    let (name, parent) = (dotfile_name(name), dotfile_name(parent));
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match lower.as_str() {
        ".envrc" | ".bashrc" | ".bash_profile" | ".bash_login" | ".bash_logout"
        | ".bash_aliases" | ".zshrc" | ".zshenv" | ".zprofile" | ".zlogin" | ".profile"
        | ".kshrc" | "envrc" | "bashrc" | "bash_profile" | "bash_login" | "bash_aliases"
        | "zshrc" | "zshenv" | "zprofile" | "zlogin" | "kshrc" => {
            return Some(FileKind::Shell);
        }
        ".boto" | "boto.cfg" | "boto.config" => return Some(FileKind::Boto2),
        "credentials" if parent == ".aws" => return Some(FileKind::AwsCredentials),
        "config" if parent == ".aws" => return Some(FileKind::AwsConfig),
        _ => {}
    }
    if ext == "json" && in_aws_cache(path) {
        return Some(FileKind::AwsCache);
    }
    if lower == ".env" || lower.starts_with(".env.") || ext == "env" {
        return Some(FileKind::Dotenv);
    }
    if matches!(
        ext,
        "sh" | "bash" | "zsh" | "ksh" | "fish" | "nu" | "ps1" | "psm1"
    ) {
        return Some(FileKind::Shell);
    }
    let yaml = matches!(ext, "yml" | "yaml");
    let in_workflows = parent == "workflows"
        && path
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .is_some_and(|g| g == ".github");
    Some(match ext {
        "py" | "pyw" => FileKind::Python,
        "js" | "mjs" | "cjs" | "jsx" => FileKind::JavaScript,
        "ts" | "mts" | "cts" | "tsx" => FileKind::TypeScript,
        "go" => FileKind::Go,
        "java" => FileKind::Java,
        "ipynb" => FileKind::Notebook,
        "tf" => FileKind::Terraform,
        _ if yaml && in_workflows => FileKind::GithubWorkflow,
        _ if lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" => FileKind::GitlabCi,
        _ if yaml
            && (lower.starts_with("docker-compose")
                || lower.starts_with("compose.")
                || lower.starts_with("compose-")) =>
        {
            FileKind::Compose
        }
        _ if lower == "dockerfile"
            || lower == "containerfile"
            || lower.starts_with("dockerfile.")
            || ext == "dockerfile" =>
        {
            FileKind::Dockerfile
        }
        "json" => FileKind::Json,
        _ if yaml => FileKind::Yaml,
        _ => return None,
    })
}

/// A name as a dotfile manager stores it, turned back into the name it is installed as:
/// chezmoi's attribute prefixes (`private_`, `executable_`, `readonly_`, `encrypted_`,
/// `exact_`, `empty_`, `create_`, `modify_`), its `dot_` for a leading dot and its `.tmpl`
/// suffix (`private_dot_aws` is `.aws`, `private_config.tmpl` is `config`).
#[must_use]
pub fn dotfile_name(name: &str) -> std::borrow::Cow<'_, str> {
    const ATTRIBUTES: [&str; 8] = [
        "private_",
        "executable_",
        "readonly_",
        "encrypted_",
        "exact_",
        "empty_",
        "create_",
        "modify_",
    ];
    let mut n = name.strip_suffix(".tmpl").unwrap_or(name);
    while let Some(rest) = ATTRIBUTES.iter().find_map(|p| n.strip_prefix(p)) {
        n = rest;
    }
    match n.strip_prefix("dot_") {
        Some(rest) if !rest.is_empty() => std::borrow::Cow::Owned(format!(".{rest}")),
        _ if n.len() == name.len() => std::borrow::Cow::Borrowed(name),
        _ => std::borrow::Cow::Owned(n.to_owned()),
    }
}

/// Names that only content can decide: ini-like files that may be AWS or boto files.
fn ini_candidate_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e);
    match ext {
        None => true,
        Some(e) => {
            matches!(
                e,
                "ini" | "cfg" | "conf" | "config" | "credentials" | "txt" | "aws"
            ) || lower.starts_with('.')
        }
    }
}

/// Decide an ambiguous file's kind from its content: an ini file whose sections and keys
/// are AWS's. An ini file with `[profile x]` sections is a config file wherever it lives.
#[must_use]
pub fn kind_by_content(path: &Path, text: &str) -> Option<FileKind> {
    if let Some(kind) = template_kind(path, text) {
        return Some(kind);
    }
    // A dotfile manager's name (`private_credentials.tmpl`) is read as the installed one.
    let installed;
    let path = match path.file_name().and_then(|n| n.to_str()).map(dotfile_name) {
        Some(std::borrow::Cow::Owned(n)) => {
            installed = path.with_file_name(n);
            installed.as_path()
        }
        _ => path,
    };
    // `profile` kept without its dot: a shell start-up file when it exports variables.
    if path.file_name().is_some_and(|n| n == "profile")
        && text
            .lines()
            .any(|l| l.trim_start().starts_with("export ") || l.starts_with("AWS_"))
    {
        return Some(FileKind::Shell);
    }
    if !ini_candidate_name(path) || !looks_like_ini(text) {
        return None;
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let has_header = |pred: &dyn Fn(&str) -> bool| {
        text.lines()
            .map(str::trim)
            .any(|l| l.starts_with('[') && l.ends_with(']') && pred(&l[1..l.len() - 1]))
    };
    let has_key = |key: &str| {
        text.lines().any(|l| {
            let l = l.trim_start().to_ascii_lowercase();
            l.starts_with(key) && l[key.len()..].trim_start().starts_with(['=', ':'])
        })
    };
    let aws_keys = has_key("aws_access_key_id") || has_key("aws_secret_access_key");
    if aws_keys && (has_header(&|h| h == "Credentials") || name.contains("boto")) {
        return Some(FileKind::Boto2);
    }
    let profile_headers =
        has_header(&|h| h.starts_with("profile ") || h.starts_with("sso-session "));
    if name.contains("credential") && (aws_keys || profile_headers || has_key("role_arn")) {
        return Some(FileKind::AwsCredentials);
    }
    if profile_headers {
        return Some(FileKind::AwsConfig);
    }
    let config_keys =
        has_key("region") || has_key("role_arn") || has_key("sso_start_url") || has_key("output");
    if name.contains("config") && has_header(&|h| h == "default") && (config_keys || aws_keys) {
        return Some(FileKind::AwsConfig);
    }
    aws_keys.then_some(FileKind::AwsCredentials)
}

/// `CloudFormation` templates named `*.template` or `*.cfn`: JSON or YAML by their first
/// character.
fn template_kind(path: &Path, text: &str) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if ext != "template" && ext != "cfn" {
        return None;
    }
    let body = text.trim_start_matches('\u{feff}').trim_start();
    Some(if body.starts_with('{') {
        FileKind::Json
    } else {
        FileKind::Yaml
    })
}

fn looks_like_ini(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
        .is_some_and(|l| l.starts_with('[') && l.contains(']'))
}

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
    fn enters(&self, dir: &Path) -> bool {
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

/// Directory names under which projects keep their tests and test data, across
/// ecosystems: `test`/`tests` (Python, Java, Rust, most), `testdata` (Go), `__tests__`
/// (Jest), `spec` (`RSpec`, Jasmine).
const TEST_DIRS: [&str; 6] = ["test", "tests", "testdata", "__tests__", "spec", "specs"];

/// Whether a path relative to the named directory is test code: a folder of [`TEST_DIRS`]
/// on the way, or a file named as test runners find tests (`test_*.py`, `*_test.py`,
/// `*_test.go`, `*.test.js`/`.ts`, `*.spec.js`/`.ts` and their `x` forms, `*_spec.rb`,
/// `conftest.py`). Only the part below the named directory counts, so `credlint tests/`
/// reads what is directly in it as the user's own subject, not as test code.
#[must_use]
pub fn is_test_path(rel: &Path) -> bool {
    // Called for every file of the walk: no allocation.
    let mut parts = rel.components().filter_map(|c| match c {
        std::path::Component::Normal(n) => Some(n),
        _ => None,
    });
    let Some(mut name) = parts.next() else {
        return false;
    };
    for next in parts {
        let dir = name.to_string_lossy();
        if TEST_DIRS.iter().any(|t| dir.eq_ignore_ascii_case(t)) {
            return true;
        }
        name = next;
    }
    let name = name.to_string_lossy();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    // On bytes: a name need not be ASCII, and a suffix may not start on a char boundary.
    let ends = |s: &str, suffix: &str| {
        s.len() >= suffix.len()
            && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let starts = |s: &str, prefix: &str| {
        s.len() >= prefix.len()
            && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    match ext.to_ascii_lowercase().as_str() {
        "py" => {
            starts(stem, "test_") || ends(stem, "_test") || stem.eq_ignore_ascii_case("conftest")
        }
        "go" => ends(stem, "_test"),
        "rb" => ends(stem, "_spec") || ends(stem, "_test"),
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" => ends(stem, ".test") || ends(stem, ".spec"),
        _ => false,
    }
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

/// The top of the git work tree holding `path` (canonical), if any.
#[must_use]
pub fn work_tree_of(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
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

/// A path without `.` components or a trailing slash; `..` kept (the user's spelling).
#[must_use]
pub fn clean(path: &Path) -> PathBuf {
    let cleaned: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() && !path.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

fn slashes(p: &Path) -> String {
    let s = p.to_string_lossy();
    let s = if s.contains('\\') {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    if s.is_empty() { ".".into() } else { s }
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
        let shown = |p: &Path| {
            if asked {
                display_path(p, &canonical, &shown_as, &cwd)
            } else {
                slashes(&clean(
                    &shown_as.join(p.strip_prefix(&canonical).unwrap_or(p)),
                ))
            }
        };
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
                let rel = path.strip_prefix(&canonical).unwrap_or(path);
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
                    display: shown(path),
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

/// How the walk will show a path named on the command line.
#[must_use]
pub fn display_for(path: &Path) -> String {
    slashes(&clean(path))
}

/// Show a path under a named directory as the user would write it: under the directory as
/// given when that is absolute; else relative to the working directory when it is under it,
/// else under the directory as given. Always with forward slashes, never a trailing one.
fn display_path(path: &Path, canonical_root: &Path, root_as_given: &Path, cwd: &Path) -> String {
    let under_cwd = path
        .strip_prefix(cwd)
        .ok()
        .filter(|_| !root_as_given.is_absolute());
    let shown = if let Some(rel) = under_cwd {
        // The walk's paths are the canonical root joined with names: nothing to clean.
        return slashes(rel);
    } else if let Ok(rel) = path.strip_prefix(canonical_root) {
        if rel.as_os_str().is_empty() {
            root_as_given.to_path_buf()
        } else {
            root_as_given.join(rel)
        }
    } else {
        path.to_path_buf()
    };
    slashes(&clean(&shown))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths() {
        for (p, t) in [
            ("tests/a.py", true),
            ("src/Tests/x/conf.env", true),
            ("pkg/__tests__/a.ts", true),
            ("src/test_api.py", true),
            ("src/api_TEST.py", true),
            ("conftest.py", true),
            ("x/handler_test.go", true),
            ("web/app.spec.tsx", true),
            ("web/app.test.mjs", true),
            ("lib/user_spec.rb", true),
            ("src/latest.py", false),
            ("src/contest.py", false),
            ("tests", false),
            ("é/naïve_tést.py", false),
            ("src/testing/app.py", false),
            (".env", false),
        ] {
            assert_eq!(is_test_path(Path::new(p)), t, "{p}");
        }
    }

    #[test]
    fn names_decide_the_clear_cases() {
        let k = |p: &str| kind_by_name(Path::new(p));
        assert_eq!(k("a/.env"), Some(FileKind::Dotenv));
        assert_eq!(k("a/.env.production"), Some(FileKind::Dotenv));
        assert_eq!(k("a/prod.env"), Some(FileKind::Dotenv));
        assert_eq!(k(".envrc"), Some(FileKind::Shell));
        assert_eq!(k("deploy.sh"), Some(FileKind::Shell));
        assert_eq!(k("home/.aws/credentials"), Some(FileKind::AwsCredentials));
        assert_eq!(k("home/.aws/config"), Some(FileKind::AwsConfig));
        assert_eq!(k("home/.aws/cli/cache/3f0c.json"), Some(FileKind::AwsCache));
        assert_eq!(k("h/.aws/sso/cache/a.json"), Some(FileKind::AwsCache));
        assert_eq!(
            k("home/private_dot_aws/boto/cache/a.json"),
            Some(FileKind::AwsCache)
        );
        assert_ne!(k("app/cli/cache/a.json"), Some(FileKind::AwsCache));
        assert_ne!(k("home/.aws/cli/cache/notes.txt"), Some(FileKind::AwsCache));
        assert_eq!(k(".boto"), Some(FileKind::Boto2));
        assert_eq!(k("x/config"), None);
        assert_eq!(k("main.py"), Some(FileKind::Python));
        assert_eq!(k("web/app.tsx"), Some(FileKind::TypeScript));
        assert_eq!(
            k(".github/workflows/deploy.yml"),
            Some(FileKind::GithubWorkflow)
        );
        assert_eq!(k("ci/workflows/deploy.yml"), Some(FileKind::Yaml));
        assert_eq!(k(".gitlab-ci.yml"), Some(FileKind::GitlabCi));
        assert_eq!(k("docker-compose.prod.yaml"), Some(FileKind::Compose));
        assert_eq!(k("Dockerfile.dev"), Some(FileKind::Dockerfile));
        assert_eq!(k("notes.ipynb"), Some(FileKind::Notebook));
        assert_eq!(k("README.md"), None);
    }

    #[test]
    fn content_decides_ambiguous_names() {
        let k = |p: &str, t: &str| kind_by_content(Path::new(p), t);
        assert_eq!(
            k("ci/aws.conf", "[profile dev]\nregion = x\n"),
            Some(FileKind::AwsConfig)
        );
        assert_eq!(
            k("credentials", "[profile dev]\naws_access_key_id = x\n"),
            Some(FileKind::AwsCredentials)
        );
        assert_eq!(
            k("deploy/keys.ini", "[prod]\naws_access_key_id = x\n"),
            Some(FileKind::AwsCredentials)
        );
        assert_eq!(
            k("x.cfg", "[Credentials]\naws_access_key_id = x\n"),
            Some(FileKind::Boto2)
        );
        assert_eq!(k("setup.cfg", "[metadata]\nname = x\n"), None);
        assert_eq!(k("main.rs", "[profile dev]\n"), None);
    }

    #[test]
    fn dotfile_manager_names() {
        assert_eq!(dotfile_name("private_dot_aws"), ".aws");
        assert_eq!(dotfile_name("private_config.tmpl"), "config");
        assert_eq!(dotfile_name("dot_zshrc"), ".zshrc");
        assert_eq!(dotfile_name("executable_dot_profile.tmpl"), ".profile");
        assert_eq!(dotfile_name("dot_"), "dot_");
        assert_eq!(dotfile_name("config"), "config");
        let k = |p: &str| kind_by_name(Path::new(p));
        assert_eq!(
            k("private_dot_aws/private_config.tmpl"),
            Some(FileKind::AwsConfig)
        );
        assert_eq!(k("dot_aws/credentials"), Some(FileKind::AwsCredentials));
        assert_eq!(k("zsh/zshrc"), Some(FileKind::Shell));
        assert_eq!(k("dot_bashrc.tmpl"), Some(FileKind::Shell));
        assert_eq!(k("fish/config.fish"), Some(FileKind::Shell));
        assert_eq!(k("Microsoft.PowerShell_profile.ps1"), Some(FileKind::Shell));
        assert_eq!(k("app/config"), None);
        let c = |p: &str, t: &str| kind_by_content(Path::new(p), t);
        assert_eq!(
            c("profile", "export AWS_PROFILE=dev\n"),
            Some(FileKind::Shell)
        );
        assert_eq!(
            c("aws/private_config.tmpl", "[profile a]\nregion = x\n"),
            Some(FileKind::AwsConfig)
        );
        assert_eq!(c("app/config", "[core]\nbare = false\n"), None);
    }
}
