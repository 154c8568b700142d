//! Terraform plans in JSON (`terraform show -json`): each planned role's trust document,
//! and `aws_iam_policy_document` data sources rebuilt as IAM policy documents.

use super::document::{document, is_service_linked_path, policy};
use super::statements::{Origin, TrustPolicy};
use crate::parse::yaml::{Node, Yaml};

/// The trust documents of a Terraform plan (`terraform show -json`): each role's planned
/// `assume_role_policy` (a JSON string, positions mapped into the plan file), named by its
/// resource address. `resource_changes` is read when present (roles being deleted have no
/// planned document); otherwise the `planned_values` modules. `prior_state` and
/// `configuration` are not read, so each role is reported once. `None` for other documents.
pub(super) fn terraform_plan(doc: &Node, text: &str) -> Option<Vec<TrustPolicy>> {
    doc.get("format_version")?;
    let changes = doc.get("resource_changes");
    let planned = doc.get("planned_values");
    if changes.is_none() && planned.is_none() {
        return None;
    }
    let mut out = Vec::new();
    let mut role = |address: &str, values: &Node| {
        let d = match values.get("assume_role_policy") {
            Some(v) => document(v, text),
            // A `data "aws_iam_policy_document"` read at apply time: its statements, in
            // Terraform's attribute shape, with the roles that use it still unknown.
            None => plan_policy_document(values),
        };
        let Some(d) = d else {
            return;
        };
        let mut p = policy(address.to_owned(), Origin::TerraformPlan, &d);
        p.service_linked = values
            .get("path")
            .and_then(Node::as_str)
            .is_some_and(is_service_linked_path);
        out.push(p);
    };
    if let Some(changes) = changes {
        for rc in changes.items() {
            let (Some(address), Some(after)) = (
                rc.get("address").and_then(Node::as_str),
                rc.get("change").and_then(|c| c.get("after")),
            ) else {
                continue;
            };
            role(address, after);
        }
    } else if let Some(root) = planned.and_then(|p| p.get("root_module")) {
        let mut modules = vec![root];
        let mut seen = 0usize;
        while let Some(m) = modules.pop() {
            seen += 1;
            if seen > 10_000 {
                break;
            }
            for r in m.get("resources").map(Node::items).unwrap_or_default() {
                if let (Some(address), Some(values)) =
                    (r.get("address").and_then(Node::as_str), r.get("values"))
                {
                    role(address, values);
                }
            }
            modules.extend(m.get("child_modules").map(Node::items).unwrap_or_default());
        }
    }
    Some(out)
}

/// An `aws_iam_policy_document` data source's planned values (`statement` objects with
/// `actions`, `effect`, `principals`, `condition`, …) as an IAM policy document, every node
/// keeping its span in the plan. Only documents that let a principal assume a role count:
/// an `sts:` action and a principal.
fn plan_policy_document(values: &Node) -> Option<Node> {
    let statements = values.get("statement")?.items();
    let name = |n: &Node, k: &str| Node {
        value: Yaml::Scalar {
            text: k.to_owned(),
            quoted: true,
        },
        span: n.span,
        tag: None,
    };
    let list = |v: &Node| matches!(&v.value, Yaml::Seq(items) if !items.is_empty());
    // A value known only after apply is `null` in the plan: an expression, never a name.
    let known = |v: &Node| -> Node {
        let mut v = v.clone();
        let unknown = |n: &mut Node| {
            if matches!(&n.value, Yaml::Scalar { text, quoted: false } if text == "null") {
                n.value = Yaml::Scalar {
                    text: "(known after apply)".to_owned(),
                    quoted: false,
                };
                n.tag = Some("!hcl".to_owned());
            }
        };
        if let Yaml::Seq(items) = &mut v.value {
            items.iter_mut().for_each(unknown);
        } else {
            unknown(&mut v);
        }
        v
    };
    let mut out = Vec::new();
    let mut trust = false;
    for st in statements {
        let mut pairs = Vec::new();
        if let Some(e) = st.get("effect").filter(|e| e.as_str().is_some()) {
            pairs.push((name(e, "Effect"), e.clone()));
        }
        for (tf, iam) in [("actions", "Action"), ("not_actions", "NotAction")] {
            if let Some(a) = st.get(tf).filter(|a| list(a)) {
                trust |= a.items().iter().any(|i| {
                    i.as_str()
                        .is_some_and(|t| t.to_ascii_lowercase().starts_with("sts:"))
                });
                pairs.push((name(a, iam), a.clone()));
            }
        }
        for (tf, iam) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let Some(ps) = st.get(tf).filter(|p| list(p)) else {
                continue;
            };
            let mut by_type: Vec<(Node, Node)> = Vec::new();
            for p in ps.items() {
                if let (Some(t), Some(ids)) = (p.get("type"), p.get("identifiers")) {
                    let kind = if t.as_str() == Some("*") {
                        "AWS"
                    } else {
                        t.as_str().unwrap_or("")
                    };
                    by_type.push((name(t, kind), known(ids)));
                }
            }
            trust |= tf == "principals" && !by_type.is_empty();
            pairs.push((
                name(ps, iam),
                Node {
                    value: Yaml::Map(by_type),
                    span: ps.span,
                    tag: None,
                },
            ));
        }
        if let Some(cs) = st.get("condition").filter(|c| list(c)) {
            let mut ops: Vec<(Node, Node)> = Vec::new();
            for c in cs.items() {
                let (Some(test), Some(var), Some(vals)) =
                    (c.get("test"), c.get("variable"), c.get("values"))
                else {
                    continue;
                };
                ops.push((
                    test.clone(),
                    Node {
                        value: Yaml::Map(vec![(known(var), known(vals))]),
                        span: c.span,
                        tag: None,
                    },
                ));
            }
            pairs.push((
                name(cs, "Condition"),
                Node {
                    value: Yaml::Map(ops),
                    span: cs.span,
                    tag: None,
                },
            ));
        }
        out.push(Node {
            value: Yaml::Map(pairs),
            span: st.span,
            tag: None,
        });
    }
    trust.then(|| Node {
        value: Yaml::Map(vec![(
            name(values, "Statement"),
            Node {
                value: Yaml::Seq(out),
                span: values.span,
                tag: None,
            },
        )]),
        span: values.span,
        tag: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::extract_text;
    use super::super::principals::PrincipalKind;
    use super::super::statements::Origin;
    use crate::discover::FileKind;

    #[test]
    fn terraform_plans_give_each_planned_role_once() {
        let doc = r#"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}"#;
        let plan = format!(
            r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[{{"address":"aws_iam_role.r","values":{{"assume_role_policy":"{doc}"}}}}]}}}},"resource_changes":[{{"address":"aws_iam_role.r","change":{{"actions":["create"],"after":{{"assume_role_policy":"{doc}"}}}}}},{{"address":"aws_iam_role.gone","change":{{"actions":["delete"],"before":{{"assume_role_policy":"{doc}"}},"after":null}}}}]}}"#
        );
        let p = extract_text(FileKind::Json, "plan.json", &plan).expect("plan");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].role, "aws_iam_role.r");
        assert_eq!(p[0].origin, Origin::TerraformPlan);
        let star = &p[0].statements[0].principals[0];
        assert_eq!(star.kind, PrincipalKind::Anyone);
        // The position is the `*` inside the escaped string of resource_changes.
        let at = plan.find("resource_changes").expect("changes");
        assert!(star.value.span.start > at);
        assert_eq!(&plan[star.value.span.start..star.value.span.end], "*");
    }
}
