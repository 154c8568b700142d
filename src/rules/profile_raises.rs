//! CL407: a profile the tree defines that botocore cannot load. Each profile of each home
//! is resolved as if passed in code (`boto3.Session(profile_name=…)`), with no environment,
//! and whatever the model raises at a line of the tree is reported there, once per line and
//! error class. Errors another rule already reports at that line (a missing or cyclic
//! `source_profile`, partial keys, a broken role source, a file botocore cannot parse) are
//! left to that rule, so each cause gives one finding.

use super::RuleId;
use crate::finding::Finding;
use crate::keys;
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

/// botocore's complaint about a `source_profile` with nothing to sign with: the name of the
/// source profile. When the tree keeps a config file but no credentials file, the keys may
/// be in the user's own, uncommitted `~/.aws/credentials` (the usual way to share a
/// config): botocore raises on these files as they are, which is reported once per source
/// profile, with that possibility in the help; not for a sample config whose roles' account
/// is a placeholder.
fn source_without_keys(message: &str) -> Option<&str> {
    message
        .strip_prefix("The source profile \"")?
        .strip_suffix("\" must have credentials.")
}

/// Profiles whose source profile has no keys in a tree without a credentials file, by
/// (home, source profile): where botocore raises for each.
type KeylessSources = BTreeMap<(String, String), Vec<(String, crate::model::Location)>>;

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
    let mut keyless: KeylessSources = BTreeMap::new();
    for v in views {
        for name in v.profile_names() {
            let r = homes::resolve(&ws.files, &v.home, &env, Some(name));
            let Some(e) = r.error else { continue };
            if NOT_FROM_THE_FILES.contains(&e.class.as_str()) {
                continue;
            }
            let Some(loc @ Loc::File { path, line, .. }) = &e.location else {
                continue;
            };
            if covered.contains(&(path.as_str(), *line)) {
                continue;
            }
            let Some(at) = ws.location_of(loc) else {
                continue;
            };
            if v.home.credentials.is_none()
                && let Some(source) = source_without_keys(&e.message)
            {
                // A sample config (the role's account left for the reader to fill in)
                // expects the reader's own keys; CL403 leaves its ARNs alone for the same
                // reason.
                if v.merged[name]
                    .get("role_arn")
                    .is_some_and(|arn| keys::is_template_role_arn(&arn.value))
                {
                    continue;
                }
                keyless
                    .entry((v.home.dir.clone(), source.to_owned()))
                    .or_default()
                    .push((name.to_owned(), at));
                continue;
            }
            if !seen.insert((path.clone(), *line, e.class.clone())) {
                continue;
            }
            let msg = format!(
                "profile `{name}` cannot be loaded: botocore raises {}: {}{}",
                e.class,
                e.message,
                super::common::other_sdks(ws, &v.home, name)
            );
            out.push(Finding::new(RuleId::ProfileRaises, at, msg));
        }
    }
    for ((_, source), mut dependents) in keyless {
        dependents.sort_by(|a, b| (&a.1.path, a.1.start.line).cmp(&(&b.1.path, b.1.start.line)));
        dependents.dedup_by(|a, b| a.0 == b.0);
        let names: Vec<String> = dependents.iter().map(|(n, _)| format!("`{n}`")).collect();
        let mut rest = dependents.into_iter();
        let Some((_, at)) = rest.next() else { continue };
        let these = if names.len() == 1 {
            "profile"
        } else {
            "profiles"
        };
        let msg = format!(
            "{these} {} cannot be loaded from the files in this tree: botocore raises InvalidConfigError: the source profile `{source}` must have credentials (keys, credential_process, SSO or a role of its own), and the tree holds no credentials file that could give them",
            names.join(", ")
        );
        let mut f = Finding::new(RuleId::ProfileRaises, at, msg).help(format!(
                "If `{source}`'s keys are in a credentials file kept outside the repository, this is expected (suppress it in .credlint.toml); otherwise give `{source}` a credential source, or point `source_profile` at a profile that has one"
            ));
        for (name, loc) in rest {
            f = f.related(loc, format!("profile `{name}` takes `{source}` as its source too"));
        }
        out.push(f);
    }
}
