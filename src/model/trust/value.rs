//! A scalar of a trust policy ([`Value`]: a string as written, or an expression kept as its
//! text), and what a value's text says: wildcards, and whether an ARN pins its account.

use crate::source::Span;

/// A scalar of the policy: a string as written, or an expression kept as its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// The string, or for an expression its rendering (`${AWS::AccountId}`) or source text.
    pub text: String,
    pub span: Span,
    /// An intrinsic function, reference or interpolation: not known offline.
    pub unresolved: bool,
    /// For a `CloudFormation` intrinsic, its short form as a reader would write it
    /// (`!Ref Principal`, `!FindInMap [Accounts, !Ref Env, Id]`): what messages show.
    pub short: Option<String>,
}

impl Value {
    /// The value as messages show it: an intrinsic in its short form, anything else as it
    /// is written.
    #[must_use]
    pub fn shown(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.text)
    }
}

/// A value made of wildcards only (`*`, `?*`), or empty.
#[must_use]
pub fn wildcard_only(value: &str) -> bool {
    value.chars().all(|c| c == '*' || c == '?')
}

/// Whether a value has a `*` or `?` outside `${…}` placeholders.
#[must_use]
pub fn has_wildcard(value: &str) -> bool {
    let mut depth = 0usize;
    let b = value.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b'*' | b'?' if depth == 0 => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// An ARN-shaped condition value whose account is pinned: no wildcard in the account field
/// (ARNs without an account, such as S3's, name a global resource and count as pinned).
#[must_use]
pub fn arn_account_pinned(value: &str) -> bool {
    if !value.starts_with("arn:") {
        return !has_wildcard(value.split([':', '/']).next().unwrap_or(""));
    }
    let fields: Vec<&str> = value.split(':').collect();
    match fields.get(4) {
        Some(&"") => !has_wildcard(fields.get(5).copied().unwrap_or("*")),
        Some(acct) => !has_wildcard(acct),
        None => false,
    }
}
