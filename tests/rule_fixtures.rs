//! Every rule has its TOML, a fixture tree it flags (with the exact findings it must report,
//! in `expected.txt`) and a fixture tree it leaves clean; no fixture folder is orphaned; and
//! no finding of any rule, in any fixture tree, repeats a key id or secret of that tree.
//!
//! Trees are copied into a temporary git work tree (`gitignore` becomes `.gitignore` at any
//! depth, and an empty `.git/` marks the root) so that the results depend neither on
//! credlint's own repository nor on where the tests run.

use credlint::discover::{self, Root, WalkOptions};
use credlint::finding::{Finding, Level};
use credlint::rules::RuleId;
use credlint::scan::{self, ScanOptions};
use credlint::source::SourceFile;
use regex::Regex;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "support/fixtures.rs"]
mod fixtures;

use fixtures::copy_fixture_tree;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixture_dir(rule: RuleId) -> PathBuf {
    Path::new(ROOT).join("fixtures/rules").join(rule.name())
}

/// One finding as `expected.txt` writes it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    path: String,
    line: u32,
    column: u32,
    code: String,
    level: String,
}

impl std::fmt::Display for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{} {} {}",
            self.path, self.line, self.column, self.code, self.level
        )
    }
}

/// Every finding of every rule in a fixture tree, with paths relative to the tree.
struct Run {
    rows: Vec<(RuleId, Row)>,
    findings: Vec<Finding>,
}

fn run_tree(tree: &Path) -> Run {
    let tmp = tempfile::tempdir().expect("tempdir");
    let work = tmp.path().join("repo");
    copy_fixture_tree(tree, &work);
    fs::create_dir_all(work.join(".git")).expect(".git");
    let opts = ScanOptions {
        roots: vec![Root::Named(work.clone())],
        walk: WalkOptions::default(),
        max_file_size: 10 << 20,
        tests_in_full: true,
    };
    let scan = scan::scan(&opts).expect("scan");
    assert!(
        !scan.has_io_errors(),
        "{}: {:?}",
        tree.display(),
        scan.diagnostics
    );
    // Paths are shown as the walk shows the root; strip that to get tree-relative paths.
    let prefix = format!("{}/", discover::display_for(&work).trim_end_matches('/'));
    let findings = credlint::check::judge(&scan.workspace, RuleId::ALL);
    let rows = findings
        .iter()
        .map(|f| {
            let path = f
                .location
                .path
                .strip_prefix(&prefix)
                .unwrap_or_else(|| {
                    panic!(
                        "{}: finding outside the tree: {}",
                        tree.display(),
                        f.location.path
                    )
                })
                .to_owned();
            let row = Row {
                path,
                line: f.location.start.line,
                column: f.location.start.column,
                code: f.rule.code().to_owned(),
                level: f.level.as_str().to_owned(),
            };
            (f.rule, row)
        })
        .collect();
    Run { rows, findings }
}

impl Run {
    /// One rule's findings, sorted; duplicates kept (a rule reporting one place twice is a
    /// difference too).
    fn of(&self, rule: RuleId) -> Vec<Row> {
        let mut v: Vec<Row> = self
            .rows
            .iter()
            .filter(|(r, _)| *r == rule)
            .map(|(_, row)| row.clone())
            .collect();
        v.sort();
        v
    }
}

/// Parse `expected.txt`: `path:line:column CODE LEVEL` per line, sorted, every code the
/// rule's own.
fn expected(rule: RuleId, text: &str) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (n, l) in text.lines().enumerate() {
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let bad = || format!("expected.txt:{}: cannot read `{l}`", n + 1);
        let mut words = l.split(' ');
        let (Some(place), Some(code), Some(level), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(bad());
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(column), Some(line), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if code != rule.code() {
            return Err(format!(
                "expected.txt:{}: {code} is not this rule ({})",
                n + 1,
                rule.code()
            ));
        }
        if Level::parse(level).is_none_or(|lv| lv.as_str() != level) {
            return Err(format!(
                "expected.txt:{}: level `{level}` is not info, warning or error",
                n + 1
            ));
        }
        rows.push(Row {
            path: path.to_owned(),
            line: line.parse().map_err(|_| bad())?,
            column: column.parse().map_err(|_| bad())?,
            code: code.to_owned(),
            level: level.to_owned(),
        });
    }
    // Either order a reviewer would produce: by position, or `sort`'s plain text order.
    let as_text: Vec<String> = rows.iter().map(ToString::to_string).collect();
    if !rows.is_sorted() && !as_text.is_sorted() {
        return Err("expected.txt is sorted neither by position nor as text".into());
    }
    Ok(rows)
}

