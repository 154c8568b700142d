//! CL505: `Action: "*"` or `"sts:*"` (or `NotAction`) in a trust policy.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in &ws.trust_policies {
        for st in p.statements.iter().filter(|s| s.allow) {
            for a in st.actions.iter().filter(|a| {
                !a.unresolved && (a.text == "*" || a.text.eq_ignore_ascii_case("sts:*"))
            }) {
                let what = if matches!(
                    ws.files[p.file].source.slice(a.span),
                    "NotAction" | "not_actions"
                ) {
                    "`NotAction` in an Allow statement".to_owned()
                } else {
                    format!("`{}`", a.text)
                };
                let msg = format!(
                    "{}: {what} grants every STS action on this role (sts:TagSession, sts:SetSourceIdentity, sts:SetContext and every future one), not just assumption; list the sts:AssumeRole* actions the principals need",
                    p.role
                );
                out.push(Finding::new(
                    RuleId::TrustAllActions,
                    ws.location(p.file, a.span),
                    msg,
                ));
            }
        }
    }
}
