//! Suggested fixes for the mistakes that have one right answer: byte-exact edits that a
//! rule proposes on its finding, completed here against the files on disk (the nearest
//! `.gitignore`), shown in every output, printed as a unified diff, and written only by
//! `credlint fix` / `--fix`.
//!
//! An edit carries the text it replaces; it is applied only if the file still holds
//! exactly that text there, so a stale scan never corrupts a file, and applying the same
//! fixes twice changes nothing the second time (the finding, and with it the fix, is gone).

mod edit;

pub use edit::{Edit, Fix, editable, section_rename_blocker};

use crate::Error;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::source::{Encoding, SourceFile, Span};
use edit::Pending;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Complete the fixes that depend on other files than the finding's (the `.gitignore`).
/// A fix that cannot be completed is dropped.
pub fn complete(findings: &mut [Finding]) {
    // Each work tree's ignore rules and index are read once, not once per finding.
    let mut rules: BTreeMap<PathBuf, Option<crate::discover::GitRules>> = BTreeMap::new();
    for f in findings.iter_mut() {
        let Some(fix) = &mut f.fix else { continue };
        let Some(Pending::Ignore { tracked }) = fix.pending.take() else {
            continue;
        };
        match ignore_fix(&f.location.path, tracked, &mut rules) {
            Some(done) => *fix = done,
            None => f.fix = None,
        }
    }
}

/// Append `/<path>` to the nearest `.gitignore` between the file's folder and the top of
/// its work tree (creating one at the top if there is none); when git tracks the file,
/// also `git rm --cached` it, by hand.
fn ignore_fix(
    path: &str,
    tracked: bool,
    rules: &mut BTreeMap<PathBuf, Option<crate::discover::GitRules>>,
) -> Option<Fix> {
    let file = Path::new(path);
    let canonical = file.canonicalize().ok()?;
    let top = crate::discover::work_tree_of(&canonical)?;
    let existing = canonical
        .ancestors()
        .skip(1)
        .take_while(|d| d.starts_with(&top))
        .map(|d| d.join(".gitignore"))
        .find(|g| g.is_file());
    let gitignore = existing.clone().unwrap_or_else(|| top.join(".gitignore"));
    let dir = gitignore.parent()?;
    let rel = canonical.strip_prefix(dir).ok()?;
    let entry = format!(
        "/{}",
        escape_gitignore(&rel.to_string_lossy().replace('\\', "/"))
    );
    let shown = shown_like(path, &gitignore);
    let mut commands = Vec::new();
    if tracked {
        commands.push(format!("git rm --cached -- {}", shell_quote(path)));
    }
    let already = rules
        .entry(top.clone())
        .or_insert_with(|| crate::discover::GitRules::discover(&canonical))
        .as_ref()
        .is_some_and(|r| r.ignore_rules_match(&canonical, false));
    let mut edits = Vec::new();
    if !already {
        let text = match &existing {
            Some(g) => std::fs::read_to_string(g).ok()?,
            None => String::new(),
        };
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let sep = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            eol
        };
        let source = SourceFile::new(shown.clone(), text, Encoding::Utf8);
        let end = source.text.len();
        let at = source.position(end);
        edits.push(Edit {
            path: shown.clone(),
            span: Span::new(end, end),
            start: at,
            end: at,
            original: String::new(),
            replacement: format!("{sep}{entry}{eol}"),
            creates_file: existing.is_none(),
        });
    }
    if edits.is_empty() && commands.is_empty() {
        return None;
    }
    let description = match (edits.is_empty(), tracked) {
        (false, false) => format!("add `{entry}` to {shown}; then rotate the keys the file held"),
        (false, true) => format!(
            "add `{entry}` to {shown} and untrack the file with `git rm --cached` (run it yourself); then rotate the keys, which stay in git's history"
        ),
        (true, _) => "untrack the file with `git rm --cached` (run it yourself; it is already ignored); then rotate the keys, which stay in git's history".to_owned(),
    };
    Some(Fix {
        description,
        edits,
        commands,
        pending: None,
    })
}

/// `target` spelt like `path` is: relative to the working directory when `path` is
/// relative, else absolute.
fn shown_like(path: &str, target: &Path) -> String {
    let shown = if Path::new(path).is_absolute() {
        target.to_path_buf()
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| cwd.canonicalize().ok())
            .and_then(|cwd| pathdiff::diff_paths(target, cwd))
            .unwrap_or_else(|| target.to_path_buf())
    };
    shown.to_string_lossy().replace('\\', "/")
}

/// A path as a `.gitignore` pattern that matches it literally.
fn escape_gitignore(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, c) in path.chars().enumerate() {
        if matches!(c, '*' | '?' | '[' | '\\') || (i == 0 && matches!(c, '#' | '!')) {
            out.push('\\');
        }
        out.push(c);
    }
    if out.ends_with(' ') {
        out.insert(out.len() - 1, '\\');
    }
    out
}

