//! credlint beside checkov on the trust-policy fixtures of `fixtures/trust/checkov/`:
//! `verdicts.toml` records, per file (or module folder), checkov 3.3.30's verdicts for
//! `CKV_AWS_60`, `CKV_AWS_61`, `CKV_AWS_358` and `CKV_AWS_393` (recorded by running checkov with
//! `scripts/checkov-verdicts.py`) and the findings credlint must report. This test checks
//! the credlint column exactly, that the corpus covers all three formats, and that every
//! case where credlint and checkov disagree carries its reason, which the rule's own
//! documentation repeats.

use credlint::discover::{self, Root, WalkOptions};
use credlint::rules::RuleId;
use credlint::scan::{self, ScanOptions};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/trust/checkov");
const CHECKS: [&str; 4] = ["CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_358", "CKV_AWS_393"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    checkov_version: String,
    modules: Vec<String>,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    checkov: BTreeMap<String, String>,
    credlint: Vec<String>,
    why: Option<String>,
}

fn table() -> Table {
    let text = std::fs::read_to_string(Path::new(DIR).join("verdicts.toml")).expect("verdicts");
    toml::from_str(&text).expect("verdicts.toml")
}

/// Every `CL5xx` finding in the corpus, as `path:line:column CODE level`.
fn findings() -> BTreeSet<String> {
    let root = Path::new(DIR);
    let opts = ScanOptions {
        roots: vec![Root::Named(root.to_path_buf())],
        walk: WalkOptions::default(),
        max_file_size: 10 << 20,
        tests_in_full: true,
    };
    let scan = scan::scan(&opts).expect("scan");
    assert!(
        scan.diagnostics.is_empty(),
        "every fixture parses: {:?}",
        scan.diagnostics
    );
    let prefix = format!("{}/", discover::display_for(root).trim_end_matches('/'));
    credlint::check::judge(&scan.workspace, RuleId::ALL)
        .into_iter()
        .filter(|f| f.rule.code().starts_with("CL5"))
        .map(|f| {
            let path = f
                .location
                .path
                .strip_prefix(&prefix)
                .unwrap_or(&f.location.path)
                .to_owned();
            format!(
                "{path}:{}:{} {} {}",
                f.location.start.line,
                f.location.start.column,
                f.rule.code(),
                f.level.as_str()
            )
        })
        .collect()
}

fn in_case(path: &str, case: &str) -> bool {
    path == case || path.starts_with(&format!("{case}/"))
}

