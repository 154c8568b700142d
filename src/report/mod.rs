//! Reporting: the only layer that writes output. Each format is a module writing to
//! `&mut dyn Write`; the `run_*` functions are the commands the binary calls.

mod github;
mod human;
mod json;
mod resolve;
mod sarif;

pub use resolve::run_resolve;

use crate::Error;
use crate::baseline::Baseline;
use crate::check::{self, CheckOptions};
use crate::cli::{BaselineArgs, FailLevel, FilesArgs, Format, RulesArgs, ScanArgs, TableFormat};
use crate::config::Config;
use crate::finding::{Finding, Level};
use crate::rules::RuleId;
use crate::scan::{self, Outcome, Scan};
use std::fmt::Write as _;
use std::io::Write;

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source: e,
    }
}

/// Counts for the summary line and the JSON summary.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub files_parsed: usize,
    /// Files and folders that could not be read (each has an error diagnostic; the exit
    /// code is 2).
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    fn new(scan: &Scan, findings: &[Finding]) -> Self {
        let count = |l| findings.iter().filter(|f| f.level == l).count();
        Self {
            files_scanned: scan
                .files
                .iter()
                .filter(|f| !matches!(f.outcome, Outcome::TooLarge | Outcome::Unreadable))
                .count(),
            // Files read only as context for named files are not counted, nor are files
            // that gave the rules nothing (parsed, but not kept in the workspace).
            files_parsed: scan
                .files
                .iter()
                .filter(|f| f.outcome == Outcome::Parsed)
                .count(),
            unreadable: scan
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::scan::DiagnosticSeverity::Error)
                .count(),
            errors: count(Level::Error),
            warnings: count(Level::Warning),
            infos: count(Level::Info),
        }
    }
}

fn check_options(
    walk: &crate::cli::WalkArgs,
    config: Option<&std::path::Path>,
    baseline: Option<&std::path::Path>,
) -> Result<CheckOptions, Error> {
    let start = walk.paths.first().cloned().unwrap_or_else(|| ".".into());
    let config = Config::load(config, &start)?;
    Ok(CheckOptions {
        scan: walk.scan_options(),
        config,
        baseline: baseline.map(std::path::Path::to_path_buf),
    })
}

/// `credlint [check]`: scan, judge, report; returns the exit code.
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
            writeln!(err, "credlint: note: {r}").map_err(io)?;
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
        .map_err(io)?;
        for c in commands {
            writeln!(err, "credlint: run yourself (credlint never runs it): {c}").map_err(io)?;
        }
        if fixed > 0 {
            // Show what is left, as the files now stand.
            checked = check::check(&opts)?;
        }
    }
    let (scan, findings) = (&checked.scan, &checked.findings);
    let summary = Summary::new(scan, findings);
    match args.format {
        Format::Human => {
            let color = args.color.enabled(is_terminal);
            human::write_findings(out, scan, findings, color).map_err(io)?;
            human::write_diagnostics(err, &scan.diagnostics, color).map_err(io)?;
            human::write_stale(err, &checked.stale).map_err(io)?;
            let first_code = findings.first().map(|f| f.rule.code());
            human::write_summary(out, &summary, first_code, color).map_err(io)?;
        }
        Format::Concise => {
            human::write_concise(out, findings).map_err(io)?;
            human::write_diagnostics(err, &scan.diagnostics, false).map_err(io)?;
            human::write_stale(err, &checked.stale).map_err(io)?;
        }
        Format::Json => {
            json::write(out, findings, &scan.diagnostics, &summary, &checked.stale).map_err(io)?;
        }
        Format::Sarif => {
            let dropped = sarif::write(out, findings, &checked.fingerprints, &args.sarif_category)
                .map_err(io)?;
            if dropped > 0 {
                writeln!(err, "credlint: warning: {dropped} results left out of the SARIF log (GitHub accepts at most {})", sarif::MAX_RESULTS).map_err(io)?;
            }
            human::write_diagnostics(err, &scan.diagnostics, false).map_err(io)?;
        }
        Format::Github => {
            github::write(out, findings).map_err(io)?;
            human::write_diagnostics(err, &scan.diagnostics, false).map_err(io)?;
        }
    }
    if scan.has_io_errors() {
        return Ok(2);
    }
    let failing = fail_level
        .threshold()
        .is_some_and(|t| findings.iter().any(|f| f.level >= t));
    Ok(u8::from(failing))
}

