//! Who can assume a role through a web-identity (OIDC) principal, as IAM evaluates the
//! trust statement: the issuers credlint knows (one table, [`ISSUERS`]), and a small
//! condition evaluator for the claims of their tokens.
//!
//! IAM's rules that matter here (IAM User Guide, "Condition operators" and "Single-valued vs.
//! multivalued context keys"): the conditions of a statement must all hold and the values of
//! one condition are alternatives; `StringEquals` compares literally (`*` is a character),
//! `StringLike` treats `*` and `?` as wildcards; a positive operator on a key absent from the
//! request is false, `…IfExists` and negated operators are true on an absent key,
//! `ForAllValues:` is true and `ForAnyValue:` false on an absent key, and on a present
//! single-valued key both behave as the plain operator; `Null key true` holds only for an
//! absent key. A condition key `HOST:claim` exists only for tokens of the provider `HOST`
//! (`token.actions.githubusercontent.com/ORG:sub` is not a key of tokens from the plain
//! GitHub provider). A `Deny` that applies unless a claim matches narrows the `Allow`.

use super::trust::{
    Condition, Issuer, PrincipalKind, SetQualifier, Statement, TrustPolicy, Value, has_wildcard,
    wildcard_only,
};
use crate::source::Span;

/// What one issuer's tokens look like, for the verdict "who can assume".
#[derive(Debug)]
pub struct IssuerInfo {
    pub issuer: Issuer,
    /// As messages name it.
    pub name: &'static str,
    /// What one workload is (`repository`), and what groups them (`owner`).
    pub unit: &'static str,
    pub owner: &'static str,
    /// The claim that identifies the caller (`sub`; `aud` for Cognito, whose `aud` is the
    /// identity pool).
    pub subject_claim: &'static str,
    /// Claim names that open a subject (`repo` in `repo:ORG/REPO:…`); a literal subject
    /// that starts with anything else is never issued. Empty: subjects are not structured.
    pub subject_starts: &'static [&'static str],
    /// Claims whose value names one workload (`repository_id`), or one owner.
    pub unit_claims: &'static [&'static str],
    pub owner_claims: &'static [&'static str],
    /// Claims a workload chooses for itself (GitHub custom subject templates, environment
    /// and workflow names): any owner can reproduce them, so they pin nobody on their own.
    pub influenced: &'static [&'static str],
    /// Claims whose values are free text that may hold `:` (a workflow's name): in a
    /// subject, everything after one can be forged by a workload that sets a template
    /// starting with that claim, so only the claims before it pin anything.
    pub free_text: &'static [&'static str],
    /// A pinned subject, for messages and documentation.
    pub pinned: &'static str,
}

