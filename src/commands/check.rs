//! `credlint [check]`, `credlint fix` and `credlint baseline`.

use crate::Error;
use crate::baseline::Baseline;
use crate::check::{self, CheckOptions, Checked};
use crate::cli::{BaselineArgs, FailLevel, Format, ScanArgs, WalkArgs};
use crate::config::Config;
use crate::report::{self, CheckReport};
use crate::scan::ScanOptions;
use std::io::Write;
use std::path::Path;

fn check_options(
    walk: &WalkArgs,
    config: Option<&Path>,
    baseline: Option<&Path>,
) -> Result<CheckOptions, Error> {
    let start = walk.paths.first().cloned().unwrap_or_else(|| ".".into());
    let config = Config::load(config, &start)?;
    let include_tests = walk.include_tests || config.include_tests;
    Ok(CheckOptions {
        scan: ScanOptions {
            tests_in_full: include_tests,
            ..walk.scan_options()
        },
        include_tests,
        config,
        baseline: baseline.map(Path::to_path_buf),
    })
}

/// `credlint [check]` (and `fix`): scan, judge, report; returns the exit code.
pub fn run_check(
    args: &ScanArgs,
    is_terminal: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Error> {
    let opts = check_options(&args.walk, args.config.as_deref(), args.baseline.as_deref())?;
    let fail_level = args
        .fail_level
        .or_else(|| {
            opts.config
                .fail_level
                .as_deref()
                .map(FailLevel::from_config)
        })
        .unwrap_or(FailLevel::Warning);
    let mut checked = check::check(&opts)?;
    if args.diff {
        return diff_fixes(&checked, out, err);
    }
    if args.fix {
        let (changes, refused) = crate::fix::plan(&checked.findings, &checked.scan.workspace);
        crate::fix::apply(&changes)?;
        for r in &refused {
            writeln!(err, "credlint: note: {r}").map_err(Error::output)?;
        }
        let fixed: usize = changes.iter().map(|c| c.fixes).sum();
        let commands: Vec<&String> = checked
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .flat_map(|f| &f.commands)
            .collect();
        writeln!(
            err,
            "credlint: fixed {fixed} finding(s) in {} file(s)",
            changes.len()
        )
        .map_err(Error::output)?;
        for c in commands {
            writeln!(err, "credlint: run yourself (credlint never runs it): {c}")
                .map_err(Error::output)?;
        }
        if fixed > 0 {
            // Show what is left, as the files now stand.
            checked = check::check(&opts)?;
        }
    }
    let r = CheckReport {
        scan: &checked.scan,
        findings: &checked.findings,
        fingerprints: &checked.fingerprints,
        stale: &checked.stale,
        in_tests_not_shown: checked.in_tests_not_shown,
    };
    match args.format {
        Format::Human => report::human(out, err, &r, args.color.enabled(is_terminal)),
        Format::Concise => report::concise(out, err, &r),
        Format::Json => report::json(out, &r),
        Format::Sarif => report::sarif(out, err, &r, &args.sarif_category),
        Format::Github => report::github(out, err, &r),
    }
    .map_err(Error::output)?;
    if checked.scan.has_io_errors() {
        return Ok(2);
    }
    let failing = fail_level
        .threshold()
        .is_some_and(|t| checked.findings.iter().any(|f| f.level >= t));
    Ok(u8::from(failing))
}

/// `--diff`: the safe fixes as a unified diff; nothing is written. Exit 1 when there are
/// changes to make.
fn diff_fixes(checked: &Checked, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, Error> {
    let (changes, refused) = crate::fix::plan(&checked.findings, &checked.scan.workspace);
    out.write_all(crate::fix::diff(&changes).as_bytes())
        .map_err(Error::output)?;
    for r in &refused {
        writeln!(err, "credlint: note: {r}").map_err(Error::output)?;
    }
    report::diagnostics(err, &checked.scan.diagnostics).map_err(Error::output)?;
    if checked.scan.has_io_errors() {
        return Ok(2);
    }
    Ok(u8::from(!changes.is_empty()))
}

/// `credlint baseline`: write today's findings to a baseline file.
pub fn run_baseline(
    args: &BaselineArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Error> {
    let opts = check_options(&args.walk, args.config.as_deref(), None)?;
    let checked = check::check(&opts)?;
    let b = Baseline::from_findings(&checked.findings, &checked.fingerprints);
    let mut text = serde_json::to_string_pretty(&b).map_err(|e| Error::output(e.into()))?;
    text.push('\n');
    std::fs::write(&args.output, text).map_err(|e| Error::Io {
        path: args.output.display().to_string(),
        source: e,
    })?;
    report::diagnostics(err, &checked.scan.diagnostics).map_err(Error::output)?;
    writeln!(
        out,
        "credlint: wrote {} finding(s) to {}",
        b.entries.len(),
        args.output.display()
    )
    .map_err(Error::output)?;
    Ok(if checked.scan.has_io_errors() { 2 } else { 0 })
}
