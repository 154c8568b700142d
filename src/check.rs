//! The `credlint check` pipeline around the scan: config, rules, suppressions, level
//! overrides, allowlist, baseline. Returns data; the report layer prints it.

use crate::Error;
use crate::baseline::{self, Baseline};
use crate::config::Config;
use crate::discover::{self, Root};
use crate::finding::Finding;
use crate::fingerprint;
use crate::model::Workspace;
use crate::rules::{self, RuleId};
use crate::scan::{self, Scan, ScanOptions};
use crate::suppress;
use std::collections::BTreeSet;
use std::path::PathBuf;

pub struct CheckOptions {
    pub scan: ScanOptions,
    pub config: Config,
    pub baseline: Option<PathBuf>,
    /// Report in test code like anywhere else.
    pub include_tests: bool,
}

pub struct Checked {
    pub scan: Scan,
    pub findings: Vec<Finding>,
    /// One per finding, same order.
    pub fingerprints: Vec<String>,
    /// Baseline entries that matched no finding (fixed, or changed beyond recognition).
    pub stale: Vec<baseline::Entry>,
    /// Findings left out because they are in test code (see [`rules::TestCode`]).
    pub in_tests_not_shown: usize,
}

/// Leave out what rules say about test code, except secrets that look real (see
/// [`rules::TestCode`]); returns how many findings were left out.
fn drop_test_code(ws: &crate::model::Workspace, findings: &mut Vec<Finding>) -> usize {
    let tests: BTreeSet<&str> = ws
        .files
        .iter()
        .filter(|f| f.in_tests)
        .map(crate::model::ScannedFile::path)
        .collect();
    if tests.is_empty() {
        return 0;
    }
    // A complete long-lived credential: a key id and a secret (CL101 and CL102) in one
    // file, or a long-lived Bedrock API key (CL107), which is both at once.
    let files_with = |rule: RuleId| -> BTreeSet<&str> {
        findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.location.path.as_str())
            .collect()
    };
    let ids = files_with(RuleId::LongLivedAccessKey);
    let mut with_secret: BTreeSet<String> = files_with(RuleId::HardcodedSecretKey)
        .intersection(&ids)
        .map(|p| (*p).to_owned())
        .collect();
    with_secret.extend(
        files_with(RuleId::LongLivedBedrockApiKey)
            .into_iter()
            .map(str::to_owned),
    );
    let before = findings.len();
    findings.retain(|f| {
        !tests.contains(f.location.path.as_str())
            || match f.rule.meta().test_code {
                rules::TestCode::Skip => false,
                rules::TestCode::WithSecret => with_secret.contains(&f.location.path),
                rules::TestCode::Report => true,
            }
    });
    before - findings.len()
}

/// When every path named is a file (pre-commit passes staged files), read each file's
/// surroundings too (its git work tree, or outside any its own folder), so that
/// cross-file rules see the config beside a staged `.env`, but report only on the files
/// named. The current directory plays no part: the same files give the same findings
/// from anywhere.
fn plan(roots: &[Root]) -> Result<(Vec<Root>, Option<BTreeSet<String>>), Error> {
    let mut named = Vec::new();
    for root in roots {
        match root {
            Root::Named(p) if p.is_file() => named.push(p),
            _ => return Ok((roots.to_vec(), None)),
        }
    }
    if named.is_empty() {
        return Ok((roots.to_vec(), None));
    }
    let mut canonical = Vec::new();
    let mut only = BTreeSet::new();
    for p in &named {
        let c = p.canonicalize().map_err(|e| Error::Io {
            path: discover::display_for(p),
            source: e,
        })?;
        if !canonical.iter().any(|(_, x)| x == &c) {
            canonical.push((*p, c));
            only.insert(discover::display_for(p));
        }
    }
    let skip: Vec<PathBuf> = canonical.iter().map(|(_, c)| c.clone()).collect();
    let mut contexts: Vec<discover::Context> = Vec::new();
    for (given, c) in &canonical {
        let ctx = discover::context_of(given, c);
        if !contexts.iter().any(|x| x.dir == ctx.dir) {
            contexts.push(discover::Context {
                skip: skip.clone(),
                ..ctx
            });
        }
    }
    let mut all: Vec<Root> = contexts.into_iter().map(Root::Context).collect();
    all.extend(canonical.iter().map(|(g, _)| Root::Named((*g).clone())));
    Ok((all, Some(only)))
}

/// Run `rules` over the workspace and apply the inline suppressions (whether or not CL603,
/// which reports the unused ones, is among them).
#[must_use]
pub fn judge(ws: &Workspace, rules: &[RuleId]) -> Vec<Finding> {
    let mut findings = rules::run(ws, rules);
    suppress::apply(ws, &mut findings, &suppress::find(ws));
    findings
}

pub fn check(opts: &CheckOptions) -> Result<Checked, Error> {
    let mut scan_opts = opts.scan.clone();
    scan_opts
        .walk
        .exclude
        .extend(opts.config.exclude.iter().cloned());
    scan_opts.walk.force_exclude |= opts.config.force_exclude;
    let (roots, only) = plan(&scan_opts.roots)?;
    scan_opts.roots = roots;
    let mut scan = scan::scan(&scan_opts)?;
    scan.workspace
        .allow_settings
        .clone_from(&opts.config.allow_settings);
    let enabled = opts.config.enabled_rules();
    let mut findings = judge(&scan.workspace, &enabled);
    let in_tests_not_shown = if opts.include_tests {
        0
    } else {
        drop_test_code(&scan.workspace, &mut findings)
    };
    if let Some(only) = &only {
        findings.retain(|f| only.contains(&f.location.path));
    }
    for f in &mut findings {
        f.level = opts.config.level_for(f.rule, f.level);
    }
    crate::fix::complete(&mut findings);
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
        in_tests_not_shown,
    })
}
