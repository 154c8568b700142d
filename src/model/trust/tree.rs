//! Trust policies in a JSON or YAML document tree: `CloudFormation` resources, wrappers
//! (`aws iam create-role` input, `get-role` output), Terraform plans and standalone trust
//! policy documents.

use super::document::{document, is_service_linked_path, policy, statement_nodes};
use super::plan::terraform_plan;
use super::render::values;
use super::statements::{Origin, TrustPolicy};
use crate::parse::yaml::{Node, Yaml};

/// Whether a standalone document reads as a trust policy: a statement with a principal
/// and an STS action (`sts:AssumeRole*`, `sts:TagSession`, `sts:*`, …), or, when the file's
/// name says so (`trust`, `assume`), any action.
fn is_trust_document(doc: &Node, named_as_trust: bool) -> bool {
    let mut nodes = Vec::new();
    match doc.get("Statement") {
        Some(s) => statement_nodes(s, &mut nodes, 0),
        None => return false,
    }
    nodes.iter().any(|s| {
        let has_principal = s.get("Principal").is_some() || s.get("NotPrincipal").is_some();
        let sts = s.get("Action").is_some_and(|a| {
            let mut vals = Vec::new();
            values(a, &mut vals, 0);
            vals.iter().any(|v| {
                let t = v.text.to_ascii_lowercase();
                t.starts_with("sts:") || (named_as_trust && t == "*")
            })
        }) || (named_as_trust && s.get("NotAction").is_some());
        has_principal && sts
    })
}

/// Keys whose value is a role's trust policy, in wrappers of any shape.
const WRAPPER_KEYS: [&str; 2] = ["AssumeRolePolicyDocument", "assume_role_policy"];

/// Trust policies in a JSON or YAML document tree: `CloudFormation` resources with an
/// `AssumeRolePolicyDocument` property (`AWS::IAM::Role`, SAM functions), wrappers
/// anywhere (`aws iam create-role` / `get-role` output, Terraform JSON), also when the
/// document is given as a JSON string, and standalone trust policy documents.
#[must_use]
pub fn from_tree(docs: &[Node], text: &str, named_as_trust: bool) -> Vec<TrustPolicy> {
    let mut out = Vec::new();
    for doc in docs {
        if let Some(plan) = terraform_plan(doc, text) {
            out.extend(plan);
            continue;
        }
        if let Some(resources) = doc
            .get("Resources")
            .filter(|r| matches!(r.value, Yaml::Map(_)))
        {
            for (id, res) in resources.entries() {
                let Some(p) = res
                    .get("Properties")
                    .and_then(|p| p.get("AssumeRolePolicyDocument"))
                else {
                    continue;
                };
                let role = id.as_str().unwrap_or("role").to_owned();
                if let Some(d) = document(p, text) {
                    let mut pol = policy(role, Origin::CloudFormation, &d);
                    pol.service_linked = res
                        .get("Properties")
                        .and_then(|p| p.get("Path"))
                        .and_then(Node::as_str)
                        .is_some_and(is_service_linked_path);
                    out.push(pol);
                }
            }
            continue;
        }
        if is_trust_document(doc, named_as_trust) {
            out.push(policy("trust policy".into(), Origin::Iam, doc));
            continue;
        }
        // An account's export (`aws iam get-account-authorization-details`) is generated,
        // never written by hand: one whose roles are in a documentation account
        // (`123456789012`, an emulator's default too) is a demo's or an emulator's recorded
        // data, and no real role has those ARNs. A single role document in such an account
        // is still read: tests and examples are written with those accounts.
        let account_export = doc.get("RoleDetailList").is_some();
        // Wrappers, breadth-first with a bound on the work.
        let mut queue = std::collections::VecDeque::from([doc]);
        let mut visited = 0usize;
        while let Some(n) = queue.pop_front() {
            visited += 1;
            if visited > 100_000 {
                break;
            }
            for (k, v) in n.entries() {
                if k.as_str().is_some_and(|k| WRAPPER_KEYS.contains(&k)) {
                    if let Some(d) = document(v, text) {
                        let p = wrapped(n, &d);
                        if !(account_export
                            && p.role_account
                                .as_deref()
                                .is_some_and(crate::keys::is_example_account))
                        {
                            out.push(p);
                        }
                    }
                } else {
                    queue.push_back(v);
                }
            }
            queue.extend(n.items());
        }
    }
    out
}

