//! CL301: env keys and a profile variable in the same env file: the profile is ignored.

use super::RuleId;
use crate::finding::Finding;
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws.groups.iter().filter(|g| g.kind == GroupKind::Env) {
        let set = |slot| {
            g.get(slot)
                .filter(|s| s.value.as_deref().is_some_and(|v| !v.is_empty()))
        };
        let Some(id) = set(Slot::KeyId) else { continue };
        for slot in [Slot::DefaultProfile, Slot::Profile] {
            let Some(p) = set(slot) else { continue };
            let msg = format!(
                "{}={} is ignored: {} is set in the same file, and botocore's env provider wins before any profile is read",
                p.key,
                p.value.as_deref().unwrap_or_default(),
                id.key
            );
            out.push(
                Finding::new(
                    RuleId::EnvOverridesProfile,
                    ws.location(g.file, p.key_span),
                    msg,
                )
                .related(ws.location(g.file, id.key_span), "these env keys win"),
            );
        }
    }
}
