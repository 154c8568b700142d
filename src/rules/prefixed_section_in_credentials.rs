//! CL303: `[profile x]` in a credentials file, where it names a profile literally called
//! `profile x`.

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::fix::{self, Fix};
use crate::model::Workspace;
use crate::parse::Parsed;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        let (FileKind::AwsCredentials, Parsed::Ini(ini)) = (f.kind, &f.parsed) else {
            continue;
        };
        for s in &ini.sections {
            let Some(rest) = s.name.strip_prefix("profile") else {
                continue;
            };
            if !rest.starts_with(char::is_whitespace) {
                continue;
            }
            let intended = rest.trim();
            let at = ws.location(i, s.header_span);
            let wanted = format!("[{intended}]");
            let why_not = fix::section_rename_blocker(ini, &f.source, intended);
            let msg = format!(
                "[{}] in a credentials file defines a profile literally named `{}`; SDKs looking for `{intended}` never read it{}",
                s.name,
                s.name,
                why_not.map(|w| format!(" ({w})")).unwrap_or_default()
            );
            let mut finding = Finding::new(RuleId::PrefixedSectionInCredentials, at.clone(), msg)
                .help(format!(
                    "In the credentials file, write the bare profile name: {wanted}"
                ));
            if why_not.is_none() {
                finding = finding.fix(Fix::replace(
                    format!("rename the section to {wanted}"),
                    &at,
                    f.source.slice(s.header_span),
                    wanted,
                ));
            }
            out.push(finding);
        }
    }
}
