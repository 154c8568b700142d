//! CL601: an AWS credentials, config or boto file that holds credentials and that group
//! members or other users of the machine can read.

use super::RuleId;
use super::common::holds_credential;
use crate::discover::{FileKind, GitStatus};
use crate::finding::Finding;
use crate::model::Workspace;

/// Read bits for group and others.
const READ_BY_OTHERS: u32 = 0o044;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        let Some(mode) = f.mode else {
            continue;
        };
        // A file git tracks or would commit has the mode of a checkout (the umask's, usually 0644)
        // and a bigger problem, reported by CL104. Modes matter for files that live only
        // on this machine: ignored by git, or outside any repository (a home directory).
        if matches!(f.git, GitStatus::Committable | GitStatus::Tracked)
            || mode & READ_BY_OTHERS == 0
        {
            continue;
        }
        let what = match f.kind {
            FileKind::AwsCredentials => "AWS credentials file",
            FileKind::AwsConfig => "AWS config file",
            FileKind::Boto2 => "boto config file",
            FileKind::AwsCache => "AWS CLI or SDK cache file",
            _ => continue,
        };
        let first = ws
            .groups
            .iter()
            .filter(|g| g.file == i)
            .flat_map(|g| g.settings.iter())
            .filter(|s| holds_credential(s))
            .min_by_key(|s| s.value_span.start);
        let Some(s) = first else {
            continue;
        };
        let who = match (mode & 0o040 != 0, mode & 0o004 != 0) {
            (true, true) => "its group and every other user",
            (true, false) => "its group",
            _ => "every other user",
        };
        let msg = format!(
            "{what} `{}` holds credentials and {who} of this machine can read it (mode {mode:04o})",
            f.path()
        );
        out.push(
            Finding::new(
                RuleId::CredentialsFilePermissions,
                ws.location(i, s.key_span),
                msg,
            )
            .help(format!(
                "Make it readable by its owner only: chmod 600 {} (the AWS CLI creates it that way)",
                f.path()
            )),
        );
    }
}
