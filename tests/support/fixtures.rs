//! Shared by the tests that run credlint over the fixture trees: which trees there are, the
//! secrets planted in them, and copying one into a scratch folder.

#![allow(dead_code, reason = "each test crate uses its own part")]

use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `fixtures/demo`, then every `flagged/` and `clean/` tree under each of `bases` (folders
/// relative to the crate root), sorted.
#[must_use]
pub fn fixture_trees(bases: &[&str]) -> Vec<PathBuf> {
    let mut out = vec![Path::new(ROOT).join("fixtures/demo")];
    for base in bases {
        let mut dirs: Vec<PathBuf> = fs::read_dir(Path::new(ROOT).join(base))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            out.extend(
                ["flagged", "clean"]
                    .map(|k| d.join(k))
                    .into_iter()
                    .filter(|p| p.is_dir()),
            );
        }
    }
    out
}

/// Every full key id and 40-character secret-like word in a tree (AWS's documented
/// example keys excepted).
pub fn secrets_in(dir: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            secrets_in(&p, out);
            continue;
        }
        let text = String::from_utf8_lossy(&fs::read(&p).unwrap_or_default()).into_owned();
        for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '+')) {
            let key_id = w.len() == 20
                && ["AKIA", "ASIA", "ABIA", "ACCA"]
                    .iter()
                    .any(|p| w.starts_with(p));
            let secret = w.len() == 40
                && w.chars().any(|c| c.is_ascii_digit())
                && w.chars().any(|c| c.is_ascii_lowercase());
            if (key_id && !w.ends_with("EXAMPLE")) || (secret && !w.ends_with("EXAMPLEKEY")) {
                out.push(w.to_owned());
            }
        }
        // Bedrock API keys: the 24 characters before the last four (which are shown) must
        // never be; the start of a short-term key is the same for every key (the base64
        // of `bedrock.amazonaws.com/?Action=…`), so it says nothing.
        for prefix in ["ABSK", "bedrock-api-key-"] {
            for (at, _) in text.match_indices(prefix) {
                let body = &text[at + prefix.len()..];
                let len = body
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/'))
                    .count();
                if len >= 60 {
                    out.push(body[len - 28..len - 4].to_owned());
                }
            }
        }
    }
}

/// Copies a fixture tree as a repository would hold it: `gitignore` becomes `.gitignore` at
/// any depth (a fixture's own ignore rules must not hide it inside credlint's repository),
/// and `expected.txt` (the test's answer) is left out. A `modes.txt` (at any depth; lines
/// `0644 path/relative/to/its/folder`, `#` comments) sets those files' permission bits after
/// the copy, since git keeps only the executable bit; it is not copied itself.
///
/// # Panics
/// On any I/O error, or a `modes.txt` line that is not `OCTAL PATH`.
pub fn copy_fixture_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir").flatten() {
        let name = e.file_name();
        let src = e.path();
        if src.is_dir() {
            copy_fixture_tree(&src, &to.join(&name));
        } else if name == "gitignore" {
            fs::copy(&src, to.join(".gitignore")).expect("copy");
        } else if name != "expected.txt" && name != "modes.txt" {
            fs::copy(&src, to.join(&name)).expect("copy");
        }
    }
    if let Ok(text) = fs::read_to_string(from.join("modes.txt")) {
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (mode, path) = line
                .split_once(' ')
                .and_then(|(m, p)| Some((u32::from_str_radix(m, 8).ok()?, p.trim())))
                .unwrap_or_else(|| panic!("{}: bad modes.txt line `{line}`", from.display()));
            set_mode(&to.join(path), mode);
        }
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}
