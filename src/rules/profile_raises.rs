//! CL407: a profile the tree defines that botocore cannot load. Each profile of each home
//! is resolved as if passed in code (`boto3.Session(profile_name=…)`), with no environment,
//! and whatever the model raises at a line of the tree is reported there, once per line and
//! error class. Errors another rule already reports at that line (a missing or cyclic
//! `source_profile`, partial keys, a broken role source, a file botocore cannot parse) are
//! left to that rule, so each cause gives one finding.

use super::RuleId;
use crate::finding::Finding;
use crate::model::profiles::Loc;
use crate::model::{Workspace, homes};
use std::collections::{BTreeMap, BTreeSet};

/// Errors that depend on the machine the program runs on rather than on the files: no
/// credentials in the environment or on an instance for `credential_source`, a missing
/// optional dependency, a config file named by an environment variable. Parse errors are
/// CL307's.
const NOT_FROM_THE_FILES: [&str; 4] = [
    "ConfigParseError",
    "CredentialRetrievalError",
    "MissingDependencyException",
    "ConfigNotFound",
];

/// The rules that already report some of these errors, each at the line that causes it.
const COVERED_BY: [RuleId; 6] = [
    RuleId::PartialCredentials,
    RuleId::SplitKeyPair,
    RuleId::MissingProfile,
    RuleId::InvalidRoleSource,
    RuleId::RoleChainCycle,
    RuleId::ConfigParseError,
];

/// botocore's complaint about a `source_profile` with nothing to sign with. When the tree
/// keeps a config file but no credentials file, the keys are in the user's own, uncommitted
/// `~/.aws/credentials` (the usual way to share a config), so the tree cannot tell.
fn source_without_keys(message: &str) -> bool {
    message.starts_with("The source profile ") && message.ends_with(" must have credentials.")
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let views = ws.home_views();
    if views.is_empty() {
        return;
    }
    let mut others = Vec::new();
    // Through the registry: a rule module never imports another.
    for rule in COVERED_BY {
        super::check(rule, ws, &mut others);
    }
    let covered: BTreeSet<(&str, u32)> = others
        .iter()
        .map(|f| (f.location.path.as_str(), f.location.start.line))
        .collect();
    let env = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for v in views {
        for name in v.profile_names() {
            let r = homes::resolve(&ws.files, &v.home, &env, Some(name));
            let Some(e) = r.error else { continue };
            if NOT_FROM_THE_FILES.contains(&e.class.as_str())
                || (v.home.credentials.is_none() && source_without_keys(&e.message))
            {
                continue;
            }
            let Some(loc @ Loc::File { path, line, .. }) = &e.location else {
                continue;
            };
            if covered.contains(&(path.as_str(), *line))
                || !seen.insert((path.clone(), *line, e.class.clone()))
            {
                continue;
            }
            let Some(at) = ws.location_of(loc) else {
                continue;
            };
            let msg = format!(
                "profile `{name}` cannot be loaded: botocore raises {}: {}{}",
                e.class,
                e.message,
                super::common::other_sdks(ws, &v.home, name)
            );
            out.push(Finding::new(RuleId::ProfileRaises, at, msg));
        }
    }
}
