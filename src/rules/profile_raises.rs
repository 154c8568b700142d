//! CL407: a profile the tree defines that botocore cannot load. Each profile of each home
//! is resolved as if passed in code (`boto3.Session(profile_name=…)`), with no environment,
//! and whatever the model raises at a line of the tree is reported there, once per line and
//! error class: `credlint .` reports an error exactly where `credlint resolve --profile`
//! raises. Errors another rule already reports at that line (a missing or cyclic
//! `source_profile`, partial keys, a broken role source, a file botocore cannot parse) are
//! left to that rule, so each cause gives one finding.
//!
//! Errors that the machine decides rather than the files (no credentials where
//! `credential_source` looks, a missing optional dependency) and a sample config's keyless
//! source profile are reported at `info`: true of the files as they stand, and told apart
//! from a profile that fails everywhere.

use super::RuleId;
use crate::finding::{Finding, Level};
use crate::keys;
use crate::model::profiles::Loc;
use crate::model::{Workspace, homes};
use std::collections::{BTreeMap, BTreeSet};

/// Errors another rule reports (a file botocore cannot parse is CL307's) or that cannot
/// arise from the tree with no environment (a config file named by `AWS_CONFIG_FILE`).
const REPORTED_ELSEWHERE: [&str; 2] = ["ConfigParseError", "ConfigNotFound"];

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
/// profile, with that possibility in the help.
fn source_without_keys(message: &str) -> Option<&str> {
    message
        .strip_prefix("The source profile \"")?
        .strip_suffix("\" must have credentials.")
}

/// Where the machine, not the files, decides whether botocore raises: the condition under
/// which it raises (for the message, after a space) and what to do about it (for the help).
fn machine_dependent(class: &str, message: &str, profile: &str) -> Option<(&'static str, String)> {
    match class {
        "CredentialRetrievalError" => {
            // "Error when retrieving credentials from SOURCE: …"
            let source = message
                .strip_prefix("Error when retrieving credentials from ")
                .and_then(|m| m.split_once(':'))
                .map_or("", |(s, _)| s);
            let place = match source {
                "Environment" => "a shell or service that sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                "EcsContainer" => "an ECS task or another container given AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI",
                _ => "an EC2 instance with an instance profile",
            };
            Some((
                " wherever its `credential_source` finds no credentials",
                format!(
                    "Expected if the programs that use `{profile}` run on {place}: `credlint resolve --profile {profile}` there shows what it finds. Anywhere else, give the profile a `source_profile` instead"
                ),
            ))
        }
        "MissingDependencyException" => Some((
            " where botocore is installed without its `crt` extra",
            format!(
                "Install `botocore[crt]` (or `boto3[crt]`) wherever Python programs use `{profile}`; the AWS CLI v2 bundles it. Suppress this in .credlint.toml if only the CLI uses the profile"
            ),
        )),
        _ => None,
    }
}

/// Profiles whose source profile has no keys in a tree without a credentials file, by
/// (home, source profile, whether the config is a sample): where botocore raises for each.
type KeylessSources = BTreeMap<(String, String, bool), Vec<(String, crate::model::Location)>>;

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
            if REPORTED_ELSEWHERE.contains(&e.class.as_str()) {
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
                let sample = v.merged[name]
                    .get("role_arn")
                    .is_some_and(|arn| keys::is_template_role_arn(&arn.value));
                keyless
                    .entry((v.home.dir.clone(), source.to_owned(), sample))
                    .or_default()
                    .push((name.to_owned(), at));
                continue;
            }
            if !seen.insert((path.clone(), *line, e.class.clone())) {
                continue;
            }
            let others = super::common::other_sdks(ws, &v.home, name);
            let machine = machine_dependent(&e.class, &e.message, name);
            let when = machine.as_ref().map_or("", |(when, _)| when);
            let mut f = Finding::new(
                RuleId::ProfileRaises,
                at,
                format!(
                    "profile `{name}` cannot be loaded{when}: botocore raises {}: {}{others}",
                    e.class, e.message
                ),
            );
            if let Some((_, help)) = machine {
                f = f.level(Level::Info).help(help);
            }
            out.push(f);
        }
    }
    for ((_, source, sample), mut dependents) in keyless {
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
        let mut f = Finding::new(RuleId::ProfileRaises, at, msg);
        f = if sample {
            f.level(Level::Info).help(format!(
                "A sample config (its roles' account is a placeholder for the reader to fill in): expected if readers keep `{source}`'s keys in their own credentials file. If this config is used as it stands, give `{source}` a credential source"
            ))
        } else {
            f.help(format!(
                "If `{source}`'s keys are in a credentials file kept outside the repository, this is expected (suppress it in .credlint.toml); otherwise give `{source}` a credential source, or point `source_profile` at a profile that has one"
            ))
        };
        for (name, loc) in rest {
            f = f.related(loc, format!("profile `{name}` takes `{source}` as its source too"));
        }
        out.push(f);
    }
}
