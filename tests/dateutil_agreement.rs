//! credlint's port of `dateutil.parser.parse` (used for `AWS_CREDENTIAL_EXPIRATION`) raises
//! exactly when the real one does, with the same class, on thousands of generated strings
//! whose outcomes come from python-dateutil in the project's venv.

#[path = "support/venv.rs"]
mod venv;

use credlint::model::dateutil;

#[test]
fn dateutil_port_agrees_with_python() {
    let mut disagreements = Vec::new();
    let mut total = 0;
    // More seeds for a deeper run: CREDLINT_DATEUTIL_SEEDS="3 4 5".
    for seed in venv::seeds("CREDLINT_DATEUTIL_SEEDS") {
        let Some(lines) = venv::case_lines("dateutil_cases.py", &[&seed, "3000"]) else {
            return;
        };
        for line in &lines {
            let (text, want): (String, String) = serde_json::from_str(line).expect("json line");
            let got = dateutil::parse(&text).err().map_or("ok", |e| e.class());
            total += 1;
            if got != want {
                disagreements.push(format!("{text:?}: dateutil {want}, credlint {got}"));
            }
        }
    }
    assert!(total >= 6000, "only {total} cases");
    venv::assert_agree(&disagreements, total);
}
