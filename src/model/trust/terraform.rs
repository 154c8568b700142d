//! Terraform: the roles and `aws_iam_policy_document` data sources of a configuration, and
//! the workspace-wide link from a role to the document it refers to in its module.

use super::super::scanned::ScannedFile;
use super::document::policy;
use super::statements::{Origin, TrustPolicy};

pub(super) fn from_terraform(tf: crate::parse::hcl::TerraformFile) -> Vec<TrustPolicy> {
    use crate::parse::hcl::PolicySource;
    let mut out = Vec::new();
    for r in tf.roles {
        match r.policy {
            PolicySource::Inline(doc) => out.push(policy(r.role, Origin::Terraform, &doc)),
            PolicySource::Data(name) => out.push(TrustPolicy {
                file: 0,
                role: r.role,
                origin: Origin::Terraform,
                statements: Vec::new(),
                terraform_ref: Some(name),
                terraform_data: None,
                role_account: None,
                service_linked: false,
            }),
        }
    }
    for (name, doc) in tf.documents {
        let mut p = policy(
            format!("data.aws_iam_policy_document.{name}"),
            Origin::Terraform,
            &doc,
        );
        p.terraform_data = Some(name);
        out.push(p);
    }
    out
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Every trust policy of the workspace, each with its file index. A Terraform role that
/// refers to `data.aws_iam_policy_document.NAME` is linked to that document in any file of
/// the same directory (a module): the document is reported under the role's name, where its
/// principals and conditions are written. A policy document that no role uses is a trust
/// policy only if it names principals; a reference to a document outside the module stays
/// unresolved and yields nothing.
#[must_use]
pub fn collect(files: &[ScannedFile]) -> Vec<TrustPolicy> {
    use std::collections::BTreeMap;
    let mut users: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for f in files {
        for p in &f.trust {
            if let Some(name) = &p.terraform_ref {
                users
                    .entry((parent_dir(f.path()), name.as_str()))
                    .or_default()
                    .push(p.role.as_str());
            }
        }
    }
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        for p in &f.trust {
            if p.terraform_ref.is_some() {
                continue;
            }
            let mut p = p.clone();
            p.file = i;
            if let Some(name) = &p.terraform_data {
                match users.get(&(parent_dir(f.path()), name.as_str())) {
                    Some(roles) => p.role = roles.join(", "),
                    None => {
                        if !p
                            .statements
                            .iter()
                            .any(|s| !s.principals.is_empty() || s.not_principal.is_some())
                        {
                            continue;
                        }
                    }
                }
            }
            out.push(p);
        }
    }
    out
}
