//! CL107: a long-term Amazon Bedrock API key (`ABSK…`) anywhere in a file credlint reads.

use super::RuleId;
use crate::discover::GitStatus;
use crate::finding::{Finding, Level};
use crate::keys::bedrock::{self, BedrockKey};
use crate::model::Workspace;
use crate::source::Span;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for k in bedrock::find(&f.source.text) {
            let BedrockKey::LongTerm { user, account } = &k.key else {
                continue;
            };
            let key = &f.source.text[k.start..k.end];
            let (level, tail) = if f.git == GitStatus::Ignored {
                (
                    Level::Warning,
                    "; git ignores this file, but the key works until it is deleted",
                )
            } else {
                (Level::Error, "")
            };
            let msg = format!(
                "long-term Bedrock API key {} of IAM user `{user}` in account {account}, in {} file{tail}",
                bedrock::redact(key),
                f.kind.as_str()
            );
            out.push(
                Finding::new(
                    RuleId::LongLivedBedrockApiKey,
                    ws.location(i, Span::new(k.start, k.end)),
                    msg,
                )
                .level(level)
                .help(format!(
                    "Delete this key now: `aws iam list-service-specific-credentials --user-name {user} --service-name bedrock.amazonaws.com`, then `aws iam delete-service-specific-credential --user-name {user} --service-specific-credential-id <id>`; in its place use short-term Bedrock API keys (aws-bedrock-token-generator) or an IAM role"
                )),
            );
        }
    }
}
