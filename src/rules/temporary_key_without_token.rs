//! CL201: an `ASIA…` key id with no session token beside it.

use super::RuleId;
use crate::finding::Finding;
use crate::keys::{self, KeyIdShape};
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws.groups.iter().filter(|g| g.kind != GroupKind::Defaults) {
        let Some(id) = g.get(Slot::KeyId) else {
            continue;
        };
        let Some(v) = id.literal_value() else {
            continue;
        };
        if keys::classify_key_id(v) != KeyIdShape::Temporary {
            continue;
        }
        if g.get(Slot::Token)
            .is_some_and(|t| t.value.as_deref().is_some_and(|v| !v.trim().is_empty()))
        {
            continue;
        }
        let msg = format!(
            "temporary key {} has no session token{}; AWS rejects it without one",
            keys::redact_key_id(v),
            where_(g)
        );
        out.push(Finding::new(
            RuleId::TemporaryKeyWithoutToken,
            ws.location(g.file, id.value_span),
            msg,
        ));
    }
}

pub(super) fn where_(g: &crate::model::Group) -> String {
    match g.kind {
        GroupKind::Env if g.name.is_empty() => String::new(),
        GroupKind::Env => format!(" in {}", g.name),
        GroupKind::Code if g.name.contains(' ') => format!(" in a {}", g.name),
        GroupKind::Code if g.name.ends_with('}') => format!(" in {}", g.name),
        GroupKind::Code => format!(" in {}(…)", g.name),
        GroupKind::StepInputs => format!(" in the inputs of {}", g.name),
        GroupKind::Section | GroupKind::Defaults => format!(" in [{}]", g.name),
    }
}
