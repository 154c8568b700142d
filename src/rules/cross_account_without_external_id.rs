//! CL502: an account principal without `sts:ExternalId`, MFA or an organisation condition.
//!
//! credlint cannot know which account owns the role, so every literal account principal is
//! "another account"; principals in the template's or configuration's own account
//! (`${AWS::AccountId}`, `data.aws_caller_identity`) and unresolved ones are not.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::trust::{Account, Condition, Statement, TrustPolicy};

/// MFA required: `Bool aws:MultiFactorAuthPresent true` or a bound on
/// `aws:MultiFactorAuthAge` (not `…IfExists`, which passes long-term keys without MFA), or a
/// `Deny` guard.
fn mfa(p: &TrustPolicy, st: &Statement) -> bool {
    let present = |c: &Condition| {
        c.base_operator() == "Bool" && c.values.iter().all(|v| v.text.eq_ignore_ascii_case("true"))
    };
    let age = |c: &Condition| c.base_operator().starts_with("NumericLess");
    p.restricted(st, &["aws:MultiFactorAuthPresent"], present)
        || p.restricted(st, &["aws:MultiFactorAuthAge"], age)
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in &ws.trust_policies {
        for st in p
            .statements
            .iter()
            .filter(|s| s.allow && s.assumes() && !s.opaque)
        {
            if p.restricted(
                st,
                &[
                    "sts:ExternalId",
                    "aws:PrincipalOrgID",
                    "aws:PrincipalOrgPaths",
                ],
                |_| true,
            ) || mfa(p, st)
            {
                continue;
            }
            for pr in &st.principals {
                let Some(Account::Literal(acct)) = pr.account() else {
                    continue;
                };
                let who = if pr.value.text.ends_with(":root") || pr.value.text.len() == 12 {
                    format!("any principal of account {acct} that is allowed sts:AssumeRole")
                } else {
                    format!("`{}` (account {acct})", pr.value.text)
                };
                let msg = format!(
                    "{}: {who} can assume this role with no sts:ExternalId, MFA or organisation condition",
                    p.role
                );
                out.push(Finding::new(
                    RuleId::CrossAccountWithoutExternalId,
                    ws.location(p.file, pr.value.span),
                    msg,
                ));
            }
        }
    }
}
