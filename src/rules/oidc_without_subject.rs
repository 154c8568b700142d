//! CL504: a web-identity principal without a `sub` condition, with a wildcard-only subject,
//! or with `ForAllValues` on the single-valued `sub` claim.
//!
//! Each condition on a claim of the provider restricts the caller to some *scope*: nobody
//! in particular (`Open`), one owner's repositories or projects (`Owner`), or something
//! specific (`Specific`). A condition's scope is its widest value (values are alternatives); a
//! statement's scope is its narrowest condition (conditions all apply). `Open` is an error,
//! `Owner` a warning.

use super::RuleId;
use crate::finding::{Finding, Level};
use crate::model::Workspace;
use crate::model::trust::{
    Condition, Issuer, Principal, PrincipalKind, SetQualifier, Statement, TrustPolicy, Value,
    condition_hosts, has_wildcard, issuer, issuer_host, wildcard_only,
};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Open,
    Owner,
    Specific,
}

/// `owner/rest` paths (GitHub `org/repo`, GitLab `group/sub/project`, workflow refs).
fn owner_path(v: &str, wild: bool) -> Scope {
    let (owner, rest) = v.split_once('/').unwrap_or((v, ""));
    if owner.is_empty() || (wild && has_wildcard(owner)) {
        Scope::Open
    } else if rest.is_empty() || (wild && has_wildcard(rest)) {
        Scope::Owner
    } else {
        Scope::Specific
    }
}

/// How much one subject value restricts. `wild`: the operator treats `*`/`?` as wildcards
/// (with `StringEquals` they are literal characters).
#[must_use]
pub fn subject_scope(iss: Issuer, value: &str, wild: bool) -> Scope {
    if value.is_empty() || (wild && wildcard_only(value)) {
        return Scope::Open;
    }
    let tokens: Vec<&str> = value.split(':').collect();
    // Compared literally, a subject without a single `claim:value` pair is one that these
    // issuers never produce: the condition admits nobody, which is broken but not open.
    let structured = matches!(
        iss,
        Issuer::GithubActions | Issuer::Gitlab | Issuer::TerraformCloud
    );
    if structured && !wild && tokens.len() < 2 {
        return Scope::Specific;
    }
    match iss {
        Issuer::GithubActions => {
            // claim:value pairs: repo:ORG/REPO:ref:…, or a custom template's claims
            // (repository_owner_id:…:repository_id:…:environment:…); immutable ids append
            // `@ID` to owner and repository names.
            let mut best = None::<Scope>;
            let mut i = 0;
            while i + 1 < tokens.len() {
                let (claim, v) = (tokens[i], tokens[i + 1]);
                if wild && has_wildcard(claim) {
                    break;
                }
                let scope = match claim {
                    "repo" | "repository" | "job_workflow_ref" | "workflow_ref" => {
                        Some(owner_path(v, wild))
                    }
                    "repository_owner" | "repository_owner_id" => {
                        Some(if wild && has_wildcard(v) {
                            Scope::Open
                        } else {
                            Scope::Owner
                        })
                    }
                    "repository_id" => Some(if wild && has_wildcard(v) {
                        Scope::Open
                    } else {
                        Scope::Specific
                    }),
                    _ => None,
                };
                if let Some(s) = scope {
                    best = Some(best.map_or(s, |b| b.max(s)));
                }
                i += 2;
            }
            best.unwrap_or(Scope::Open)
        }
        Issuer::Gitlab => {
            let mut best = None::<Scope>;
            let mut i = 0;
            while i + 1 < tokens.len() {
                let (claim, v) = (tokens[i], tokens[i + 1]);
                if wild && has_wildcard(claim) {
                    break;
                }
                let scope = match claim {
                    "project_path" => Some(owner_path(v, wild)),
                    "namespace_path" | "namespace_id" => Some(if wild && has_wildcard(v) {
                        Scope::Open
                    } else {
                        Scope::Owner
                    }),
                    "project_id" => Some(if wild && has_wildcard(v) {
                        Scope::Open
                    } else {
                        Scope::Specific
                    }),
                    _ => None,
                };
                if let Some(s) = scope {
                    best = Some(best.map_or(s, |b| b.max(s)));
                }
                i += 2;
            }
            best.unwrap_or(Scope::Open)
        }
        Issuer::TerraformCloud => {
            // organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:PHASE
            let get = |name: &str| {
                tokens
                    .iter()
                    .position(|t| *t == name)
                    .and_then(|i| tokens.get(i + 1))
                    .copied()
            };
            match get("organization") {
                None => Scope::Open,
                Some(org) if wild && has_wildcard(org) => Scope::Open,
                Some(_) => match get("workspace") {
                    Some(ws) if !(wild && has_wildcard(ws)) => Scope::Specific,
                    _ => Scope::Owner,
                },
            }
        }
        Issuer::CircleCi => {
            // org/ORG_ID/project/PROJECT_ID/user/USER_ID
            let parts: Vec<&str> = value.split('/').collect();
            let at = |name: &str| {
                parts
                    .iter()
                    .position(|t| *t == name)
                    .and_then(|i| parts.get(i + 1))
                    .copied()
            };
            match (at("org"), at("project")) {
                (Some(org), _) if wild && has_wildcard(org) => Scope::Open,
                (None, _) => Scope::Open,
                (Some(_), Some(p)) if !(wild && has_wildcard(p)) => Scope::Specific,
                _ => Scope::Owner,
            }
        }
        Issuer::Eks => {
            // system:serviceaccount:NAMESPACE:NAME
            match tokens.as_slice() {
                ["system", "serviceaccount", ns, rest @ ..] => {
                    if wild && has_wildcard(ns) {
                        Scope::Open
                    } else if rest.is_empty() || rest.iter().any(|r| wild && has_wildcard(r)) {
                        Scope::Owner
                    } else {
                        Scope::Specific
                    }
                }
                _ if wild && value.starts_with(['*', '?']) => Scope::Open,
                _ => Scope::Specific,
            }
        }
        Issuer::Bitbucket | Issuer::Google | Issuer::Cognito | Issuer::Other => {
            if wild && value.starts_with(['*', '?']) {
                Scope::Open
            } else if wild && has_wildcard(value) && iss == Issuer::Other {
                Scope::Owner
            } else {
                Scope::Specific
            }
        }
    }
}