/// A policy found under a wrapper key of `n`: named by the role's `RoleName` (IAM JSON)
/// or its `address` (a Terraform plan's resource), owned by the account of its `Arn`.
fn wrapped(n: &Node, doc: &Node) -> TrustPolicy {
    let role = n
        .get("RoleName")
        .or_else(|| n.get("name"))
        .and_then(Node::as_str)
        .map_or_else(|| "role".to_owned(), str::to_owned);
    let mut p = policy(role, Origin::Iam, doc);
    let arn = n.get("Arn").or_else(|| n.get("arn")).and_then(Node::as_str);
    if let Some(arn) = arn {
        // The resource part may hold colons of its own (`role/<resource:1>` in recorded
        // snapshots): an ARN has six fields, the last one whatever follows.
        let fields: Vec<&str> = arn.splitn(6, ':').collect();
        if fields.len() == 6 && fields[0] == "arn" && fields[2] == "iam" {
            let acct = fields[4];
            if acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) {
                p.role_account = Some(acct.to_owned());
            }
            p.service_linked = fields[5].starts_with("role/aws-service-role/");
        }
    }
    let path = n
        .get("Path")
        .or_else(|| n.get("path"))
        .and_then(Node::as_str);
    p.service_linked |= path.is_some_and(is_service_linked_path);
    p
}

#[cfg(test)]
mod tests {
    use super::super::principals::{Account, PrincipalKind};
    use super::super::yaml_policies;
    use super::*;
    use crate::parse::json;

    #[test]
    fn cloudformation_yaml_with_intrinsics() {
        let cfn = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'\n            Action: sts:AssumeRole\n          - Effect: Allow\n            Principal: '*'\n            Action: ['sts:AssumeRole']\n            Condition:\n              StringEquals:\n                aws:PrincipalOrgID: o-abc\n          - !If [Prod, {Effect: Allow, Principal: {AWS: !Join ['', ['arn:aws:iam::', !Ref AWS::AccountId, ':root']]}, Action: sts:AssumeRole}, !Ref AWS::NoValue]\n";
        let p = yaml_policies(cfn);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].role, "Role");
        let s = &p[0].statements;
        assert_eq!(s.len(), 3);
        assert!(s[0].principals[0].value.unresolved);
        assert_eq!(s[0].principals[0].account(), Some(Account::Own));
        assert_eq!(s[1].principals[0].kind, PrincipalKind::Anyone);
        assert_eq!(s[1].conditions_on("aws:principalorgid").count(), 1);
        assert!(s[1].conditions[0].restricts());
        assert_eq!(s[2].principals[0].account(), Some(Account::Own));
    }

    #[test]
    fn standalone_and_cli_input() {
        let json = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let doc = json::parse(json).expect("json").expect("doc");
        let p = from_tree(&[doc], json, false);
        assert_eq!(
            p[0].statements[0].principals[0].kind,
            PrincipalKind::Service
        );
        let cli = r#"{"RoleName": "r", "AssumeRolePolicyDocument": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}"}"#;
        let doc = json::parse(cli).expect("json").expect("doc");
        let p = from_tree(&[doc], cli, false);
        assert_eq!(p[0].role, "r");
        let star = &p[0].statements[0].principals[0];
        assert_eq!(star.kind, PrincipalKind::Anyone);
        assert_eq!(&cli[star.value.span.start..star.value.span.end], "*");
        let doc = json::parse("{\"a\": 1}").expect("json").expect("doc");
        assert!(from_tree(&[doc], "{\"a\": 1}", false).is_empty());
        // A resource policy (no STS action) is not a trust policy unless the name says so.
        let s3 = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}"#;
        let doc = json::parse(s3).expect("json").expect("doc");
        assert!(from_tree(std::slice::from_ref(&doc), s3, false).is_empty());
        assert_eq!(from_tree(&[doc], s3, true).len(), 1);
    }
}
