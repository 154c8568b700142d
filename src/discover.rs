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
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// What a file is, for credlint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Dotenv,
    Shell,
    AwsCredentials,
    AwsConfig,
    Boto2,
    Python,
    // Named as users write them (and as `as_str` does), not `java-script`.
    #[serde(rename = "javascript")]
    JavaScript,
    #[serde(rename = "typescript")]
    TypeScript,
    Go,
    Java,
    Notebook,
    GithubWorkflow,
    GitlabCi,
    Dockerfile,
    Compose,
    Terraform,
    /// JSON: IAM policy documents, `CloudFormation` templates, CLI input; read for trust
    /// policies and loose credential pairs.
    Json,
    /// YAML that is not a CI workflow or compose file (`CloudFormation`, SAM, …).
    Yaml,
    Other,
}

impl FileKind {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Dotenv => "dotenv",
            Self::Shell => "shell",
            Self::AwsCredentials => "aws-credentials",
            Self::AwsConfig => "aws-config",
            Self::Boto2 => "boto2",
            Self::Python => "python",
            Self::JavaScript => "javascript",
            Self::TypeScript => "typescript",
            Self::Go => "go",
            Self::Java => "java",
            Self::Notebook => "notebook",
            Self::GithubWorkflow => "github-workflow",
            Self::GitlabCi => "gitlab-ci",
            Self::Dockerfile => "dockerfile",
            Self::Compose => "compose",
            Self::Terraform => "terraform",
            Self::Json => "json",
            Self::Yaml => "yaml",
            Self::Other => "other",
        }
    }

    /// Credential files, CI workflows and container files: read and parsed whatever their
    /// content (and even when git ignores them). Source code is parsed only when the
    /// prefilter finds AWS credential tokens in it.
    #[must_use]
    pub const fn is_credential_kind(self) -> bool {
        !matches!(
            self,
            Self::Other
                | Self::Json
                | Self::Yaml
                | Self::Python
                | Self::JavaScript
                | Self::TypeScript
                | Self::Go
                | Self::Java
                | Self::Notebook
        )
    }

    /// Source code kinds, parsed with tree-sitter.
    #[must_use]
    pub const fn is_code(self) -> bool {
        matches!(
            self,
            Self::Python
                | Self::JavaScript
                | Self::TypeScript
                | Self::Go
                | Self::Java
                | Self::Notebook
        )
    }

    #[must_use]
    pub const fn is_ini(self) -> bool {
        matches!(self, Self::AwsCredentials | Self::AwsConfig | Self::Boto2)
    }
}

/// Whether git would commit a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GitStatus {
    /// Inside a git work tree and not ignored: `git add` would stage it.
    Committable,
    /// Matched by `.gitignore`, `.ignore`, `.git/info/exclude` or the global excludes file.
    Ignored,
    /// Not inside a git work tree.
    NoRepo,
}

/// Classify a path by its name alone. `None` means the name does not decide.
#[must_use]
pub fn kind_by_name(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|p| p.to_str())
        .unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match lower.as_str() {
        ".envrc" | ".bashrc" | ".bash_profile" | ".bash_login" | ".zshrc" | ".zshenv"
        | ".zprofile" | ".profile" | ".kshrc" => return Some(FileKind::Shell),
        ".boto" | "boto.cfg" | "boto.config" => return Some(FileKind::Boto2),
        "credentials" if parent == ".aws" => return Some(FileKind::AwsCredentials),
        "config" if parent == ".aws" => return Some(FileKind::AwsConfig),
        _ => {}
    }
    if lower == ".env" || lower.starts_with(".env.") || ext == "env" {
        return Some(FileKind::Dotenv);
    }
    if matches!(ext, "sh" | "bash" | "zsh" | "ksh") {
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

/// Git's ignore rules for one work tree, loaded lazily per directory and shared by the
/// walker's threads.
pub struct GitRules {
    root: PathBuf,
    exclude: Gitignore,
    global: Gitignore,
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
        let mut b = GitignoreBuilder::new(&root);
        b.add(root.join(".git/info/exclude"));
        let exclude = b.build().unwrap_or_else(|_| Gitignore::empty());
        let (global, _) = Gitignore::global();
        Some(Self {
            root,
            exclude,
            global,
            per_dir: RwLock::default(),
            dir_ignored: RwLock::default(),
        })
    }

    fn matcher(&self, dir: &Path) -> Arc<Gitignore> {
        if let Some(m) = self.per_dir.read().ok().and_then(|m| m.get(dir).cloned()) {
            return m;
        }
        let mut b = GitignoreBuilder::new(dir);
        for name in [".gitignore", ".ignore"] {
            let p = dir.join(name);
            if p.is_file() {
                b.add(p);
            }
        }
        let m = Arc::new(b.build().unwrap_or_else(|_| Gitignore::empty()));
        if let Ok(mut w) = self.per_dir.write() {
            w.insert(dir.to_path_buf(), Arc::clone(&m));
        }
        m
    }

    /// Whether git ignores `path` (absolute, under the work tree).
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
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
        let v = self.is_ignored(dir, true);
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
        if self.is_ignored(path, is_dir) {
            GitStatus::Ignored
        } else {
            GitStatus::Committable
        }
    }
}

