//! CL502: an account principal without `sts:ExternalId`, MFA or an organisation condition.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::trust::{PrincipalKind, Statement, restricted_by};

/// The account id of an AWS principal written literally (`123456789012`, `arn:…:iam::ACCOUNT:…`).
fn account(value: &str) -> Option<&str> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value);
    }
    let acct = value.strip_prefix("arn:")?.split(':').nth(3)?;
    (acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())).then_some(acct)
}

fn mfa(st: &Statement) -> bool {
    st.conditions.iter().any(|c| {
        (c.key_is("aws:MultiFactorAuthPresent")
            && c.values.iter().any(|(v, _)| v.eq_ignore_ascii_case("true")))
            || (c.key_is("aws:MultiFactorAuthAge") && !c.values.is_empty())
    })
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for p in &f.trust {
            for st in p.statements.iter().filter(|s| s.allow && s.assumes()) {
                if restricted_by(
                    st,
                    &[
                        "sts:ExternalId",
                        "aws:PrincipalOrgID",
                        "aws:PrincipalOrgPaths",
                    ],
                ) || mfa(st)
                {
                    continue;
                }
                for pr in st
                    .principals
                    .iter()
                    .filter(|pr| pr.kind == PrincipalKind::Aws && !pr.unresolved)
                {
                    let Some(acct) = account(&pr.value) else {
                        continue;
                    };
                    let msg = format!(
                        "{}: principals of account {acct} can assume this role with no sts:ExternalId, MFA or organisation condition",
                        p.role
                    );
                    out.push(Finding::new(
                        RuleId::CrossAccountWithoutExternalId,
                        ws.location(i, pr.span),
                        msg,
                    ));
                }
            }
        }
    }
}
