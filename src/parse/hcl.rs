//! Terraform (HCL) through `hcl-edit`, which keeps byte spans: the `assume_role_policy` of
//! every `aws_iam_role`, as a policy tree in the shape of IAM's JSON, whether it is written
//! as `jsonencode({...})`, a heredoc or string of JSON, or a reference to a
//! `data "aws_iam_policy_document"` block of the same file.

use super::yaml::{self, Node, Yaml};
use crate::source::Span;
use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, BlockLabel, Body};

/// A role's trust policy found in Terraform.
#[derive(Clone, Debug)]
pub struct RolePolicy {
    /// `aws_iam_role.<name>`.
    pub role: String,
    pub doc: Node,
}

fn sp(r: Option<std::ops::Range<usize>>) -> Span {
    r.map_or(Span::default(), |r| Span::new(r.start, r.end))
}

fn scalar(text: String, span: Span, unresolved: bool) -> Node {
    Node {
        value: Yaml::Scalar { text, quoted: true },
        span,
        tag: unresolved.then(|| "!hcl".to_owned()),
    }
}

fn label(l: &BlockLabel) -> &str {
    match l {
        BlockLabel::Ident(i) => i.as_str(),
        BlockLabel::String(s) => s.as_str(),
    }
}

/// An HCL expression as a policy tree node; what cannot be evaluated offline stays an
/// unresolved scalar holding its source text.
fn expr_node(e: &Expression, text: &str) -> Node {
    let span = sp(e.span());
    let src = || text.get(span.start..span.end).unwrap_or("").to_owned();
    match e {
        Expression::String(s) => {
            let inner = Span::new(
                (span.start + 1).min(span.end),
                span.end.saturating_sub(1).max(span.start),
            );
            scalar(s.as_str().to_owned(), inner, false)
        }
        Expression::Number(_) | Expression::Bool(_) => scalar(src(), span, false),
        Expression::Array(a) => Node {
            value: Yaml::Seq(a.iter().map(|x| expr_node(x, text)).collect()),
            span,
            tag: None,
        },
        Expression::Object(o) => {
            let pairs = o
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => scalar(i.as_str().to_owned(), sp(i.span()), false),
                        ObjectKey::Expression(x) => expr_node(x, text),
                    };
                    (key, expr_node(v.expr(), text))
                })
                .collect();
            Node {
                value: Yaml::Map(pairs),
                span,
                tag: None,
            }
        }
        Expression::Parenthesis(p) => expr_node(p.inner(), text),
        _ => scalar(src(), span, true),
    }
}

/// `jsonencode(...)`, a JSON string or heredoc, or a data source reference.
fn policy_of(e: &Expression, text: &str, body: &Body) -> Option<Node> {
    match e {
        Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
            call.args.iter().next().map(|a| expr_node(a, text))
        }
        Expression::String(_) | Expression::HeredocTemplate(_) | Expression::StringTemplate(_) => {
            let span = sp(e.span());
            let raw = text.get(span.start..span.end)?;
            // The JSON starts at the first '{' of the string or heredoc body.
            let open = raw.find('{')?;
            let close = raw.rfind('}')?;
            let json = &raw[open..=close];
            let docs = yaml::parse(json).ok()?;
            let mut doc = docs.into_iter().next()?;
            shift(&mut doc, span.start + open);
            Some(doc)
        }
        Expression::Traversal(t) => {
            let path = text.get(sp(t.span()).start..sp(t.span()).end)?;
            let name = path
                .strip_prefix("data.aws_iam_policy_document.")?
                .strip_suffix(".json")?;
            body.blocks()
                .find(|b| {
                    b.ident.as_str() == "data"
                        && b.labels.len() == 2
                        && label(&b.labels[0]) == "aws_iam_policy_document"
                        && label(&b.labels[1]) == name
                })
                .map(|b| document_of(b, text))
        }
        _ => None,
    }
}

fn shift(n: &mut Node, by: usize) {
    n.span = n.span.offset(by);
    match &mut n.value {
        Yaml::Map(pairs) => {
            for (k, v) in pairs {
                shift(k, by);
                shift(v, by);
            }
        }
        Yaml::Seq(items) => items.iter_mut().for_each(|i| shift(i, by)),
        _ => {}
    }
}

fn attr<'a>(b: &'a Body, key: &str) -> Option<&'a Expression> {
    b.attributes()
        .find(|a| a.key.as_str() == key)
        .map(|a| &a.value)
}

fn key(s: &str) -> Node {
    scalar(s.to_owned(), Span::default(), false)
}

