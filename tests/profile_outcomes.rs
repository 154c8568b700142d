//! `credlint .` and `credlint resolve --profile` agree: over every profile of every home in
//! every fixture tree, an error that the chain model raises at a line of the tree is reported
//! there by some rule (at `error`, unless the machine decides it or the config is a sample,
//! which CL407 reports at `info`), and every CL407 finding stands at a line where some
//! profile raises.

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
/// dependency): reported at `info`.
const MACHINE: [&str; 2] = ["CredentialRetrievalError", "MissingDependencyException"];

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
        // A finding stands at its location and at its related locations (CL407 reports the
        // profiles that share a keyless source profile once, the others as related).
        let at_level = |level: Level| -> BTreeSet<(String, u32)> {
            findings
                .iter()
                .filter(|f| f.level >= level)
                .flat_map(|f| {
                    std::iter::once(&f.location).chain(f.related.iter().map(|r| &r.location))
                })
                .map(|l| (l.path.clone(), l.start.line))
                .collect()
        };
        let (errors, any) = (at_level(Level::Error), at_level(Level::Info));
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
                let sample = v.home.credentials.is_none()
                    && e.message.ends_with(" must have credentials.")
                    && v.merged[name]
                        .get("role_arn")
                        .is_some_and(|arn| credlint::keys::is_template_role_arn(&arn.value));
                let at = (path.clone(), *line);
                let found = if MACHINE.contains(&e.class.as_str()) || sample {
                    any.contains(&at)
                } else {
                    errors.contains(&at)
                };
                if !found {
                    problems.push(format!(
                        "{}: profile `{name}` raises {} at {path}:{line}, no finding there at the level it needs: {}",
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
