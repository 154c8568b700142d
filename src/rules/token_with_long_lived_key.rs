//! CL202: a session token beside an `AKIA…` key id.

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
        if keys::classify_key_id(v) != KeyIdShape::LongLived {
            continue;
        }
        let Some(token) = g
            .get(Slot::Token)
            .filter(|t| t.value.as_deref().is_some_and(|v| !v.trim().is_empty()))
        else {
            continue;
        };
        let msg = format!(
            "session token `{}` beside long-lived key {}{}: long-lived keys have no token, so the pair is stale or mixed up",
            token.key,
            keys::redact_key_id(v),
            where_(g)
        );
        out.push(
            Finding::new(
                RuleId::TokenWithLongLivedKey,
                ws.location(g.file, token.key_span),
                msg,
            )
            .related(ws.location(g.file, id.value_span), "the long-lived key id"),
        );
    }
}
