//! CL203: a key id without its secret, or a secret without its key id.

use super::RuleId;
use super::common::stand_in;
use super::common::where_;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::model::slot::Slot;
use crate::model::{Group, GroupKind, Setting, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws.groups.iter().filter(|g| g.kind != GroupKind::Defaults) {
        // A call that also spreads `**kwargs` or `...rest` may pass the other half.
        if g.unseen_args {
            continue;
        }
        let set = |slot| {
            g.get(slot)
                .filter(|s| s.value.as_deref().is_some_and(|v| !v.trim().is_empty()))
        };
        let (id, secret) = (set(Slot::KeyId), set(Slot::Secret));
        let code = g.kind == GroupKind::Code;
        let msg = match (id, secret) {
            (Some(id), None) => Some((
                id,
                if code {
                    format!(
                        "`{}` is given without a secret access key{}; {}",
                        id.key,
                        where_(g),
                        sdk_outcome(ws, g)
                    )
                } else {
                    format!(
                        "`{}` is set without a secret access key{}; botocore raises PartialCredentialsError and stops looking",
                        id.key,
                        where_(g)
                    )
                },
            )),
            (None, Some(secret)) => Some((
                secret,
                if code {
                    format!(
                        "`{}` is given without an access key id{}; {}",
                        secret.key,
                        where_(g),
                        sdk_outcome(ws, g)
                    )
                } else {
                    format!(
                        "`{}` is set without an access key id{}; the secret is never used",
                        secret.key,
                        where_(g)
                    )
                },
            )),
            _ => None,
        };
        let Some((s, msg)) = msg else { continue };
        // Test code hands SDKs values that are no credential at all (`"foo"`, `"akid"`):
        // half of such a pair is a test of the SDK, not a broken setup.
        if code && literal_stand_in(s) {
            continue;
        }
        out.push(Finding::new(
            RuleId::PartialCredentials,
            ws.location(g.file, s.key_span),
            msg,
        ));
    }
}

fn literal_stand_in(s: &Setting) -> bool {
    s.literal && s.value.as_deref().is_some_and(|v| stand_in(s.slot, v))
}

/// What the SDK of a code group does with half a key pair, in its own terms.
fn sdk_outcome(ws: &Workspace, g: &Group) -> &'static str {
    let short = g.name.rsplit(['.', ' ']).next().unwrap_or("");
    match ws.files[g.file].kind {
        FileKind::Python | FileKind::Notebook => match short {
            "client" | "resource" | "create_client" => {
                "botocore raises PartialCredentialsError when the client is created"
            }
            _ => "botocore cannot sign a request with half a key pair",
        },
        FileKind::JavaScript | FileKind::TypeScript => {
            "the AWS SDK for JavaScript cannot sign a request with half a key pair"
        }
        FileKind::Go => {
            "the AWS SDK for Go's static provider returns a \"static credentials are empty\" error"
        }
        FileKind::Java => "the AWS SDK for Java throws when the credentials are created",
        _ => "the SDK cannot sign a request with half a key pair",
    }
}
