//! CL306: a credential source that can never win in the contexts the tree holds.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::chain::{Method, Status};
use crate::model::homes;
use crate::model::profiles::Loc;
use std::collections::{BTreeMap, BTreeSet};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let envs = distinct_for_the_chain(ws.env_contexts());
    for v in ws.home_views() {
        // Contexts: the default chain with no env file and with each env file, and every
        // defined profile passed in code.
        let mut runs = vec![homes::resolve(&ws.files, &v.home, &BTreeMap::new(), None)];
        runs.extend(envs.iter().map(|env| homes::resolve(&ws.files, &v.home, env, None)));
        runs.extend(
            v.profile_names()
                .into_iter()
                .map(|p| homes::resolve(&ws.files, &v.home, &BTreeMap::new(), Some(p))),
        );
        // Static keys of a profile named as a `source_profile` are used to assume that
        // role, even when the profile names itself (botocore then takes the profile's own
        // keys as the source): in the contexts selecting it, assume-role "wins" with them.
        let mut won: BTreeSet<Loc> = source_keys(v);
        let mut shadowed: BTreeMap<Loc, (Method, Method, Option<Loc>)> = BTreeMap::new();
        for r in &runs {
            let Some(w) = &r.winner else { continue };
            for p in &r.providers {
                let Some(loc @ Loc::File { .. }) = &p.location else {
                    continue;
                };
                match p.status {
                    Status::Wins => {
                        won.insert(loc.clone());
                    }
                    Status::Shadowed if !p.would_raise => {
                        // Config-file keys behind the same profile's credentials-file keys
                        // are CL302's finding.
                        if p.method == Method::ConfigFile && w.method == Method::SharedCredentials {
                            continue;
                        }
                        shadowed.entry(loc.clone()).or_insert((
                            p.method,
                            w.method,
                            w.location.clone(),
                        ));
                    }
                    _ => {}
                }
            }
        }
        for (loc, (method, by, by_loc)) in shadowed {
            if won.contains(&loc) {
                continue;
            }
            let Some(at) = ws.location_of(&loc) else {
                continue;
            };
            let others = super::common::other_modelled_sdks(ws);
            let msg = if others.is_empty() {
                format!(
                    "{} credentials here can never be used: in every context found in this tree, {} wins first",
                    method.as_str(),
                    by.as_str()
                )
            } else {
                // botocore's verdict; the other SDKs of the tree read the files otherwise.
                let users = used_by_other_sdks(ws, v, &at, &others);
                let tail = if users.is_empty() {
                    String::new()
                } else {
                    format!("; {}", users.join("; "))
                };
                format!(
                    "{} credentials here are never used by boto3 or the AWS CLI: in every context found in this tree, {} wins first{tail}",
                    method.as_str(),
                    by.as_str()
                )
            };
            let mut f = Finding::new(RuleId::ShadowedSource, at, msg);
            if let Some(rel) = by_loc.as_ref().and_then(|l| ws.location_of(l)) {
                f = f.related(rel, "this source wins");
            }
            out.push(f);
        }
    }
}

/// The other SDKs of the tree ([`super::common::other_modelled_sdks`]) that do sign with
/// the key id written at `at` (a static key line), under some profile of the home selected
/// by `AWS_PROFILE`, from their models: each as "the X SDK this tree uses (file) uses them
/// (profile `p`)". Empty when the line holds no key id.
fn used_by_other_sdks(
    ws: &Workspace,
    v: &homes::HomeView,
    at: &crate::model::Location,
    others: &[super::common::TreeSdk<'_>],
) -> Vec<String> {
    let Some(file) = ws.files.iter().find(|f| f.path() == at.path) else {
        return Vec::new();
    };
    let line = file.source.line_text(at.start.line);
    let Some(value) = line
        .split_once(['=', ':'])
        .map(|(_, v)| v.trim().trim_matches(['"', '\'']))
        .filter(|v| v.len() >= 16 && v.bytes().all(|b| b.is_ascii_alphanumeric()))
    else {
        return Vec::new();
    };
    let key = crate::keys::redact_key_id(value);
    let mut profiles = v.profile_names();
    if !profiles.contains(&"default") {
        profiles.insert(0, "default");
    }
    let mut found: Vec<Option<&str>> = vec![None; others.len()];
    for p in &profiles {
        let env = BTreeMap::from([("AWS_PROFILE".to_owned(), (*p).to_owned())]);
        let verdicts = homes::resolve_sdks(&ws.files, &v.home, &env);
        for (o, f) in others.iter().zip(found.iter_mut()) {
            if f.is_none()
                && verdicts
                    .iter()
                    .any(|r| r.sdk == o.used.sdk() && r.access_key.as_deref() == Some(key.as_str()))
            {
                *f = Some(p);
            }
        }
    }
    others
        .iter()
        .zip(found)
        .filter_map(|(o, p)| {
            Some(format!(
                "{} this tree uses ({}) does use them (profile `{}`)",
                o.used.in_messages(),
                o.shown_by,
                p?
            ))
        })
        .collect()
}

/// The environments, one of each kind the chain tells apart: the credential variables'
/// values matter to it only as set or empty (`Sim::env_provider`), so two `.env` files with
/// different key pairs and the same other settings give the same statuses to every file
/// source. A tree with hundreds of `.env` files resolves each home a few times, not
/// hundreds; the first of each kind is kept, which is the one that shadowed a source first.
fn distinct_for_the_chain(
    envs: Vec<(usize, BTreeMap<String, String>)>,
) -> Vec<BTreeMap<String, String>> {
    const VALUES_UNREAD: [&str; 4] = [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
    ];
    let mut seen = BTreeSet::new();
    envs.into_iter()
        .map(|(_, env)| env)
        .filter(|env| {
            let kind: BTreeMap<&str, &str> = env
                .iter()
                .map(|(k, v)| {
                    let v = if VALUES_UNREAD.contains(&k.as_str()) && !v.is_empty() {
                        "set"
                    } else {
                        v.as_str()
                    };
                    (k.as_str(), v)
                })
                .collect();
            seen.insert(format!("{kind:?}"))
        })
        .collect()
}

/// Where the static keys are that role profiles use as their source: for each profile
/// named by a `source_profile`, its credentials-file keys, or else its config-file keys
/// (the shared-credentials provider runs first).
fn source_keys(v: &homes::HomeView) -> BTreeSet<Loc> {
    let mut out = BTreeSet::new();
    for section in v.merged.values() {
        let Some(sp) = section.get("source_profile") else {
            continue;
        };
        let from_credentials = v
            .credentials
            .iter()
            .rev()
            .find(|(name, _)| *name == sp.value)
            .and_then(|(_, s)| s.get("aws_access_key_id"));
        let from_config = v
            .config
            .profiles
            .get(&sp.value)
            .and_then(|s| s.get("aws_access_key_id"));
        if let Some(id) = from_credentials.or(from_config) {
            out.insert(id.loc.clone());
        }
    }
    out
}
