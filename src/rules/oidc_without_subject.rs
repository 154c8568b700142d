//! CL504: a web-identity principal without a `sub` condition, with a wildcard-only subject,
//! or with `ForAllValues` on a single-valued claim.

use super::RuleId;
use crate::finding::{Finding, Level};
use crate::model::Workspace;
use crate::model::trust::{Condition, Issuer, PrincipalKind, issuer, issuer_host, wildcard_only};

/// How much a subject value restricts: `None` nothing, `Some(false)` a whole owner
/// (organisation or group), `Some(true)` something specific.
fn subject_scope(iss: Issuer, value: &str) -> Option<bool> {
    if wildcard_only(value) {
        return None;
    }
    match iss {
        Issuer::GithubActions => {
            // repo:OWNER/REPO:…  (or the immutable-id forms)
            let rest = value.strip_prefix("repo:")?;
            let (owner, after) = rest.split_once('/').unwrap_or((rest, ""));
            if owner.is_empty() || wildcard_only(owner) || owner.starts_with('*') {
                return None;
            }
            let repo = after.split(':').next().unwrap_or("");
            Some(!(repo.is_empty() || wildcard_only(repo)))
        }
        Issuer::Gitlab => {
            let rest = value.strip_prefix("project_path:")?;
            let (group, project) = rest.split_once('/').unwrap_or((rest, ""));
            if group.is_empty() || group.starts_with('*') {
                return None;
            }
            Some(!project.split(':').next().unwrap_or("").starts_with('*'))
        }
        Issuer::TerraformCloud => {
            let rest = value.strip_prefix("organization:")?;
            let (org, after) = rest.split_once(':').unwrap_or((rest, ""));
            if org.is_empty() || org.starts_with('*') {
                return None;
            }
            Some(!after.is_empty() && !after.starts_with('*'))
        }
        _ => {
            if value.starts_with('*') {
                return None;
            }
            Some(!value.ends_with('*'))
        }
    }
}

/// Claim keys that pin an identity as well as `sub` does, per issuer.
fn other_restrictions(iss: Issuer) -> &'static [&'static str] {
    match iss {
        Issuer::GithubActions => &[
            "job_workflow_ref",
            "repository_id",
            "repository",
            "environment",
            "workflow_ref",
        ],
        Issuer::Gitlab => &["project_path", "project_id", "namespace_path"],
        Issuer::Cognito => &["aud"],
        _ => &[],
    }
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for p in &f.trust {
            for st in p.statements.iter().filter(|s| s.allow && s.assumes()) {
                for pr in st
                    .principals
                    .iter()
                    .filter(|pr| pr.kind == PrincipalKind::Federated && !pr.unresolved)
                {
                    let Some(host) = issuer_host(&pr.value) else {
                        continue;
                    };
                    let iss = issuer(host);
                    // `HOST:claim`; a host written as an interpolation cannot be checked offline.
                    let claim = |c: &&Condition, name: &str| {
                        let k = c.key.to_ascii_lowercase();
                        k == format!("{}:{name}", host.to_ascii_lowercase())
                            || (k.contains("${") && k.ends_with(&format!(":{name}")))
                    };
                    let subs: Vec<&Condition> =
                        st.conditions.iter().filter(|c| claim(c, "sub")).collect();
                    let others = other_restrictions(iss).iter().any(|name| {
                        st.conditions.iter().filter(|c| claim(c, name)).any(|c| {
                            c.values.iter().all(|(v, _)| !wildcard_only(v)) && !c.values.is_empty()
                        })
                    });
                    let mut verdict: Option<(Level, String, crate::source::Span)> = None;
                    if subs.is_empty() {
                        if !others {
                            verdict = Some((
                                Level::Error,
                                format!(
                                    "{}: any identity of {host} can assume this role: there is no `{host}:sub` condition",
                                    p.role
                                ),
                                pr.span,
                            ));
                        }
                    } else {
                        for c in subs {
                            if c.operator.to_ascii_lowercase().starts_with("forallvalues:") {
                                verdict = Some((
                                    Level::Error,
                                    format!(
                                        "{}: ForAllValues on the single-valued `sub` claim is true when the claim is missing, so it restricts nothing",
                                        p.role
                                    ),
                                    c.key_span,
                                ));
                                break;
                            }
                            let widest = c
                                .values
                                .iter()
                                .map(|(v, s)| (subject_scope(iss, v), v, *s))
                                .min_by_key(|(scope, _, _)| scope.map_or(0, |b| u8::from(b) + 1));
                            match widest {
                                Some((None, v, s)) if !others => {
                                    verdict = Some((
                                        Level::Error,
                                        format!(
                                            "{}: the subject `{v}` matches any identity of {host}",
                                            p.role
                                        ),
                                        s,
                                    ));
                                }
                                Some((Some(false), v, s)) if !others => {
                                    verdict = Some((
                                        Level::Warning,
                                        format!(
                                            "{}: the subject `{v}` lets every repository or project of that owner assume this role",
                                            p.role
                                        ),
                                        s,
                                    ));
                                }
                                _ => {}
                            }
                        }
                    }
                    if let Some((level, msg, span)) = verdict {
                        out.push(
                            Finding::new(RuleId::OidcWithoutSubject, ws.location(i, span), msg)
                                .level(level),
                        );
                    }
                }
            }
        }
    }
}
