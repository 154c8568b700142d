//! Terraform (HCL) through `hcl-edit`, which keeps byte spans and refuses nesting deeper
//! than 64 levels on its own: the `assume_role_policy` of every `aws_iam_role`, as a policy
//! tree in the shape of IAM's JSON, whether it is written as `jsonencode({...})`, a heredoc
//! or string of JSON, or a reference to a `data "aws_iam_policy_document"` (which may live
//! in another file of the module: such references are returned by name and linked when the
//! workspace is built), and every `aws_iam_policy_document` of the file.
//!
//! Expressions that cannot be evaluated offline stay scalars tagged `!hcl` holding their
//! source text; `dynamic` blocks mark their statement `!opaque`.

use super::json;
use super::yaml::{Node, Yaml};
use crate::source::Span;
use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, BlockLabel, Body};

/// Where a role's trust policy is.
#[derive(Clone, Debug)]
pub enum PolicySource {
    /// Written in the role itself (`jsonencode`, heredoc, string).
    Inline(Node),
    /// `data.aws_iam_policy_document.<name>.json`.
    Data(String),
}

/// A role's trust policy found in Terraform.
#[derive(Clone, Debug)]
pub struct RolePolicy {
    /// `aws_iam_role.<name>`.
    pub role: String,
    pub policy: PolicySource,
}

/// What a Terraform file holds for trust policies.
#[derive(Clone, Debug, Default)]
pub struct TerraformFile {
    pub roles: Vec<RolePolicy>,
    /// Every `data "aws_iam_policy_document"` block: (name, document).
    pub documents: Vec<(String, Node)>,
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

/// A quoted expression's inside.
fn unquoted(span: Span) -> Span {
    Span::new(
        (span.start + 1).min(span.end),
        span.end.saturating_sub(1).max(span.start),
    )
}

/// An HCL expression as a policy tree node; what cannot be evaluated offline stays an
/// unresolved scalar holding its source text.
fn expr_node(e: &Expression, text: &str) -> Node {
    let span = sp(e.span());
    let src = |s: Span| text.get(s.start..s.end).unwrap_or("").to_owned();
    match e {
        Expression::String(s) => scalar(s.as_str().to_owned(), unquoted(span), false),
        // "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
        Expression::StringTemplate(_) => {
            let inner = unquoted(span);
            scalar(src(inner), inner, true)
        }
        Expression::Number(_) | Expression::Bool(_) | Expression::Null(_) => Node {
            value: Yaml::Scalar {
                text: src(span),
                quoted: false,
            },
            span,
            tag: None,
        },
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
        _ => scalar(src(span), span, true),
    }
}

/// `jsonencode(...)`, a JSON string or heredoc, or a data source reference.
fn policy_of(e: &Expression, text: &str) -> Option<PolicySource> {
    let span = sp(e.span());
    match e {
        Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => call
            .args
            .iter()
            .next()
            .map(|a| PolicySource::Inline(expr_node(a, text))),
        Expression::String(s) => {
            let raw = text.get(span.start..span.end)?;
            json::embedded(s.as_str(), raw, span.start).map(PolicySource::Inline)
        }
        Expression::HeredocTemplate(_) | Expression::StringTemplate(_) => {
            // The JSON is the heredoc body verbatim (interpolations sit inside its strings).
            let raw = text.get(span.start..span.end)?;
            let open = raw.find('{')?;
            let close = raw.rfind('}')?;
            let mut doc = json::parse(raw.get(open..=close)?).ok()??;
            json::shift(&mut doc, span.start + open);
            Some(PolicySource::Inline(doc))
        }
        Expression::Traversal(_) => {
            let path = text.get(span.start..span.end)?.trim();
            let name = path
                .strip_prefix("data.aws_iam_policy_document.")?
                .strip_suffix(".json")?;
            Some(PolicySource::Data(name.to_owned()))
        }
        Expression::Parenthesis(p) => policy_of(p.inner(), text),
        _ => None,
    }
}

fn attr<'a>(b: &'a Body, key: &str) -> Option<&'a Expression> {
    b.attributes()
        .find(|a| a.key.as_str() == key)
        .map(|a| &a.value)
}

fn key(s: &str, span: Span) -> Node {
    scalar(s.to_owned(), span, false)
}

fn blocks<'a>(b: &'a Body, name: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    b.blocks().filter(move |x| x.ident.as_str() == name)
}

/// Whether a body has `dynamic "<name>"` blocks.
fn has_dynamic(b: &Body, name: &str) -> bool {
    blocks(b, "dynamic").any(|d| d.labels.first().is_some_and(|l| label(l) == name))
}

