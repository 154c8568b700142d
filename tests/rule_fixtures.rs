//! Every rule has its TOML, its docs, a fixture tree it flags (with the exact findings it
//! must report, in `expected.txt`) and a fixture tree it leaves clean; codes and names are
//! unique. Trees are copied into a temporary git work tree (`gitignore` becomes
//! `.gitignore`) so that the results do not depend on credlint's own repository.

use credlint::discover::WalkOptions;
use credlint::rules::{self, RuleId};
use credlint::scan::{self, ScanOptions};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir").flatten() {
        let name = e.file_name();
        let src = e.path();
        if src.is_dir() {
            copy_tree(&src, &to.join(&name));
        } else if name == "gitignore" {
            fs::copy(&src, to.join(".gitignore")).expect("copy");
        } else if name != "expected.txt" {
            fs::copy(&src, to.join(&name)).expect("copy");
        }
    }
}

/// `(path, line, column, code, level)` of one rule's findings in a fixture tree.
fn findings(tree: &Path, rule: RuleId) -> BTreeSet<String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let work = tmp.path().join("repo");
    copy_tree(tree, &work);
    fs::create_dir_all(work.join(".git")).expect(".git");
    let opts = ScanOptions {
        paths: vec![work.clone()],
        walk: WalkOptions::default(),
        max_file_size: 10 << 20,
    };
    let scan = scan::scan(&opts).expect("scan");
    let prefix = format!("{}/", work.display());
    rules::run(&scan.workspace, RuleId::ALL)
        .into_iter()
        .filter(|f| f.rule == rule)
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

fn fixture_dir(rule: RuleId) -> PathBuf {
    Path::new(ROOT).join("fixtures/rules").join(rule.name())
}

#[test]
fn every_rule_has_toml_docs_and_both_kinds_of_fixture() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    for r in RuleId::ALL {
        assert!(
            codes.insert(r.code()) && names.insert(r.name()),
            "duplicate {} {}",
            r.code(),
            r.name()
        );
        let toml = Path::new(ROOT)
            .join("rules")
            .join(format!("{}-{}.toml", r.code(), r.name()));
        assert!(toml.is_file(), "{} has no {}", r.code(), toml.display());
        let dir = fixture_dir(*r);
        assert!(
            dir.join("flagged/expected.txt").is_file(),
            "{} has no flagged fixture with expected.txt",
            r.code()
        );
        assert!(
            dir.join("clean").is_dir(),
            "{} has no clean fixture",
            r.code()
        );
    }
    // No orphans: every fixture folder belongs to a registered rule.
    for e in fs::read_dir(Path::new(ROOT).join("fixtures/rules"))
        .expect("fixtures/rules")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            names.contains(name.as_str()),
            "fixtures/rules/{name} belongs to no rule"
        );
    }
}

#[test]
fn flagged_fixtures_give_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    for r in RuleId::ALL {
        let dir = fixture_dir(*r);
        let Ok(text) = fs::read_to_string(dir.join("flagged/expected.txt")) else {
            continue;
        };
        let expected: BTreeSet<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        assert!(
            !expected.is_empty(),
            "{}: expected.txt lists no finding",
            r.code()
        );
        let got = findings(&dir.join("flagged"), *r);
        if got != expected {
            let missing: Vec<_> = expected.difference(&got).collect();
            let extra: Vec<_> = got.difference(&expected).collect();
            failures.push(format!(
                "{} {}: missing {missing:?}, unexpected {extra:?}",
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
            continue;
        }
        let got = findings(&clean, *r);
        if !got.is_empty() {
            failures.push(format!("{} {}: {got:?}", r.code(), r.name()));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