#[test]
fn every_rule_has_toml_and_both_kinds_of_fixture() {
    let mut names = BTreeSet::new();
    for r in RuleId::ALL {
        assert!(names.insert(r.name()), "duplicate rule name {}", r.name());
        let toml = Path::new(ROOT)
            .join("rules")
            .join(format!("{}-{}.toml", r.code(), r.name()));
        assert!(toml.is_file(), "{} has no {}", r.code(), toml.display());
        let dir = fixture_dir(*r);
        assert!(
            dir.join("flagged/expected.txt").is_file(),
            "{} has no fixtures/rules/{}/flagged/expected.txt",
            r.code(),
            r.name()
        );
        assert!(
            dir.join("clean").is_dir(),
            "{} has no fixtures/rules/{}/clean/",
            r.code(),
            r.name()
        );
    }
    // No orphans: every entry of fixtures/rules is a registered rule's folder, holding
    // nothing but `flagged/` and `clean/`.
    for e in fs::read_dir(Path::new(ROOT).join("fixtures/rules"))
        .expect("fixtures/rules")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            e.path().is_dir() && names.contains(name.as_str()),
            "fixtures/rules/{name} belongs to no rule"
        );
        for inner in fs::read_dir(e.path()).expect("rule folder").flatten() {
            let inner = inner.file_name().to_string_lossy().into_owned();
            assert!(
                inner == "flagged" || inner == "clean",
                "fixtures/rules/{name}/{inner}: only flagged/ and clean/ belong here"
            );
        }
    }
}

#[test]
fn flagged_fixtures_give_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    for r in RuleId::ALL {
        let dir = fixture_dir(*r).join("flagged");
        let Ok(text) = fs::read_to_string(dir.join("expected.txt")) else {
            failures.push(format!("{}: no flagged/expected.txt", r.code()));
            continue;
        };
        let want = match expected(*r, &text) {
            Ok(rows) if rows.is_empty() => {
                failures.push(format!("{}: expected.txt lists no finding", r.code()));
                continue;
            }
            Ok(mut rows) => {
                rows.sort();
                rows
            }
            Err(e) => {
                failures.push(format!("{} {}: {e}", r.code(), r.name()));
                continue;
            }
        };
        let got = run_tree(&dir).of(*r);
        if got != want {
            let missing: Vec<String> = want
                .iter()
                .filter(|w| !got.contains(w))
                .map(ToString::to_string)
                .collect();
            let extra: Vec<String> = got
                .iter()
                .filter(|g| !want.contains(g))
                .map(ToString::to_string)
                .collect();
            let got: Vec<String> = got.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{} {}: missing {missing:?}, unexpected {extra:?}; all found: {got:#?}",
                r.code(),
                r.name()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn clean_fixtures_give_no_finding_of_their_rule() {
    let mut failures = Vec::new();
    for r in RuleId::ALL {
        let clean = fixture_dir(*r).join("clean");
        if !clean.is_dir() {
            failures.push(format!("{}: no clean/ tree", r.code()));
            continue;
        }
        let got = run_tree(&clean).of(*r);
        if !got.is_empty() {
            let got: Vec<String> = got.iter().map(ToString::to_string).collect();
            failures.push(format!("{} {}: {got:?}", r.code(), r.name()));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// What must never appear in output: every full key id (any `A…` 4-letter prefix, any
/// case) and every 40-character window of each run of secret characters (secrets, and
/// session tokens) in the tree's files, decoded as the scanner decodes them.
fn sensitive_strings(tree: &Path) -> BTreeSet<String> {
    static KEY_ID: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"^A[A-Z]{3}[A-Z0-9]{16}$").expect("static regex"));
    static ALNUM_RUN: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"[A-Za-z0-9]+").expect("static regex"));
    static SECRET_RUN: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"[A-Za-z0-9/+]{40,}").expect("static regex"));
    let mut files = Vec::new();
    files_under(tree, &mut files);
    let mut out = BTreeSet::new();
    for f in files {
        let bytes = fs::read(&f).expect("read fixture");
        let text = SourceFile::from_bytes(String::new(), &bytes).text;
        for m in ALNUM_RUN.find_iter(&text) {
            if KEY_ID.is_match(&m.as_str().to_ascii_uppercase()) {
                out.insert(m.as_str().to_owned());
            }
        }
        for m in SECRET_RUN.find_iter(&text) {
            let run = m.as_str();
            for start in 0..=run.len() - 40 {
                out.insert(run[start..start + 40].to_owned());
            }
        }
    }
    out
}

#[test]
fn no_finding_repeats_a_key_or_secret_of_its_fixture() {
    let mut leaks = Vec::new();
    let mut checked = 0usize;
    let mut findings = 0usize;
    for r in RuleId::ALL {
        for kind in ["flagged", "clean"] {
            let tree = fixture_dir(*r).join(kind);
            if !tree.is_dir() {
                continue;
            }
            let secrets = sensitive_strings(&tree);
            checked += secrets.len();
            let run = run_tree(&tree);
            findings += run.findings.len();
            for f in &run.findings {
                let texts = [f.message.as_str(), f.help.as_str()]
                    .into_iter()
                    .chain(f.related.iter().map(|r| r.message.as_str()));
                for t in texts {
                    if let Some(s) = secrets.iter().find(|s| t.contains(s.as_str())) {
                        leaks.push(format!(
                            "{}/{kind}: {} at {}:{} shows `{s}`: {t}",
                            r.name(),
                            f.rule.code(),
                            f.location.path,
                            f.location.start.line
                        ));
                    }
                }
            }
        }
    }
    // Guard against a check that passes because it looked at nothing.
    assert!(
        checked > 100,
        "only {checked} sensitive strings found in the fixtures"
    );
    assert!(findings > 100, "only {findings} findings in the fixtures");
    assert!(leaks.is_empty(), "\n{}", leaks.join("\n"));
}
