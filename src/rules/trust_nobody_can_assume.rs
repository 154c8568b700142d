//! CL507: a web-identity trust statement that no token of its issuer can satisfy, as IAM
//! evaluates it: a literal subject no issuer produces (`StringEquals "repo:*"`), a
//! condition key of another provider (absent from these tokens, so a positive operator is
//! false), a `Null` condition on a claim every token carries, a `Deny` that refuses every
//! token, or a `NotAction` that leaves web-identity assumption out. The deployment is
//! broken, not safe: whoever expects to assume the role cannot.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::oidc::{Reason, Scope, info, judge_policy};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in &ws.trust_policies {
        for j in judge_policy(p) {
            if j.verdict.scope != Scope::Nobody {
                continue;
            }
            let table = info(j.issuer);
            let name = table.name;
            let (span, why) = match &j.verdict.reason {
                Reason::Value {
                    value,
                    span,
                    literal,
                } => {
                    let how = if *literal {
                        "compared literally (StringEquals, or StringLike without a wildcard: `*` and `?` are plain characters then)"
                    } else {
                        "as a pattern"
                    };
                    (
                        *span,
                        format!(
                            "the condition value `{value}`, {how}, matches no subject {name} issues (a pinned one looks like `{}`)",
                            table.pinned
                        ),
                    )
                }
                Reason::AbsentKey { key, span } => (
                    *span,
                    format!(
                        "`{key}` is not a key of the tokens this provider issues ({}), and a condition on a missing key is false",
                        j.host.as_deref().unwrap_or("another provider")
                    ),
                ),
                Reason::Null { key, span } => (
                    *span,
                    format!(
                        "`Null` requires `{key}` to be missing, but every {name} token carries it"
                    ),
                ),
                Reason::DeniedAll { span } => (
                    *span,
                    "a Deny statement without conditions refuses every token".to_owned(),
                ),
                Reason::NotCovered { span } => (
                    *span,
                    "its NotAction leaves sts:AssumeRoleWithWebIdentity out of the statement"
                        .to_owned(),
                ),
                _ => continue,
            };
            out.push(Finding::new(
                RuleId::TrustNobodyCanAssume,
                ws.location(p.file, span),
                format!(
                    "{}: nobody can assume this role through {name}: {why}; the role is unusable as written",
                    p.role
                ),
            ));
        }
    }
}
