//! How paths are shown (as the user spelt them, forward slashes) and which paths are test
//! code.

use std::path::{Path, PathBuf};

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

pub(super) fn slashes(p: &Path) -> String {
    let s = p.to_string_lossy();
    let s = if s.contains('\\') {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    if s.is_empty() { ".".into() } else { s }
}

/// How the walk will show a path named on the command line.
#[must_use]
pub fn display_for(path: &Path) -> String {
    slashes(&clean(path))
}

/// Show a path under a named directory as the user would write it: under the directory as
/// given when that is absolute; else relative to the working directory when it is under it,
/// else under the directory as given. Always with forward slashes, never a trailing one.
pub(super) fn display_path(
    path: &Path,
    canonical_root: &Path,
    root_as_given: &Path,
    cwd: &Path,
) -> String {
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

/// `path` below `root`, for the walk's paths (the root joined with plain names): on Unix
/// a comparison of bytes, which `Path::strip_prefix` (a parse of every component of both
/// paths) is not; called for every file of the walk.
#[must_use]
pub(super) fn below<'a>(path: &'a Path, root: &Path) -> Option<&'a Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (p, r) = (path.as_os_str().as_bytes(), root.as_os_str().as_bytes());
        let rest = p.strip_prefix(r)?;
        let rest = if r.ends_with(b"/") || rest.is_empty() {
            rest
        } else {
            rest.strip_prefix(b"/")?
        };
        Some(Path::new(std::ffi::OsStr::from_bytes(rest)))
    }
    #[cfg(not(unix))]
    {
        path.strip_prefix(root).ok()
    }
}

/// How the walk shows the files below one directory: [`display_path`]'s answer with the
/// directory's part worked out once, so that each file costs one string. Files whose
/// display depends on where the working directory sits inside the named directory
/// (`credlint ..`) take [`display_path`] itself.
pub(super) struct Shown {
    canonical: PathBuf,
    as_given: PathBuf,
    cwd: PathBuf,
    /// The shown form of the directory itself ("" for the working directory); `None` when
    /// files are shown per file.
    prefix: Option<String>,
}

impl Shown {
    /// `asked`: the directory was named (shown as [`display_path`] does); else it is read
    /// for context and shown under `as_given` plainly.
    pub(super) fn new(canonical: &Path, as_given: &Path, cwd: &Path, asked: bool) -> Self {
        let plain = || {
            let p = slashes(&clean(as_given));
            if p == "." { String::new() } else { p }
        };
        let prefix = if !asked || as_given.is_absolute() {
            Some(plain())
        } else if let Some(rel) = below(canonical, cwd) {
            Some(if rel.as_os_str().is_empty() {
                String::new()
            } else {
                slashes(rel)
            })
        } else if below(cwd, canonical).is_some() {
            None
        } else {
            Some(plain())
        };
        Self {
            canonical: canonical.to_path_buf(),
            as_given: as_given.to_path_buf(),
            cwd: cwd.to_path_buf(),
            prefix,
        }
    }

    /// How to show `path`, which is `rel` below the directory.
    pub(super) fn show(&self, path: &Path, rel: &Path) -> String {
        let Some(prefix) = &self.prefix else {
            return display_path(path, &self.canonical, &self.as_given, &self.cwd);
        };
        // `slashes` gives "." for an empty path: the directory itself.
        let rel = slashes(rel);
        if prefix.is_empty() {
            return rel;
        }
        if rel == "." {
            return prefix.clone();
        }
        let sep = if prefix.ends_with('/') { "" } else { "/" };
        format!("{prefix}{sep}{rel}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-directory shortcut shows every file as `display_path` (named directories) or
    /// the plain join (context directories) would.
    #[test]
    fn shown_agrees_with_display_path() {
        let cwd = Path::new("/w/repo");
        let cases = [
            ("/w/repo", "."),
            ("/w/repo", "./"),
            ("/w/repo/src", "src/"),
            ("/w/repo/src", "./src/./"),
            ("/w/repo/src", "/w/repo/src"),
            ("/w/other", "../other"),
            ("/w", ".."),
            ("/w", "../"),
            ("/", "/"),
            ("/", "../.."),
            ("/x/y", "link"),
        ];
        let rels = ["a", "a/b.py", "sub dir/x\\y.env", "é/.aws/config"];
        for (canonical, given) in cases {
            let (canonical, given) = (Path::new(canonical), Path::new(given));
            for rel in rels {
                let path = canonical.join(rel);
                let got = below(&path, canonical).expect("below its root");
                assert_eq!(got, Path::new(rel), "{path:?} below {canonical:?}");
                let named = Shown::new(canonical, given, cwd, true).show(&path, got);
                assert_eq!(
                    named,
                    display_path(&path, canonical, given, cwd),
                    "{given:?} {rel}"
                );
                let context = Shown::new(canonical, given, cwd, false).show(&path, got);
                assert_eq!(
                    context,
                    slashes(&clean(&given.join(rel))),
                    "{given:?} {rel}"
                );
            }
        }
        assert!(below(Path::new("/w/repository/a"), Path::new("/w/repo")).is_none());
        assert!(below(Path::new("/w/a"), Path::new("/w/repo")).is_none());
    }

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
}
