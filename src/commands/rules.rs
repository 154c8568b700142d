//! `credlint rules` and `credlint explain`.

use crate::Error;
use crate::cli::{RulesArgs, TableFormat};
use crate::report;
use crate::rules::RuleId;
use std::io::Write;

pub fn run_rules(args: &RulesArgs, out: &mut dyn Write) -> Result<u8, Error> {
    if args.markdown {
        out.write_all(report::rules_table_markdown().as_bytes())
            .map_err(Error::output)?;
        return Ok(0);
    }
    match args.format {
        TableFormat::Json => report::rules_json(out),
        TableFormat::Human => report::rules_table(out),
    }
    .map_err(Error::output)?;
    Ok(0)
}

/// `credlint explain CODE|NAME`.
pub fn run_explain(rule: &str, out: &mut dyn Write) -> Result<u8, Error> {
    let r = RuleId::from_code_or_name(rule)
        .ok_or_else(|| Error::Usage(format!("unknown rule `{rule}` (see `credlint rules`)")))?;
    report::explain(out, r).map_err(Error::output)?;
    Ok(0)
}
