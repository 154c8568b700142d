//! Reporting: formats a finished result, and nothing else. Each output format is one
//! function here (writing to `&mut dyn Write`); the commands (`crate::commands`) decide
//! what to run and which format to call. Nothing here reads arguments or runs the
//! pipeline.

mod github;
mod human;
mod json;
pub mod resolve;
mod sarif;
mod summary;

pub use summary::Summary;

pub use sarif::MAX_RESULTS as SARIF_MAX_RESULTS;

use crate::baseline::Entry;
use crate::finding::Finding;
use crate::rules::RuleId;
use crate::scan::{Diagnostic, FileRecord, Outcome, Scan};
use std::fmt::Write as _;
use std::io::{Result, Write};

/// What `credlint check` found, ready to print.
pub struct CheckReport<'a> {
    pub scan: &'a Scan,
    pub findings: &'a [Finding],
    /// One per finding, same order.
    pub fingerprints: &'a [String],
    /// Baseline entries that matched no finding.
    pub stale: &'a [Entry],
    /// Findings left out because they are in test code.
    pub in_tests_not_shown: usize,
}

/// `--format human`: source snippets on `out`; diagnostics and stale baseline entries on
/// `err`; then the summary line.
pub fn human(out: &mut dyn Write, err: &mut dyn Write, r: &CheckReport, color: bool) -> Result<()> {
    let summary = Summary::new(r.scan, r.findings, r.in_tests_not_shown);
    human::write_findings(out, r.scan, r.findings, color)?;
    human::write_diagnostics(err, &r.scan.diagnostics, color)?;
    human::write_stale(err, r.stale)?;
    let first_code = r.findings.first().map(|f| f.rule.code());
    human::write_summary(out, &summary, first_code, color)
}

/// `--format concise`: one line per finding.
pub fn concise(out: &mut dyn Write, err: &mut dyn Write, r: &CheckReport) -> Result<()> {
    human::write_concise(out, r.findings)?;
    human::write_diagnostics(err, &r.scan.diagnostics, false)?;
    human::write_stale(err, r.stale)
}

/// `--format json`: one document.
pub fn json(out: &mut dyn Write, r: &CheckReport) -> Result<()> {
    let summary = Summary::new(r.scan, r.findings, r.in_tests_not_shown);
    json::write(out, r.findings, &r.scan.diagnostics, &summary, r.stale)
}

/// `--format sarif`: the SARIF log on `out`; a warning on `err` when results had to be
/// left out.
pub fn sarif(
    out: &mut dyn Write,
    err: &mut dyn Write,
    r: &CheckReport,
    category: &str,
) -> Result<()> {
    let dropped = sarif::write(out, r.findings, r.fingerprints, category)?;
    if dropped > 0 {
        writeln!(
            err,
            "credlint: warning: {dropped} results left out of the SARIF log (GitHub accepts at most {})",
            sarif::MAX_RESULTS
        )?;
    }
    human::write_diagnostics(err, &r.scan.diagnostics, false)
}

/// `--format github`: workflow commands.
pub fn github(out: &mut dyn Write, err: &mut dyn Write, r: &CheckReport) -> Result<()> {
    github::write(out, r.findings)?;
    human::write_diagnostics(err, &r.scan.diagnostics, false)
}

/// The scan's diagnostics (unreadable files and the like), plain.
pub fn diagnostics(err: &mut dyn Write, diagnostics: &[Diagnostic]) -> Result<()> {
    human::write_diagnostics(err, diagnostics, false)
}

/// `credlint files`: one line per walked path.
pub fn files_table(out: &mut dyn Write, files: &[FileRecord]) -> Result<()> {
    for f in files {
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
        writeln!(out, "{}\t{kind}\t{git}\t{outcome}", f.path)?;
    }
    Ok(())
}

/// Any serialisable value as pretty JSON and a newline (`files`, `rules`, `resolve`).
pub fn json_value<T: serde::Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// `credlint rules`: one line per rule.
pub fn rules_table(out: &mut dyn Write) -> Result<()> {
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
        )?;
    }
    Ok(())
}

/// `credlint rules --format json`.
pub fn rules_json(out: &mut dyn Write) -> Result<()> {
    let metas: Vec<_> = RuleId::ALL.iter().map(|r| r.meta()).collect();
    json_value(out, &metas)
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

/// `credlint explain`: a rule's documentation.
pub fn explain(out: &mut dyn Write, r: RuleId) -> Result<()> {
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
    out.write_all(text.as_bytes())?;
    if !m.references.is_empty() {
        writeln!(out, "\n## References")?;
        for r in &m.references {
            writeln!(out, "- {r}")?;
        }
    }
    Ok(())
}
