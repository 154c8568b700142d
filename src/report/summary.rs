//! The counts under every `check` output.

use crate::finding::{Finding, Level};
use crate::scan::{DiagnosticSeverity, Scan};

/// Counts for the summary line and the JSON summary.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub files_parsed: usize,
    /// Files and folders that could not be read (each has an error diagnostic; the exit
    /// code is 2).
    pub unreadable: usize,
    /// Findings not reported because they are in test code (see `rules::TestCode`).
    pub in_tests_not_shown: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    #[must_use]
    pub fn new(scan: &Scan, findings: &[Finding], in_tests_not_shown: usize) -> Self {
        let count = |l| findings.iter().filter(|f| f.level == l).count();
        Self {
            files_scanned: scan.counts.read,
            // Files read only as context for named files are not counted, nor are files
            // that gave the rules nothing (parsed, but not kept in the workspace).
            files_parsed: scan.counts.parsed,
            unreadable: scan
                .diagnostics
                .iter()
                .filter(|d| d.severity == DiagnosticSeverity::Error)
                .count(),
            in_tests_not_shown,
            errors: count(Level::Error),
            warnings: count(Level::Warning),
            infos: count(Level::Info),
        }
    }
}
