//! CL101: an `AKIA…` key id anywhere in a file credlint reads.

use super::RuleId;
use crate::discover::GitStatus;
use crate::finding::{Finding, Level};
use crate::keys::{self, KeyIdShape};
use crate::model::Workspace;
use crate::source::Span;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for (s, e) in keys::find_key_ids(&f.source.text) {
            let id = &f.source.text[s..e];
            if keys::classify_key_id(id) != KeyIdShape::LongLived {
                continue;
            }
            let (level, tail) = if f.git == GitStatus::Ignored {
                (
                    Level::Warning,
                    "; git ignores this file, but the key still never expires",
                )
            } else {
                (Level::Error, "")
            };
            let msg = format!(
                "long-lived access key {} in {} file{tail}",
                keys::redact_key_id(id),
                f.kind.as_str()
            );
            out.push(
                Finding::new(
                    RuleId::LongLivedAccessKey,
                    ws.location(i, Span::new(s, e)),
                    msg,
                )
                .level(level),
            );
        }
    }
}