/// Every issuer credlint knows; `Issuer::Other` last.
pub const ISSUERS: [IssuerInfo; 9] = [
    IssuerInfo {
        issuer: Issuer::GithubActions,
        name: "GitHub Actions",
        unit: "repository",
        owner: "owner",
        subject_claim: "sub",
        subject_starts: &[
            "repo",
            "repository",
            "repository_owner",
            "repository_owner_id",
            "repository_id",
            "repository_visibility",
            "job_workflow_ref",
            "workflow_ref",
            "workflow",
            "environment",
            "ref",
            "ref_type",
            "ref_protected",
            "context",
            "actor",
            "actor_id",
            "event_name",
            "head_ref",
            "base_ref",
            "enterprise",
            "enterprise_id",
            "runner_environment",
            "job_workflow_sha",
            "workflow_sha",
            "run_attempt",
        ],
        unit_claims: &[
            "repo",
            "repository",
            "repository_id",
            "job_workflow_ref",
            "workflow_ref",
        ],
        owner_claims: &[
            "repository_owner",
            "repository_owner_id",
            "enterprise",
            "enterprise_id",
            "actor",
            "actor_id",
        ],
        influenced: &[
            "workflow",
            "environment",
            "ref",
            "ref_type",
            "ref_protected",
            "context",
            "event_name",
            "head_ref",
            "base_ref",
            "runner_environment",
            "repository_visibility",
            "job_workflow_sha",
            "workflow_sha",
            "run_attempt",
        ],
        free_text: &["workflow", "environment"],
        pinned: "repo:my-org/deploy:environment:production",
    },
    IssuerInfo {
        issuer: Issuer::Gitlab,
        name: "GitLab",
        unit: "project",
        owner: "group",
        subject_claim: "sub",
        subject_starts: &["project_path"],
        unit_claims: &["project_path", "project_id"],
        owner_claims: &["namespace_path", "namespace_id"],
        influenced: &[
            "ref",
            "ref_type",
            "ref_protected",
            "environment",
            "pipeline_source",
        ],
        free_text: &[],
        pinned: "project_path:my-group/deploy:ref_type:branch:ref:main",
    },
    IssuerInfo {
        issuer: Issuer::TerraformCloud,
        name: "Terraform Cloud",
        unit: "workspace",
        owner: "organization",
        subject_claim: "sub",
        subject_starts: &["organization"],
        unit_claims: &["workspace", "terraform_workspace_id"],
        owner_claims: &["organization", "terraform_organization_id"],
        influenced: &["run_phase", "project"],
        free_text: &[],
        pinned: "organization:acme:project:infra:workspace:prod:run_phase:apply",
    },
    IssuerInfo {
        issuer: Issuer::Bitbucket,
        name: "Bitbucket Pipelines",
        unit: "repository",
        owner: "workspace",
        subject_claim: "sub",
        subject_starts: &[],
        unit_claims: &["repositoryUuid"],
        owner_claims: &["workspaceUuid"],
        influenced: &["deploymentEnvironmentUuid", "branchName"],
        free_text: &[],
        pinned: "{REPOSITORY-UUID}:{STEP-UUID}",
    },
    IssuerInfo {
        issuer: Issuer::CircleCi,
        name: "CircleCI",
        unit: "project",
        owner: "organization",
        subject_claim: "sub",
        subject_starts: &["org"],
        unit_claims: &["oidc.circleci.com/project-id"],
        owner_claims: &[],
        influenced: &["oidc.circleci.com/context-ids", "oidc.circleci.com/vcs-ref"],
        free_text: &[],
        pinned: "org/ORG-ID/project/PROJECT-ID/user/USER-ID",
    },
    IssuerInfo {
        issuer: Issuer::Eks,
        name: "EKS",
        unit: "service account",
        owner: "namespace",
        subject_claim: "sub",
        subject_starts: &["system"],
        unit_claims: &[],
        owner_claims: &[],
        influenced: &[],
        free_text: &[],
        pinned: "system:serviceaccount:deploy:deployer",
    },
    IssuerInfo {
        issuer: Issuer::Google,
        name: "Google",
        unit: "account",
        owner: "project",
        subject_claim: "sub",
        subject_starts: &[],
        unit_claims: &[],
        owner_claims: &[],
        influenced: &[],
        free_text: &[],
        pinned: "112233445566778899000",
    },
    IssuerInfo {
        issuer: Issuer::Cognito,
        name: "Cognito",
        unit: "identity",
        owner: "identity pool",
        subject_claim: "aud",
        subject_starts: &[],
        unit_claims: &["sub"],
        owner_claims: &["aud"],
        influenced: &[],
        free_text: &[],
        pinned: "eu-west-1:0f1e2d3c-aaaa-bbbb-cccc-111122223333",
    },
    IssuerInfo {
        issuer: Issuer::Other,
        name: "this identity provider",
        unit: "identity",
        owner: "owner",
        subject_claim: "sub",
        subject_starts: &[],
        unit_claims: &[],
        owner_claims: &[],
        influenced: &[],
        free_text: &[],
        pinned: "the exact subject of one workload",
    },
];

/// The table row of an issuer.
#[must_use]
pub fn info(iss: Issuer) -> &'static IssuerInfo {
    ISSUERS
        .iter()
        .find(|i| i.issuer == iss)
        .unwrap_or(&ISSUERS[ISSUERS.len() - 1])
}

