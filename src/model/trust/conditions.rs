//! Conditions of a statement: operators (set qualifiers, `IfExists`, negation, wildcards)
//! and whether a condition limits the requests an `Allow` matches.

use super::value::{Value, wildcard_only};
use crate::source::Span;

/// `ForAnyValue:` / `ForAllValues:` on a condition operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetQualifier {
    ForAnyValue,
    ForAllValues,
}

#[derive(Clone, Debug)]
pub struct Condition {
    /// The operator as written: `StringEquals`, `ForAnyValue:StringLike`, `BoolIfExists`, …
    pub operator: String,
    pub operator_span: Span,
    pub key: String,
    pub key_span: Span,
    pub values: Vec<Value>,
}

impl Condition {
    #[must_use]
    pub fn set_qualifier(&self) -> Option<SetQualifier> {
        let (q, _) = self.operator.split_once(':')?;
        if q.eq_ignore_ascii_case("ForAnyValue") {
            Some(SetQualifier::ForAnyValue)
        } else if q.eq_ignore_ascii_case("ForAllValues") {
            Some(SetQualifier::ForAllValues)
        } else {
            None
        }
    }

    /// The operator without its set qualifier and `IfExists` suffix (`StringLike`).
    #[must_use]
    pub fn base_operator(&self) -> &str {
        let op = self
            .operator
            .rsplit_once(':')
            .map_or(self.operator.as_str(), |(_, o)| o);
        op.strip_suffix("IfExists").unwrap_or(op)
    }

    /// `…IfExists`: true when the key is absent from the request.
    #[must_use]
    pub fn if_exists(&self) -> bool {
        self.operator.ends_with("IfExists")
    }

    /// `StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …: true for every value but the listed ones.
    #[must_use]
    pub fn negated(&self) -> bool {
        self.base_operator().contains("Not")
    }

    /// Operators in which `*` and `?` are wildcards (`ArnEquals` behaves as `ArnLike`).
    #[must_use]
    pub fn wildcards(&self) -> bool {
        matches!(self.base_operator(), "StringLike" | "ArnLike" | "ArnEquals")
    }

    #[must_use]
    pub fn key_is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }

    /// Whether a value matches anything: empty, or only wildcards under a wildcard operator.
    #[must_use]
    pub fn matches_anything(&self, v: &Value) -> bool {
        if v.unresolved {
            return false;
        }
        v.text.is_empty() || (self.wildcards() && wildcard_only(&v.text))
    }

    /// Whether this condition, in an `Allow` statement, limits the requests that match it:
    /// a positive operator (no `Not`, not `Null`), not `…IfExists` (true when the caller
    /// leaves the key out), not `ForAllValues` (true when the key is absent), with values that
    /// are not all-wildcards. Unresolved values count as restrictions (never guessed).
    #[must_use]
    pub fn restricts(&self) -> bool {
        !self.negated()
            && self.base_operator() != "Null"
            && !self.if_exists()
            && self.set_qualifier() != Some(SetQualifier::ForAllValues)
            && !self.values.is_empty()
            && !self.values.iter().any(|v| self.matches_anything(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators() {
        let c = |op: &str, v: &str| Condition {
            operator: op.into(),
            operator_span: Span::default(),
            key: "aws:PrincipalOrgID".into(),
            key_span: Span::default(),
            values: vec![Value {
                text: v.into(),
                span: Span::default(),
                unresolved: false,
                short: None,
            }],
        };
        assert!(c("StringEquals", "o-1").restricts());
        assert!(
            c("StringEquals", "*").restricts(),
            "StringEquals has no wildcards"
        );
        assert!(!c("StringLike", "*").restricts());
        assert!(!c("StringEqualsIfExists", "o-1").restricts());
        assert!(!c("StringNotEquals", "o-1").restricts());
        assert!(!c("ForAllValues:StringLike", "o-1/*").restricts());
        assert!(c("ForAnyValue:StringLike", "o-1/*").restricts());
        assert_eq!(
            c("ForAnyValue:StringLikeIfExists", "x").base_operator(),
            "StringLike"
        );
        assert_eq!(
            c("ForAnyValue:StringLike", "x").set_qualifier(),
            Some(SetQualifier::ForAnyValue)
        );
    }
}