#[test]
fn credlint_reports_exactly_the_recorded_findings() {
    let t = table();
    let found = findings();
    let mut recorded = BTreeSet::new();
    let mut problems = Vec::new();
    for c in &t.case {
        let want: BTreeSet<&str> = c.credlint.iter().map(String::as_str).collect();
        let got: BTreeSet<&str> = found
            .iter()
            .filter(|f| in_case(f.split(':').next().unwrap_or(""), &c.file))
            .map(String::as_str)
            .collect();
        if want != got {
            problems.push(format!(
                "{}: recorded {want:?}, credlint reports {got:?}",
                c.file
            ));
        }
        recorded.extend(want.iter().map(|s| (*s).to_owned()));
    }
    for f in found.difference(&recorded) {
        problems.push(format!("a finding in no case: {f}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_corpus_covers_three_formats_and_all_four_checks() {
    let t = table();
    assert_eq!(t.checkov_version, "3.3.30");
    assert!(t.case.len() >= 40, "only {} cases", t.case.len());
    let ext = |f: &str| {
        Path::new(f)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
    };
    let count = |pred: &dyn Fn(&str) -> bool| t.case.iter().filter(|c| pred(&c.file)).count();
    assert!(count(&|f| ext(f).as_deref() == Some("tf") || t.modules.iter().any(|m| m == f)) >= 10);
    assert!(count(&|f| f.starts_with("cfn/") && ext(f).as_deref() == Some("yaml")) >= 10);
    assert!(count(&|f| f.starts_with("cfn/") && ext(f).as_deref() == Some("json")) >= 5);
    assert!(count(&|f| f.starts_with("iam/")) >= 3);
    let mut files = BTreeSet::new();
    for c in &t.case {
        assert!(files.insert(&c.file), "{} appears twice", c.file);
        assert!(
            Path::new(DIR).join(&c.file).exists(),
            "{} is missing",
            c.file
        );
        let keys: Vec<&str> = c.checkov.keys().map(String::as_str).collect();
        let mut want = CHECKS.to_vec();
        want.sort_unstable();
        assert_eq!(keys, want, "{}: one verdict per check", c.file);
        for v in c.checkov.values() {
            assert!(
                ["PASSED", "FAILED", "n/a"].contains(&v.as_str()),
                "{}: {v}",
                c.file
            );
        }
    }
    for check in CHECKS {
        assert!(
            t.case.iter().any(|c| c.checkov[check] == "FAILED"),
            "no fixture fails {check}"
        );
    }
}

/// The credlint rule that answers a checkov check.
fn counterpart(check: &str) -> RuleId {
    match check {
        "CKV_AWS_60" => RuleId::TrustAnyPrincipal,
        "CKV_AWS_61" => RuleId::CrossAccountWithoutExternalId,
        _ => RuleId::OidcWithoutSubject,
    }
}

#[test]
fn every_disagreement_is_explained_here_and_in_the_rule_docs() {
    let t = table();
    let mut problems = Vec::new();
    let mut disagreements = 0;
    for c in &t.case {
        // CKV_AWS_358 (policy documents) and CKV_AWS_393 (inline policies) are one question.
        let mut verdicts: BTreeMap<RuleId, &str> = BTreeMap::new();
        for check in CHECKS {
            let v = c.checkov[check].as_str();
            let slot = verdicts.entry(counterpart(check)).or_insert("n/a");
            if v == "FAILED" || (v == "PASSED" && *slot == "n/a") {
                *slot = v;
            }
        }
        let mut differs = Vec::new();
        for (rule, v) in verdicts {
            if v == "n/a" {
                continue;
            }
            let credlint = c.credlint.iter().any(|f| f.contains(rule.code()));
            if credlint != (v == "FAILED") {
                differs.push(rule);
            }
        }
        match (&c.why, differs.is_empty()) {
            (None, false) => problems.push(format!("{}: differs from checkov, no `why`", c.file)),
            (Some(_), true) => {
                problems.push(format!("{}: agrees with checkov, `why` is stale", c.file));
            }
            _ => {}
        }
        for rule in differs {
            disagreements += 1;
            let docs = &rule.meta().docs.what;
            if !docs.contains(&c.file) {
                problems.push(format!(
                    "{}: the docs of {} do not list this difference",
                    c.file,
                    rule.code()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(disagreements > 0);
}

/// checkov's own fixtures (`fixtures/trust/checkov/upstream.toml`): the kept list of
/// disagreements is well formed, and each carries its reason.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Upstream {
    checkov_version: String,
    checkov_commit: String,
    #[serde(default)]
    case: Vec<UpstreamCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpstreamCase {
    file: String,
    resource: String,
    check: String,
    checkov: String,
    credlint: String,
    also: Option<String>,
    why: String,
}

fn upstream() -> Upstream {
    let text =
        std::fs::read_to_string(Path::new(DIR).join("upstream.toml")).expect("upstream.toml");
    toml::from_str(&text).expect("upstream.toml")
}

#[test]
fn upstream_disagreements_carry_their_reason() {
    let t = upstream();
    assert_eq!(t.checkov_version, "3.3.30");
    assert_eq!(t.checkov_commit.len(), 40);
    assert!(!t.case.is_empty());
    let mut keys = BTreeSet::new();
    for c in &t.case {
        assert!(
            CHECKS.contains(&c.check.as_str()),
            "{}: {}",
            c.file,
            c.check
        );
        assert_ne!(
            c.checkov, c.credlint,
            "{} {}: not a disagreement",
            c.file, c.resource
        );
        for v in [&c.checkov, &c.credlint] {
            assert!(["PASSED", "FAILED"].contains(&v.as_str()), "{v}");
        }
        assert!(c.why.len() > 40, "{} {}: say why", c.file, c.resource);
        if let Some(also) = &c.also {
            assert!(also.starts_with("CL5"), "{also}");
        }
        assert!(
            keys.insert((&c.file, &c.resource, &c.check)),
            "{} {} twice",
            c.file,
            c.resource
        );
    }
}

/// checkov itself: `CREDLINT_CHECKOV`, else where `scripts/setup-checkov.sh` installs it
/// (checkov from the Python package index, pinned in `tests/checkov-requirements.txt`, in
/// its own venv under the cargo target directory).
///
/// # Panics
/// When it is missing and `CREDLINT_REQUIRE_TOOLS` is set (as `scripts/test.sh` sets it);
/// otherwise a missing checkov gives `None`, so that a bare `cargo test` still runs the rest.
#[allow(clippy::print_stderr, reason = "tells why a test did nothing")]
fn checkov() -> Option<PathBuf> {
    let p = std::env::var_os("CREDLINT_CHECKOV").map_or_else(
        // CARGO_TARGET_TMPDIR is `<target dir>/tmp`.
        || Path::new(env!("CARGO_TARGET_TMPDIR")).join("../tools/checkov-venv/bin/checkov"),
        PathBuf::from,
    );
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CREDLINT_REQUIRE_TOOLS").is_none(),
        "{} is missing: run scripts/setup-checkov.sh",
        p.display()
    );
    eprintln!(
        "skipping: {} is missing (run scripts/setup-checkov.sh)",
        p.display()
    );
    None
}

/// Runs `python3 scripts/SCRIPT ARGS…` and fails with its output unless it exits 0.
fn run_script(script: &str, args: &[&std::ffi::OsStr]) {
    let out = Command::new("python3")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scripts")
                .join(script),
        )
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| panic!("run scripts/{script}: {e}"));
    assert!(
        out.status.success(),
        "scripts/{script} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// checkov, run now, still gives every verdict `verdicts.toml` records for it: the checkov
/// column is measured, not remembered.
#[test]
fn checkov_gives_the_recorded_verdicts() {
    let Some(checkov) = checkov() else { return };
    run_script(
        "checkov-verdicts.py",
        &["--checkov".as_ref(), checkov.as_os_str()],
    );
}

/// checkov and credlint on checkov's own fixtures for its trust checks: every disagreement
/// must be kept in `upstream.toml` with its reason, and every kept one must still occur.
/// The Python package index does not carry those fixtures (checkov's wheel has no tests,
/// its sdist none of the fixture folders) and they are never copied here, so this runs only
/// where a checkov checkout is given: `CREDLINT_CHECKOV_SRC`, a git directory (the fixtures are taken at
/// `checkov_commit`) or a source tree at that commit.
#[test]
#[allow(clippy::print_stderr, reason = "tells why the comparison did not run")]
fn checkov_upstream_fixtures_agree_with_the_kept_list() {
    let Some(src) = std::env::var_os("CREDLINT_CHECKOV_SRC") else {
        eprintln!(
            "skipping: set CREDLINT_CHECKOV_SRC to a checkov checkout to compare on its fixtures"
        );
        return;
    };
    let Some(checkov) = checkov() else { return };
    run_script(
        "checkov-upstream.py",
        &[
            "--checkov".as_ref(),
            checkov.as_os_str(),
            "--credlint".as_ref(),
            env!("CARGO_BIN_EXE_credlint").as_ref(),
            "--src".as_ref(),
            &src,
        ],
    );
}
