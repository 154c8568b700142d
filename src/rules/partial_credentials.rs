//! CL203: a key id without its secret, or a secret without its key id.

use super::RuleId;
use super::temporary_key_without_token::where_;
use crate::finding::Finding;
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws.groups.iter().filter(|g| g.kind != GroupKind::Defaults) {
        let set = |slot| {
            g.get(slot)
                .filter(|s| s.value.as_deref().is_some_and(|v| !v.trim().is_empty()))
        };
        let (id, secret) = (set(Slot::KeyId), set(Slot::Secret));
        let msg = match (id, secret) {
            (Some(id), None) => Some((
                id,
                format!(
                    "`{}` is set without a secret access key{}; botocore raises PartialCredentialsError and stops looking",
                    id.key,
                    where_(g)
                ),
            )),
            (None, Some(secret)) => Some((
                secret,
                format!(
                    "`{}` is set without an access key id{}; the secret is never used",
                    secret.key,
                    where_(g)
                ),
            )),
            _ => None,
        };
        if let Some((s, msg)) = msg {
            out.push(Finding::new(
                RuleId::PartialCredentials,
                ws.location(g.file, s.key_span),
                msg,
            ));
        }
    }
}
