//! CL501: `Principal: "*"` (or `{"AWS": "*"}`) with no condition that restricts who.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::trust::{PrincipalKind, arn_account_pinned};

/// Condition keys that limit a wildcard principal to an organisation, an account, specific
/// principals or specific source resources. `sts:ExternalId` and MFA are not among them: an
/// external id is not a secret, and anyone can have MFA.
pub const WHO_KEYS: [&str; 10] = [
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:userid",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
];

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in &ws.trust_policies {
        for st in p
            .statements
            .iter()
            .filter(|s| s.allow && s.assumes() && !s.opaque)
        {
            let anyone = st
                .principals
                .iter()
                .filter(|pr| pr.kind == PrincipalKind::Anyone);
            for pr in anyone {
                if p.restricted(st, &WHO_KEYS, |c| {
                    c.values
                        .iter()
                        .all(|v| v.unresolved || arn_account_pinned(&v.text))
                }) {
                    continue;
                }
                let msg = format!(
                    "{}: any principal of any AWS account can assume this role (Principal \"*\" with no condition on the caller's organisation, account or ARN)",
                    p.role
                );
                out.push(Finding::new(
                    RuleId::TrustAnyPrincipal,
                    ws.location(p.file, pr.value.span),
                    msg,
                ));
            }
        }
    }
}
