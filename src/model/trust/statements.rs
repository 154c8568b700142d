//! Statements and the trust policy they make up: where it was found ([`Origin`]), and the
//! `Deny` guards that restrict every `Allow` of a role's trust policy.

use super::conditions::Condition;
use super::principals::{Account, Principal, PrincipalKind, is_whole_account};
use super::value::Value;
use crate::source::Span;

/// Where a policy was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A standalone policy document or a wrapper (`AssumeRolePolicyDocument` anywhere).
    Iam,
    CloudFormation,
    Terraform,
    /// A Terraform plan in JSON (`terraform show -json`): the planned trust documents.
    TerraformPlan,
}

#[derive(Clone, Debug)]
pub struct Statement {
    /// `Effect: Allow` (or an effect credlint cannot read, treated as `Allow`).
    pub allow: bool,
    pub span: Span,
    pub principals: Vec<Principal>,
    /// The `NotPrincipal` key, when the statement has one.
    pub not_principal: Option<Span>,
    /// The principals a `NotPrincipal` element lists (every principal *but* these).
    pub not_principals: Vec<Principal>,
    /// `Action` values; a `NotAction` statement is recorded as `*` at the `NotAction` key.
    pub actions: Vec<Value>,
    /// The `NotAction` key and the actions it lists (the statement covers every other one).
    pub not_action: Option<Span>,
    pub not_actions: Vec<Value>,
    pub conditions: Vec<Condition>,
    /// The statement's principals or conditions are written in a way credlint cannot read
    /// (a Terraform `dynamic` block, `Condition: !If …`, a variable): rules that depend on
    /// what is missing stay silent rather than guess.
    pub opaque: bool,
}

impl Statement {
    /// A statement that lets principals assume the role: an `sts:AssumeRole*` action, `sts:*`,
    /// `*`, an unresolved action, or no action at all.
    #[must_use]
    pub fn assumes(&self) -> bool {
        if !self.not_actions.is_empty() {
            // `NotAction`: every action but the listed ones; assumption is covered unless
            // all three assume actions are listed (exactly or by a pattern).
            let listed = |action: &str| {
                self.not_actions.iter().any(|n| {
                    let p = n.text.to_ascii_lowercase();
                    !n.unresolved
                        && match p.split_once('*') {
                            None => p == action,
                            Some((pre, post)) => {
                                action.starts_with(pre) && action[pre.len()..].ends_with(post)
                            }
                        }
                })
            };
            return [
                "sts:assumerole",
                "sts:assumerolewithwebidentity",
                "sts:assumerolewithsaml",
            ]
            .iter()
            .any(|a| !listed(a));
        }
        self.actions.is_empty()
            || self.actions.iter().any(|a| {
                let t = a.text.to_ascii_lowercase();
                a.unresolved || t == "*" || t == "sts:*" || t.starts_with("sts:assumerole")
            })
    }

    /// Web-identity or SAML assumption only (no plain `sts:AssumeRole`).
    #[must_use]
    pub fn only_saml(&self) -> bool {
        !self.actions.is_empty()
            && self.actions.iter().all(|a| {
                a.text.eq_ignore_ascii_case("sts:AssumeRoleWithSAML") || is_side_action(&a.text)
            })
    }

    pub fn conditions_on<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Condition> + 'a {
        self.conditions.iter().filter(move |c| c.key_is(key))
    }
}

/// STS actions that accompany an assumption but do not grant one on their own.
fn is_side_action(a: &str) -> bool {
    ["sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"]
        .iter()
        .any(|s| a.eq_ignore_ascii_case(s))
}

/// One role's trust policy.
#[derive(Clone, Debug)]
pub struct TrustPolicy {
    /// Index into [`crate::model::Workspace::files`] (set when the workspace is built).
    pub file: usize,
    /// The role: `CloudFormation` logical id, Terraform address, `RoleName`, or a
    /// description of the document.
    pub role: String,
    pub origin: Origin,
    pub statements: Vec<Statement>,
    /// Terraform: the `data.aws_iam_policy_document` this role's policy refers to, when it
    /// was not in the same file (resolved across the module when the workspace is built).
    pub terraform_ref: Option<String>,
    /// Terraform: this policy is the `data "aws_iam_policy_document"` of that name.
    pub terraform_data: Option<String>,
    /// The account that owns the role, when the file says so (the role's `Arn` beside its
    /// policy in `aws iam get-role` output or an account snapshot).
    pub role_account: Option<String>,
    /// A service-linked role (`/aws-service-role/` path): AWS owns its trust policy and
    /// users cannot edit it.
    pub service_linked: bool,
}