/// Quote a path for a POSIX shell when it needs it.
fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ','))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The files a set of fixes changes: for each, its text today (empty if it is created)
/// and after the edits.
#[derive(Debug)]
pub struct Change {
    pub path: String,
    pub before: String,
    pub after: String,
    /// `before` and `after` with every secret masked, for the diff: a fix never touches a
    /// secret, but the lines around it may hold one.
    shown_before: String,
    shown_after: String,
    pub created: bool,
    /// How many findings' fixes it carries.
    pub fixes: usize,
}

/// Plan the changes for every finding that has a fix with edits. An edit whose file no
/// longer holds what the scan saw, or that overlaps another edit, is refused with a
/// message; the other edits of that file still apply.
pub fn plan(findings: &[Finding], ws: &Workspace) -> (Vec<Change>, Vec<String>) {
    let mut by_file: BTreeMap<String, Vec<&Edit>> = BTreeMap::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        for e in &fix.edits {
            by_file.entry(e.path.clone()).or_default().push(e);
        }
        for path in fix
            .edits
            .iter()
            .map(|e| &e.path)
            .collect::<std::collections::BTreeSet<_>>()
        {
            *counts.entry(path.clone()).or_default() += 1;
        }
    }
    let mut changes = Vec::new();
    let mut refused = Vec::new();
    for (path, mut edits) in by_file {
        let created = edits.iter().all(|e| e.creates_file);
        let before = if created && !Path::new(&path).exists() {
            String::new()
        } else if let Ok(Ok(t)) = std::fs::read(&path).map(String::from_utf8) {
            t
        } else {
            refused.push(format!("{path}: not fixed: cannot read it as UTF-8 text"));
            continue;
        };
        // What the scan saw, masked; lengths are kept, so the edits' spans fit it too.
        let shown_before = ws
            .files
            .binary_search_by(|f| f.source.path.as_str().cmp(&path))
            .ok()
            .map(|i| ws.redacted_text(i))
            .filter(|t| t.len() == before.len())
            .unwrap_or_else(|| crate::keys::redact_text(&before));
        // Identical edits (one `.gitignore` line proposed by two findings) apply once.
        edits.sort_by_key(|e| (e.span.start, e.span.end, e.replacement.clone()));
        edits.dedup_by(|a, b| a.span == b.span && a.replacement == b.replacement);
        let mut accepted = Vec::new();
        let mut at = 0;
        for e in edits {
            if e.span.start >= at
                && before.get(e.span.start..e.span.end) == Some(e.original.as_str())
            {
                at = e.span.end;
                accepted.push(e);
            } else {
                refused.push(format!(
                    "{path}:{}: not fixed: the file changed since it was scanned, or two fixes overlap",
                    e.start
                ));
            }
        }
        let after = splice(&before, &accepted);
        if after != before {
            changes.push(Change {
                fixes: counts.get(&path).copied().unwrap_or(0),
                shown_after: splice(&shown_before, &accepted),
                shown_before,
                path,
                before,
                after,
                created,
            });
        }
    }
    (changes, refused)
}

/// `text` with `edits` (sorted, not overlapping, inside it) applied.
fn splice(text: &str, edits: &[&Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in edits {
        let start = floor_boundary(text, e.span.start.max(at));
        out.push_str(&text[at..start]);
        // Two lines appended at the same place each start a new line only once.
        let mut replacement = e.replacement.as_str();
        if e.span.is_empty() && out.ends_with('\n') {
            replacement = replacement
                .strip_prefix("\r\n")
                .or_else(|| replacement.strip_prefix('\n'))
                .unwrap_or(replacement);
        }
        out.push_str(replacement);
        at = floor_boundary(text, e.span.end.max(start));
    }
    out.push_str(&text[at..]);
    out
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A unified diff of the changes, `git diff` style, with secrets masked.
#[must_use]
pub fn diff(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let old = if c.created {
            "/dev/null".to_owned()
        } else {
            format!("a/{}", c.path)
        };
        let d = similar::TextDiff::from_lines(&c.shown_before, &c.shown_after);
        out.push_str(
            &d.unified_diff()
                .context_radius(3)
                .header(&old, &format!("b/{}", c.path))
                .to_string(),
        );
    }
    out
}

/// Write the changes. Files are rewritten in place (their permissions stay).
pub fn apply(changes: &[Change]) -> Result<(), Error> {
    for c in changes {
        let path = PathBuf::from(&c.path);
        std::fs::write(&path, &c.after).map_err(|e| Error::Io {
            path: c.path.clone(),
            source: e,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_patterns_match_literally() {
        assert_eq!(escape_gitignore(".env"), ".env");
        assert_eq!(escape_gitignore("#x/a*b?.env"), "\\#x/a\\*b\\?.env");
        assert_eq!(escape_gitignore("!keep"), "\\!keep");
        assert_eq!(escape_gitignore("trailing "), "trailing\\ ");
    }

    #[test]
    fn commands_quote_what_the_shell_would_split() {
        assert_eq!(shell_quote("app/.env"), "app/.env");
        assert_eq!(shell_quote("my dir/.env"), "'my dir/.env'");
        assert_eq!(shell_quote("it's.env"), "'it'\\''s.env'");
    }
}
