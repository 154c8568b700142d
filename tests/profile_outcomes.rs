//! `credlint .` and `credlint resolve --profile` agree: over every profile of every home in
//! every fixture tree, an error that the chain model raises at a line of the tree (one that
//! depends on the files, not on the machine) is reported there as an error finding by some
//! rule, and every CL407 finding stands at a line where some profile raises.

use credlint::discover::{Root, WalkOptions};
use credlint::finding::Level;
use credlint::model::homes;
use credlint::model::profiles::Loc;
use credlint::rules::{self, RuleId};
use credlint::scan::{self, ScanOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;

#[path = "support/fixtures.rs"]
mod fixtures;

/// Raised by the model, but decided by the machine (environment, instance, optional
/// dependency) or by another file than the tree's (`AWS_CONFIG_FILE`).
const MACHINE: [&str; 3] = [
    "CredentialRetrievalError",
    "MissingDependencyException",
    "ConfigNotFound",
];

#[test]
fn every_profile_error_is_a_finding_and_back() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for tree in fixtures::fixture_trees(&["fixtures/rules", "fixtures/trust"]) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let work = tmp.path().join("repo");
        fixtures::copy_fixture_tree(&tree, &work);
        fs::create_dir_all(work.join(".git")).expect(".git");
        let opts = ScanOptions {
            roots: vec![Root::Named(work.clone())],
            walk: WalkOptions::default(),
            max_file_size: 10 << 20,
            tests_in_full: true,
        };
        let scan = scan::scan(&opts).expect("scan");
        let ws = &scan.workspace;
        let findings = rules::run(ws, RuleId::ALL);
        let errors: BTreeSet<(String, u32)> = findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .map(|f| (f.location.path.clone(), f.location.start.line))
            .collect();
        let mut raised: BTreeSet<(String, u32)> = BTreeSet::new();
        for v in ws.home_views() {
            for name in v.profile_names() {
                checked += 1;
                let r = homes::resolve(&ws.files, &v.home, &BTreeMap::new(), Some(name));
                let Some(e) = r.error else { continue };
                let Some(Loc::File { path, line, .. }) = &e.location else {
                    continue;
                };
                raised.insert((path.clone(), *line));
                let unseen_keys =
                    v.home.credentials.is_none() && e.message.ends_with(" must have credentials.");
                if MACHINE.contains(&e.class.as_str()) || unseen_keys {
                    continue;
                }
                if !errors.contains(&(path.clone(), *line)) {
                    problems.push(format!(
                        "{}: profile `{name}` raises {} at {path}:{line}, no error finding there: {}",
                        tree.display(),
                        e.class,
                        e.message
                    ));
                }
            }
        }
        for f in findings.iter().filter(|f| f.rule == RuleId::ProfileRaises) {
            let at = (f.location.path.clone(), f.location.start.line);
            if !raised.contains(&at) {
                problems.push(format!(
                    "{}: CL407 at {}:{} where no profile raises",
                    tree.display(),
                    at.0,
                    at.1
                ));
            }
        }
    }
    assert!(checked > 100, "only {checked} profiles checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
