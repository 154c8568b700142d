//! CL307: an ini file that botocore refuses to parse.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::parse::Parsed;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        let Parsed::Ini(ini) = &f.parsed else {
            continue;
        };
        // boto2 configs included: botocore's `BotoProvider` reads them with the same
        // `raw_config_parse`, nested values and all.
        for e in &ini.errors {
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
