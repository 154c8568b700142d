//! CL506: `Allow` with `NotPrincipal` in a trust policy.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in &ws.trust_policies {
        for st in p.statements.iter().filter(|s| s.allow) {
            let Some(span) = st.not_principal else {
                continue;
            };
            let msg = format!(
                "{}: Allow with NotPrincipal lets every principal of every account except the listed ones assume this role",
                p.role
            );
            out.push(Finding::new(
                RuleId::NotPrincipalAllow,
                ws.location(p.file, span),
                msg,
            ));
        }
    }
}
