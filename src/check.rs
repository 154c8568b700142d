//! The `credlint check` pipeline around the scan: config, rules, suppressions, level
//! overrides, allowlist, baseline. Returns data; the report layer prints it.

use crate::Error;
use crate::baseline::{self, Baseline};
use crate::config::Config;
use crate::finding::Finding;
use crate::fingerprint;
use crate::rules::{self, RuleId};
use crate::scan::{self, Scan, ScanOptions};
use std::collections::BTreeSet;
use std::path::PathBuf;

pub struct CheckOptions {
    pub scan: ScanOptions,
    pub config: Config,
    pub baseline: Option<PathBuf>,
}

pub struct Checked {
    pub scan: Scan,
    pub findings: Vec<Finding>,
    /// One per finding, same order.
    pub fingerprints: Vec<String>,
    /// Baseline entries that matched no finding (fixed, or changed beyond recognition).
    pub stale: Vec<baseline::Entry>,
}

/// When every path is a file (pre-commit passes staged files), scan the surrounding work
/// tree too, so that cross-file rules see the config beside a staged `.env`, but report
/// only on the files named.
fn plan(paths: &[PathBuf]) -> (Vec<PathBuf>, Option<BTreeSet<String>>) {
    if paths.is_empty() || !paths.iter().all(|p| p.is_file()) {
        return (paths.to_vec(), None);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let context = cwd
        .ancestors()
        .find(|a| a.join(".git").exists())
        .unwrap_or(&cwd)
        .to_path_buf();
    let only = paths
        .iter()
        .map(|p| crate::discover::display_for(p))
        .collect();
    let mut all = vec![context];
    all.extend(paths.iter().cloned());
    (all, Some(only))
}

pub fn check(opts: &CheckOptions) -> Result<Checked, Error> {
    let mut scan_opts = opts.scan.clone();
    scan_opts
        .walk
        .exclude
        .extend(opts.config.exclude.iter().cloned());
    let (paths, only) = plan(&scan_opts.paths);
    scan_opts.paths = paths;
    let scan = scan::scan(&scan_opts)?;
    let enabled = opts.config.enabled_rules();
    let mut findings = rules::run(&scan.workspace, &enabled);
    if let Some(only) = &only {
        findings.retain(|f| only.contains(&f.location.path));
    }
    for f in &mut findings {
        f.level = opts.config.level_for(f.rule, f.level);
    }
    if !opts.config.allow_key_ids.is_empty() || !opts.config.allow_values.is_empty() {
        let ws = &scan.workspace;
        findings.retain(|f| {
            let file = ws.files.iter().find(|x| x.path() == f.location.path);
            !file.is_some_and(|x| opts.config.allows(x.source.slice(f.location.span)))
        });
    }
    let mut fingerprints = fingerprint::fingerprints(&scan.workspace, &findings);
    let mut stale = Vec::new();
    if let Some(path) = &opts.baseline {
        let b = Baseline::load(path)?;
        stale = b.filter(&mut findings, &fingerprints);
        fingerprints = fingerprint::fingerprints(&scan.workspace, &findings);
    }
    debug_assert!(
        enabled.contains(&RuleId::UnusedSuppression)
            || findings.iter().all(|f| f.rule != RuleId::UnusedSuppression)
    );
    Ok(Checked {
        scan,
        findings,
        fingerprints,
        stale,
    })
}
