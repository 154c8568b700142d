//! CL105: a CI workflow that hands long-lived keys to AWS instead of assuming a role
//! through OIDC.

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};
use crate::parse::Parsed;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        if !matches!(f.kind, FileKind::GithubWorkflow | FileKind::GitlabCi) {
            continue;
        }
        if let Parsed::Ci(ci) = &f.parsed {
            for step in &ci.aws_steps {
                let Some(key) = step.static_key else { continue };
                let role = if step.role_to_assume {
                    if step.id_token_write {
                        " to assume the role: the role could be assumed through OIDC with no key at all"
                    } else {
                        " to assume the role, and the job lacks `permissions: id-token: write` for OIDC"
                    }
                } else {
                    ""
                };
                let msg = format!(
                    "job {} gives configure-aws-credentials a long-lived access key{role}",
                    step.job
                );
                out.push(Finding::new(
                    RuleId::StaticKeysInCi,
                    ws.location(i, key),
                    msg,
                ));
            }
        }
        // Keys handed to every step through `env:` / `variables:` from CI secrets.
        for g in ws
            .groups
            .iter()
            .filter(|g| g.file == i && g.kind == GroupKind::Env)
        {
            let Some(id) = g.get(Slot::KeyId) else {
                continue;
            };
            if id.literal_value().is_some() {
                continue; // a literal key is CL101's finding
            }
            let msg = format!(
                "{} sets {} from CI secrets: a long-lived key handed to AWS on every run",
                g.name, id.key
            );
            out.push(Finding::new(
                RuleId::StaticKeysInCi,
                ws.location(i, id.key_span),
                msg,
            ));
        }
    }
}
