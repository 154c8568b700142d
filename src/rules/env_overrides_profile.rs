//! CL301: env keys and a profile variable in the same environment: the profile is ignored.
//! An environment is one env group (a dotenv or shell file, a CI or compose block, a
//! program's `os.environ` assignments) or a layered one that spans groups and files (a CI
//! step inside its job, a compose service over its `env_file:`, a program over the `.env`
//! it loads).

use super::RuleId;
use crate::finding::Finding;
use crate::model::sdk::detect::Used;
use crate::model::slot::Slot;
use crate::model::{Group, GroupKind, Setting, Workspace};

fn set(s: &Setting) -> bool {
    s.value.as_deref().is_some_and(|v| !v.is_empty())
}

/// A value that only forwards another shell variable (`$GRANTED_4`, `${ASSUME_1}`).
fn forwarded(s: &Setting) -> bool {
    let v = s.value.as_deref().unwrap_or_default();
    let name = v
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| v.strip_prefix('$'))
        .unwrap_or_default();
    !s.literal
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether both are forwarded from variables the file does not set: a credential helper's
/// shell integration (`set -gx AWS_PROFILE $GRANTED_4`, each in its own `if`) exports
/// whatever the tool printed, and whether both are non-empty is known only when it runs.
fn both_forwarded(id: &Setting, profile: &Setting) -> bool {
    forwarded(id) && forwarded(profile)
}

/// Where the two variables sit together, for the message.
fn place(g: &Group) -> String {
    match g.name.as_str() {
        "" => "in the same file".into(),
        "code" => "by the same code".into(),
        name => format!("in the same {name}"),
    }
}

/// The message for `p` (a profile variable) overridden by `id` (env keys), for the SDKs the
/// tree uses: botocore's (also the AWS CLI's, Go's and Rust's: their env provider wins over
/// a profile chosen by a variable, docs/SDK-CHAINS.md) unless the tree shows only the
/// JavaScript v3 SDK, and what JavaScript v3 does when it is present: with `AWS_PROFILE`
/// set it skips the env keys (`defaultProvider`; `AWS_DEFAULT_PROFILE` it ignores).
/// Returns the message and the label of the env keys.
fn message(ws: &Workspace, p: &Setting, id: &Setting, place: &str) -> (String, &'static str) {
    let value = p.value.as_deref().unwrap_or_default();
    let botocore = format!(
        "{}={value} is ignored: {} is set {place}, and botocore's env provider wins before any profile is read",
        p.key, id.key
    );
    let js = ws.sdks.get(&Used::JsV3).filter(|_| p.slot == Slot::Profile);
    let Some(shown_by) = js else {
        return (botocore, "these env keys win");
    };
    let others = ws.sdks.keys().any(|u| *u != Used::JsV3);
    if others {
        (
            format!(
                "{botocore}; the JavaScript v3 SDK this tree also uses ({shown_by}) does the opposite: it skips the env keys because AWS_PROFILE is set, and reads profile `{value}`"
            ),
            "these env keys win in botocore, not in JavaScript v3",
        )
    } else {
        (
            format!(
                "{}={value} and {} are set {place}: the JavaScript v3 SDK this tree uses ({shown_by}) skips the env keys because AWS_PROFILE is set, and reads profile `{value}`; botocore, the AWS CLI, Go and Rust would take the keys",
                p.key, id.key
            ),
            "JavaScript v3 skips these env keys",
        )
    }
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws.groups.iter().filter(|g| g.kind == GroupKind::Env) {
        let Some(id) = g.get(Slot::KeyId).filter(|s| set(s)) else {
            continue;
        };
        for slot in [Slot::DefaultProfile, Slot::Profile] {
            let Some(p) = g.get(slot).filter(|s| set(s) && !both_forwarded(id, s)) else {
                continue;
            };
            let (msg, label) = message(ws, p, id, &place(g));
            out.push(
                Finding::new(
                    RuleId::EnvOverridesProfile,
                    ws.location(g.file, p.key_span),
                    msg,
                )
                .related(ws.location(g.file, id.key_span), label),
            );
        }
    }
    // Environments assembled from several groups: reported when the winning key id and the
    // profile variable come from different groups (within one group, the loop above has
    // reported it), once per profile variable (a workflow's `AWS_PROFILE` under three jobs
    // with keys is one mistake).
    let mut reported = std::collections::HashSet::new();
    for l in &ws.layered_envs {
        let Some((id_group, id)) = l.get(ws, Slot::KeyId).filter(|(_, s)| set(s)) else {
            continue;
        };
        for slot in [Slot::DefaultProfile, Slot::Profile] {
            let Some((p_group, p)) = l
                .get(ws, slot)
                .filter(|(_, s)| set(s) && !both_forwarded(id, s))
            else {
                continue;
            };
            if p_group == id_group || !reported.insert((p_group, p.key_span)) {
                continue;
            }
            let (pg, ig) = (&ws.groups[p_group], &ws.groups[id_group]);
            let from = match ig.name.as_str() {
                "" => format!("by {}", ws.files[ig.file].path()),
                // Module-level code and a function of it: one process.
                "code" if ig.file == pg.file => "by code of the same file that runs with it".into(),
                "code" => format!("by the code of {}", ws.files[ig.file].path()),
                name if ig.file == pg.file => format!("by the {name}"),
                name => format!("by the {name} of {}", ws.files[ig.file].path()),
            };
            let (msg, label) = message(ws, p, id, &format!("for the same process {from}"));
            out.push(
                Finding::new(
                    RuleId::EnvOverridesProfile,
                    ws.location(pg.file, p.key_span),
                    msg,
                )
                .related(ws.location(ig.file, id.key_span), label),
            );
        }
    }
}
