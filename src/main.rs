//! The `credlint` binary: parse arguments, call the library, map the outcome to an exit
//! code (0 clean, 1 findings at or above the fail level, 2 usage, config or I/O error).

use clap::Parser;
use credlint::cli::{Cli, Command};
use credlint::report;
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
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    let result = match cli.command {
        None => report::run_check(&cli.scan, is_terminal, &mut out, &mut err),
        Some(Command::Check(args)) => report::run_check(&args, is_terminal, &mut out, &mut err),
        Some(Command::Fix(mut args)) => {
            args.fix = !args.diff;
            report::run_check(&args, is_terminal, &mut out, &mut err)
        }
        Some(Command::Baseline(args)) => report::run_baseline(&args, &mut out, &mut err),
        Some(Command::Files(args)) => report::run_files(&args, &mut out, &mut err),
        Some(Command::Rules(args)) => report::run_rules(&args, &mut out),
        Some(Command::Resolve(args)) => report::run_resolve(&args, is_terminal, &mut out),
        Some(Command::Explain { rule }) => report::run_explain(&rule, &mut out),
        Some(Command::Completions { shell }) => credlint::cli::write_completions(shell, &mut out),
        Some(Command::Man) => credlint::cli::write_man(&mut out),
    };
    let _ = out.flush();
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
