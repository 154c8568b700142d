//! CL304: a config-file section that botocore does not read as a profile.

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::fix::{self, Fix};
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
            let at = ws.location(i, s.header_span);
            let mut fix = None;
            let (msg, help) = match config_section(&s.name) {
                ConfigSection::Other if !KNOWN_NON_PROFILE.contains(&s.name.as_str()) => {
                    let target = format!("profile {}", s.name);
                    let why_not = fix::section_rename_blocker(ini, &f.source, &target);
                    if why_not.is_none() {
                        fix = Some(Fix::replace(
                            format!("rename the section to [{target}]"),
                            &at,
                            f.source.slice(s.header_span),
                            format!("[{target}]"),
                        ));
                    }
                    (
                        format!(
                            "[{}] in a config file is not a profile; botocore only reads [default] and [profile NAME] here{}",
                            s.name,
                            why_not.map(|w| format!(" ({w})")).unwrap_or_default()
                        ),
                        format!("Rename the section to [{target}]"),
                    )
                }
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
            let mut finding = Finding::new(RuleId::UnprefixedSectionInConfig, at, msg).help(help);
            finding.fix = fix;
            out.push(finding);
        }
    }
}
