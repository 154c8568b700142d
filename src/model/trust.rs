//! Trust policies: found in IAM policy JSON, `CloudFormation` (JSON or YAML) and Terraform,
//! normalised to statements with principals, actions and conditions, each with its span.
//! Values that cannot be resolved offline (`!Ref`, `Fn::Sub`, `${var.x}`) are kept as
//! unresolved and never guessed.

use crate::parse::yaml::{self, Node, Yaml};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `Principal: "*"` or `{"AWS": "*"}`.
    Anyone,
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

#[derive(Clone, Debug)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub value: String,
    pub span: Span,
    /// An intrinsic function or interpolation: the value is not known offline.
    pub unresolved: bool,
}

#[derive(Clone, Debug)]
pub struct Condition {
    /// As written: `StringEquals`, `ForAnyValue:StringLike`, `StringLikeIfExists`, …
    pub operator: String,
    pub key: String,
    pub key_span: Span,
    pub values: Vec<(String, Span)>,
}

impl Condition {
    /// The operator without `ForAnyValue:`/`ForAllValues:` and `IfExists`.
    #[must_use]
    pub fn base_operator(&self) -> &str {
        let op = self
            .operator
            .split(':')
            .next_back()
            .unwrap_or(&self.operator);
        op.strip_suffix("IfExists").unwrap_or(op)
    }

    #[must_use]
    pub fn key_is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub allow: bool,
    pub span: Span,
    pub principals: Vec<Principal>,
    pub not_principal: Option<Span>,
    pub actions: Vec<(String, Span)>,
    pub conditions: Vec<Condition>,
}

impl Statement {
    #[must_use]
    pub fn condition_on(&self, key: &str) -> Vec<&Condition> {
        self.conditions.iter().filter(|c| c.key_is(key)).collect()
    }

    /// A statement that lets principals assume the role (or whose actions are unknown).
    #[must_use]
    pub fn assumes(&self) -> bool {
        self.actions.is_empty()
            || self.actions.iter().any(|(a, _)| {
                let a = a.to_ascii_lowercase();
                a == "*" || a == "sts:*" || a.starts_with("sts:assumerole")
            })
    }
}

/// One role's trust policy in one file.
#[derive(Clone, Debug)]
pub struct TrustPolicy {
    /// The role (`CloudFormation` logical id, Terraform address) or the document's kind.
    pub role: String,
    pub statements: Vec<Statement>,
}

fn unresolved(n: &Node) -> bool {
    n.tag.is_some()
        || matches!(&n.value, Yaml::Map(pairs) if pairs.iter().any(|(k, _)| k.as_str().is_some_and(|k| k == "Ref" || k.starts_with("Fn::"))))
        || n.as_str().is_some_and(|s| s.contains("${"))
}

/// A scalar or a list of scalars (or unresolved expressions, kept as their text).
fn strings(n: &Node, text: &str) -> Vec<(String, Span, bool)> {
    let one = |n: &Node| -> (String, Span, bool) {
        match n.as_str() {
            Some(s) => (s.to_owned(), n.span, unresolved(n)),
            None => (
                text.get(n.span.start..n.span.end).unwrap_or("").to_owned(),
                n.span,
                true,
            ),
        }
    };
    match &n.value {
        Yaml::Seq(items) => items.iter().map(one).collect(),
        _ => vec![one(n)],
    }
}

fn principals(n: &Node, text: &str) -> Vec<Principal> {
    if n.as_str() == Some("*") {
        return vec![Principal {
            kind: PrincipalKind::Anyone,
            value: "*".into(),
            span: n.span,
            unresolved: false,
        }];
    }
    let mut out = Vec::new();
    for (k, v) in n.entries() {
        let kind = match k.as_str() {
            Some("AWS") => PrincipalKind::Aws,
            Some("Service") => PrincipalKind::Service,
            Some("Federated") => PrincipalKind::Federated,
            Some("CanonicalUser") => PrincipalKind::CanonicalUser,
            _ => continue,
        };
        for (value, span, unresolved) in strings(v, text) {
            let kind = if kind == PrincipalKind::Aws && value == "*" {
                PrincipalKind::Anyone
            } else {
                kind
            };
            out.push(Principal {
                kind,
                value,
                span,
                unresolved,
            });
        }
    }
    out
}

