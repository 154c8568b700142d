//! CL307: an ini file that botocore refuses to parse.

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::parse::Parsed;
use crate::parse::ini::IniErrorKind;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        let Parsed::Ini(ini) = &f.parsed else {
            continue;
        };
        for e in &ini.errors {
            // boto2 files are read without botocore's nested-value parsing.
            if f.kind == FileKind::Boto2 && e.kind == IniErrorKind::NestedNoSeparator {
                continue;
            }
            let msg = format!(
                "{}; botocore raises ConfigParseError for the whole file",
                e.message
            );
            out.push(Finding::new(
                RuleId::ConfigParseError,
                ws.location(i, e.span),
                msg,
            ));
        }
    }
}
