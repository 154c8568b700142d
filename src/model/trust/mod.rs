//! Trust policies, normalised: every IAM role trust policy found in IAM policy JSON (plain
//! documents and wrappers such as `aws iam create-role` input), `CloudFormation` templates
//! (JSON or YAML) and Terraform, as statements with principals, actions and conditions, each
//! element with its span. Values that cannot be known offline (`!Ref`, `Fn::Sub`,
//! `${var.x}`) are kept, marked unresolved, and never guessed; `CloudFormation` intrinsics
//! are rendered to a template text (`arn:aws:iam::${AWS::AccountId}:root`) so that the
//! template's own account can still be recognised.
//!
//! Parsers produce a spanned tree ([`Node`](crate::parse::yaml::Node)); this module reads
//! the policy out of it. The judgement (which trust is too wide) belongs to the `CL5xx`
//! rules.
//!
//! The files: `value.rs`, `principals.rs`, `conditions.rs` and `statements.rs` hold the
//! normalised policy and its analysis; `render.rs`, `document.rs`, `tree.rs`, `plan.rs`,
//! `templates.rs` and `terraform.rs` read it out of files; `issuers.rs` names OIDC
//! providers. This file holds the entry points: [`is_candidate`] and [`extract`] per file,
//! [`collect`] per workspace.

mod conditions;
mod document;
mod issuers;
mod plan;
mod principals;
mod render;
mod statements;
mod templates;
mod terraform;
mod tree;
mod value;

pub use conditions::{Condition, SetQualifier};
pub use document::policy;
pub use issuers::{Issuer, condition_hosts, issuer, issuer_host};
pub use principals::{Account, Principal, PrincipalKind, is_whole_account};
pub use statements::{Origin, Statement, TrustPolicy};
pub use terraform::collect;
pub use tree::from_tree;
pub use value::{Value, arn_account_pinned, has_wildcard, wildcard_only};

use crate::discover::FileKind;
use templates::templated;
use terraform::from_terraform;

// ---------------------------------------------------------------------------------------
// Per file (in the parallel scan); per workspace (linking Terraform modules), see
// [`collect`].

/// Whether a file's text is worth reading for trust policies (one literal search each).
#[must_use]
pub fn is_candidate(kind: FileKind, text: &str) -> bool {
    match kind {
        FileKind::Terraform => {
            text.contains("assume_role_policy") || text.contains("aws_iam_policy_document")
        }
        // A trust statement has a `Principal` (or `NotPrincipal`; `principals` in a
        // Terraform plan) and an STS action.
        FileKind::Json | FileKind::Yaml => {
            (text.contains("Principal") || text.contains("principal"))
                && (text.contains("AssumeRole")
                    || text.contains("assume_role_policy")
                    || text.contains("sts:"))
        }
        _ => false,
    }
}

/// The trust policies of one file; `Err` carries a note for a file that does not parse
/// (offset, message). Files that are not candidates yield nothing.
pub fn extract(
    kind: FileKind,
    path: &str,
    text: &str,
) -> Result<Vec<TrustPolicy>, (usize, String)> {
    if !is_candidate(kind, text) {
        return Ok(Vec::new());
    }
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let named_as_trust = name.contains("trust") || name.contains("assume");
    match kind {
        FileKind::Terraform => {
            let tf = crate::parse::hcl::parse(text).map_err(|e| {
                (
                    0,
                    format!(
                        "Terraform does not parse: {}",
                        e.lines().next().unwrap_or("")
                    ),
                )
            })?;
            Ok(from_terraform(tf))
        }
        FileKind::Json => match crate::parse::json::parse(text) {
            Ok(Some(doc)) => Ok(from_tree(&[doc], text, named_as_trust)),
            Ok(None) => Ok(Vec::new()),
            Err((at, e)) => templated(kind, text, named_as_trust)
                .ok_or_else(|| (at, format!("not valid JSON: {e}"))),
        },
        FileKind::Yaml => match crate::parse::yaml::parse(text) {
            Ok(docs) => Ok(from_tree(&docs, text, named_as_trust)),
            Err((at, e)) => templated(kind, text, named_as_trust)
                .ok_or_else(|| (at, format!("not valid YAML: {e}"))),
        },
        _ => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_input_gives_notes_not_panics() {
        use std::fmt::Write as _;
        let start = std::time::Instant::now();
        // An alias bomb: never expanded.
        let mut bomb = String::from("a: &a [\"sts:AssumeRole\", \"sts:AssumeRole\"]\n");
        for i in 0..30 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            };
            let _ = writeln!(bomb, "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}]");
        }
        assert!(extract(FileKind::Yaml, "bomb.yaml", &bomb).is_ok());
        let deep_yaml = format!(
            "# Principal\nsts: {}1{}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert!(extract(FileKind::Yaml, "deep.yaml", &deep_yaml).is_err());
        let deep_json = format!(
            "{{\"Principal\": 1, \"sts:\": {}1{}}}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert!(extract(FileKind::Json, "deep.json", &deep_json).is_err());
        let deep_tf = format!(
            "resource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = {}1{}\n}}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert!(extract(FileKind::Terraform, "deep.tf", &deep_tf).is_err());
        // Truncated and malformed documents.
        for text in [
            "{\"Statement\": [{\"Principal\": ",
            "Resources: {Role: {Properties: {AssumeRolePolicyDocument: !Sub",
            "{\"AssumeRolePolicyDocument\": \"{\\\"Statement\\\": [\"}",
            "{\"Statement\": {\"Principal\": {\"AWS\": {\"Fn::If\": [1]}}, \"Action\": \"sts:AssumeRole\"}}",
        ] {
            let _ = extract(FileKind::Json, "x.json", text);
            let _ = extract(FileKind::Yaml, "x.yaml", text);
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }
}
