//! Principals of a statement (`AWS`, `Service`, `Federated`, `*`, …) and the account an
//! AWS principal belongs to.

use super::value::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `Principal: "*"` or `{"AWS": "*"}`: every principal of every account.
    Anyone,
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

#[derive(Clone, Debug)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub value: Value,
}

/// The account an AWS principal belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Account<'a> {
    /// A literal 12-digit account id.
    Literal(&'a str),
    /// The template's or configuration's own account (`${AWS::AccountId}`,
    /// `data.aws_caller_identity.<x>.account_id`).
    Own,
    /// An expression credlint cannot resolve.
    Unknown,
}

impl Principal {
    /// The account of an AWS account principal (`123456789012`, `arn:…:iam::ACCOUNT:root`,
    /// a user or role ARN, an assumed-role session). `None` for other principals (services,
    /// unique ids such as `AROA…`, `*`).
    #[must_use]
    pub fn account(&self) -> Option<Account<'_>> {
        if self.kind != PrincipalKind::Aws {
            return None;
        }
        let v = self.value.text.as_str();
        // Split on the colons outside `${…}` (`${AWS::AccountId}` has two of its own).
        let mut fields = Vec::with_capacity(6);
        let (mut depth, mut from) = (0usize, 0usize);
        for (i, c) in v.char_indices() {
            match c {
                '{' if v[..i].ends_with('$') => depth += 1,
                '}' if depth > 0 => depth -= 1,
                ':' if depth == 0 && fields.len() < 5 => {
                    fields.push(&v[from..i]);
                    from = i + 1;
                }
                _ => {}
            }
        }
        fields.push(&v[from..]);
        let acct = if fields.len() == 6 && fields[0] == "arn" {
            if fields[2] != "iam" && fields[2] != "sts" {
                return None;
            }
            fields[4]
        } else {
            v
        };
        if acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) {
            Some(Account::Literal(acct))
        } else if is_own_account(acct) {
            Some(Account::Own)
        } else if acct.contains("${") || self.value.unresolved {
            Some(Account::Unknown)
        } else {
            None
        }
    }
}

/// An account as a whole: its id or its root ARN (not a user, role or session in it).
#[must_use]
pub fn is_whole_account(principal: &str) -> bool {
    let p = principal.trim();
    (p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()))
        || (p.starts_with("arn:") && p.ends_with(":root"))
        || (p.starts_with("${") && p.ends_with('}') && is_own_account(p))
}

/// `${AWS::AccountId}` or a Terraform `data.aws_caller_identity.<name>.account_id`.
fn is_own_account(s: &str) -> bool {
    let Some(inner) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) else {
        return false;
    };
    let inner = inner.trim();
    inner == "AWS::AccountId"
        || (inner.starts_with("data.aws_caller_identity.") && inner.ends_with(".account_id"))
}
