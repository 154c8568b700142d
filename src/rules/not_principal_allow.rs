//! CL506: `Allow` with `NotPrincipal` in a trust policy.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for p in &f.trust {
            for st in p.statements.iter().filter(|s| s.allow) {
                let Some(span) = st.not_principal else {
                    continue;
                };
                let msg = format!(
                    "{}: Allow with NotPrincipal lets every principal except the listed ones assume this role",
                    p.role
                );
                out.push(Finding::new(
                    RuleId::NotPrincipalAllow,
                    ws.location(i, span),
                    msg,
                ));
            }
        }
    }
}