/// Who a condition (or a statement) lets in, widest first: every identity of the issuer,
/// every workload of one owner, one workload, nobody at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Open,
    Owner,
    Specific,
    Nobody,
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

/// Whether some claim that may open a subject matches the literal start of `value` (the
/// text before its first wildcard when `wild`).
fn starts_like_a_subject(i: &IssuerInfo, value: &str, wild: bool) -> bool {
    if i.subject_starts.is_empty() {
        return true;
    }
    let literal = if wild {
        value.split(['*', '?']).next().unwrap_or("")
    } else {
        value
    };
    match literal.split_once([':', '/']) {
        Some((first, _)) => i.subject_starts.contains(&first),
        // No complete first claim yet: a wildcard may still complete one.
        None if wild && literal.len() < value.len() => {
            i.subject_starts.iter().any(|s| s.starts_with(literal))
        }
        None => false,
    }
}

/// Characters no GitHub owner or repository name, no GitLab path, no Terraform Cloud
/// organisation or workspace and no Kubernetes name can hold: compared literally, a value
/// with them is never issued.
fn impossible_literal(iss: Issuer, value: &str) -> bool {
    matches!(
        iss,
        Issuer::GithubActions
            | Issuer::Gitlab
            | Issuer::TerraformCloud
            | Issuer::Eks
            | Issuer::CircleCi
            | Issuer::Google
            | Issuer::Cognito
    ) && value.contains(['*', '?'])
}

/// How much one subject value restricts. `wild`: the operator treats `*`/`?` as wildcards
/// (with `StringEquals` they are literal characters).
#[must_use]
pub fn subject_scope(iss: Issuer, value: &str, wild: bool) -> Scope {
    let wild = wild && has_wildcard(value);
    if value.contains("${") {
        // An interpolation (`repo:${var.org}/${var.repo}:*`): never guessed.
        return Scope::Specific;
    }
    if value.is_empty() {
        return Scope::Nobody;
    }
    if wild && wildcard_only(value) {
        return Scope::Open;
    }
    let table = info(iss);
    if (!wild && impossible_literal(iss, value)) || !starts_like_a_subject(table, value, wild) {
        return Scope::Nobody;
    }
    if wild && value.starts_with(['*', '?']) {
        return Scope::Open;
    }
    let tokens: Vec<&str> = value.split(':').collect();
    match iss {
        Issuer::GithubActions | Issuer::Gitlab => {
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
                if best.is_none() && table.free_text.contains(&claim) {
                    // `workflow:deploy:repo:my-org/app:…`: a workflow named
                    // `deploy:repo:my-org/app:…` in any repository yields the same subject.
                    break;
                }
                let scope = if ["repo", "project_path", "job_workflow_ref", "workflow_ref"]
                    .contains(&claim)
                    || (claim == "repository" && iss == Issuer::GithubActions)
                {
                    Some(owner_path(v, wild))
                } else if table.unit_claims.contains(&claim) {
                    Some(if wild && has_wildcard(v) {
                        Scope::Open
                    } else {
                        Scope::Specific
                    })
                } else if table.owner_claims.contains(&claim) {
                    Some(if wild && has_wildcard(v) {
                        Scope::Open
                    } else {
                        Scope::Owner
                    })
                } else {
                    None
                };
                if let Some(s) = scope {
                    best = Some(best.map_or(s, |b| b.max(s)));
                }
                i += 2;
            }
            // Only claims a workload chooses (`workflow:deploy`, `environment:prod`): any
            // repository that sets the same subject template reproduces the value.
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
        Issuer::Eks => match tokens.as_slice() {
            // system:serviceaccount:NAMESPACE:NAME
            ["system", "serviceaccount", ns, rest @ ..] => {
                if wild && has_wildcard(ns) {
                    Scope::Open
                } else if rest.is_empty() || rest.iter().any(|r| wild && has_wildcard(r)) {
                    Scope::Owner
                } else {
                    Scope::Specific
                }
            }
            _ if wild => Scope::Open,
            _ => Scope::Nobody,
        },
        Issuer::Bitbucket | Issuer::Google | Issuer::Cognito | Issuer::Other => {
            if wild && has_wildcard(value) && iss == Issuer::Other {
                Scope::Owner
            } else {
                Scope::Specific
            }
        }
    }
}