/// A `data "aws_iam_policy_document"` block in the shape of IAM's JSON.
fn document_of(block: &Block, text: &str) -> Node {
    let mut statements = Vec::new();
    for st in block
        .body
        .blocks()
        .filter(|b| b.ident.as_str() == "statement")
    {
        let b = &st.body;
        let mut pairs = Vec::new();
        let effect = attr(b, "effect").map_or_else(
            || scalar("Allow".into(), sp(st.span()), false),
            |e| expr_node(e, text),
        );
        pairs.push((key("Effect"), effect));
        if let Some(a) = attr(b, "actions") {
            pairs.push((key("Action"), expr_node(a, text)));
        }
        if let Some(a) = attr(b, "not_actions") {
            pairs.push((key("NotAction"), expr_node(a, text)));
        }
        for (block_name, json_name) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let mut principal = Vec::new();
            for p in b.blocks().filter(|x| x.ident.as_str() == block_name) {
                let (Some(t), Some(ids)) = (attr(&p.body, "type"), attr(&p.body, "identifiers"))
                else {
                    continue;
                };
                let t = expr_node(t, text);
                let ids = expr_node(ids, text);
                // type = "*" with identifiers = ["*"] is Principal: "*".
                if t.as_str() == Some("*") {
                    principal.push((key("AWS"), ids));
                } else {
                    principal.push((t, ids));
                }
            }
            if !principal.is_empty() {
                let span = principal[0].1.span;
                pairs.push((
                    key(json_name),
                    Node {
                        value: Yaml::Map(principal),
                        span,
                        tag: None,
                    },
                ));
            }
        }
        let mut conditions: Vec<(Node, Node)> = Vec::new();
        for c in b.blocks().filter(|x| x.ident.as_str() == "condition") {
            let (Some(operator), Some(var), Some(values)) = (
                attr(&c.body, "test"),
                attr(&c.body, "variable"),
                attr(&c.body, "values"),
            ) else {
                continue;
            };
            let op = expr_node(operator, text);
            let entry = (expr_node(var, text), expr_node(values, text));
            if let Some((
                _,
                Node {
                    value: Yaml::Map(m),
                    ..
                },
            )) = conditions
                .iter_mut()
                .find(|(o, _)| o.as_str() == op.as_str())
            {
                m.push(entry);
            } else {
                let span = op.span;
                conditions.push((
                    op,
                    Node {
                        value: Yaml::Map(vec![entry]),
                        span,
                        tag: None,
                    },
                ));
            }
        }
        if !conditions.is_empty() {
            let span = conditions[0].0.span;
            pairs.push((
                key("Condition"),
                Node {
                    value: Yaml::Map(conditions),
                    span,
                    tag: None,
                },
            ));
        }
        statements.push(Node {
            value: Yaml::Map(pairs),
            span: sp(st.span()),
            tag: None,
        });
    }
    let span = sp(block.span());
    Node {
        value: Yaml::Map(vec![(
            key("Statement"),
            Node {
                value: Yaml::Seq(statements),
                span,
                tag: None,
            },
        )]),
        span,
        tag: None,
    }
}

/// Every `aws_iam_role` trust policy of a Terraform file. `Err` for a file that does not parse.
pub fn role_policies(text: &str) -> Result<Vec<RolePolicy>, String> {
    let body: Body = hcl_edit::parser::parse_body(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for b in body.blocks().filter(|b| {
        b.ident.as_str() == "resource"
            && b.labels.len() == 2
            && label(&b.labels[0]) == "aws_iam_role"
    }) {
        let Some(e) = attr(&b.body, "assume_role_policy") else {
            continue;
        };
        if let Some(doc) = policy_of(e, text, &body) {
            out.push(RolePolicy {
                role: format!("aws_iam_role.{}", label(&b.labels[1])),
                doc,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonencode_heredoc_and_data_documents() {
        let tf = r#"
resource "aws_iam_role" "a" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
  })
}
resource "aws_iam_role" "b" {
  assume_role_policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]}
EOF
}
resource "aws_iam_role" "c" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:org/*"]
    }
  }
}
"#;
        let p = role_policies(tf).expect("parses");
        assert_eq!(p.len(), 3);
        let star = p[0].doc.get("Statement").expect("stmt").items()[0]
            .get("Principal")
            .and_then(|x| x.get("AWS"))
            .expect("aws");
        assert_eq!(&tf[star.span.start..star.span.end], "*");
        let svc = p[1].doc.get("Statement").expect("stmt").items()[0]
            .get("Principal")
            .and_then(|x| x.get("Service"))
            .expect("svc");
        assert_eq!(&tf[svc.span.start..svc.span.end], "ec2.amazonaws.com");
        let cond = p[2].doc.get("Statement").expect("stmt").items()[0]
            .get("Condition")
            .expect("cond");
        assert_eq!(cond.entries()[0].0.as_str(), Some("StringLike"));
        assert!(role_policies("resource \"x\" {").is_err());
    }
}
