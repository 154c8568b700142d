//! Command-line types (clap) and their validation into library options.

use crate::Error;
use crate::discover::{Root, WalkOptions};
use crate::finding::Level;
use crate::scan::{DEFAULT_MAX_FILE_SIZE, ScanOptions};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "credlint",
    version,
    about = "Lint AWS credential setups: leaked keys, shadowed sources, broken profiles",
    args_conflicts_with_subcommands = true,
    // clap's generated usage in an error lists the arguments already given as if they were
    // required (`credlint --format <FORMAT> [PATHS]...`); this one reads as the help does.
    override_usage = "credlint [OPTIONS] [PATHS]...\n       credlint <COMMAND>",
    after_help = "Exit codes: 0 clean, 1 findings at or above --fail-level, 2 usage, config or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan paths for credential problems (the default command).
    Check(ScanArgs),
    /// Apply the fixes that have one right answer (the rules marked `fix` in `credlint
    /// rules`), then scan again and report what is left. `--diff` prints the edits and
    /// changes nothing.
    Fix(ScanArgs),
    /// Record today's findings in a baseline file, so later scans report only new ones.
    Baseline(BaselineArgs),
    /// List every file the scan walks, with its kind, git status and what was done with it.
    Files(FilesArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Dry-run botocore's credential chain offline: every provider in order, which one
    /// wins, what it shadows and why.
    Resolve(ResolveArgs),
    /// Show a rule's documentation.
    Explain {
        /// A rule code (CL101) or name (long-lived-access-key).
        rule: String,
    },
    /// Print a shell completion script (bash: `credlint completions bash >
    /// ~/.local/share/bash-completion/completions/credlint`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `credlint man > ~/.local/share/man/man1/credlint.1`.
    Man,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source snippets with labels and help.
    #[default]
    Human,
    /// One line per finding: `path:line:column: level[code] message`.
    Concise,
    /// A stable JSON document (see README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

/// Output of the commands that print tables (`files`, `rules`, `resolve`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    #[default]
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Info,
    Warning,
    Error,
    /// Never fail on findings.
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct WalkArgs {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Read files that git ignores too (by default only ignored credential files are read).
    #[arg(long)]
    pub no_ignore: bool,
    /// Only scan paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply excludes to files named on the command line too (as pre-commit names every
    /// staged file); without it a named file is read even when an exclude matches it.
    #[arg(long)]
    pub force_exclude: bool,
    /// Report in test code (`tests/`, `testdata/`, `*_test.go` and the like) as in any
    /// other file; by default only credentials that look real are reported there.
    #[arg(long)]
    pub include_tests: bool,
    /// Skip files larger than this (bytes, or with a K, M or G suffix).
    #[arg(long, value_name = "SIZE", default_value = "10M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to use colour (`NO_COLOR` in the environment turns it off for `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Exit 1 when a finding is at or above this level [default: the config's, else warning].
    #[arg(long, value_enum)]
    pub fail_level: Option<FailLevel>,
    /// Read this config file instead of the nearest .credlint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Hide the findings recorded in this baseline file (see `credlint baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// SARIF `automationDetails.id`: the category that keeps several uploads apart.
    #[arg(long, value_name = "ID", default_value = "credlint/")]
    pub sarif_category: String,
    /// Apply the safe fixes (see `credlint fix`), then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Print the safe fixes as a unified diff and change nothing (exit 1 if there are any).
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Clone, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Read this config file instead of the nearest .credlint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where to write the baseline.
    #[arg(
        long,
        short,
        value_name = "FILE",
        default_value = ".credlint-baseline.json"
    )]
    pub output: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct FilesArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    #[arg(long, value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Args)]