/// How much a condition value on `HOST:claim` restricts; `None` for claims that identify
/// nobody (`aud` outside Cognito, claims a workload chooses).
fn claim_scope(iss: Issuer, claim: &str, value: &str, wild: bool) -> Option<Scope> {
    let table = info(iss);
    let wild = wild && has_wildcard(value);
    let open_if_wild = |s: Scope| {
        if value.is_empty() {
            Scope::Nobody
        } else if wild {
            Scope::Open
        } else {
            s
        }
    };
    if value.contains("${") {
        return Some(Scope::Specific);
    }
    match (iss, claim) {
        (Issuer::Cognito, "aud") => Some(open_if_wild(Scope::Specific)),
        (_, c) if c == table.subject_claim => Some(subject_scope(iss, value, wild)),
        (Issuer::GithubActions, "repository" | "job_workflow_ref" | "workflow_ref")
        | (Issuer::Gitlab, "project_path") => Some(owner_path(value, wild)),
        (_, c) if table.unit_claims.contains(&c) => Some(open_if_wild(Scope::Specific)),
        // An environment name is not unique across GitHub: it pins a repository only
        // together with an owner or repository claim.
        (Issuer::GithubActions, "environment") => Some(open_if_wild(Scope::Owner)),
        (_, c) if table.owner_claims.contains(&c) => Some(open_if_wild(Scope::Owner)),
        _ => None,
    }
}

/// Why a statement admits the identities it admits: the value, condition or key that
/// decides, for the message.
#[derive(Clone, Debug)]
pub enum Reason {
    /// No condition on a claim that identifies the caller (`aud` only, or nothing).
    NoIdentityCondition { aud_only: bool },
    /// This value of this condition is the widest alternative.
    Value {
        value: String,
        span: Span,
        literal: bool,
    },
    /// The key does not exist in this issuer's tokens.
    AbsentKey { key: String, span: Span },
    /// A `Null` condition that holds for no token.
    Null { key: String, span: Span },
    /// `ForAllValues:` on a key tokens may lack: true when the key is absent.
    ForAllValuesAbsent {
        operator: String,
        key: String,
        span: Span,
    },
    /// A `Deny` without conditions refuses every token.
    DeniedAll { span: Span },
    /// `NotAction` leaves web-identity assumption out of the statement.
    NotCovered { span: Span },
}

/// The verdict for one web-identity principal of one statement.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub scope: Scope,
    pub reason: Reason,
}

/// Which issuer a condition key belongs to, relative to the provider the statement trusts.
enum KeyOf {
    /// A claim of this provider's tokens (lower case).
    Claim(String),
    /// A key of another provider: absent from this provider's tokens.
    Absent,
    /// Not a token claim (`aws:…`, `sts:…`), or written as an expression.
    Other,
}

fn key_of(key: &str, host: Option<&str>, host_known: bool) -> KeyOf {
    let Some((h, claim)) = key.rsplit_once(':') else {
        return KeyOf::Other;
    };
    if claim.contains(['$', '{', '}']) {
        return KeyOf::Other;
    }
    if h.contains("${") {
        // `!Sub "${OidcHost}:sub"`: the claim is written out, the host is the provider's
        // own (a template names its provider's keys after it); never taken as absent.
        return KeyOf::Claim(claim.to_ascii_lowercase());
    }
    let lower = h.to_ascii_lowercase();
    if lower.starts_with("aws") || lower == "sts" || lower == "saml" || lower.is_empty() {
        return KeyOf::Other;
    }
    match host {
        Some(host) if h.eq_ignore_ascii_case(host.trim_end_matches('/')) => {
            KeyOf::Claim(claim.to_ascii_lowercase())
        }
        Some(_) if host_known => KeyOf::Absent,
        Some(_) => KeyOf::Other,
        None => KeyOf::Claim(claim.to_ascii_lowercase()),
    }
}

/// Claims every token of these issuers carries.
fn always_present(claim: &str) -> bool {
    matches!(claim, "sub" | "aud" | "iss")
}