fn statement(n: &Node, text: &str) -> Statement {
    let allow = n
        .get("Effect")
        .and_then(Node::as_str)
        .is_none_or(|e| e.eq_ignore_ascii_case("allow"));
    let mut actions = Vec::new();
    for key in ["Action", "NotAction"] {
        if let Some(a) = n.get(key) {
            actions.extend(strings(a, text).into_iter().map(|(s, sp, _)| {
                (
                    if key == "NotAction" {
                        "*".to_owned()
                    } else {
                        s
                    },
                    sp,
                )
            }));
        }
    }
    let mut conditions = Vec::new();
    for (op, body) in n.get("Condition").map(Node::entries).unwrap_or_default() {
        for (k, v) in body.entries() {
            conditions.push(Condition {
                operator: op.as_str().unwrap_or("").to_owned(),
                key: k.as_str().unwrap_or("").to_owned(),
                key_span: k.span,
                values: strings(v, text)
                    .into_iter()
                    .map(|(s, sp, _)| (s, sp))
                    .collect(),
            });
        }
    }
    Statement {
        allow,
        span: n.span,
        principals: n
            .get("Principal")
            .map(|p| principals(p, text))
            .unwrap_or_default(),
        not_principal: n.get("NotPrincipal").map(|p| p.span),
        actions,
        conditions,
    }
}

/// Normalise a policy document node.
#[must_use]
pub fn policy(role: String, doc: &Node, text: &str) -> TrustPolicy {
    let statements = match doc.get("Statement") {
        Some(Node {
            value: Yaml::Seq(items),
            ..
        }) => items.iter().map(|s| statement(s, text)).collect(),
        Some(single) => vec![statement(single, text)],
        None => Vec::new(),
    };
    TrustPolicy { role, statements }
}

fn is_trust_document(doc: &Node) -> bool {
    let st = match doc.get("Statement") {
        Some(Node {
            value: Yaml::Seq(items),
            ..
        }) => items.clone(),
        Some(single) => vec![single.clone()],
        None => return false,
    };
    st.iter()
        .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some())
        && st.iter().any(|s| {
            s.get("Action").is_some_and(|a| {
                let t = match &a.value {
                    Yaml::Seq(items) => items
                        .iter()
                        .filter_map(Node::as_str)
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => a.as_str().unwrap_or("").to_owned(),
                };
                t.to_ascii_lowercase().contains("sts:") || t == "*"
            })
        })
}

