//! CL312: `AWS_BEARER_TOKEN_BEDROCK` in an environment. For Bedrock, botocore (and the
//! other SDKs that support Bedrock API keys) send this token instead of any credential
//! the provider chain would find, unless auth is configured in code; an empty value still
//! selects bearer auth, and every Bedrock call then fails. An environment is one env group
//! or a layered one (a CI step inside its job, a compose service over its `env_file:`, a
//! program over the `.env` it loads).

use super::RuleId;
use crate::finding::Finding;
use crate::model::slot::Slot;
use crate::model::{GroupKind, Setting, Workspace};
use std::collections::HashSet;

/// The credential the chain would use in this environment, for the message.
fn chain_source(get: impl Fn(Slot) -> Option<(usize, Setting)>) -> Option<(usize, String)> {
    let set = |s: &Setting| s.value.as_deref().is_some_and(|v| !v.is_empty());
    if let Some((g, id)) = get(Slot::KeyId).filter(|(_, s)| set(s)) {
        return Some((g, format!("the access keys ({})", id.key)));
    }
    [Slot::Profile, Slot::DefaultProfile]
        .into_iter()
        .find_map(|slot| {
            let (g, p) = get(slot).filter(|(_, s)| set(s))?;
            Some((g, format!("profile `{}` ({})", p.value.as_deref()?, p.key)))
        })
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let mut reported = HashSet::new();
    let mut report = |g: usize, token: &Setting, other: Option<String>| {
        if reported.contains(&(g, token.key_span)) {
            return;
        }
        let msg = match (token.value.as_deref(), other) {
            (Some(""), _) => format!(
                "{} is set but empty: botocore only checks that the variable exists, so Bedrock clients still choose bearer auth and every call fails",
                token.key
            ),
            // Set from a reference (`${{ secrets.X }}`, `${X}`): set all the same.
            (_, Some(other)) => format!(
                "{} outranks {other} for Bedrock: Bedrock clients send the token instead of any credential the chain finds, so Bedrock calls run as the token's identity and other services as {other}",
                token.key
            ),
            _ => return,
        };
        reported.insert((g, token.key_span));
        out.push(Finding::new(
            RuleId::BearerTokenOverridesChain,
            ws.location(ws.groups[g].file, token.key_span),
            msg,
        ));
    };
    for (gi, g) in ws
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.kind == GroupKind::Env)
    {
        let Some(token) = g.get(Slot::BearerToken) else {
            continue;
        };
        let other = chain_source(|slot| g.get(slot).map(|s| (gi, s.clone()))).map(|(_, o)| o);
        report(gi, token, other);
    }
    // Layered environments: the token in one layer, the chain's credentials in another.
    for l in &ws.layered_envs {
        let Some((tg, token)) = l.get(ws, Slot::BearerToken) else {
            continue;
        };
        if let Some((og, other)) = chain_source(|slot| l.get(ws, slot).map(|(g, s)| (g, s.clone())))
            && og != tg
        {
            let file = ws.files[ws.groups[og].file].path();
            report(tg, token, Some(format!("{other} from {file}")));
        }
    }
}
