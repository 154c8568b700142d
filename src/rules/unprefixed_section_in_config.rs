//! CL304: a config-file section that botocore does not read as a profile.

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::sections::{ConfigSection, config_section};
use crate::parse::Parsed;

/// Top-level config sections of the AWS CLI that are not meant as profiles.
const KNOWN_NON_PROFILE: [&str; 3] = ["plugins", "preview", "cli"];

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        let (FileKind::AwsConfig, Parsed::Ini(ini)) = (f.kind, &f.parsed) else {
            continue;
        };
        for s in &ini.sections {
            let (msg, help) = match config_section(&s.name) {
                ConfigSection::Other if !KNOWN_NON_PROFILE.contains(&s.name.as_str()) => (
                    format!(
                        "[{}] in a config file is not a profile; botocore only reads [default] and [profile NAME] here",
                        s.name
                    ),
                    format!("Rename the section to [profile {}]", s.name),
                ),
                ConfigSection::Dropped => {
                    // `[sso-session a b]` and `[services]` are dropped the same way.
                    let prefix = ["sso-session", "services"]
                        .into_iter()
                        .find(|p| s.name.starts_with(p))
                        .unwrap_or("profile");
                    (
                        format!(
                            "[{}] does not split into `{prefix} NAME`; botocore silently drops the section",
                            s.name
                        ),
                        format!(
                            "Write [{prefix} NAME] and quote a name that has spaces: [{prefix} \"my name\"]"
                        ),
                    )
                }
                _ => continue,
            };
            out.push(
                Finding::new(
                    RuleId::UnprefixedSectionInConfig,
                    ws.location(i, s.header_span),
                    msg,
                )
                .help(help),
            );
        }
    }
}