/// What the walk hands to the scanner.
#[derive(Clone, Debug)]
pub struct WalkedFile {
    pub path: PathBuf,
    pub display: String,
    pub git: GitStatus,
    pub name_kind: Option<FileKind>,
    /// Named on the command line: read even when ignored or excluded.
    pub explicit: bool,
}

/// A directory entry the walk could not use.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    pub no_ignore: bool,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub threads: usize,
}

/// Directories that never hold a project's credentials and are always skipped.
const ALWAYS_SKIP_DIRS: [&str; 1] = [".git"];

/// Walk `roots` in parallel and call `visit` on each file that should be read.
/// Ignored files are passed on only when their name marks them as credential files.
pub fn walk(
    roots: &[PathBuf],
    opts: &WalkOptions,
    visit: &(dyn Fn(WalkedFile) + Sync),
) -> Result<Vec<WalkError>, crate::Error> {
    let include = build_globs(&opts.include)?;
    let exclude = build_globs(&opts.exclude)?;
    let errors = Mutex::new(Vec::new());
    let cwd = current_dir();
    for root in roots {
        let canonical = root.canonicalize().map_err(|e| crate::Error::Io {
            path: root.display().to_string(),
            source: e,
        })?;
        let rules = GitRules::discover(&canonical).map(Arc::new);
        let shown = |p: &Path| display_path(p, &canonical, root, &cwd);
        if canonical.is_file() {
            visit(WalkedFile {
                display: shown(&canonical),
                git: rules
                    .as_ref()
                    .map_or(GitStatus::NoRepo, |r| r.status(&canonical, false)),
                name_kind: kind_by_name(&canonical),
                path: canonical,
                explicit: true,
            });
            continue;
        }
        let mut builder = WalkBuilder::new(&canonical);
        builder
            .hidden(false)
            .ignore(false)
            .git_ignore(false)
            .git_global(false)
            .git_exclude(false)
            .parents(false)
            .follow_links(false)
            .threads(opts.threads);
        let filter_rules = rules.clone();
        let no_ignore = opts.no_ignore;
        builder.filter_entry(move |e| {
            let name = e.file_name();
            if ALWAYS_SKIP_DIRS.iter().any(|d| name == *d) {
                return false;
            }
            if no_ignore || !e.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            // Ignored directories are skipped, except `.aws` which holds credentials.
            name == ".aws"
                || !filter_rules
                    .as_ref()
                    .is_some_and(|r| r.is_ignored(e.path(), true))
        });
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        if let Ok(mut v) = errors.lock() {
                            v.push(walk_error(&err, &canonical, root, &cwd));
                        }
                        return WalkState::Continue;
                    }
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let path = entry.path();
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
                if git == GitStatus::Ignored
                    && !opts.no_ignore
                    && name_kind.is_none()
                    && !in_aws_dir
                {
                    return WalkState::Continue;
                }
                visit(WalkedFile {
                    path: path.to_path_buf(),
                    display: shown(path),
                    git,
                    name_kind,
                    explicit: false,
                });
                WalkState::Continue
            })
        });
    }
    let mut errors = errors.into_inner().unwrap_or_default();
    errors.sort();
    errors.dedup();
    Ok(errors)
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
    let path = path_of(err).map_or_else(
        || root.display().to_string(),
        |p| display_path(p, canonical, root, cwd),
    );
    let message = match err {
        ignore::Error::WithPath { err, .. } => err.to_string(),
        other => other.to_string(),
    };
    WalkError { path, message }
}

fn current_dir() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    cwd.canonicalize().unwrap_or(cwd)
}

/// How the walk will show a path named on the command line.
#[must_use]
pub fn display_for(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    display_path(&canonical, &canonical, path, &current_dir())
}

/// Show a path as the user would write it: relative to the working directory when it is
/// under it, else under the root as given. Always with forward slashes.
fn display_path(path: &Path, canonical_root: &Path, root_as_given: &Path, cwd: &Path) -> String {
    let shown = if let Ok(rel) = path.strip_prefix(cwd) {
        rel.to_path_buf()
    } else if let Ok(rel) = path.strip_prefix(canonical_root) {
        root_as_given.join(rel)
    } else {
        path.to_path_buf()
    };
    let s = shown.to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".into() } else { s }
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
    fn names_decide_the_clear_cases() {
        let k = |p: &str| kind_by_name(Path::new(p));
        assert_eq!(k("a/.env"), Some(FileKind::Dotenv));
        assert_eq!(k("a/.env.production"), Some(FileKind::Dotenv));
        assert_eq!(k("a/prod.env"), Some(FileKind::Dotenv));
        assert_eq!(k(".envrc"), Some(FileKind::Shell));
        assert_eq!(k("deploy.sh"), Some(FileKind::Shell));
        assert_eq!(k("home/.aws/credentials"), Some(FileKind::AwsCredentials));
        assert_eq!(k("home/.aws/config"), Some(FileKind::AwsConfig));
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
}
