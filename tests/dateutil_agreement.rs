//! credlint's port of `dateutil.parser.parse` (used for `AWS_CREDENTIAL_EXPIRATION`) raises
//! exactly when the real one does, with the same class, on thousands of generated strings
//! whose outcomes come from python-dateutil in the project's venv.

#[path = "support/venv.rs"]
mod venv;

use credlint::model::dateutil;
use std::process::Command;

#[test]
fn dateutil_port_agrees_with_python() {
    let Some(python) = venv::tool("python") else {
        return;
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/dateutil_cases.py");
    let mut disagreements = Vec::new();
    let mut total = 0;
    // More seeds for a deeper run: CREDLINT_DATEUTIL_SEEDS="3 4 5".
    let extra = std::env::var("CREDLINT_DATEUTIL_SEEDS").unwrap_or_default();
    for seed in ["1", "2"].into_iter().chain(extra.split_whitespace()) {
        let out = Command::new(&python)
            .args(["-X", "utf8", script, seed, "3000"])
            .output()
            .expect("run dateutil_cases.py");
        assert!(
            out.status.success(),
            "dateutil_cases.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8(out.stdout).expect("utf-8").lines() {
            let (text, want): (String, String) = serde_json::from_str(line).expect("json line");
            let got = dateutil::parse(&text).err().map_or("ok", |e| e.class());
            total += 1;
            if got != want {
                disagreements.push(format!("{text:?}: dateutil {want}, credlint {got}"));
            }
        }
    }
    assert!(total >= 6000, "only {total} cases");
    assert!(
        disagreements.is_empty(),
        "{} of {total} disagree:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