/// Trust policies in a JSON or YAML file: `CloudFormation` `AWS::IAM::Role` resources, any
/// `AssumeRolePolicyDocument` (also as a JSON string, as in `aws iam create-role` input),
/// and standalone trust policy documents.
pub fn from_json_or_yaml(text: &str) -> Result<Vec<TrustPolicy>, (usize, String)> {
    let docs = yaml::parse(text)?;
    let mut out = Vec::new();
    for doc in &docs {
        if let Some(resources) = doc.get("Resources") {
            for (id, res) in resources.entries() {
                if res.get("Type").and_then(Node::as_str) != Some("AWS::IAM::Role") {
                    continue;
                }
                if let Some(p) = res
                    .get("Properties")
                    .and_then(|p| p.get("AssumeRolePolicyDocument"))
                {
                    out.push(policy(id.as_str().unwrap_or("?").to_owned(), p, text));
                }
            }
            continue;
        }
        if is_trust_document(doc) {
            out.push(policy("trust policy".into(), doc, text));
            continue;
        }
        // Wrappers: {"RoleName": …, "AssumeRolePolicyDocument": {…} or "{…json…}"}.
        let mut stack = vec![doc];
        while let Some(n) = stack.pop() {
            for (k, v) in n.entries() {
                if k.as_str() == Some("AssumeRolePolicyDocument") {
                    let role = n
                        .get("RoleName")
                        .and_then(Node::as_str)
                        .unwrap_or("role")
                        .to_owned();
                    match v.as_str() {
                        Some(json) => {
                            if let Ok(mut inner) = yaml::parse(json) {
                                if let Some(mut d) = inner.pop() {
                                    // Positions inside a JSON string are approximate: the
                                    // string's start plus the offset in its text.
                                    shift(&mut d, v.span.start);
                                    out.push(policy(role, &d, text));
                                }
                            }
                        }
                        None => out.push(policy(role, v, text)),
                    }
                } else {
                    stack.push(v);
                }
            }
            stack.extend(n.items());
        }
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudformation_yaml_with_intrinsics() {
        let cfn = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'\n            Action: sts:AssumeRole\n          - Effect: Allow\n            Principal: '*'\n            Action: ['sts:AssumeRole']\n            Condition:\n              StringEquals:\n                aws:PrincipalOrgID: o-abc\n";
        let p = from_json_or_yaml(cfn).expect("parses");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].role, "Role");
        let s = &p[0].statements;
        assert!(s[0].principals[0].unresolved);
        assert_eq!(s[1].principals[0].kind, PrincipalKind::Anyone);
        assert!(s[1].condition_on("aws:principalorgid").len() == 1);
    }

    #[test]
    fn standalone_and_cli_input() {
        let json = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let p = from_json_or_yaml(json).expect("parses");
        assert_eq!(
            p[0].statements[0].principals[0].kind,
            PrincipalKind::Service
        );
        let cli = r#"{"RoleName": "r", "AssumeRolePolicyDocument": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}"}"#;
        let p = from_json_or_yaml(cli).expect("parses");
        assert_eq!(p[0].role, "r");
        assert_eq!(p[0].statements[0].principals[0].kind, PrincipalKind::Anyone);
        assert!(from_json_or_yaml("{\"a\": 1}").expect("parses").is_empty());
    }
}

/// A condition value that restricts nothing: empty, `*`, or only wildcards.
#[must_use]
pub fn wildcard_only(value: &str) -> bool {
    value.chars().all(|c| c == '*' || c == '?')
}

/// Whether the statement has a condition on one of `keys` with a value that restricts.
#[must_use]
pub fn restricted_by(st: &Statement, keys: &[&str]) -> bool {
    st.conditions.iter().any(|c| {
        keys.iter().any(|k| c.key_is(k))
            && !c.operator.to_ascii_lowercase().starts_with("forallvalues:")
            && !c.values.is_empty()
            && c.values.iter().all(|(v, _)| !wildcard_only(v))
    })
}

/// Conditions that limit who may use a wide principal.
pub const WHO_KEYS: [&str; 11] = [
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "sts:ExternalId",
    "aws:userid",
    "aws:SourceVpce",
];

/// An OIDC issuer credlint knows, by the host in the provider ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Issuer {
    GithubActions,
    Gitlab,
    TerraformCloud,
    Bitbucket,
    CircleCi,
    Eks,
    Google,
    Cognito,
    Other,
}

/// The issuer host of a federated principal (`arn:…:oidc-provider/HOST` or `HOST`).
#[must_use]
pub fn issuer_host(principal: &str) -> Option<&str> {
    if principal.contains(":saml-provider/") {
        return None;
    }
    Some(
        principal
            .rsplit_once(":oidc-provider/")
            .map_or(principal, |(_, h)| h),
    )
}

#[must_use]
pub fn issuer(host: &str) -> Issuer {
    let h = host.to_ascii_lowercase();
    if h.starts_with("token.actions.githubusercontent.com") {
        Issuer::GithubActions
    } else if h.starts_with("gitlab.") || h.contains("gitlab") {
        Issuer::Gitlab
    } else if h.starts_with("app.terraform.io") {
        Issuer::TerraformCloud
    } else if h.contains("bitbucket") {
        Issuer::Bitbucket
    } else if h.starts_with("oidc.circleci.com") {
        Issuer::CircleCi
    } else if h.starts_with("oidc.eks.") {
        Issuer::Eks
    } else if h.starts_with("accounts.google.com") {
        Issuer::Google
    } else if h.starts_with("cognito-identity.amazonaws.com") {
        Issuer::Cognito
    } else {
        Issuer::Other
    }
}