/// One `statement` block in the shape of IAM's JSON.
fn statement_of(st: &Block, text: &str) -> Node {
    let b = &st.body;
    let ident_span = sp(st.ident.span());
    let mut pairs = Vec::new();
    let effect = attr(b, "effect").map_or_else(
        || scalar("Allow".into(), ident_span, false),
        |e| expr_node(e, text),
    );
    pairs.push((key("Effect", ident_span), effect));
    if let Some(a) = attr(b, "actions") {
        pairs.push((key("Action", sp(a.span())), expr_node(a, text)));
    }
    if let Some(a) = b.attributes().find(|a| a.key.as_str() == "not_actions") {
        pairs.push((
            key("NotAction", sp(a.key.span())),
            expr_node(&a.value, text),
        ));
    }
    for (block_name, json_name) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let mut principal = Vec::new();
        let mut first = None;
        for p in blocks(b, block_name) {
            first.get_or_insert(sp(p.ident.span()));
            let (Some(t), Some(ids)) = (attr(&p.body, "type"), attr(&p.body, "identifiers")) else {
                continue;
            };
            let t = expr_node(t, text);
            let ids = expr_node(ids, text);
            // type = "*" with identifiers = ["*"] is Principal: "*".
            if t.as_str() == Some("*") {
                principal.push((key("AWS", t.span), ids));
            } else {
                principal.push((t, ids));
            }
        }
        if let Some(at) = first {
            pairs.push((
                key(json_name, at),
                Node {
                    value: Yaml::Map(principal),
                    span: at,
                    tag: None,
                },
            ));
        }
    }
    let mut conditions: Vec<(Node, Node)> = Vec::new();
    for c in blocks(b, "condition") {
        let (Some(operator), Some(var), Some(values)) = (
            attr(&c.body, "test"),
            attr(&c.body, "variable"),
            attr(&c.body, "values"),
        ) else {
            continue;
        };
        let op = expr_node(operator, text);
        let entry = (expr_node(var, text), expr_node(values, text));
        // Conditions with the same operator share one map, as in JSON; a repeated key in
        // one operator stays a separate entry (Terraform ANDs condition blocks).
        if let Some((
            _,
            Node {
                value: Yaml::Map(m),
                ..
            },
        )) = conditions
            .iter_mut()
            .find(|(o, _)| o.as_str().is_some() && o.as_str() == op.as_str())
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
            key("Condition", span),
            Node {
                value: Yaml::Map(conditions),
                span,
                tag: None,
            },
        ));
    }
    let opaque = ["principals", "not_principals", "condition"]
        .iter()
        .any(|n| has_dynamic(b, n));
    Node {
        value: Yaml::Map(pairs),
        span: sp(st.span()),
        tag: opaque.then(|| "!opaque".to_owned()),
    }
}

/// A `data "aws_iam_policy_document"` block in the shape of IAM's JSON. `dynamic
/// "statement"` blocks become opaque statements.
fn document_of(block: &Block, text: &str) -> Node {
    let mut statements: Vec<Node> = blocks(&block.body, "statement")
        .map(|st| statement_of(st, text))
        .collect();
    for d in blocks(&block.body, "dynamic")
        .filter(|d| d.labels.first().is_some_and(|l| label(l) == "statement"))
    {
        let mut st = blocks(&d.body, "content")
            .next()
            .map_or_else(|| statement_of(d, text), |c| statement_of(c, text));
        st.tag = Some("!opaque".to_owned());
        statements.push(st);
    }
    let span = sp(block.span());
    Node {
        value: Yaml::Map(vec![(
            key("Statement", span),
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

/// The trust policies of a Terraform file. `Err` for a file that does not parse.
pub fn parse(text: &str) -> Result<TerraformFile, String> {
    let body: Body = hcl_edit::parser::parse_body(text).map_err(|e| e.to_string())?;
    let mut out = TerraformFile::default();
    for b in body.blocks() {
        let kind = b.ident.as_str();
        let (Some(first), Some(second)) = (b.labels.first(), b.labels.get(1)) else {
            continue;
        };
        if kind == "resource" && label(first) == "aws_iam_role" {
            let Some(e) = attr(&b.body, "assume_role_policy") else {
                continue;
            };
            if let Some(policy) = policy_of(e, text) {
                out.roles.push(RolePolicy {
                    role: format!("aws_iam_role.{}", label(second)),
                    policy,
                });
            }
        } else if kind == "data" && label(first) == "aws_iam_policy_document" {
            out.documents
                .push((label(second).to_owned(), document_of(b, text)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(p: &PolicySource) -> &Node {
        match p {
            PolicySource::Inline(n) => n,
            PolicySource::Data(d) => panic!("a data reference to {d}"),
        }
    }

    #[test]
    fn jsonencode_heredoc_string_and_data_documents() {
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
resource "aws_iam_role" "d" {
  assume_role_policy = "{\"Statement\": [{\"Principal\": {\"AWS\": \"arn:aws:iam::${data.aws_caller_identity.me.account_id}:root\"}}]}"
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
    dynamic "condition" {
      for_each = var.extra
      content {}
    }
  }
}
"#;
        let f = parse(tf).expect("parses");
        assert_eq!(f.roles.len(), 3, "d is a string template, not JSON");
        let star = inline(&f.roles[0].policy)
            .get("Statement")
            .expect("stmt")
            .items()[0]
            .get("Principal")
            .and_then(|x| x.get("AWS"))
            .expect("aws");
        assert_eq!(&tf[star.span.start..star.span.end], "*");
        let svc = inline(&f.roles[1].policy)
            .get("Statement")
            .expect("stmt")
            .items()[0]
            .get("Principal")
            .and_then(|x| x.get("Service"))
            .expect("svc");
        assert_eq!(&tf[svc.span.start..svc.span.end], "ec2.amazonaws.com");
        assert!(matches!(&f.roles[2].policy, PolicySource::Data(d) if d == "trust"));
        let (name, doc) = &f.documents[0];
        assert_eq!(name, "trust");
        let st = &doc.get("Statement").expect("stmt").items()[0];
        assert_eq!(st.tag.as_deref(), Some("!opaque"));
        let cond = st.get("Condition").expect("cond");
        assert_eq!(cond.entries()[0].0.as_str(), Some("StringLike"));
        let fed = st
            .get("Principal")
            .and_then(|p| p.get("Federated"))
            .expect("fed");
        assert_eq!(fed.items()[0].tag.as_deref(), Some("!hcl"));
        assert!(parse("resource \"x\" {").is_err());
        let deep = format!("a = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
        assert!(parse(&deep).is_err());
    }
}
