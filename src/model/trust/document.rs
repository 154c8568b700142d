//! One policy document read out of a spanned tree: its statements with their principals,
//! actions and conditions, each element with its span; a document given as a JSON string
//! is parsed with positions mapped into the file.

use super::conditions::Condition;
use super::principals::{Principal, PrincipalKind};
use super::render::{if_branches, intrinsic, is_expression, render, values_of};
use super::statements::{Origin, Statement, TrustPolicy};
use super::value::Value;
use crate::parse::yaml::{Node, Yaml};

fn principals(n: &Node, opaque: &mut bool) -> Vec<Principal> {
    if let Some(s) = n.as_str().filter(|_| n.tag.is_none()) {
        let kind = if s == "*" {
            PrincipalKind::Anyone
        } else {
            PrincipalKind::Aws
        };
        return vec![Principal {
            kind,
            value: Value {
                text: s.to_owned(),
                span: n.span,
                unresolved: false,
                short: None,
            },
        }];
    }
    if is_expression(n) && if_branches(n).is_none() {
        *opaque = true;
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut maps = vec![n];
    if let Some(branches) = if_branches(n) {
        maps = branches;
    }
    for m in maps {
        for (k, v) in m.entries() {
            let kind = match k.as_str() {
                Some("AWS") => PrincipalKind::Aws,
                Some("Service") => PrincipalKind::Service,
                Some("Federated") => PrincipalKind::Federated,
                Some("CanonicalUser") => PrincipalKind::CanonicalUser,
                _ => {
                    *opaque = true;
                    continue;
                }
            };
            for value in values_of(v) {
                let kind = if kind == PrincipalKind::Aws && value.text == "*" && !value.unresolved {
                    PrincipalKind::Anyone
                } else {
                    kind
                };
                out.push(Principal { kind, value });
            }
        }
    }
    out
}

fn conditions(n: &Node, opaque: &mut bool) -> Vec<Condition> {
    if is_expression(n) || !matches!(n.value, Yaml::Map(_)) {
        *opaque = true;
        return Vec::new();
    }
    let mut out = Vec::new();
    for (op, body) in n.entries() {
        let Some(operator) = op.as_str().filter(|_| op.tag.is_none()) else {
            *opaque = true;
            continue;
        };
        if is_expression(body) || !matches!(body.value, Yaml::Map(_)) {
            *opaque = true;
            continue;
        }
        for (k, v) in body.entries() {
            let Some((key, _)) = render(k, 0) else {
                *opaque = true;
                continue;
            };
            out.push(Condition {
                operator: operator.to_owned(),
                operator_span: op.span,
                key,
                key_span: k.span,
                values: values_of(v),
            });
        }
    }
    out
}

fn statement(n: &Node) -> Statement {
    let mut opaque = false;
    let allow = match n.get("Effect") {
        None => true,
        Some(e) => e
            .as_str()
            .filter(|_| e.tag.is_none())
            .is_none_or(|e| !e.eq_ignore_ascii_case("deny")),
    };
    let mut actions = n.get("Action").map(values_of).unwrap_or_default();
    let mut not_action = None;
    let mut not_actions = Vec::new();
    if let Some((k, v)) = n
        .entries()
        .iter()
        .find(|(k, _)| k.as_str() == Some("NotAction"))
    {
        not_action = Some(k.span);
        not_actions = values_of(v);
        actions.push(Value {
            text: "*".to_owned(),
            span: k.span,
            unresolved: false,
            short: None,
        });
    }
    let principal_list = n
        .get("Principal")
        .map(|p| principals(p, &mut opaque))
        .unwrap_or_default();
    let conditions = n
        .get("Condition")
        .map(|c| conditions(c, &mut opaque))
        .unwrap_or_default();
    let not_principal_entry = n
        .entries()
        .iter()
        .find(|(k, _)| k.as_str() == Some("NotPrincipal"));
    let not_principal = not_principal_entry.map(|(k, _)| k.span);
    let not_principals = not_principal_entry
        .map(|(_, v)| principals(v, &mut false))
        .unwrap_or_default();
    Statement {
        allow,
        span: n.span,
        principals: principal_list,
        not_principal,
        not_principals,
        actions,
        not_action,
        not_actions,
        conditions,
        opaque: opaque || n.tag.as_deref() == Some("!opaque"),
    }
}

/// The statement nodes of a document: a list, a single statement, `Fn::If` branches.
pub(super) fn statement_nodes<'a>(n: &'a Node, out: &mut Vec<&'a Node>, depth: usize) {
    if depth > 16 {
        return;
    }
    if let Some(branches) = if_branches(n) {
        for b in branches {
            statement_nodes(b, out, depth + 1);
        }
        return;
    }
    match &n.value {
        Yaml::Seq(items) if n.tag.is_none() => {
            for i in items {
                statement_nodes(i, out, depth + 1);
            }
        }
        Yaml::Map(_) if intrinsic(n).is_none() => out.push(n),
        _ => {}
    }
}

/// Normalise a policy document node (`{"Version": …, "Statement": …}`).
#[must_use]
pub fn policy(role: String, origin: Origin, doc: &Node) -> TrustPolicy {
    let mut nodes = Vec::new();
    if let Some(s) = doc.get("Statement") {
        statement_nodes(s, &mut nodes, 0);
    }
    TrustPolicy {
        file: 0,
        role,
        origin,
        statements: nodes.into_iter().map(statement).collect(),
        terraform_ref: None,
        terraform_data: None,
        role_account: None,
        service_linked: false,
    }
}

/// `/aws-service-role/…`: the path IAM reserves for service-linked roles.
pub(super) fn is_service_linked_path(path: &str) -> bool {
    path.starts_with("/aws-service-role/")
}

/// A policy document given as a tree, or as a JSON string (positions mapped into the
/// file). `Fn::Sub` around a JSON string is unwrapped (its `${…}` stay as they are).
pub(super) fn document(n: &Node, text: &str) -> Option<Node> {
    let string = match intrinsic(n) {
        Some(("Sub", arg)) => {
            let a = arg.unwrap_or(n);
            match &a.value {
                Yaml::Seq(items) => items.first()?,
                _ => a,
            }
        }
        Some(_) => return None,
        None => n,
    };
    match &string.value {
        Yaml::Map(_) => Some(string.clone()),
        Yaml::Scalar { text: s, quoted } => {
            // The source of the string: for a quoted scalar, include its quotes.
            let q = usize::from(*quoted);
            let start = string.span.start.saturating_sub(q);
            let end = (string.span.end + q).min(text.len());
            let raw = text.get(start..end).unwrap_or("");
            crate::parse::json::embedded(s, raw, start)
        }
        _ => None,
    }
}
