//! Baselines: `credlint baseline` records today's findings by fingerprint, and
//! `--baseline FILE` hides them later, so an old repository can start clean and fail only
//! on new problems. Fingerprints do not depend on line numbers (see [`crate::fingerprint`]).

use crate::Error;
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The default file name.
pub const FILE_NAME: &str = ".credlint-baseline.json";

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
    /// The (redacted) message, for people reading the file.
    pub message: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

impl Baseline {
    #[must_use]
    pub fn from_findings(findings: &[Finding], fingerprints: &[String]) -> Self {
        let mut entries: Vec<Entry> = findings
            .iter()
            .zip(fingerprints)
            .map(|(f, fp)| Entry {
                fingerprint: fp.clone(),
                rule: f.rule.code().to_owned(),
                path: f.location.path.clone(),
                message: f.message.clone(),
            })
            .collect();
        entries.sort();
        Self {
            version: 1,
            entries,
        }
    }

    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        serde_json::from_str(&text).map_err(|e| Error::Config {
            path: path.display().to_string(),
            line: e.line(),
            message: format!("not a credlint baseline: {e}"),
        })
    }

    /// Remove the findings the baseline lists; return the entries that matched nothing.
    pub fn filter(&self, findings: &mut Vec<Finding>, fingerprints: &[String]) -> Vec<Entry> {
        let known: BTreeSet<(&str, &str, &str)> = self
            .entries
            .iter()
            .map(|e| (e.fingerprint.as_str(), e.rule.as_str(), e.path.as_str()))
            .collect();
        let mut matched: BTreeSet<(String, String, String)> = BTreeSet::new();
        let mut keep = Vec::with_capacity(findings.len());
        for (f, fp) in findings.drain(..).zip(fingerprints) {
            let key = (fp.as_str(), f.rule.code(), f.location.path.as_str());
            if known.contains(&key) {
                matched.insert((
                    fp.clone(),
                    f.rule.code().to_owned(),
                    f.location.path.clone(),
                ));
            } else {
                keep.push(f);
            }
        }
        *findings = keep;
        self.entries
            .iter()
            .filter(|e| !matched.contains(&(e.fingerprint.clone(), e.rule.clone(), e.path.clone())))
            .cloned()
            .collect()
    }
}
