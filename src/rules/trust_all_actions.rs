//! CL505: `Action: "*"` or `"sts:*"` in a trust policy.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for p in &f.trust {
            for st in p.statements.iter().filter(|s| s.allow) {
                for (a, span) in st
                    .actions
                    .iter()
                    .filter(|(a, _)| a == "*" || a.eq_ignore_ascii_case("sts:*"))
                {
                    let msg = format!(
                        "{}: `{a}` in a trust policy also grants sts:TagSession, sts:SetSourceIdentity and every future STS action; list sts:AssumeRole* explicitly",
                        p.role
                    );
                    out.push(Finding::new(
                        RuleId::TrustAllActions,
                        ws.location(i, *span),
                        msg,
                    ));
                }
            }
        }
    }
}
