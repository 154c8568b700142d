//! CL108: a short-term Amazon Bedrock API key (`bedrock-api-key-…`, a presigned URL) in a
//! file.

use super::RuleId;
use crate::finding::Finding;
use crate::keys::bedrock::{self, BedrockKey};
use crate::model::Workspace;
use crate::source::Span;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        for k in bedrock::find(&f.source.text) {
            let BedrockKey::ShortTerm {
                expires,
                signed_with,
                region,
            } = &k.key
            else {
                continue;
            };
            let key = &f.source.text[k.start..k.end];
            let mut facts = Vec::new();
            if let Some(id) = signed_with {
                facts.push(format!("signed with {id}"));
            }
            if let Some(r) = region {
                facts.push(format!("for {r}"));
            }
            match expires {
                Some(e) => facts.push(format!("valid until {e}")),
                None => facts.push("expiry unreadable".into()),
            }
            let msg = format!(
                "short-term Bedrock API key {} in {} file ({}); until then anyone who reads it can call Bedrock as its creator",
                bedrock::redact(key),
                f.kind.as_str(),
                facts.join(", ")
            );
            out.push(Finding::new(
                RuleId::ShortTermBedrockApiKey,
                ws.location(i, Span::new(k.start, k.end)),
                msg,
            ));
        }
    }
}
