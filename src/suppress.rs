//! Inline suppressions: `credlint:ignore CL101` (codes or names, comma- or space-separated;
//! bare for every rule) in a comment on the finding's line or the line before it.
//!
//! Other secret scanners' inline markers (`gitleaks:allow`, detect-secrets'
//! `pragma: allowlist secret`, `trufflehog:ignore`, the `ggignore` of `GitGuardian`, checkov's
//! `checkov:skip=CKV_SECRET_…`) say the same of a secret on their own line: the author has
//! declared it a test value. They hide credlint's exposure findings on that line, and are
//! never reported as unused (they are there for the other tool).

use crate::finding::Finding;
use crate::model::Workspace;
use crate::rules::RuleId;
use crate::source::Span;

const MARKER: &str = "credlint:ignore";
const FOREIGN_MARKERS: [&str; 6] = [
    "gitleaks:allow",
    "pragma: allowlist secret",
    "pragma: allowlist-secret",
    "trufflehog:ignore",
    "ggignore",
    "checkov:skip=CKV_SECRET",
];
/// The rules a foreign marker speaks for: a secret sitting on that line.
const EXPOSURE: [RuleId; 5] = [
    RuleId::LongLivedAccessKey,
    RuleId::HardcodedSecretKey,
    RuleId::ExplicitCredentialsInCode,
    RuleId::LongLivedBedrockApiKey,
    RuleId::ShortTermBedrockApiKey,
];
const COMMENT_OPENERS: [&str; 6] = ["#", "//", "/*", ";", "<!--", "--"];

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub file: usize,
    pub line: u32,
    pub span: Span,
    /// `None`: every rule.
    pub rules: Option<Vec<RuleId>>,
    /// Names in the comment that are not rules.
    pub unknown: Vec<String>,
    /// Another scanner's marker: its own line only, never reported as unused.
    pub foreign: bool,
}

impl Suppression {
    fn covers(&self, f: &Finding, file: usize) -> bool {
        file == self.file
            && (f.location.start.line == self.line
                || (!self.foreign && f.location.start.line == self.line + 1))
            && self.rules.as_ref().is_none_or(|r| r.contains(&f.rule))
    }
}

/// Every suppression comment in the workspace's files.
#[must_use]
pub fn find(ws: &Workspace) -> Vec<Suppression> {
    // This runs over every kept file's text after the parallel part of the scan: one
    // literal search for all the markers first (most files have none), and memchr's SIMD
    // search for ours rather than `str::find`'s two-way search.
    static ANY: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        let all: Vec<String> = std::iter::once(MARKER)
            .chain(FOREIGN_MARKERS)
            .map(regex::escape)
            .collect();
        regex::bytes::Regex::new(&all.join("|")).expect("literal alternation")
    });
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(MARKER));
    let mut out = Vec::new();
    for (i, f) in ws.files.iter().enumerate() {
        let text = &f.source.text;
        if !ANY.is_match(text.as_bytes()) {
            continue;
        }
        for pos in FINDER.find_iter(text.as_bytes()) {
            let from = pos + MARKER.len();
            let line_start = text[..pos].rfind(['\n', '\r']).map_or(0, |p| p + 1);
            let before = &text[line_start..pos];
            if !COMMENT_OPENERS.iter().any(|o| before.contains(o)) {
                continue;
            }
            let line_end = text[from..]
                .find(['\n', '\r'])
                .map_or(text.len(), |p| p + from);
            let rest = text[from..line_end]
                .split("*/")
                .next()
                .unwrap_or("")
                .split("-->")
                .next()
                .unwrap_or("");
            let mut rules = Vec::new();
            let mut unknown = Vec::new();
            let words = rest
                .split([',', ' ', '\t'])
                .map(str::trim)
                .filter(|w| !w.is_empty());
            for w in words.take_while(|w| w.starts_with(|c: char| c.is_ascii_alphanumeric())) {
                match RuleId::from_code_or_name(w) {
                    Some(r) => rules.push(r),
                    None if looks_like_rule(w) => unknown.push(w.to_owned()),
                    None => break,
                }
            }
            let line = f.source.position(pos).line;
            let span = Span::new(pos, from);
            let rules = (!rules.is_empty() || !unknown.is_empty()).then_some(rules);
            out.push(Suppression {
                file: i,
                line,
                span,
                rules,
                unknown,
                foreign: false,
            });
        }
        for marker in FOREIGN_MARKERS {
            for (pos, _) in text.match_indices(marker) {
                out.push(Suppression {
                    file: i,
                    line: f.source.position(pos).line,
                    span: Span::new(pos, pos + marker.len()),
                    rules: Some(EXPOSURE.to_vec()),
                    unknown: Vec::new(),
                    foreign: true,
                });
            }
        }
    }
    out
}

fn looks_like_rule(w: &str) -> bool {
    (w.len() == 5 && w.starts_with("CL") && w[2..].bytes().all(|b| b.is_ascii_digit()))
        || (w.contains('-') && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
}

/// Remove the findings a suppression covers. CL603's own findings (unused suppressions)
/// are never suppressed.
pub fn apply(ws: &Workspace, findings: &mut Vec<Finding>, suppressions: &[Suppression]) {
    let index = file_index(ws);
    findings.retain(|f| {
        f.rule == RuleId::UnusedSuppression
            || index
                .get(f.location.path.as_str())
                .is_none_or(|&file| !suppressions.iter().any(|s| s.covers(f, file)))
    });
}

/// The suppressions that cover none of `findings`, or name an unknown rule (another
/// scanner's markers are never unused).
#[must_use]
pub fn unused(
    ws: &Workspace,
    findings: &[Finding],
    suppressions: &[Suppression],
) -> Vec<Suppression> {
    let index = file_index(ws);
    let mut used = vec![false; suppressions.len()];
    for f in findings
        .iter()
        .filter(|f| f.rule != RuleId::UnusedSuppression)
    {
        let Some(&file) = index.get(f.location.path.as_str()) else {
            continue;
        };
        for (i, s) in suppressions.iter().enumerate() {
            if s.covers(f, file) {
                used[i] = true;
            }
        }
    }
    suppressions
        .iter()
        .zip(used)
        .filter(|(s, u)| !s.foreign && (!u || !s.unknown.is_empty()))
        .map(|(s, _)| s.clone())
        .collect()
}

fn file_index(ws: &Workspace) -> std::collections::HashMap<&str, usize> {
    ws.files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path(), i))
        .collect()
}
