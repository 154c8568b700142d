//! CL101: an `AKIA…` key id anywhere in a file credlint reads. One finding per key id and
//! file, at its first occurrence: a key is rotated once, however often a file repeats it
//! (a scanner's test suite repeats one fake key hundreds of times).

use super::RuleId;
use crate::discover::{FileKind, GitStatus};
use crate::finding::{Finding, Level};
use crate::keys::{self, KeyIdShape};
use crate::model::Workspace;
use crate::source::Span;

/// Later occurrences listed as related locations, at most.
const SHOWN_AGAIN: usize = 3;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        let mut seen: Vec<(&str, Vec<Span>)> = Vec::new();
        for (s, e) in keys::find_key_ids(&f.source.text) {
            let id = &f.source.text[s..e];
            if keys::classify_key_id(id) != KeyIdShape::LongLived
                || keys::in_presigned_url(&f.source.text, s)
            {
                continue;
            }
            match seen.iter_mut().find(|(k, _)| *k == id) {
                Some((_, spans)) => spans.push(Span::new(s, e)),
                None => seen.push((id, vec![Span::new(s, e)])),
            }
        }
        for (id, spans) in seen {
            let (level, tail) = if f.git == GitStatus::Ignored {
                (
                    Level::Warning,
                    "; git ignores this file, but the key still never expires",
                )
            } else {
                (Level::Error, "")
            };
            let times = if spans.len() > 1 {
                format!(" ({} times)", spans.len())
            } else {
                String::new()
            };
            let msg = format!(
                "long-lived access key {} in {}{times}{tail}",
                keys::redact_key_id(id),
                where_written(f.kind)
            );
            let mut finding =
                Finding::new(RuleId::LongLivedAccessKey, ws.location(i, spans[0]), msg)
                    .level(level);
            for &again in spans.iter().skip(1).take(SHOWN_AGAIN) {
                finding = finding.related(ws.location(i, again), "the same key again");
            }
            out.push(finding);
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
        FileKind::AwsCache => "an AWS CLI or SDK cache file",
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
