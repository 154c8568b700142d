//! SARIF output validated against the official 2.1.0 schema (`../shared/schemas`) and
//! GitHub's ingestion rules with a real JSON Schema validator, over the demo and every
//! rule fixture; plus GitHub's 25,000-result limit.

#[path = "support/fixtures.rs"]
mod fixtures;
#[path = "support/venv.rs"]
mod venv;

use fixtures::{fixture_trees, secrets_in};

use std::fs;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_credlint");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn sarif_from_every_fixture_is_valid_for_github() {
    let Some(python) = venv::tool("python") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    let mut secrets = Vec::new();
    for (i, tree) in fixture_trees(&["fixtures/rules"]).iter().enumerate() {
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
        let path = tmp.path().join(format!("{i}.sarif"));
        fs::write(&path, &out.stdout).expect("write");
        files.push(path);
        secrets_in(tree, &mut secrets);
    }
    secrets.sort();
    secrets.dedup();
    let schema = Path::new(ROOT).join("../shared/schemas/sarif-schema-2.1.0.json");
    let mut cmd = Command::new(python);
    cmd.arg(Path::new(ROOT).join("tests/tools/validate_sarif.py"))
        .arg(schema);
    for s in &secrets {
        cmd.args(["--secret", s]);
    }
    let out = cmd.args(&files).output().expect("validator");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report.contains(&format!("{} logs checked, 0 problems", files.len())),
        "{report}"
    );
}

#[test]
fn sarif_stops_at_githubs_result_limit_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 25,010 distinct fake key ids, one per line.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut text = String::new();
    for n in 0..25_010u64 {
        let mut id = String::from("AKIAQ");
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