/// What one condition of an `Allow` admits: `None` when it says nothing about identity.
fn condition_scope(
    iss: Issuer,
    c: &Condition,
    host: Option<&str>,
    host_known: bool,
    aud: &mut bool,
) -> Option<(Scope, Reason)> {
    let base = c.base_operator();
    match key_of(&c.key, host, host_known) {
        KeyOf::Other => None,
        KeyOf::Absent => {
            let holds = if base == "Null" {
                c.values.iter().all(|v| v.text.eq_ignore_ascii_case("true"))
            } else {
                c.if_exists()
                    || c.negated()
                    || c.set_qualifier() == Some(SetQualifier::ForAllValues)
            };
            (!holds).then(|| {
                (
                    Scope::Nobody,
                    Reason::AbsentKey {
                        key: c.key.clone(),
                        span: c.key_span,
                    },
                )
            })
        }
        KeyOf::Claim(claim) => {
            let present = always_present(&claim);
            if base == "Null" {
                let wants_absent = c.values.iter().all(|v| v.text.eq_ignore_ascii_case("true"));
                return (present && wants_absent).then(|| {
                    (
                        Scope::Nobody,
                        Reason::Null {
                            key: c.key.clone(),
                            span: c.key_span,
                        },
                    )
                });
            }
            if c.negated() || !base.starts_with("String") {
                return None;
            }
            if claim == "aud" && iss != Issuer::Cognito {
                *aud = true;
                return None;
            }
            // Claims a token may lack: `…IfExists` and `ForAllValues:` pass a token
            // without them, so they restrict nothing.
            if !present && (c.if_exists() || c.set_qualifier() == Some(SetQualifier::ForAllValues))
            {
                return None;
            }
            let wild = c.wildcards();
            let widest = c
                .values
                .iter()
                .filter_map(|v| {
                    let s = if v.unresolved && !v.text.contains("${") {
                        Scope::Specific
                    } else {
                        claim_scope(iss, &claim, &v.text, wild)?
                    };
                    Some((s, v))
                })
                .min_by_key(|(s, _)| *s)?;
            let (scope, v): (Scope, &Value) = widest;
            Some((
                scope,
                Reason::Value {
                    value: v.shown().to_owned(),
                    span: v.span,
                    literal: !(wild && has_wildcard(&v.text)),
                },
            ))
        }
    }
}

/// Whether a statement's actions cover `action` (`Action` globs, or everything `NotAction`
/// does not name); unresolved actions cover everything.
#[must_use]
pub fn covers(st: &Statement, action: &str) -> bool {
    let glob = |pattern: &str| {
        let (p, a) = (pattern.to_ascii_lowercase(), action.to_ascii_lowercase());
        match p.split_once('*') {
            None => p == a,
            Some((pre, post)) => a.starts_with(pre) && a[pre.len()..].ends_with(post),
        }
    };
    if !st.not_actions.is_empty() {
        return !st
            .not_actions
            .iter()
            .any(|v| !v.unresolved && glob(&v.text));
    }
    st.actions.is_empty() || st.actions.iter().any(|a| a.unresolved || glob(&a.text))
}

