//! CL314: an environment or profile set-up of the tree on which the SDKs the tree uses pick
//! different credentials. Each env file, shell file, CI or compose block (with each home of
//! the tree, or none), and each home on its own, is resolved by every SDK the tree shows
//! (through `homes::resolve_sdks`, the models `resolve --sdk all` runs); when two of them
//! look up different profiles, or end differently (other credentials, one raises and
//! another does not), it is reported once, at the line that decides it.
//!
//! Left to other rules: env keys beside a profile variable (CL301 names each SDK's winner
//! there) and `AWS_DEFAULT_PROFILE` beside a different `AWS_PROFILE` (CL310). A program's own
//! environment (`os.environ[...]` in Python, `process.env` in JavaScript) runs under that
//! program's SDK only, so code groups are not set-ups here.

use super::RuleId;
use super::common::TreeSdk;
use crate::finding::Finding;
use crate::model::Location;
use crate::model::sdk::side::Verdict;
use crate::model::slot::Slot;
use crate::model::{Group, GroupKind, Workspace, homes};
use std::collections::BTreeMap;

/// The verdicts of the SDKs the tree uses, each with its SDK.
type Found<'a> = [(&'a TreeSdk<'a>, Verdict)];
/// [`Found`], owned.
type Verdicts<'a> = Vec<(&'a TreeSdk<'a>, Verdict)>;

/// What decides a verdict for this rule: the profile looked up, then the credentials
/// (method and key) the program signs with. An SDK that raises and one that finds nothing
/// agree (botocore's "nothing" is a `NoCredentialsError` at the first call, where the
/// JavaScript and Go SDKs raise while resolving), and so does instance metadata, which
/// credlint never asks, with either; a legacy boto config file only botocore reads is
/// CL602's; an SDK with credentials and one without do not.
fn outcome(v: &Verdict) -> (&str, Option<(&str, Option<&str>)>) {
    let creds = v
        .method
        .filter(|m| v.error.is_none() && !matches!(*m, "imds" | "boto"))
        .map(|m| (m, v.access_key.as_deref()));
    (v.profile.as_str(), creds)
}

/// One SDK's verdict in words.
fn says(v: &Verdict, env_place: &str) -> String {
    let key = v
        .access_key
        .as_deref()
        .map(|k| format!(" ({k})"))
        .unwrap_or_default();
    let profile = &v.profile;
    match (&v.error, v.method) {
        (Some(e), _) => format!("raises {e} looking up profile `{profile}`"),
        (None, Some("env")) => format!("uses the keys from {env_place}{key}"),
        (None, Some("profile")) => format!("uses the static keys of profile `{profile}`{key}"),
        (None, Some("assume-role")) => format!("assumes the role of profile `{profile}`"),
        (None, Some("process")) => format!("runs the credential_process of profile `{profile}`"),
        (None, Some("sso")) => format!("uses the SSO sign-in of profile `{profile}`"),
        (None, Some("web-identity")) => format!("assumes a role with a web identity token (profile `{profile}`)"),
        (None, Some(m)) => format!("uses profile `{profile}` ({m}{key})"),
        (None, None) => format!("finds no credentials (profile `{profile}`)"),
    }
}

/// The set-ups CL301 and CL310 already report, with each SDK's choice, and half key pairs.
fn covered(env: &BTreeMap<String, String>) -> bool {
    let set = |k: &str| env.get(k).is_some_and(|v| !v.is_empty());
    let keys_and_profile =
        set("AWS_ACCESS_KEY_ID") && (set("AWS_PROFILE") || set("AWS_DEFAULT_PROFILE"));
    let two_profiles = set("AWS_PROFILE")
        && set("AWS_DEFAULT_PROFILE")
        && env.get("AWS_PROFILE") != env.get("AWS_DEFAULT_PROFILE");
    // Half a key pair: the other half is set elsewhere (a CI secret, a wrapper), or it is
    // CL203's partial credentials; either way the environment here is not the whole set-up.
    let half_keys = set("AWS_ACCESS_KEY_ID") != set("AWS_SECRET_ACCESS_KEY");
    keys_and_profile || two_profiles || half_keys
}

/// The verdicts of the SDKs the tree uses, when they disagree.
fn disagreement<'u>(
    ws: &Workspace,
    sdks: &'u [TreeSdk<'u>],
    home: &homes::Home,
    env: &BTreeMap<String, String>,
) -> Option<Verdicts<'u>> {
    let all = homes::resolve_sdks(&ws.files, home, env);
    let mine: Vec<_> = sdks
        .iter()
        .filter_map(|s| Some((s, all.iter().find(|v| v.sdk == s.used.sdk())?.clone())))
        .collect();
    let first = outcome(&mine.first()?.1);
    mine.iter()
        .any(|(_, v)| outcome(v) != first)
        .then_some(mine)
}

