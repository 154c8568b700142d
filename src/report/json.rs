//! `--format json`: one document with findings, diagnostics and a summary. The shape is
//! documented in the README and versioned by its `version` field.

use super::summary::Summary;
use crate::baseline::Entry;
use crate::finding::Finding;
use crate::scan::Diagnostic;
use serde_json::json;
use std::io::Write;

pub fn write(
    out: &mut dyn Write,
    findings: &[Finding],
    diagnostics: &[Diagnostic],
    summary: &Summary,
    stale: &[Entry],
) -> std::io::Result<()> {
    let findings: Vec<_> = findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule.code(),
                "name": f.rule.name(),
                "level": f.level.as_str(),
                "message": f.message,
                "path": f.location.path,
                "start": f.location.start,
                "end": f.location.end,
                "related": f.related.iter().map(|r| json!({
                    "path": r.location.path,
                    "start": r.location.start,
                    "end": r.location.end,
                    "message": r.message,
                })).collect::<Vec<_>>(),
                "help": f.help,
                "fix": f.fix,
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "findings": findings,
        "diagnostics": diagnostics,
        "summary": summary,
        "baseline_stale": stale,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
