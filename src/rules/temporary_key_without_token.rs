//! CL201: an `ASIA…` key id with no session token beside it.

use super::RuleId;
use super::common::where_;
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
