//! CL104: a dotenv, credentials or boto file holding credentials that git would commit,
//! or already tracks (then `.gitignore` no longer helps).

use super::RuleId;
use super::common::holds_credential;
use crate::discover::{FileKind, GitStatus};
use crate::finding::Finding;
use crate::fix::Fix;
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        if !matches!(f.git, GitStatus::Committable | GitStatus::Tracked)
            || !matches!(
                f.kind,
                FileKind::Dotenv
                    | FileKind::AwsCredentials
                    | FileKind::AwsConfig
                    | FileKind::Boto2
                    | FileKind::AwsCache
            )
        {
            continue;
        }
        let first = ws
            .groups
            .iter()
            .filter(|g| g.file == i)
            .flat_map(|g| g.settings.iter())
            .filter(|s| holds_credential(s))
            .min_by_key(|s| s.value_span.start);
        if let Some(s) = first {
            let how = if f.git == GitStatus::Tracked {
                "git tracks it (ignore rules no longer apply to a tracked file)"
            } else {
                "git would commit it"
            };
            let msg = format!(
                "{} file `{}` holds credentials and {how}",
                f.kind.as_str(),
                f.path()
            );
            out.push(
                Finding::new(
                    RuleId::CredentialFileNotIgnored,
                    ws.location(i, s.key_span),
                    msg,
                )
                .fix(Fix::ignore_in_git(f.git == GitStatus::Tracked)),
            );
        }
    }
}
