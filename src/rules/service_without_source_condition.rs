//! CL503: a service principal without `aws:SourceAccount`/`aws:SourceArn`/`aws:SourceOrgID`
//! (or `aws:SourceOrgPaths`): the confused-deputy problem.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::trust::{PrincipalKind, arn_account_pinned};

pub const SOURCE_KEYS: [&str; 4] = [
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in &ws.trust_policies {
        for st in p
            .statements
            .iter()
            .filter(|s| s.allow && s.assumes() && !s.opaque)
        {
            if p.restricted(st, &SOURCE_KEYS, |c| {
                c.values
                    .iter()
                    .all(|v| v.unresolved || arn_account_pinned(&v.text))
            }) {
                continue;
            }
            for pr in st
                .principals
                .iter()
                .filter(|pr| pr.kind == PrincipalKind::Service)
            {
                let msg = format!(
                    "{}: the service {} can be made to assume this role on behalf of any account (no aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition)",
                    p.role, pr.value.text
                );
                out.push(Finding::new(
                    RuleId::ServiceWithoutSourceCondition,
                    ws.location(p.file, pr.value.span),
                    msg,
                ));
            }
        }
    }
}
