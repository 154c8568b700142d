//! CL501: `Principal: "*"` (or `{"AWS": "*"}`) with no condition that restricts who.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::trust::{PrincipalKind, WHO_KEYS, restricted_by};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for p in &f.trust {
            for st in p.statements.iter().filter(|s| s.allow && s.assumes()) {
                for pr in st
                    .principals
                    .iter()
                    .filter(|pr| pr.kind == PrincipalKind::Anyone)
                {
                    if restricted_by(st, &WHO_KEYS) {
                        continue;
                    }
                    let msg = format!(
                        "{}: any AWS principal in any account can assume this role (Principal \"*\" with no condition on the caller's organisation, account or ARN)",
                        p.role
                    );
                    out.push(Finding::new(
                        RuleId::TrustAnyPrincipal,
                        ws.location(i, pr.span),
                        msg,
                    ));
                }
            }
        }
    }
}
