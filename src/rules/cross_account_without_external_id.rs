//! CL502: another account as a whole (its root or its id) trusted without `sts:ExternalId`,
//! MFA or an organisation condition.
//!
//! Only whole accounts are reported: a specific role or user ARN is a deliberate choice of
//! one principal, and the external id is advice for third parties that assume roles for
//! many customers, not for principals one names. Principals in the role's own account are
//! not "another account": the template's or configuration's own account
//! (`${AWS::AccountId}`, `data.aws_caller_identity`) and, where the file records the role's
//! ARN (`aws iam get-role` output, account snapshots), the account of that ARN.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::trust::{
    Account, Condition, Principal, Statement, TrustPolicy, is_whole_account,
};

/// MFA required: `Bool aws:MultiFactorAuthPresent true` or a bound on
/// `aws:MultiFactorAuthAge` (not `…IfExists`, which passes long-term keys without MFA), or a
/// `Deny` guard.
fn mfa(p: &TrustPolicy, st: &Statement, pr: &Principal) -> bool {
    let present = |c: &Condition| {
        c.base_operator() == "Bool" && c.values.iter().all(|v| v.text.eq_ignore_ascii_case("true"))
    };
    let age = |c: &Condition| c.base_operator().starts_with("NumericLess");
    p.restricted_for(st, Some(pr), &["aws:MultiFactorAuthPresent"], present)
        || p.restricted_for(st, Some(pr), &["aws:MultiFactorAuthAge"], age)
}

/// Conditions that narrow the account to a third party's confirmed requests
/// (`sts:ExternalId`), to one organisation, or to specific principals of the account.
const NARROWING: [&str; 5] = [
    "sts:ExternalId",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalArn",
    "aws:userid",
];

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in &ws.trust_policies {
        for st in p
            .statements
            .iter()
            .filter(|s| s.allow && s.assumes() && !s.opaque)
        {
            for pr in &st.principals {
                let Some(Account::Literal(acct)) = pr.account() else {
                    continue;
                };
                if !is_whole_account(&pr.value.text) || p.role_account.as_deref() == Some(acct) {
                    continue;
                }
                if p.restricted_for(st, Some(pr), &NARROWING, |_| true) || mfa(p, st, pr) {
                    continue;
                }
                let msg = format!(
                    "{}: any principal of account {acct} that is allowed sts:AssumeRole can assume this role with no sts:ExternalId, MFA or organisation condition",
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
