//! SARIF output validated by Microsoft's SARIF Multitool (the 2.1.0 schema, the
//! specification's rules and GitHub's ingestion rules) over the demo and every rule fixture,
//! plus what the Multitool does not check: no secret in the log, GitHub's `security-severity`
//! range, a fingerprint on every result, and GitHub's 25,000-result limit.

#[path = "support/fixtures.rs"]
mod fixtures;
#[path = "support/multitool.rs"]
mod multitool;

use fixtures::{fixture_trees, secrets_in};

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_credlint");

fn sarif_of(tree: &Path) -> Vec<u8> {
    let out = Command::new(BIN)
        .args([".", "--format", "sarif"])
        .current_dir(tree)
        .output()
        .expect("run");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: {}",
        tree.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// What the Multitool cannot know: secrets of the scanned tree, GitHub's own properties.
fn own_checks(name: &str, text: &str, secrets: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for s in secrets {
        if text.contains(s.as_str()) {
            problems.push(format!("{name}: contains the secret {}…", &s[..4]));
        }
    }
    let log: Value = serde_json::from_str(text).expect("json");
    let run = &log["runs"][0];
    for rule in run["tool"]["driver"]["rules"]
        .as_array()
        .into_iter()
        .flatten()
    {
        // GitHub reads it as a number written as a string; its bands start at 0.1. A rule
        // tagged `security` needs one; a hygiene rule (CL603) has none and is no alert.
        let sev = rule["properties"]["security-severity"].as_str();
        let security = rule["properties"]["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x == "security"));
        let valid = sev
            .and_then(|s| s.parse::<f64>().ok())
            .is_some_and(|v| (0.1..=10.0).contains(&v));
        if (sev.is_some() || security) && !valid {
            problems.push(format!(
                "{name}: rule {}: security-severity {sev:?}",
                rule["id"]
            ));
        }
    }
    for (i, r) in run["results"].as_array().into_iter().flatten().enumerate() {
        if r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .is_none_or(str::is_empty)
        {
            problems.push(format!("{name}: result {i} has no primaryLocationLineHash"));
        }
    }
    problems
}

#[test]
fn sarif_from_every_fixture_is_valid_for_github() {
    let Some(tool) = multitool::path() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (i, tree) in fixture_trees(&["fixtures/rules"]).iter().enumerate() {
        let sarif = sarif_of(tree);
        let mut secrets = Vec::new();
        secrets_in(tree, &mut secrets);
        let path = tmp.path().join(format!("{i}.sarif"));
        problems.extend(own_checks(
            &tree.display().to_string(),
            &String::from_utf8_lossy(&sarif),
            &secrets,
        ));
        fs::write(&path, &sarif).expect("write");
        files.push(path);
    }
    assert!(files.len() > 60, "{} logs", files.len());
    problems.extend(multitool::problems(&tool, &files, tmp.path()));
    assert!(
        problems.is_empty(),
        "{} problems in {} logs:\n{}",
        problems.len(),
        files.len(),
        problems.join("\n")
    );
}

/// The validator is not vacuous: a log GitHub would refuse is reported, and so is a log the
/// Multitool cannot load (which it would otherwise pass over in silence).
#[test]
fn the_multitool_reports_broken_logs() {
    let Some(tool) = multitool::path() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let log: Value = serde_json::from_slice(&sarif_of(&demo)).expect("json");
    let broken = |name: &str, edit: &dyn Fn(&mut Value)| -> PathBuf {
        let mut l = log.clone();
        edit(&mut l);
        let p = tmp.path().join(name);
        fs::write(&p, serde_json::to_vec_pretty(&l).expect("json")).expect("write");
        p
    };
    let no_help = broken("no-help.sarif", &|l| {
        l["runs"][0]["tool"]["driver"]["rules"][0]
            .as_object_mut()
            .expect("rule")
            .remove("help");
    });
    let found = multitool::problems(&tool, &[no_help], tmp.path());
    assert!(
        found.iter().any(|p| p.contains("error GH2012")),
        "{found:#?}"
    );
    let bad_level = broken("bad-level.sarif", &|l| {
        l["runs"][0]["results"][0]["level"] = "fatal".into();
    });
    let found = multitool::problems(&tool, &[bad_level], tmp.path());
    assert!(
        found.iter().any(|p| p.contains("reported nothing")),
        "{found:#?}"
    );
}

#[test]
fn sarif_stops_at_githubs_result_limit_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 25,010 distinct fake key ids, one per line.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut text = String::new();
    for n in 0..25_010u64 {
        // `AKIAI…` encodes no account, so none is read as an example key.
        let mut id = String::from("AKIAI");
        let mut x = n;
        for _ in 0..15 {
            id.push(alphabet[(x % 32) as usize] as char);
            x /= 32;
        }
        text.push_str(&id);
        text.push('\n');
    }
    fs::write(dir.path().join("keys.txt"), text).expect("write");
    let out = Command::new(BIN)
        .args([".", "--format", "sarif"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        log["runs"][0]["results"].as_array().expect("results").len(),
        25_000
    );
    let note =
        &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"];
    assert!(
        note.as_str()
            .expect("notification")
            .contains("10 results were left out"),
        "{note}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("10 results left out"));
}
