//! `credlint files`: every walked path with its kind, git status and outcome.

use crate::Error;
use crate::cli::{FilesArgs, TableFormat};
use crate::report;
use crate::scan;
use std::io::Write;

pub fn run_files(args: &FilesArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, Error> {
    let scan = scan::scan_listing(&args.walk.scan_options())?;
    match args.format {
        TableFormat::Json => report::json_value(out, &scan.files),
        TableFormat::Human => report::files_table(out, &scan.files),
    }
    .map_err(Error::output)?;
    report::diagnostics(err, &scan.diagnostics).map_err(Error::output)?;
    Ok(if scan.has_io_errors() { 2 } else { 0 })
}
