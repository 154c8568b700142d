//! `credlint resolve --env-file` loads a dotenv file as python-dotenv's `load_dotenv()` does
//! (override=False, interpolation on): `dotenv::load` gives the same final environment, and
//! raises where it raises, with the same class, on thousands of generated files and preset
//! environments whose outcomes come from python-dotenv in the project's venv.

#[path = "support/venv.rs"]
mod venv;

use credlint::parse::dotenv;
use serde_json::Value;
use std::collections::BTreeMap;

type Env = BTreeMap<String, String>;

/// A case's file: a string, or the bytes of one that is not UTF-8.
fn file_bytes(v: Value) -> Vec<u8> {
    match v {
        Value::String(s) => s.into_bytes(),
        bytes => serde_json::from_value(bytes).expect("file: a string or a list of bytes"),
    }
}

/// The environment after loading, and the class raised.
fn credlint_load(bytes: &[u8], preset: &Env) -> (Env, Option<String>) {
    let mut env = preset.clone();
    let (set, raised) = match dotenv::load(bytes, preset) {
        Ok(set) => (set, None),
        Err(e) => (e.applied, Some(e.class.to_owned())),
    };
    for v in set {
        assert!(
            !preset.contains_key(&v.key),
            "{} is already set, load_dotenv(override=False) keeps it",
            v.key
        );
        env.insert(v.key, v.value);
    }
    (env, raised)
}

#[test]
fn dotenv_load_agrees_with_python_dotenv() {
    let mut disagreements = Vec::new();
    let mut total = 0;
    // More seeds for a deeper run: CREDLINT_DOTENV_SEEDS="3 4 5".
    for seed in venv::seeds("CREDLINT_DOTENV_SEEDS") {
        let Some(lines) = venv::case_lines("dotenv_cases.py", &[&seed, "3000"]) else {
            return;
        };
        for line in &lines {
            let (file, preset, want, want_raised): (Value, Env, Env, Option<String>) =
                serde_json::from_str(line).expect("json line");
            let bytes = file_bytes(file);
            let (got, got_raised) = credlint_load(&bytes, &preset);
            total += 1;
            if got != want || got_raised != want_raised {
                let added = |env: &Env| -> Env {
                    env.iter()
                        .filter(|(k, v)| preset.get(*k) != Some(*v))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                };
                disagreements.push(format!(
                    "{:?} preset {preset:?}\n  python-dotenv: sets {:?}{}\n  credlint:      sets {:?}{}",
                    String::from_utf8_lossy(&bytes),
                    added(&want),
                    want_raised.map_or(String::new(), |c| format!(", raises {c}")),
                    added(&got),
                    got_raised.map_or(String::new(), |c| format!(", raises {c}")),
                ));
            }
        }
    }
    assert!(total >= 6000, "only {total} cases");
    venv::assert_agree(&disagreements, total);
}
