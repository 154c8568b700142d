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
//! providers. This file holds the entry points: [`extract`] per file,
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

/// Whether a file is worth parsing for trust policies; the parse step decides.
pub use crate::parse::documents::is_candidate;

use crate::parse::documents::Documents;
use templates::templated;
use terraform::from_terraform;

// ---------------------------------------------------------------------------------------
// Per file (in the parallel scan, from the documents the parse step made); per workspace
// (linking Terraform modules), see [`collect`].

/// The trust policies of one file, read out of the documents the parse step made of it
/// (`crate::parse::documents`); `Err` carries a note for a file that does not parse
/// (offset, message). Files that are not candidates yield nothing.
pub fn extract(
    path: &str,
    text: &str,
    documents: Documents,
) -> Result<Vec<TrustPolicy>, (usize, String)> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let named_as_trust = name.contains("trust") || name.contains("assume");
    let policies = match documents {
        Documents::None => Vec::new(),
        Documents::Terraform(tf) => from_terraform(tf),
        Documents::Trees(docs) => from_tree(&docs, text, named_as_trust),
        Documents::Templated {
            text: blank,
            docs,
            tags,
        } => templated(text, &blank, &docs, &tags, named_as_trust),
        Documents::Error(at, e) => return Err((at, e)),
    };
    Ok(policies)
}

/// [`extract`] from a file's text, parsed as the scan parses it (for the tests).
#[cfg(test)]
fn extract_text(
    kind: crate::discover::FileKind,
    path: &str,
    text: &str,
) -> Result<Vec<TrustPolicy>, (usize, String)> {
    extract(path, text, crate::parse::documents::parse(kind, text))
}

/// The trust policies of a YAML text (for the tests).
#[cfg(test)]
fn yaml_policies(text: &str) -> Vec<TrustPolicy> {
    from_tree(&crate::parse::yaml::parse(text).expect("yaml"), text, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileKind;

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
        assert!(extract_text(FileKind::Yaml, "bomb.yaml", &bomb).is_ok());
        let deep_yaml = format!(
            "# Principal\nsts: {}1{}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert!(extract_text(FileKind::Yaml, "deep.yaml", &deep_yaml).is_err());
        let deep_json = format!(
            "{{\"Principal\": \"*\", \"sts:\": {}1{}}}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert!(extract_text(FileKind::Json, "deep.json", &deep_json).is_err());
        let deep_tf = format!(
            "resource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = {}1{}\n}}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert!(extract_text(FileKind::Terraform, "deep.tf", &deep_tf).is_err());
        // Truncated and malformed documents.
        for text in [
            "{\"Statement\": [{\"Principal\": ",
            "Resources: {Role: {Properties: {AssumeRolePolicyDocument: !Sub",
            "{\"AssumeRolePolicyDocument\": \"{\\\"Statement\\\": [\"}",
            "{\"Statement\": {\"Principal\": {\"AWS\": {\"Fn::If\": [1]}}, \"Action\": \"sts:AssumeRole\"}}",
        ] {
            let _ = extract_text(FileKind::Json, "x.json", text);
            let _ = extract_text(FileKind::Yaml, "x.yaml", text);
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }
}
