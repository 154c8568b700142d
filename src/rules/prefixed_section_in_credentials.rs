//! CL303: `[profile x]` in a credentials file, where it names a profile literally called
//! `profile x`.

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
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
            let msg = format!(
                "[{}] in a credentials file defines a profile literally named `{}`; SDKs looking for `{intended}` never read it",
                s.name, s.name
            );
            out.push(
                Finding::new(
                    RuleId::PrefixedSectionInCredentials,
                    ws.location(i, s.header_span),
                    msg,
                )
                .help(format!(
                    "In the credentials file, write the bare profile name: [{intended}]"
                )),
            );
        }
    }
}
