//! Values out of a spanned tree: `CloudFormation` intrinsics rendered to a template text
//! (`arn:aws:iam::${AWS::AccountId}:root`) and shown in their short form (`!Ref X`),
//! Terraform expressions kept as their source text.

use super::value::Value;
use crate::parse::yaml::{Node, Yaml};

// ---------------------------------------------------------------------------------------
// Reading policies out of a spanned tree.

/// A `CloudFormation` intrinsic in either form: `(name, argument)` for `!Sub x` or
/// `{"Fn::Sub": x}`.
pub(super) fn intrinsic(n: &Node) -> Option<(&str, Option<&Node>)> {
    if let Some(tag) = &n.tag {
        let name = tag.trim_start_matches('!');
        return Some((name, None));
    }
    match &n.value {
        Yaml::Map(pairs) if pairs.len() == 1 => {
            let k = pairs[0].0.as_str()?;
            let name = if k == "Ref" {
                "Ref"
            } else {
                k.strip_prefix("Fn::")?
            };
            Some((name, Some(&pairs[0].1)))
        }
        _ => None,
    }
}

/// Render a value to text: strings as they are, `Ref`/`Sub`/`GetAtt`/`Join` as a template
/// with `${…}` placeholders. `None` for anything else (lists, maps, other intrinsics).
pub(super) fn render(n: &Node, depth: usize) -> Option<(String, bool)> {
    if depth > 16 {
        return None;
    }
    if let Some((name, arg)) = intrinsic(n) {
        // The short form keeps its argument in the node itself (the tag marks it).
        let untagged;
        let arg = if let Some(a) = arg {
            a
        } else {
            untagged = Node {
                value: n.value.clone(),
                span: n.span,
                tag: None,
            };
            &untagged
        };
        return match name {
            "hcl" => Some((hcl_text(arg.as_str()?), true)),
            "Ref" => Some((format!("${{{}}}", arg.as_str()?), true)),
            "Sub" => match &arg.value {
                Yaml::Seq(items) => Some((items.first()?.as_str()?.to_owned(), true)),
                _ => Some((arg.as_str()?.to_owned(), true)),
            },
            "GetAtt" => match &arg.value {
                Yaml::Seq(items) => {
                    let parts: Option<Vec<&str>> = items.iter().map(Node::as_str).collect();
                    Some((format!("${{{}}}", parts?.join(".")), true))
                }
                _ => Some((format!("${{{}}}", arg.as_str()?), true)),
            },
            "Join" => {
                let items = arg.items();
                let sep = items.first()?.as_str()?;
                let mut out = Vec::new();
                for part in items.get(1)?.items() {
                    out.push(render(part, depth + 1).map_or_else(|| "${?}".to_owned(), |(t, _)| t));
                }
                Some((out.join(sep), true))
            }
            _ => None,
        };
    }
    let s = n.as_str()?;
    Some((s.to_owned(), s.contains("${")))
}

/// Longest short form kept for a message; longer ones end in `…`.
const SHORT_MAX: usize = 80;

/// A node in `CloudFormation`'s short YAML form on one line: `!Ref X`, `!Sub 'a-${X}'`,
/// `!FindInMap [Map, !Ref Env, Key]`, `[a, b]`, `{K: v}`.
fn short_form(n: &Node, depth: usize) -> String {
    let mut s = short_inner(n, depth);
    if s.chars().count() > SHORT_MAX {
        s = s.chars().take(SHORT_MAX - 1).collect::<String>() + "…";
    }
    s
}

fn short_inner(n: &Node, depth: usize) -> String {
    if depth > 8 {
        return "…".to_owned();
    }
    let seq = |items: &[Node]| {
        let parts: Vec<String> = items.iter().map(|i| short_inner(i, depth + 1)).collect();
        format!("[{}]", parts.join(", "))
    };
    let scalar = |s: &str| {
        if s.is_empty()
            || s.contains(": ")
            || s.contains(" #")
            || s.contains(", ")
            || s.starts_with(['\'', '"', '!', '&', '*', '@', '`', '[', '{', ']', '}'])
        {
            format!("'{}'", s.replace('\'', "''"))
        } else {
            s.to_owned()
        }
    };
    if let Some((name, arg)) = intrinsic(n) {
        if name == "hcl" {
            return n.as_str().unwrap_or("").to_owned();
        }
        let body = match arg {
            Some(a) => short_inner(a, depth + 1),
            None => match &n.value {
                Yaml::Seq(items) => seq(items),
                Yaml::Map(_) => short_inner(
                    &Node {
                        value: n.value.clone(),
                        span: n.span,
                        tag: None,
                    },
                    depth + 1,
                ),
                _ => n.as_str().map_or_else(String::new, scalar),
            },
        };
        return format!("!{name} {body}");
    }
    match &n.value {
        Yaml::Seq(items) => seq(items),
        Yaml::Map(pairs) => {
            let parts: Vec<String> = pairs
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        short_inner(k, depth + 1),
                        short_inner(v, depth + 1)
                    )
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Yaml::Alias => "*alias".to_owned(),
        Yaml::Scalar { .. } => n.as_str().map_or_else(String::new, scalar),
    }
}

