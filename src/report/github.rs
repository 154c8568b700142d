//! `--format github`: GitHub Actions workflow commands, one annotation per finding.

use crate::finding::{Finding, Level};
use std::io::Write;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(out: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    for f in findings {
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let l = &f.location;
        writeln!(
            out,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            escape_property(&l.path),
            l.start.line,
            l.end.line.max(l.start.line),
            l.start.column,
            l.end.column,
            escape_property(&format!("{} {}", f.rule.code(), f.rule.name())),
            escape_data(&match &f.fix {
                Some(fix) => format!(
                    "{}\n{}\nFix (`credlint fix`): {}",
                    f.message, f.help, fix.description
                ),
                None => format!("{}\n{}", f.message, f.help),
            })
        )?;
    }
    Ok(())
}
