//! CL504: a web-identity principal that every identity of its issuer (or every workload of
//! one owner) can use: no condition on the subject, a wildcard subject, or a subject made
//! only of claims a workload chooses for itself.
//!
//! The verdict comes from [`crate::model::oidc`], which evaluates the statement's
//! conditions (and the policy's `Deny` statements) as IAM does. A statement that admits
//! nobody is CL507's, not this rule's.

use super::RuleId;
use crate::finding::{Finding, Level};
use crate::model::Workspace;
use crate::model::oidc::{Judged, Reason, Scope, info, judge_policy};
use crate::model::trust::Issuer;
use crate::source::Span;

/// The message and place for a verdict that admits too many.
fn describe(role: &str, j: &Judged<'_>) -> Option<(Level, Span, String)> {
    let table = info(j.issuer);
    let name = table.name;
    let provider = j.host.as_deref().map_or_else(
        || format!("the provider `{}`", j.principal.value.shown()),
        |h| format!("{name} (`{h}`)"),
    );
    let (unit, owner) = (table.unit, table.owner);
    match (&j.verdict.scope, &j.verdict.reason) {
        (Scope::Open, Reason::NoIdentityCondition { aud_only }) => {
            let key = j.host.as_deref().map_or_else(
                || format!("the token's `{}` claim", table.subject_claim),
                |h| format!("`{h}:{}`", table.subject_claim),
            );
            let also = if *aud_only {
                " (an `aud` condition does not identify the caller: every token of the issuer can carry it)"
            } else {
                ""
            };
            let which = if j.issuer == Issuer::Other {
                String::new()
            } else {
                format!(", any {unit} of any {owner}")
            };
            Some((
                Level::Error,
                j.principal.value.span,
                format!(
                    "{role}: everyone can assume this role: any identity {provider} issues{which}; there is no condition on {key}{also}"
                ),
            ))
        }
        (
            Scope::Open,
            Reason::ForAllValuesAbsent {
                operator,
                key,
                span,
            },
        ) => Some((
            Level::Error,
            *span,
            format!(
                "{role}: everyone can assume this role through {provider}: `{operator}` on `{key}` is true for any token that lacks the claim, so it restricts nothing; use StringEquals or StringLike"
            ),
        )),
        (Scope::Open, Reason::Value { value, span, .. }) => Some((
            Level::Error,
            *span,
            format!(
                "{role}: any {unit} of any {owner} can assume this role: the condition value `{value}` matches identities {provider} issues to anyone (a wildcard, or only claims a workload chooses itself); pin it like `{}`",
                table.pinned
            ),
        )),
        (Scope::Owner, Reason::Value { value, span, .. }) => Some((
            Level::Warning,
            *span,
            format!(
                "{role}: any {unit} of one {owner} can assume this role: the condition value `{value}` admits every {unit} of that {owner} ({name}); pin the {unit}, like `{}`",
                table.pinned
            ),
        )),
        _ => None,
    }
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in &ws.trust_policies {
        for j in judge_policy(p) {
            if let Some((level, span, message)) = describe(&p.role, &j) {
                out.push(
                    Finding::new(
                        RuleId::OidcWithoutSubject,
                        ws.location(p.file, span),
                        message,
                    )
                    .level(level),
                );
            }
        }
    }
}