impl TrustPolicy {
    /// Keys that a `Deny` statement of this policy enforces for everyone: a `Deny` on `*`
    /// that covers assumption, with a negated condition (`StringNotEquals
    /// aws:PrincipalOrgID o-…`) whose values are specific. Such a guard restricts every
    /// `Allow` of the policy as well as the same condition inside it would. MFA guards
    /// (`BoolIfExists aws:MultiFactorAuthPresent false`, `Null … true`) are reported as
    /// `aws:MultiFactorAuthPresent`.
    #[must_use]
    pub fn deny_guards(&self) -> Vec<String> {
        self.deny_guards_for(None)
    }

    /// [`Self::deny_guards`], counting also the `Deny` statements that name `who`'s account
    /// (`Deny` `arn:aws:iam::A:root` unless `aws:PrincipalArn` is …), and a `Deny` with
    /// `NotPrincipal` that spares only specific principals of that account (reported as
    /// `aws:principalarn`): IAM refuses everyone else of the account.
    #[must_use]
    pub fn deny_guards_for(&self, who: Option<&Principal>) -> Vec<String> {
        let mut out = Vec::new();
        let acct = who.and_then(Principal::account);
        for st in self.statements.iter().filter(|s| !s.allow && s.assumes()) {
            if let (Some(Account::Literal(a)), Some(_)) = (acct, st.not_principal) {
                let spared_here = st.not_principals.iter().any(|np| {
                    np.account() == Some(Account::Literal(a)) && !is_whole_account(&np.value.text)
                });
                let spares_account = st.not_principals.iter().any(|np| {
                    np.kind == PrincipalKind::Anyone
                        || (np.account() == Some(Account::Literal(a))
                            && is_whole_account(&np.value.text))
                });
                if spared_here && !spares_account && st.conditions.is_empty() {
                    out.push("aws:principalarn".to_owned());
                }
            }
            let applies = st.principals.iter().any(|p| {
                p.kind == PrincipalKind::Anyone
                    || (acct.is_some() && is_whole_account(&p.value.text) && p.account() == acct)
            });
            if !applies {
                continue;
            }
            for c in &st.conditions {
                let base = c.base_operator();
                let mfa_false = base == "Bool"
                    && c.key_is("aws:MultiFactorAuthPresent")
                    && c.values
                        .iter()
                        .all(|v| v.text.eq_ignore_ascii_case("false"));
                let mfa_null = base == "Null"
                    && c.key_is("aws:MultiFactorAuthPresent")
                    && c.values.iter().all(|v| v.text.eq_ignore_ascii_case("true"));
                if mfa_false || mfa_null {
                    out.push("aws:multifactorauthpresent".to_owned());
                } else if c.negated()
                    && !c.values.is_empty()
                    && !c.values.iter().any(|v| c.matches_anything(v))
                {
                    out.push(c.key.to_ascii_lowercase());
                }
            }
        }
        out
    }

    /// Whether `st` is restricted by a condition on one of `keys` (in the statement, or as a
    /// deny guard of the policy); `accept` vets each restricting condition further.
    pub fn restricted(
        &self,
        st: &Statement,
        keys: &[&str],
        accept: impl Fn(&Condition) -> bool,
    ) -> bool {
        self.restricted_for(st, None, keys, accept)
    }

    /// [`Self::restricted`] for one principal of `st`: `Deny` statements aimed at its
    /// account count too (see [`Self::deny_guards_for`]).
    pub fn restricted_for(
        &self,
        st: &Statement,
        who: Option<&Principal>,
        keys: &[&str],
        accept: impl Fn(&Condition) -> bool,
    ) -> bool {
        st.conditions
            .iter()
            .any(|c| keys.iter().any(|k| c.key_is(k)) && c.restricts() && accept(c))
            || self
                .deny_guards_for(who)
                .iter()
                .any(|g| keys.iter().any(|k| g.eq_ignore_ascii_case(k)))
    }
}
