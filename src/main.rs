//! The `credlint` binary: parse arguments, call the library, map the outcome to an exit
//! code (0 clean, 1 findings at or above the fail level, 2 usage, config or I/O error).

use clap::Parser;
use credlint::cli::Cli;
use credlint::commands;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = std::io::stdout();
    let is_terminal = stdout.is_terminal();
    // A terminal gets each line as it is written (stdout's own line buffering); a pipe or
    // file gets one buffer (a JSON or SARIF report is thousands of lines: one write call
    // each cost more than the rest of printing it).
    let mut out: Box<dyn Write> = if is_terminal {
        Box::new(stdout.lock())
    } else {
        Box::new(std::io::BufWriter::with_capacity(64 * 1024, stdout.lock()))
    };
    // The main thread holds stderr for the whole run: scan threads never print.
    let mut err = std::io::stderr().lock();
    let result = commands::run(cli, is_terminal, &mut out, &mut err);
    let flushed = out.flush();
    let result = match (result, flushed) {
        (Ok(_), Err(e)) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(credlint::Error::Io {
            path: "<stdout>".into(),
            source: e,
        }),
        (r, _) => r,
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`credlint . | head`) is the reader's choice, not a failure.
        Err(credlint::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(err, "credlint: error: {e}");
            ExitCode::from(2)
        }
    }
}