const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// Who can assume the role through `st`'s web-identity principal of `host` (`None` when the
/// provider is an expression and no condition key names it; `host_known`: the host comes
/// from the principal itself, so keys of other hosts are absent from its tokens).
#[must_use]
pub fn evaluate(
    p: &TrustPolicy,
    st: &Statement,
    iss: Issuer,
    host: Option<&str>,
    host_known: bool,
) -> Verdict {
    if !covers(st, WEB_IDENTITY) {
        let span = st.not_action.unwrap_or(st.span);
        return Verdict {
            scope: Scope::Nobody,
            reason: Reason::NotCovered { span },
        };
    }
    let mut aud = false;
    let mut narrowest: Option<(Scope, Reason)> = None;
    let mut for_all_absent: Option<Reason> = None;
    let consider = |s: Scope, r: Reason, narrowest: &mut Option<(Scope, Reason)>| {
        if narrowest.as_ref().is_none_or(|(n, _)| s > *n) {
            *narrowest = Some((s, r));
        }
    };
    for c in &st.conditions {
        if let KeyOf::Claim(claim) = key_of(&c.key, host, host_known) {
            if c.set_qualifier() == Some(SetQualifier::ForAllValues)
                && !always_present(&claim)
                && c.base_operator().starts_with("String")
            {
                for_all_absent.get_or_insert(Reason::ForAllValuesAbsent {
                    operator: c.operator.clone(),
                    key: c.key.clone(),
                    span: c.key_span,
                });
            }
        }
        if let Some((s, r)) = condition_scope(iss, c, host, host_known, &mut aud) {
            consider(s, r, &mut narrowest);
        }
    }
    // `Deny` statements that apply to this provider's tokens.
    for d in p.statements.iter().filter(|d| {
        !d.allow
            && covers(d, WEB_IDENTITY)
            && d.principals.iter().any(|pr| {
                pr.kind == PrincipalKind::Anyone
                    || (pr.kind == PrincipalKind::Federated
                        && st.principals.iter().any(|a| a.value.text == pr.value.text))
            })
    }) {
        if d.conditions.is_empty() && !d.opaque {
            consider(
                Scope::Nobody,
                Reason::DeniedAll { span: d.span },
                &mut narrowest,
            );
            continue;
        }
        // `Deny … StringNotLike HOST:sub V`: only tokens matching V get through.
        if let [c] = d.conditions.as_slice() {
            if c.negated() && !c.if_exists() && c.base_operator().starts_with("String") {
                let positive = Condition {
                    operator: c.operator.replacen("Not", "", 1),
                    ..c.clone()
                };
                if let Some((s, r)) = condition_scope(iss, &positive, host, host_known, &mut false)
                {
                    consider(s, r, &mut narrowest);
                }
            }
        }
    }
    match narrowest {
        Some((scope, reason)) => Verdict { scope, reason },
        None => Verdict {
            scope: Scope::Open,
            reason: for_all_absent.unwrap_or(Reason::NoIdentityCondition { aud_only: aud }),
        },
    }
}

/// One web-identity principal of an `Allow` statement, with its verdict.
pub struct Judged<'a> {
    pub statement: &'a Statement,
    pub principal: &'a super::trust::Principal,
    pub issuer: Issuer,
    /// The provider's host, when known (from the principal, or else from condition keys).
    pub host: Option<String>,
    pub verdict: Verdict,
}