fn message(found: &Found<'_>, setup: &str, env_place: &str) -> String {
    let parts: Vec<String> = found
        .iter()
        .map(|(s, v)| {
            format!(
                "{} ({}) {}",
                s.used.in_messages(),
                s.shown_by,
                says(v, env_place)
            )
        })
        .collect();
    let profiles: Vec<&str> = found.iter().map(|(_, v)| v.profile.as_str()).collect();
    let why = if profiles.windows(2).any(|w| w[0] != w[1]) {
        "they look up different profiles".to_owned()
    } else {
        let deciders: Vec<String> = found
            .iter()
            .map(|(s, v)| {
                format!(
                    "{}: {}",
                    s.used.name(),
                    v.decided_by.as_deref().unwrap_or("no provider decides")
                )
            })
            .collect();
        format!("the provider that decides differs ({})", deciders.join(", "))
    };
    format!(
        "the SDKs this tree uses pick different credentials {setup}: {}; {why}",
        parts.join("; ")
    )
}

/// The env set-up's deciding line: the profile variable the SDKs read differently, else
/// the profile variable, else the key id, else the first AWS setting.
fn deciding<'g>(g: &'g Group, found: &Found<'_>) -> Option<&'g crate::model::Setting> {
    let profiles_differ = found.windows(2).any(|w| w[0].1.profile != w[1].1.profile);
    let set = |slot| g.get(slot).filter(|s| s.value.as_deref().is_some_and(|v| !v.is_empty()));
    if profiles_differ {
        if let Some(d) = set(Slot::DefaultProfile) {
            return Some(d);
        }
    }
    set(Slot::Profile)
        .or_else(|| set(Slot::KeyId))
        .or_else(|| set(Slot::DefaultProfile))
        .or_else(|| g.settings.iter().find(|s| s.key.starts_with("AWS_")))
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let sdks = super::common::tree_sdks(ws);
    if sdks.len() < 2 {
        return;
    }
    let no_home = [homes::Home::default()];
    let homes: &[homes::Home] = if ws.homes.is_empty() {
        &no_home
    } else {
        &ws.homes
    };
    // Each home's own verdicts, worked out once, when an environment first needs them.
    let alone: Vec<std::cell::OnceCell<Option<Verdicts<'_>>>> =
        homes.iter().map(|_| std::cell::OnceCell::new()).collect();
    for g in ws
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Env && g.name != "code")
    {
        let env: BTreeMap<String, String> = g
            .settings
            .iter()
            .filter_map(|s| Some((s.key.clone(), s.value.clone()?)))
            .collect();
        if !env.keys().any(|k| k.starts_with("AWS_")) || covered(&env) {
            continue;
        }
        let path = ws.files[g.file].path();
        let env_place = if g.name.is_empty() {
            path.to_owned()
        } else {
            format!("the {} of {path}", g.name)
        };
        for (home, alone) in homes.iter().zip(&alone) {
            let Some(found) = disagreement(ws, &sdks, home, &env) else {
                continue;
            };
            // The home's files disagree on their own in the same way: that is the home's
            // finding, this environment adds nothing to it.
            let alone = alone.get_or_init(|| disagreement(ws, &sdks, home, &BTreeMap::new()));
            if alone.as_ref().is_some_and(|a| same(a, &found)) {
                continue;
            }
            let Some(at) = deciding(g, &found) else {
                continue;
            };
            let files = if home.credentials.is_none() && home.config.is_none() {
                String::new()
            } else {
                format!(" and the AWS files of {}", shown_dir(&home.dir))
            };
            let setup = if matches!(at.slot, Slot::Profile | Slot::DefaultProfile) {
                format!(
                    "with {}={} set in {env_place}{files}",
                    at.key,
                    at.value.as_deref().unwrap_or_default()
                )
            } else {
                format!("with {} set in {env_place}{files}", at.key)
            };
            out.push(Finding::new(
                RuleId::SdksDisagree,
                ws.location(g.file, at.key_span),
                message(&found, &setup, &env_place),
            ));
            break;
        }
    }
    // Each home on its own: the default profile, as every SDK loads it.
    for v in ws.home_views() {
        let Some(found) = disagreement(ws, &sdks, &v.home, &BTreeMap::new()) else {
            continue;
        };
        let Some(at) = home_location(ws, v) else {
            continue;
        };
        let setup = format!(
            "from the AWS files of {} with no profile selected",
            shown_dir(&v.home.dir)
        );
        out.push(Finding::new(
            RuleId::SdksDisagree,
            at,
            message(&found, &setup, "the environment"),
        ));
    }
}

/// Whether two sets of verdicts end the same way, SDK by SDK.
fn same(a: &Found<'_>, b: &Found<'_>) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| outcome(&x.1) == outcome(&y.1))
}

fn shown_dir(dir: &str) -> String {
    if dir.is_empty() {
        "the tree's root".to_owned()
    } else {
        format!("{dir}/")
    }
}

/// Where a home's default set-up is decided: the header of its `[default]` profile.
fn home_location(ws: &Workspace, v: &homes::HomeView) -> Option<Location> {
    let header = v.merged.get("default")?.header.as_ref()?;
    ws.location_of(header)
}