/// Terraform expressions are kept as their source text; bare references become `${…}`.
fn hcl_text(src: &str) -> String {
    if src.contains("${") {
        src.to_owned()
    } else {
        format!("${{{src}}}")
    }
}

/// The alternatives of a `Fn::If` (`!If [cond, a, b]`), without `AWS::NoValue`.
pub(super) fn if_branches(n: &Node) -> Option<Vec<&Node>> {
    let (name, arg) = intrinsic(n)?;
    if name != "If" {
        return None;
    }
    let items = arg.map_or_else(|| n.items(), Node::items);
    Some(items.iter().skip(1).filter(|b| !is_no_value(b)).collect())
}

fn is_no_value(n: &Node) -> bool {
    matches!(intrinsic(n), Some(("Ref", _)))
        && render(n, 0).is_some_and(|(t, _)| t == "${AWS::NoValue}")
}

/// A scalar or a list of scalars; expressions are rendered or kept as their source text.
pub(super) fn values(n: &Node, out: &mut Vec<Value>, depth: usize) {
    if depth > 16 {
        return;
    }
    if let Some(branches) = if_branches(n) {
        for b in branches {
            values(b, out, depth + 1);
        }
        return;
    }
    if n.tag.is_none() {
        if let Yaml::Seq(items) = &n.value {
            for i in items {
                values(i, out, depth + 1);
            }
            return;
        }
    }
    let short = intrinsic(n)
        .filter(|(name, _)| *name != "hcl")
        .map(|_| short_form(n, 0));
    match render(n, 0) {
        Some((t, unresolved)) => out.push(Value {
            text: t,
            span: n.span,
            unresolved,
            short,
        }),
        None => out.push(Value {
            // Never the raw source of an expression (a multi-line JSON object in a message):
            // its short form, which names what it depends on.
            text: short.clone().unwrap_or_else(|| short_form(n, 0)),
            span: n.span,
            unresolved: true,
            short,
        }),
    }
}

pub(super) fn values_of(n: &Node) -> Vec<Value> {
    let mut out = Vec::new();
    values(n, &mut out, 0);
    out
}

/// Whether a node is something other than plain data (an intrinsic, an alias, HCL).
pub(super) fn is_expression(n: &Node) -> bool {
    intrinsic(n).is_some() || matches!(n.value, Yaml::Alias)
}

#[cfg(test)]
mod tests {
    use super::super::principals::Account;
    use super::super::tree::from_tree;
    use super::super::yaml_policies;
    use crate::parse::json;

    #[test]
    fn intrinsics_are_shown_in_short_form() {
        let cfn = "Resources:\n  R:\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: !FindInMap [Accounts, !Ref Env, Trusted]\n              Service: !Sub 'states.${AWS::Region}.amazonaws.com'\n            Action: sts:AssumeRole\n";
        let p = yaml_policies(cfn);
        let pr = &p[0].statements[0].principals;
        assert_eq!(
            pr[0].value.shown(),
            "!FindInMap [Accounts, !Ref Env, Trusted]"
        );
        assert!(pr[0].value.unresolved);
        assert_eq!(pr[0].account(), Some(Account::Unknown));
        assert_eq!(pr[1].value.text, "states.${AWS::Region}.amazonaws.com");
        assert_eq!(
            pr[1].value.shown(),
            "!Sub states.${AWS::Region}.amazonaws.com"
        );
        let json = r#"{"Resources": {"R": {"Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::FindInMap": ["Accounts", {"Ref": "Env"}, "Trusted"]}}, "Action": "sts:AssumeRole"}]}}}}}"#;
        let doc = json::parse(json).expect("json").expect("doc");
        let p = from_tree(&[doc], json, false);
        let v = &p[0].statements[0].principals[0].value;
        assert_eq!(v.shown(), "!FindInMap [Accounts, !Ref Env, Trusted]");
        assert!(!v.text.contains('\n') && !v.text.contains('{'));
    }
}