/// Every web-identity principal of a policy's `Allow` statements that may assume the
/// role, judged. SAML providers are left out; a provider written as an expression counts
/// when a condition key names its host or the statement asks for
/// `sts:AssumeRoleWithWebIdentity` explicitly.
#[must_use]
pub fn judge_policy(p: &TrustPolicy) -> Vec<Judged<'_>> {
    use super::trust::{condition_hosts, issuer, issuer_host};
    let mut out = Vec::new();
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
            if pr.value.text.to_ascii_lowercase().contains("saml") {
                continue;
            }
            let literal_host = (!pr.value.unresolved)
                .then(|| issuer_host(&pr.value.text))
                .flatten()
                .filter(|h| !h.contains("${"));
            let sub_host = pr
                .value
                .text
                .rsplit_once(":oidc-provider/")
                .map(|(_, h)| h.trim_start_matches("https://"))
                .filter(|h| !h.contains("${"));
            // The host written out in the principal (also inside `!Sub arn:…:oidc-provider/
            // token.actions.githubusercontent.com`, whose account is an expression).
            let (host, known) = if let Some(h) = literal_host.or(sub_host) {
                (Some(h.to_owned()), true)
            } else if let Some(h) = condition_hosts(st).first() {
                (Some(h.clone()), false)
            } else if st
                .actions
                .iter()
                .any(|a| a.text.eq_ignore_ascii_case(WEB_IDENTITY))
            {
                (None, false)
            } else {
                continue;
            };
            if st.conditions.iter().any(|c| {
                c.key.contains("${") && matches!(key_of(&c.key, None, false), KeyOf::Other)
            }) {
                // A condition key that is an expression as a whole (`!Sub "${ClusterKey}"`):
                // it may well be the subject condition.
                continue;
            }
            let iss = host.as_deref().map_or(Issuer::Other, issuer);
            let verdict = evaluate(p, st, iss, host.as_deref(), known);
            out.push(Judged {
                statement: st,
                principal: pr,
                issuer: iss,
                host,
                verdict,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_covers_every_issuer_once() {
        for iss in [
            Issuer::GithubActions,
            Issuer::Gitlab,
            Issuer::TerraformCloud,
            Issuer::Bitbucket,
            Issuer::CircleCi,
            Issuer::Eks,
            Issuer::Google,
            Issuer::Cognito,
            Issuer::Other,
        ] {
            assert_eq!(ISSUERS.iter().filter(|i| i.issuer == iss).count(), 1);
            let row = info(iss);
            // A pinned subject is what the table says it is.
            if iss != Issuer::Other {
                let scope = claim_scope(iss, row.subject_claim, row.pinned, false);
                assert_eq!(scope, Some(Scope::Specific), "{iss:?} {}", row.pinned);
            }
            for c in row.influenced {
                assert!(!row.unit_claims.contains(c) && !row.owner_claims.contains(c));
            }
        }
    }

    #[test]
    fn github_subjects() {
        let g = |v| subject_scope(Issuer::GithubActions, v, true);
        let eq = |v| subject_scope(Issuer::GithubActions, v, false);
        assert_eq!(g("*"), Scope::Open);
        assert_eq!(g("repo:*"), Scope::Open);
        assert_eq!(g("repo:*/*"), Scope::Open);
        assert_eq!(g("repo:/app:*"), Scope::Open);
        assert_eq!(g("repo:my-org*"), Scope::Open);
        assert_eq!(g("environment:prod"), Scope::Open);
        assert_eq!(g("workflow:deploy:*"), Scope::Open);
        assert_eq!(g("ref:refs/heads/main"), Scope::Open);
        assert_eq!(g("repo:my-org/*"), Scope::Owner);
        assert_eq!(g("repo:my-org/*:ref:refs/heads/main"), Scope::Owner);
        assert_eq!(g("repository_owner:my-org:environment:prod"), Scope::Owner);
        assert_eq!(g("repo:my-org/app:*"), Scope::Specific);
        assert_eq!(g("repo:my-org/app:ref:refs/heads/main"), Scope::Specific);
        // A workflow name is free text: it can spell out the rest of the subject.
        assert_eq!(
            g("workflow:deploy:repo:my-org/app:ref:refs/heads/main"),
            Scope::Open
        );
        assert_eq!(
            eq("workflow:deploy:repo:my-org/app:ref:refs/heads/main"),
            Scope::Open
        );
        assert_eq!(g("repo:my-org/app:workflow:deploy"), Scope::Specific);
        assert_eq!(
            g("repo:octocat@123456/my-repo@456789:ref:refs/heads/main"),
            Scope::Specific
        );
        assert_eq!(
            g("repository_owner_id:123:repository_id:456:environment:prod"),
            Scope::Specific
        );
        assert_eq!(g("repo:${var.org}/${var.repo}:*"), Scope::Specific);
        // No wildcard: StringLike compares like StringEquals.
        assert_eq!(g("invalid"), Scope::Nobody);
        assert_eq!(g("invalid*"), Scope::Nobody);
        assert_eq!(g("rep*"), Scope::Open);
        // StringEquals: `*` is a literal character that no subject holds.
        assert_eq!(eq("*"), Scope::Nobody);
        assert_eq!(eq("repo:*"), Scope::Nobody);
        assert_eq!(eq("repo:org*"), Scope::Nobody);
        assert_eq!(eq("repo:my-org/*"), Scope::Nobody);
        assert_eq!(eq("repo:my-org/app:ref:refs/heads/main"), Scope::Specific);
        assert_eq!(eq("workflow:deploy"), Scope::Open);
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
            (Issuer::Gitlab, "grp/app", Scope::Nobody),
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
