//! CL503: a service principal without `aws:SourceAccount`/`aws:SourceArn`/`aws:SourceOrgID`
//! (the confused-deputy problem).

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::trust::{PrincipalKind, restricted_by};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for p in &f.trust {
            for st in p.statements.iter().filter(|s| s.allow && s.assumes()) {
                if restricted_by(
                    st,
                    &[
                        "aws:SourceAccount",
                        "aws:SourceArn",
                        "aws:SourceOrgID",
                        "aws:SourceOrgPaths",
                    ],
                ) {
                    continue;
                }
                for pr in st
                    .principals
                    .iter()
                    .filter(|pr| pr.kind == PrincipalKind::Service)
                {
                    let msg = format!(
                        "{}: the service {} can assume this role on behalf of any account (no aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition)",
                        p.role, pr.value
                    );
                    out.push(Finding::new(
                        RuleId::ServiceWithoutSourceCondition,
                        ws.location(i, pr.span),
                        msg,
                    ));
                }
            }
        }
    }
}
