//! Microsoft's SARIF Multitool (`@microsoft/sarif-multitool` 5.7.0 from npm, installed under
//! the cargo target directory by `scripts/setup-tools.sh`, which `scripts/test.sh` runs
//! first): `validate --rule-kind "Gh;Sarif"` checks a log against the SARIF 2.1.0 schema,
//! the specification's rules and GitHub code scanning's ingestion rules.

#![allow(dead_code, reason = "each test crate uses its own part")]

use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Multitool's platform binary: `CREDLINT_SARIF_MULTITOOL`, else where
/// `scripts/setup-tools.sh` puts it.
///
/// # Panics
/// When it is missing and `CREDLINT_REQUIRE_TOOLS` is set (as `scripts/test.sh` sets it);
/// otherwise a missing tool gives `None`, so that a bare `cargo test` still runs the rest.
#[must_use]
#[allow(clippy::print_stderr, reason = "tells why a test did nothing")]
pub fn path() -> Option<PathBuf> {
    let p = std::env::var_os("CREDLINT_SARIF_MULTITOOL").map_or_else(
        || {
            // CARGO_TARGET_TMPDIR is `<target dir>/tmp`.
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("../tools/node_modules/@microsoft")
                .join(format!("sarif-multitool-{}", platform()))
                .join("Sarif.Multitool")
        },
        PathBuf::from,
    );
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CREDLINT_REQUIRE_TOOLS").is_none(),
        "{} is missing: run scripts/setup-tools.sh",
        p.display()
    );
    eprintln!(
        "skipping: {} is missing (run scripts/setup-tools.sh)",
        p.display()
    );
    None
}

const fn platform() -> &'static str {
    if cfg!(target_os = "macos") {
        "darwin"
    } else {
        "linux"
    }
}

/// Validate `files` (SARIF logs with distinct file names) in one Multitool run, writing its own
/// SARIF log into `scratch`. Returns every error and warning it reports, one line each, plus a
/// line for each input it reported nothing at all about: the Multitool silently skips a log it
/// cannot load into its object model (an unknown `level`, for one), and drops the results of
/// every other file of that run with it, while every log credlint writes gets at least its
/// notes (SARIF2003: no version control provenance).
///
/// # Panics
/// When the Multitool cannot be run or writes no readable log.
#[must_use]
pub fn problems(tool: &Path, files: &[PathBuf], scratch: &Path) -> Vec<String> {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/sarif-multitool.xml");
    let log_path = scratch.join("multitool-results.sarif");
    let out = Command::new(tool)
        .arg("validate")
        .arg("--config")
        .arg(&config)
        .args(["--rule-kind", "Gh;Sarif", "--level", "Error;Warning;Note"])
        .args(["--log", "ForceOverwrite", "--output"])
        .arg(&log_path)
        .args(files)
        // .NET writes its first-run files under HOME; keep them in the scratch folder.
        .env("DOTNET_CLI_HOME", scratch)
        .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", tool.display()));
    let console = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the Multitool failed:\n{console}");
    let text = std::fs::read_to_string(&log_path)
        .unwrap_or_else(|e| panic!("{}: {e}\n{console}", log_path.display()));
    let log: Value = serde_json::from_str(&text).expect("the Multitool's log is JSON");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut problems = Vec::new();
    let mut seen = vec![false; files.len()];
    for r in run["results"].as_array().into_iter().flatten() {
        let rule = r["ruleIndex"]
            .as_u64()
            .and_then(|i| rules.get(usize::try_from(i).ok()?));
        let level = r["level"]
            .as_str()
            .or_else(|| rule.and_then(|d| d["defaultConfiguration"]["level"].as_str()))
            .unwrap_or("warning");
        let phys = &r["locations"][0]["physicalLocation"];
        let uri = phys["artifactLocation"]["uri"].as_str().unwrap_or("");
        for (i, f) in files.iter().enumerate() {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if uri.ends_with(&format!("/{name}")) {
                seen[i] = true;
            }
        }
        if level == "error" || level == "warning" {
            let mut line = format!(
                "{uri}({},{}): {level} {}: ",
                phys["region"]["startLine"],
                phys["region"]["startColumn"],
                r["ruleId"].as_str().unwrap_or("?")
            );
            line.push_str(&message(r, rule));
            problems.push(line);
        }
    }
    for n in run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if n["level"].as_str() == Some("error") {
            problems.push(format!("tool error: {}", n["message"]["text"]));
        }
    }
    for (f, seen) in files.iter().zip(seen) {
        if !seen {
            problems.push(format!(
                "{}: the Multitool reported nothing about this log (it skips logs it cannot \
                 load, and then every result of the run): validate it alone to see why",
                f.display()
            ));
        }
    }
    problems
}

/// A result's message: its text, or its rule's message string with the arguments filled in.
fn message(r: &Value, rule: Option<&Value>) -> String {
    if let Some(t) = r["message"]["text"].as_str() {
        return t.to_owned();
    }
    let id = r["message"]["id"].as_str().unwrap_or("");
    let args: Vec<&str> = r["message"]["arguments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let Some(template) = rule.and_then(|d| d["messageStrings"][id]["text"].as_str()) else {
        let mut s = id.to_owned();
        let _ = write!(s, " {args:?}");
        return s;
    };
    let mut s = template.to_owned();
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), a);
    }
    s
}