pub struct ResolveArgs {
    /// Use DIR as the home directory (and as $HOME) instead of the real one.
    #[arg(long, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// Prefix absolute system paths such as /etc/boto.cfg with DIR.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Ignore the process environment.
    #[arg(long)]
    pub no_process_env: bool,
    /// Set a variable, as if exported before running the program (repeatable).
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub env: Vec<(String, String)>,
    /// Load a dotenv file as python-dotenv's `load_dotenv()` does: variables already set win,
    /// `${VAR}` is expanded; an error where it would raise (repeatable, in order).
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    /// Simulate a profile passed in code: `boto3.Session(profile_name=NAME)`.
    #[arg(long, value_name = "NAME", conflicts_with = "all_profiles")]
    pub profile: Option<String>,
    /// One row per defined profile, each as if passed in code.
    #[arg(long)]
    pub all_profiles: bool,
    /// The client's service (`bedrock-runtime`, `s3`, …): also say how that client would
    /// authenticate, since a bearer token (`AWS_BEARER_TOKEN_BEDROCK`) outranks the chain
    /// for Bedrock.
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,
    /// The client's Config sets `signature_version` or `auth_scheme_preference` in code
    /// (then no bearer token is used). Needs --service.
    #[arg(long, requires = "service")]
    pub auth_in_code: bool,
    /// The client's auth scheme preference set in code, comma-separated (`sigv4`,
    /// `httpBearerAuth`; empty for none): `--sdk js-v3` orders the schemes by it
    /// (`authSchemePreference`); for botocore it counts as --auth-in-code. Needs --service.
    #[arg(long, value_name = "LIST", requires = "service")]
    pub auth_scheme_preference: Option<String>,
    /// The SDK whose chain to run (docs/SDK-CHAINS.md).
    #[arg(long, value_enum, default_value_t = SdkChoice::Botocore)]
    pub sdk: SdkChoice,
    #[arg(long, value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `resolve --sdk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SdkChoice {
    /// botocore, boto3 and the AWS CLI v1.
    Botocore,
    /// The AWS CLI v2 (its own copy of botocore, as in awscli 2.9.19).
    #[value(name = "cli-v2")]
    CliV2,
    /// The AWS SDK for JavaScript v3 (`@aws-sdk/credential-provider-node`).
    #[value(name = "js-v3")]
    JsV3,
    /// The AWS SDK for Go v2 (`config.LoadDefaultConfig`, as in config 1.17.10).
    #[value(name = "go-v2")]
    GoV2,
    /// The AWS SDK for Rust (`aws-config`'s `DefaultCredentialsChain`, as in aws-config 1.13.0).
    Rust,
    /// Every SDK above, side by side: one row each, and where each parts from botocore.
    All,
}

#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,
    /// Print the README's rule table (Markdown).
    #[arg(long, conflicts_with = "format")]
    pub markdown: bool,
}

/// `credlint completions SHELL`: the completion script clap derives from [`Cli`].
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<u8, Error> {
    // Rendered first: clap_complete panics on a failed write (a closed pipe).
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "credlint", &mut text);
    out.write_all(&text).map_err(stdout_error)?;
    Ok(0)
}

/// `credlint man`: the man page (roff) clap derives from [`Cli`].
pub fn write_man(out: &mut dyn Write) -> Result<u8, Error> {
    let mut text = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut text)
        .map_err(stdout_error)?;
    out.write_all(&text).map_err(stdout_error)?;
    Ok(0)
}

fn stdout_error(source: std::io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source,
    }
}

impl WalkArgs {
    #[must_use]
    pub fn scan_options(&self) -> ScanOptions {
        ScanOptions {
            roots: self.paths.iter().cloned().map(Root::Named).collect(),
            walk: WalkOptions {
                no_ignore: self.no_ignore,
                include: self.include.clone(),
                exclude: self.exclude.clone(),
                force_exclude: self.force_exclude,
                threads: self.threads,
            },
            max_file_size: self.max_file_size,
            tests_in_full: self.include_tests,
        }
    }
}

impl FailLevel {
    /// Parse a config file's `fail-level` (validated when the config was read).
    #[must_use]
    pub fn from_config(s: &str) -> Self {
        match s {
            "info" => Self::Info,
            "error" => Self::Error,
            "never" => Self::Never,
            _ => Self::Warning,
        }
    }

    #[must_use]
    pub const fn threshold(self) -> Option<Level> {
        match self {
            Self::Info => Some(Level::Info),
            Self::Warning => Some(Level::Warning),
            Self::Error => Some(Level::Error),
            Self::Never => None,
        }
    }
}

impl ColorChoice {
    /// Resolve `auto` against the terminal and `NO_COLOR`.
    #[must_use]
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

impl Default for ScanArgs {
    fn default() -> Self {
        Self {
            walk: WalkArgs {
                paths: vec![PathBuf::from(".")],
                no_ignore: false,
                include: Vec::new(),
                exclude: Vec::new(),
                force_exclude: false,
                include_tests: false,
                max_file_size: DEFAULT_MAX_FILE_SIZE,
                threads: 0,
            },
            format: Format::Human,
            color: ColorChoice::Auto,
            fail_level: None,
            config: None,
            baseline: None,
            fix: false,
            diff: false,
            sarif_category: "credlint/".into(),
        }
    }
}

fn parse_key_value(s: &str) -> Result<(String, String), Error> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(Error::Usage(format!("expected KEY=VALUE, got `{s}`"))),
    }
}

fn parse_size(s: &str) -> Result<u64, Error> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 1024),
        Some((i, 'm' | 'M')) => (&s[..i], 1024 * 1024),
        Some((i, 'g' | 'G')) => (&s[..i], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| {
            Error::Usage(format!(
                "invalid size `{s}`: use bytes or a K, M or G suffix"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10M").ok(), Some(10 * 1024 * 1024));
        assert_eq!(parse_size("512").ok(), Some(512));
        assert!(parse_size("ten").is_err());
    }
}