/// `--diff`: the safe fixes as a unified diff; nothing is written. Exit 1 when there are
/// changes to make.
fn diff_fixes(
    checked: &check::Checked,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Error> {
    let (changes, refused) = crate::fix::plan(&checked.findings, &checked.scan.workspace);
    out.write_all(crate::fix::diff(&changes).as_bytes())
        .map_err(io)?;
    for r in &refused {
        writeln!(err, "credlint: note: {r}").map_err(io)?;
    }
    human::write_diagnostics(err, &checked.scan.diagnostics, false).map_err(io)?;
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
    let mut text = serde_json::to_string_pretty(&b).map_err(|e| io(e.into()))?;
    text.push('\n');
    std::fs::write(&args.output, text).map_err(|e| Error::Io {
        path: args.output.display().to_string(),
        source: e,
    })?;
    human::write_diagnostics(err, &checked.scan.diagnostics, false).map_err(io)?;
    writeln!(
        out,
        "credlint: wrote {} finding(s) to {}",
        b.entries.len(),
        args.output.display()
    )
    .map_err(io)?;
    Ok(if checked.scan.has_io_errors() { 2 } else { 0 })
}

/// `credlint files`: every walked path with its kind, git status and outcome.
pub fn run_files(args: &FilesArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, Error> {
    let scan = scan::scan(&args.walk.scan_options())?;
    if args.format == TableFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &scan.files).map_err(|e| io(e.into()))?;
        writeln!(out).map_err(io)?;
    } else {
        for f in &scan.files {
            let kind = f.kind.map_or("-", |k| k.as_str());
            let git = match f.git {
                crate::discover::GitStatus::Tracked => "tracked",
                crate::discover::GitStatus::Committable => "committable",
                crate::discover::GitStatus::Ignored => "ignored",
                crate::discover::GitStatus::NoRepo => "no-repo",
            };
            let outcome = match f.outcome {
                Outcome::Parsed => "parsed",
                Outcome::NoCandidates => "no-candidates",
                Outcome::Binary => "binary",
                Outcome::Encrypted => "encrypted",
                Outcome::TooLarge => "too-large",
                Outcome::Unreadable => "unreadable",
            };
            writeln!(out, "{}\t{kind}\t{git}\t{outcome}", f.path).map_err(io)?;
        }
    }
    human::write_diagnostics(err, &scan.diagnostics, false).map_err(io)?;
    Ok(if scan.has_io_errors() { 2 } else { 0 })
}

/// `credlint rules`.
pub fn run_rules(args: &RulesArgs, out: &mut dyn Write) -> Result<u8, Error> {
    if args.markdown {
        out.write_all(rules_table_markdown().as_bytes())
            .map_err(io)?;
        return Ok(0);
    }
    if args.format == TableFormat::Json {
        let metas: Vec<_> = RuleId::ALL.iter().map(|r| r.meta()).collect();
        serde_json::to_writer_pretty(&mut *out, &metas).map_err(|e| io(e.into()))?;
        writeln!(out).map_err(io)?;
        return Ok(0);
    }
    for r in RuleId::ALL {
        let m = r.meta();
        writeln!(
            out,
            "{:<6} {:<34} {:<8} {:<4} {}",
            m.code,
            m.name,
            m.level.as_str(),
            if m.fix.is_some() { "fix" } else { "" },
            m.summary
        )
        .map_err(io)?;
    }
    Ok(0)
}

/// The README's rule table, generated from `rules/*.toml` (a test keeps the README equal).
#[must_use]
pub fn rules_table_markdown() -> String {
    let mut s = String::from(
        "| code | name | default level | fix | what it flags |\n|---|---|---|---|---|\n",
    );
    for r in RuleId::ALL {
        let m = r.meta();
        let _ = writeln!(
            s,
            "| {} | `{}` | {} | {} | {} |",
            m.code,
            m.name,
            m.level.as_str(),
            if m.fix.is_some() { "safe" } else { "" },
            m.summary.replace('|', r"\|")
        );
    }
    s
}

/// `credlint explain CODE|NAME`.
pub fn run_explain(rule: &str, out: &mut dyn Write) -> Result<u8, Error> {
    let r = RuleId::from_code_or_name(rule)
        .ok_or_else(|| Error::Usage(format!("unknown rule `{rule}` (see `credlint rules`)")))?;
    let m = r.meta();
    let text = format!(
        "{} {}\n\n{}\n\nDefault level: {}   Category: {:?}\n\n## What it does\n{}\n\n## Why is this bad?\n{}\n\n## Example\n{}\n\n## Use instead\n{}\n",
        m.code,
        m.name,
        m.summary,
        m.level.as_str(),
        m.category,
        m.docs.what.trim(),
        m.docs.why.trim(),
        m.docs.example.trim_end(),
        m.docs.use_instead.trim_end()
    );
    out.write_all(text.as_bytes()).map_err(io)?;
    if !m.references.is_empty() {
        writeln!(out, "\n## References").map_err(io)?;
        for r in &m.references {
            writeln!(out, "- {r}").map_err(io)?;
        }
    }
    Ok(0)
}
