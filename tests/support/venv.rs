//! Shared by the tests that need the project's Python virtual environment (created by
//! `scripts/setup-venv.sh`, which `scripts/test.sh` runs first): finding its programs, and
//! running the case generators in `tests/tools/` whose outcomes come from the real Python
//! libraries.

#![allow(dead_code, reason = "each test crate uses its own part")]

use std::path::PathBuf;
use std::process::Command;

/// A program from `.venv/bin`.
///
/// # Panics
/// When the program is missing and `CREDLINT_REQUIRE_VENV` is set. Missing: a failure under `CREDLINT_REQUIRE_VENV=1` (as
/// `scripts/test.sh` sets it), otherwise `None` so that a bare `cargo test` still runs the
/// rest.
#[must_use]
#[allow(clippy::print_stderr, reason = "tells why a test did nothing")]
pub fn tool(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(".venv/bin")
        .join(name);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CREDLINT_REQUIRE_VENV").is_none(),
        "{} is missing: run scripts/setup-venv.sh",
        p.display()
    );
    eprintln!(
        "skipping: {} is missing (run scripts/setup-venv.sh)",
        p.display()
    );
    None
}

/// The stdout lines of `python -X utf8 tests/tools/SCRIPT ARGS…` run by the venv's Python
/// (one JSON case per line), or `None` where [`tool`] skips.
///
/// # Panics
/// When the script fails.
#[must_use]
pub fn case_lines(script: &str, args: &[&str]) -> Option<Vec<String>> {
    let python = tool("python")?;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools")
        .join(script);
    let out = Command::new(python)
        .args(["-X", "utf8"])
        .arg(&path)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {script}: {e}"));
    assert!(
        out.status.success(),
        "{script} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    Some(text.lines().map(str::to_owned).collect())
}

/// The seeds a generator runs with: 1 and 2, then those listed in the environment variable
/// `var` for a deeper run (`CREDLINT_DOTENV_SEEDS="3 4 5"`).
#[must_use]
pub fn seeds(var: &str) -> Vec<String> {
    let extra = std::env::var(var).unwrap_or_default();
    ["1", "2"]
        .into_iter()
        .map(str::to_owned)
        .chain(extra.split_whitespace().map(str::to_owned))
        .collect()
}

/// Fails, showing the first 30, when there is any disagreement among `total` cases.
///
/// # Panics
/// When `disagreements` is not empty.
pub fn assert_agree(disagreements: &[String], total: usize) {
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
