//! Shared by the tests that need the project's Python virtual environment (created by
//! `scripts/setup-venv.sh`, which `scripts/test.sh` runs first).

use std::path::PathBuf;

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