/// How much a condition on `HOST:claim` restricts; `None` for claims that identify nothing.
fn claim_scope(iss: Issuer, claim: &str, value: &str, wild: bool) -> Option<Scope> {
    let open_if_wild = |s: Scope| {
        if value.is_empty() || (wild && has_wildcard(value)) {
            Scope::Open
        } else {
            s
        }
    };
    match (iss, claim) {
        (_, "sub") if iss != Issuer::Cognito => Some(subject_scope(iss, value, wild)),
        (Issuer::Cognito, "aud" | "sub") => Some(open_if_wild(Scope::Specific)),
        (Issuer::GithubActions, "repository" | "job_workflow_ref" | "workflow_ref") => {
            Some(owner_path(value, wild))
        }
        (Issuer::GithubActions, "repository_id") | (Issuer::Gitlab, "project_id") => {
            Some(open_if_wild(Scope::Specific))
        }
        // An environment name is not unique across GitHub: it pins a repository only
        // together with an owner or repository claim.
        (Issuer::GithubActions, "repository_owner" | "repository_owner_id" | "environment")
        | (Issuer::Gitlab, "namespace_path" | "namespace_id") => Some(open_if_wild(Scope::Owner)),
        (Issuer::Gitlab, "project_path") => Some(owner_path(value, wild)),
        _ => None,
    }
}

