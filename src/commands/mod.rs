//! The commands: each turns parsed arguments into a run (config, pipeline, fixes,
//! resolution) and hands the finished result to one `report` function. The binary calls
//! [`run`]; the exit code is 0 clean, 1 findings at or above the fail level, 2 usage,
//! config or I/O error.

mod check;
mod files;
mod resolve;
mod rules;

pub use check::{run_baseline, run_check};
pub use files::run_files;
pub use resolve::{Origins, environment, run_resolve};
pub use rules::{run_explain, run_rules};

use crate::Error;
use crate::cli::{Cli, Command};
use std::io::Write;

/// Run the command `cli` names (a bare `credlint PATH…` is `check`).
pub fn run(
    cli: Cli,
    is_terminal: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Error> {
    match cli.command {
        None => run_check(&cli.scan, is_terminal, out, err),
        Some(Command::Check(args)) => run_check(&args, is_terminal, out, err),
        Some(Command::Fix(mut args)) => {
            args.fix = !args.diff;
            run_check(&args, is_terminal, out, err)
        }
        Some(Command::Baseline(args)) => run_baseline(&args, out, err),
        Some(Command::Files(args)) => run_files(&args, out, err),
        Some(Command::Rules(args)) => run_rules(&args, out),
        Some(Command::Resolve(args)) => run_resolve(&args, is_terminal, out),
        Some(Command::Explain { rule }) => run_explain(&rule, out),
        Some(Command::Completions { shell }) => crate::cli::write_completions(shell, out),
        Some(Command::Man) => crate::cli::write_man(out),
    }
}
