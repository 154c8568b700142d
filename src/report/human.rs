//! Human output: miette snippets with labels and help, a summary line, and diagnostics.
//! Snippets are cut from a redacted copy of each file, so secrets never reach the screen.

use super::summary::Summary;
use crate::finding::{Finding, Level};
use crate::keys::Compacted;
use crate::scan::{Diagnostic, DiagnosticSeverity, Scan};
use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    MietteError, MietteSpanContents, NamedSource, Severity, SourceCode, SourceSpan, SpanContents,
};
use owo_colors::{OwoColorize, Style};
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::io::Write;

/// A named source whose `file:line:column` header counts columns in characters of the
/// original file, as every other format does (miette counts bytes of the text it shows,
/// where key ids are shortened), and does not count a leading byte order mark.
struct CharColumns<'a> {
    shown: NamedSource<String>,
    original: &'a str,
    map: &'a Compacted,
}

impl SourceCode for CharColumns<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.shown.read_span(span, before, after)?;
        if before != 0 || after != 0 {
            return Ok(contents); // with context lines the snippet starts a line: column 0
        }
        let text = self.original;
        let mut at = self.map.to_original(span.offset()).min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let mut column = text[line_start..at].chars().count();
        if line_start == 0 && at > 0 && text.starts_with('\u{feff}') {
            column -= 1;
        }
        let named = MietteSpanContents::new_named(
            self.shown.name().to_owned(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        );
        Ok(Box::new(match contents.language() {
            Some(l) => named.with_language(l),
            None => named,
        }))
    }
}

struct Rendered<'a> {
    finding: &'a Finding,
    source: CharColumns<'a>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl MietteDiagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}({})",
            self.finding.rule.code(),
            self.finding.rule.name()
        )))
    }
    fn severity(&self) -> Option<Severity> {
        Some(match self.finding.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let mut help = self.finding.help.clone();
        for r in &self.finding.related {
            let _ = write!(
                help,
                "
see {}:{}: {}",
                r.location.path, r.location.start, r.message
            );
        }
        if let Some(fix) = &self.finding.fix {
            let _ = write!(help, "\nfix (`credlint fix`): {}", fix.description);
            for e in &fix.edits {
                let _ = write!(
                    help,
                    "\n  {}:{}: {} `{}`",
                    e.path,
                    e.start,
                    if e.span.is_empty() {
                        "insert"
                    } else {
                        "replace with"
                    },
                    e.replacement.trim_end_matches(['\r', '\n'])
                );
            }
            for c in &fix.commands {
                let _ = write!(help, "\n  run yourself: {c}");
            }
        }
        Some(Box::new(help))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

pub fn write_findings(
    out: &mut dyn Write,
    scan: &Scan,
    findings: &[Finding],
    color: bool,
) -> std::io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(120)
        .with_context_lines(1);
    let ws = &scan.workspace;
    let index: HashMap<&str, usize> = ws
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path(), i))
        .collect();
    let mut cache: HashMap<usize, Compacted> = HashMap::new();
    for f in findings {
        let Some(&fi) = index.get(f.location.path.as_str()) else {
            continue;
        };
        let original = ws.files[fi].source.text.as_str();
        let map = &*cache
            .entry(fi)
            .or_insert_with(|| Compacted::new(original, &ws.redacted_text(fi)));
        let shown_span = |at: crate::source::Span| {
            let start = map.to_display(at.start);
            (start, map.to_display(at.end).saturating_sub(start))
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some("here".into()),
            shown_span(f.location.span),
        )];
        for r in f
            .related
            .iter()
            .filter(|r| r.location.path == f.location.path)
        {
            labels.push(LabeledSpan::new_with_span(
                Some(r.message.clone()),
                shown_span(r.location.span),
            ));
        }
        let source = CharColumns {
            shown: NamedSource::new(f.location.path.clone(), map.text.clone())
                .with_language("text"),
            original,
            map,
        };
        let mut s = String::new();
        let r = Rendered {
            finding: f,
            source,
            labels,
        };
        handler
            .render_report(&mut s, &r)
            .map_err(std::io::Error::other)?;
        writeln!(out, "{s}")?;
    }
    Ok(())
}

pub fn write_concise(out: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    for f in findings {
        writeln!(
            out,
            "{}:{}: {}[{}] {}",
            f.location.path,
            f.location.start,
            f.level.as_str(),
            f.rule.code(),
            f.message
        )?;
    }
    Ok(())
}

pub fn write_diagnostics(
    err: &mut dyn Write,
    diagnostics: &[Diagnostic],
    color: bool,
) -> std::io::Result<()> {
    for d in diagnostics {
        let (label, style) = match d.severity {
            DiagnosticSeverity::Error => ("error", Style::new().red().bold()),
            DiagnosticSeverity::Note => ("note", Style::new().cyan()),
        };
        let label = if color {
            label.style(style).to_string()
        } else {
            label.to_owned()
        };
        writeln!(err, "credlint: {label}: {}: {}", d.path, d.message)?;
    }
    Ok(())
}

/// Baseline entries that no longer match anything.
pub fn write_stale(err: &mut dyn Write, stale: &[crate::baseline::Entry]) -> std::io::Result<()> {
    if stale.is_empty() {
        return Ok(());
    }
    writeln!(
        err,
        "credlint: note: {} baseline entr{} matched nothing (fixed, or changed); refresh with `credlint baseline`:",
        stale.len(),
        if stale.len() == 1 { "y" } else { "ies" }
    )?;
    for e in stale {
        writeln!(err, "  {} {} {}", e.rule, e.path, e.message)?;
    }
    Ok(())
}

pub fn write_summary(
    out: &mut dyn Write,
    s: &Summary,
    first_code: Option<&str>,
    color: bool,
) -> std::io::Result<()> {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let counts = format!(
        "{}, {}, {}",
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos")
    );
    let counts = if !color {
        counts
    } else if s.errors > 0 {
        counts.red().bold().to_string()
    } else if s.warnings > 0 {
        counts.yellow().bold().to_string()
    } else {
        counts.green().to_string()
    };
    // Findings counts alone would read as a clean run when files could not be read.
    let unreadable = if s.unreadable == 0 {
        String::new()
    } else {
        let n = plural(s.unreadable, "path", "paths");
        let text = format!(", {n} could not be read");
        if color {
            text.red().bold().to_string()
        } else {
            text
        }
    };
    // Say what was left out, so that a quiet run on a tree full of tests is not mistaken
    // for a tree without findings.
    let tests = if s.in_tests_not_shown == 0 {
        String::new()
    } else {
        format!(
            " ({} in test code not shown: --include-tests)",
            plural(s.in_tests_not_shown, "finding", "findings")
        )
    };
    writeln!(
        out,
        "credlint: {} scanned, {} parsed{unreadable}: {counts}{tests}",
        plural(s.files_scanned, "file", "files"),
        s.files_parsed
    )?;
    if let Some(code) = first_code {
        writeln!(
            out,
            "credlint: `credlint explain {code}` tells what a rule checks, why, and how to fix it"
        )?;
    }
    Ok(())
}