/// The claim a condition key names for `host` (`HOST:claim`, or `${…}:claim` when the host
/// is an expression).
/// Condition keys are case-insensitive: the claim comes back in lower case.
fn claim_of(c: &Condition, host: Option<&str>) -> Option<String> {
    let (h, claim) = c.key.rsplit_once(':')?;
    let matches = if let Some(host) = host {
        h.eq_ignore_ascii_case(host) || h.contains("${")
    } else {
        let h = h.to_ascii_lowercase();
        !h.starts_with("aws") && h != "sts" && h != "saml"
    };
    matches.then(|| claim.to_ascii_lowercase())
}

struct Verdict {
    level: Level,
    span: Span,
    message: String,
}

fn widest<'v>(iss: Issuer, c: &'v Condition, claim: &str) -> Option<(Scope, &'v Value)> {
    c.values
        .iter()
        .filter_map(|v| {
            let scope = if v.unresolved && !v.text.contains("${") {
                Scope::Specific
            } else {
                claim_scope(iss, claim, &v.text, c.wildcards())?
            };
            Some((scope, v))
        })
        .min_by_key(|(s, _)| *s)
}

fn judge(p: &TrustPolicy, st: &Statement, pr: &Principal, host: Option<&str>) -> Option<Verdict> {
    let iss = host.map_or(Issuer::Other, issuer);
    let name = host.map_or_else(|| "this identity provider".to_owned(), str::to_owned);
    let mut best: Option<(Scope, &Value)> = None;
    let mut for_all: Option<&Condition> = None;
    let mut aud = false;
    for c in &st.conditions {
        let Some(claim) = claim_of(c, host) else {
            continue;
        };
        let claim = claim.as_str();
        if claim == "aud" && iss != Issuer::Cognito {
            aud = true;
            continue;
        }
        let lax = c.negated()
            || c.base_operator() == "Null"
            || (c.if_exists() && claim != "sub" && claim != "aud");
        if lax {
            continue;
        }
        if c.set_qualifier() == Some(SetQualifier::ForAllValues) {
            if claim == "sub" || claim == "aud" {
                for_all.get_or_insert(c);
            }
            continue;
        }
        if let Some(w) = widest(iss, c, claim) {
            if best.is_none_or(|(s, _)| w.0 > s) {
                best = Some(w);
            }
        }
    }
    let role = &p.role;
    match best {
        Some((Scope::Specific, _)) => None,
        Some((Scope::Owner, v)) => Some(Verdict {
            level: Level::Warning,
            span: v.span,
            message: format!(
                "{role}: the condition value `{}` lets every repository or project of one owner ({}) assume this role; pin the repository and branch or environment",
                v.text,
                iss.display()
            ),
        }),
        Some((Scope::Open, v)) => Some(Verdict {
            level: Level::Error,
            span: v.span,
            message: format!(
                "{role}: the subject `{}` matches any identity {} issues, in any account or organisation",
                v.text,
                iss.display()
            ),
        }),
        None => {
            if let Some(c) = for_all {
                return Some(Verdict {
                    level: Level::Error,
                    span: c.key_span,
                    message: format!(
                        "{role}: `{}` on the single-valued `{}` claim is true for any token, so it restricts nothing; use StringEquals or StringLike",
                        c.operator, c.key
                    ),
                });
            }
            let claim = if iss == Issuer::Cognito { "aud" } else { "sub" };
            let also = if aud {
                " (an `aud` condition does not identify the caller: every token of the issuer can carry it)"
            } else {
                ""
            };
            // Name the key only when the issuer is known: never a placeholder as a host.
            let key = host.map_or_else(
                || format!("the token's `{claim}` claim"),
                |h| format!("`{h}:{claim}`"),
            );
            Some(Verdict {
                level: Level::Error,
                span: pr.value.span,
                message: format!(
                    "{role}: any identity of {name} can assume this role: there is no condition on {key}{also}"
                ),
            })
        }
    }
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in &ws.trust_policies {
        for st in p
            .statements
            .iter()
            .filter(|s| s.allow && s.assumes() && !s.opaque && !s.only_saml())
        {
            for pr in st
                .principals
                .iter()
                .filter(|pr| pr.kind == PrincipalKind::Federated)
            {
                let text = pr.value.text.to_ascii_lowercase();
                if text.contains("saml") {
                    continue;
                }
                let verdict = if pr.value.unresolved {
                    // `aws_iam_openid_connect_provider.github.arn`: the condition keys name
                    // the issuer; with none, only an explicit web-identity action says OIDC.
                    let hosts = condition_hosts(st);
                    if let Some(h) = hosts.first() {
                        judge(p, st, pr, Some(h))
                    } else if st
                        .actions
                        .iter()
                        .any(|a| a.text.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity"))
                    {
                        judge(p, st, pr, None)
                    } else {
                        None
                    }
                } else {
                    let Some(host) = issuer_host(&pr.value.text) else {
                        continue;
                    };
                    judge(p, st, pr, Some(host))
                };
                if let Some(v) = verdict {
                    out.push(
                        Finding::new(
                            RuleId::OidcWithoutSubject,
                            ws.location(p.file, v.span),
                            v.message,
                        )
                        .level(v.level),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_subjects() {
        let g = |v| subject_scope(Issuer::GithubActions, v, true);
        assert_eq!(g("*"), Scope::Open);
        assert_eq!(g("repo:*"), Scope::Open);
        assert_eq!(g("repo:*/*"), Scope::Open);
        assert_eq!(g("repo:/app:*"), Scope::Open);
        assert_eq!(g("repo:my-org*"), Scope::Open);
        assert_eq!(g("environment:prod"), Scope::Open);
        assert_eq!(g("ref:refs/heads/main"), Scope::Open);
        assert_eq!(g("repo:my-org/*"), Scope::Owner);
        assert_eq!(g("repo:my-org/*:ref:refs/heads/main"), Scope::Owner);
        assert_eq!(g("repository_owner:my-org:environment:prod"), Scope::Owner);
        assert_eq!(g("repo:my-org/app:*"), Scope::Specific);
        assert_eq!(g("repo:my-org/app:ref:refs/heads/main"), Scope::Specific);
        assert_eq!(g("repo:my-org/app:environment:prod"), Scope::Specific);
        assert_eq!(
            g("repo:octocat@123456/my-repo@456789:ref:refs/heads/main"),
            Scope::Specific
        );
        assert_eq!(
            g("repository_owner_id:123:repository_id:456:environment:prod"),
            Scope::Specific
        );
        assert_eq!(g("repo:${var.org}/${var.repo}:*"), Scope::Specific);
        // StringEquals: `*` is a literal character, so the value names nothing open.
        assert_eq!(
            subject_scope(Issuer::GithubActions, "repo:my-org/*", false),
            Scope::Specific
        );
    }

    #[test]
    fn other_issuers() {
        let cases = [
            (Issuer::Gitlab, "project_path:grp/*", Scope::Owner),
            (
                Issuer::Gitlab,
                "project_path:grp/app:ref_type:branch:ref:main",
                Scope::Specific,
            ),
            (Issuer::Gitlab, "project_path:*", Scope::Open),
            (Issuer::TerraformCloud, "organization:acme:*", Scope::Owner),
            (
                Issuer::TerraformCloud,
                "organization:acme:project:p:workspace:prod:run_phase:*",
                Scope::Specific,
            ),
            (Issuer::TerraformCloud, "organization:*", Scope::Open),
            (Issuer::Eks, "system:serviceaccount:*", Scope::Open),
            (Issuer::Eks, "system:serviceaccount:ci:*", Scope::Owner),
            (
                Issuer::Eks,
                "system:serviceaccount:ci:deployer",
                Scope::Specific,
            ),
            (
                Issuer::CircleCi,
                "org/abc/project/def/user/*",
                Scope::Specific,
            ),
            (Issuer::CircleCi, "org/abc/project/*", Scope::Owner),
            (Issuer::Bitbucket, "{repo-uuid}:*", Scope::Specific),
            (Issuer::Google, "*", Scope::Open),
        ];
        for (iss, value, want) in cases {
            assert_eq!(subject_scope(iss, value, true), want, "{iss:?} {value}");
        }
    }
}
