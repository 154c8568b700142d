//! CL101: an `AKIA…` key id anywhere in a file credlint reads.

use super::RuleId;
use crate::discover::{FileKind, GitStatus};
use crate::finding::{Finding, Level};
use crate::keys::{self, KeyIdShape};
use crate::model::Workspace;
use crate::source::Span;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for (s, e) in keys::find_key_ids(&f.source.text) {
            let id = &f.source.text[s..e];
            if keys::classify_key_id(id) != KeyIdShape::LongLived {
                continue;
            }
            let (level, tail) = if f.git == GitStatus::Ignored {
                (
                    Level::Warning,
                    "; git ignores this file, but the key still never expires",
                )
            } else {
                (Level::Error, "")
            };
            let msg = format!(
                "long-lived access key {} in {}{tail}",
                keys::redact_key_id(id),
                where_written(f.kind)
            );
            out.push(
                Finding::new(
                    RuleId::LongLivedAccessKey,
                    ws.location(i, Span::new(s, e)),
                    msg,
                )
                .level(level),
            );
        }
    }
}

/// The kind of file, as a reader would name it (`FileKind::as_str` is a machine name).
const fn where_written(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Dotenv => "a dotenv file",
        FileKind::Shell => "a shell script",
        FileKind::AwsCredentials => "an AWS credentials file",
        FileKind::AwsConfig => "an AWS config file",
        FileKind::Boto2 => "a boto config file",
        FileKind::Python => "Python code",
        FileKind::JavaScript => "JavaScript code",
        FileKind::TypeScript => "TypeScript code",
        FileKind::Go => "Go code",
        FileKind::Java => "Java code",
        FileKind::Notebook => "a notebook",
        FileKind::GithubWorkflow => "a GitHub workflow",
        FileKind::GitlabCi => "a GitLab CI file",
        FileKind::Dockerfile => "a Dockerfile",
        FileKind::Compose => "a compose file",
        FileKind::Terraform => "Terraform",
        FileKind::Json => "a JSON file",
        FileKind::Yaml => "a YAML file",
        FileKind::Other => "this file",
    }
}
