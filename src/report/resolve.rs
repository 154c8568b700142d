//! `credlint resolve`: builds the context from the machine and the flags, runs the chain
//! simulation, and prints it as a table or JSON.

use super::io;
use crate::Error;
use crate::cli::{ResolveArgs, SdkChoice, TableFormat};
use crate::keys;
use crate::model::bearer::{self, ServiceAuth};
use crate::model::chain::Files;
use crate::model::chain::{self, Context, Dialect, Resolution, Status};
use crate::model::fs::RealFiles;
use crate::model::profiles::{Loc, config_map, merged_profiles, raw_sections};
use crate::model::sdk;
use crate::parse::dotenv;
use owo_colors::OwoColorize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Where each variable came from when an env file set it (`.env:3`), for display.
pub type Origins = BTreeMap<String, String>;

/// Build the environment: the process's (unless disabled), `--env`, then `--env-file`s, each
/// loaded by [`dotenv::load`] as python-dotenv's `load_dotenv()` loads it (variables already
/// set win). Where `load_dotenv()` would raise, the program would stop before botocore runs:
/// that is an error here too, at the file's line.
pub fn environment(
    args: &ResolveArgs,
) -> Result<(BTreeMap<String, String>, PathBuf, Origins), Error> {
    let mut origins = Origins::new();
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    if !args.no_process_env {
        env.extend(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        );
    }
    env.extend(args.env.iter().cloned());
    // A home or root that is not a folder would silently resolve as if no file existed.
    for (flag, dir) in [("--home", &args.home), ("--root", &args.root)] {
        if let Some(dir) = dir.as_ref().filter(|d| !d.is_dir()) {
            let why = if dir.exists() {
                "is not a directory"
            } else {
                "does not exist"
            };
            return Err(Error::Usage(format!("{flag} {}: {why}", dir.display())));
        }
    }
    let home = match &args.home {
        Some(h) => std::path::absolute(h).unwrap_or_else(|_| h.clone()),
        None => env
            .get("HOME")
            .map(PathBuf::from)
            .or_else(std::env::home_dir)
            .unwrap_or_else(|| PathBuf::from("/")),
    };
    env.insert("HOME".into(), home.display().to_string());
    for file in &args.env_file {
        let bytes = std::fs::read(file).map_err(|e| Error::Io {
            path: file.display().to_string(),
            source: e,
        })?;
        let loaded = dotenv::load(&bytes, &env).map_err(|e| Error::Config {
            path: file.display().to_string(),
            line: e.line,
            message: e.message,
        })?;
        for v in loaded {
            origins.insert(v.key.clone(), format!("{}:{}", file.display(), v.line));
            env.insert(v.key, v.value);
        }
    }
    Ok((env, home, origins))
}

pub fn run_resolve(
    args: &ResolveArgs,
    is_terminal: bool,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let (env, home, origins) = environment(args)?;
    let files = RealFiles::new(home, args.root.clone());
    let profiles: Vec<Option<String>> = if args.all_profiles {
        let config = files.ini(&chain::expand_path(
            env.get("AWS_CONFIG_FILE")
                .map_or("~/.aws/config", String::as_str),
            &env,
        ));
        let creds = files.ini(&chain::expand_path(
            env.get("AWS_SHARED_CREDENTIALS_FILE")
                .map_or("~/.aws/credentials", String::as_str),
            &env,
        ));
        let merged = merged_profiles(
            &config.as_ref().map(config_map).unwrap_or_default(),
            &creds.as_ref().map(raw_sections).unwrap_or_default(),
        );
        let mut names: Vec<String> = merged.into_keys().collect();
        names.sort();
        names.into_iter().map(Some).collect()
    } else {
        vec![args.profile.clone()]
    };
    let dialect = match args.sdk {
        SdkChoice::Botocore => Dialect::Botocore,
        SdkChoice::CliV2 => Dialect::CliV2,
        SdkChoice::JsV3 => return run_sdk(args, &env, &files, &profiles, is_terminal, out),
        SdkChoice::All => return run_all(args, &env, &files, &profiles, out),
    };
    let results: Vec<Resolution> = profiles
        .iter()
        .map(|p| {
            chain::resolve_dialect(
                &Context {
                    env: &env,
                    explicit_profile: p.as_deref(),
                    files: &files,
                },
                dialect,
            )
        })
        .collect();
    // botocore's JSON stays as it was; the CLI's names its SDK.
    let sdk = (dialect != Dialect::Botocore).then_some(dialect);
    let client = args
        .service
        .as_deref()
        .map(|s| bearer::service_auth(s, &env, args.auth_in_code));
    let bearer_wins = client.as_ref().is_some_and(|c| c.scheme == "bearer");
    let exposed = readable_by_others(&files);
    match args.format {
        TableFormat::Json => {
            let with_files = |resolution| WithFiles {
                sdk,
                resolution,
                readable_by_others: &exposed,
                client: client.as_ref(),
            };
            if args.all_profiles {
                let all: Vec<WithFiles> = results.iter().map(with_files).collect();
                serde_json::to_writer_pretty(&mut *out, &all).map_err(|e| io(e.into()))?;
            } else {
                serde_json::to_writer_pretty(&mut *out, &with_files(&results[0]))
                    .map_err(|e| io(e.into()))?;
            }
            writeln!(out).map_err(io)?;
        }
        TableFormat::Human => {
            let color = args.color.enabled(is_terminal);
            for (i, r) in results.iter().enumerate() {
                if i > 0 {
                    writeln!(out).map_err(io)?;
                }
                write_table(out, r, &origins, color, dialect).map_err(io)?;
                if let Some(c) = &client {
                    write_client(out, r, c, &origins).map_err(io)?;
                }
            }
            write_exposed(out, &exposed, color).map_err(io)?;
        }
    }
    let ok = results
        .iter()
        .all(|r| r.error.is_none() && (r.winner.is_some() || bearer_wins));
    Ok(u8::from(!ok))
}

/// A resolution as JSON, with the machine's exposed credential files and, with `--service`,
/// the client's authentication.
#[derive(serde::Serialize)]
struct WithFiles<'a> {
    /// The SDK whose chain this is, when it is not botocore's.
    #[serde(skip_serializing_if = "Option::is_none")]
    sdk: Option<Dialect>,
    #[serde(flatten)]
    resolution: &'a Resolution,
    readable_by_others: &'a [Exposed],
    /// With `--service`: how that service's client authenticates.
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<&'a ServiceAuth>,
}

/// A credential file the chain read that its group or other users can read (CL601).
#[derive(Debug, serde::Serialize)]
pub struct Exposed {
    /// As the table shows it (`~/.aws/credentials`).
    pub path: String,
    /// The permission bits, in octal (`"0644"`).
    pub mode: String,
}

/// The ini files the resolution read that hold credentials and that group members or other
/// users can read. Judged on every file read, whichever provider wins: any of them can be
/// copied by another account of the machine.
fn readable_by_others(files: &RealFiles) -> Vec<Exposed> {
    files
        .loaded()
        .into_iter()
        .filter(|(_, ini)| holds_credentials(ini))
        .filter_map(|(real, ini)| {
            let mode = permission_bits(&real)?;
            (mode & 0o044 != 0).then(|| Exposed {
                path: ini.source.path.clone(),
                mode: format!("{mode:04o}"),
            })
        })
        .collect()
}

#[cfg(unix)]
fn permission_bits(path: &std::path::Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn permission_bits(_: &std::path::Path) -> Option<u32> {
    None
}

/// A key id, secret or session token written in any section (placeholders aside).
fn holds_credentials(ini: &crate::model::profiles::LoadedIni) -> bool {
    const KEYS: [&str; 4] = [
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "aws_security_token",
    ];
    let sections = ini.ini.sections.iter().flat_map(|s| &s.entries);
    sections.chain(&ini.ini.defaults).any(|e| {
        KEYS.contains(&e.key.as_str()) && e.nested.is_none() && !keys::is_placeholder(&e.value)
    })
}

fn write_exposed(out: &mut dyn Write, exposed: &[Exposed], color: bool) -> std::io::Result<()> {
    for e in exposed {
        let label = if color {
            "warning".yellow().bold().to_string()
        } else {
            "warning".to_owned()
        };
        writeln!(
            out,
            "\n{label}: {} holds credentials and its group or other users can read it (mode {}): chmod 600 it (CL601)",
            e.path, e.mode
        )?;
    }
    Ok(())
}

/// `resolve --sdk X` for an SDK other than botocore: the same contexts, that SDK's chain.
fn run_sdk(
    args: &ResolveArgs,
    env: &BTreeMap<String, String>,
    files: &RealFiles,
    profiles: &[Option<String>],
    is_terminal: bool,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let results: Vec<sdk::Resolution> = profiles
        .iter()
        .map(|p| {
            let ctx = Context {
                env,
                explicit_profile: p.as_deref(),
                files,
            };
            match args.sdk {
                SdkChoice::JsV3 | SdkChoice::Botocore | SdkChoice::CliV2 | SdkChoice::All => {
                    sdk::js_v3::resolve(&ctx)
                }
            }
        })
        .collect();
    match args.format {
        TableFormat::Json => {
            if args.all_profiles {
                serde_json::to_writer_pretty(&mut *out, &results).map_err(|e| io(e.into()))?;
            } else {
                serde_json::to_writer_pretty(&mut *out, &results[0]).map_err(|e| io(e.into()))?;
            }
            writeln!(out).map_err(io)?;
        }
        TableFormat::Human => {
            let color = args.color.enabled(is_terminal);
            for (i, r) in results.iter().enumerate() {
                if i > 0 {
                    writeln!(out).map_err(io)?;
                }
                write_sdk_table(out, r, color).map_err(io)?;
            }
        }
    }
    let ok = results
        .iter()
        .all(|r| r.winner.is_some() && r.error.is_none());
    Ok(u8::from(!ok))
}

/// One context of `resolve --sdk all`.
#[derive(serde::Serialize)]
struct SideBySide {
    /// The profile passed in code, if any.
    profile_in_code: Option<String>,
    sdks: Vec<sdk::side::Verdict>,
}

/// `resolve --sdk all`: one row per modelled SDK.
fn run_all(
    args: &ResolveArgs,
    env: &BTreeMap<String, String>,
    files: &RealFiles,
    profiles: &[Option<String>],
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let results: Vec<SideBySide> = profiles
        .iter()
        .map(|p| SideBySide {
            profile_in_code: p.clone(),
            sdks: sdk::side::resolve_all(&Context {
                env,
                explicit_profile: p.as_deref(),
                files,
            }),
        })
        .collect();
    match args.format {
        TableFormat::Json => {
            if args.all_profiles {
                serde_json::to_writer_pretty(&mut *out, &results).map_err(|e| io(e.into()))?;
            } else {
                serde_json::to_writer_pretty(&mut *out, &results[0]).map_err(|e| io(e.into()))?;
            }
            writeln!(out).map_err(io)?;
        }
        TableFormat::Human => {
            for (i, r) in results.iter().enumerate() {
                if i > 0 {
                    writeln!(out).map_err(io)?;
                }
                write_side_by_side(out, r).map_err(io)?;
            }
        }
    }
    let ok = results
        .iter()
        .flat_map(|r| &r.sdks)
        .all(|v| v.method.is_some() && v.error.is_none());
    Ok(u8::from(!ok))
}

fn write_side_by_side(out: &mut dyn Write, r: &SideBySide) -> std::io::Result<()> {
    match &r.profile_in_code {
        Some(p) => writeln!(out, "profile `{p}` passed in code\n")?,
        None => writeln!(out, "no profile passed in code\n")?,
    }
    let rows: Vec<[String; 5]> = r
        .sdks
        .iter()
        .map(|v| {
            [
                v.sdk.to_owned(),
                format!("`{}`", v.profile),
                v.outcome().replace('`', ""),
                v.decided_by.clone().unwrap_or_else(|| "-".to_owned()),
                v.parts_from_botocore
                    .clone()
                    .unwrap_or_else(|| "-".to_owned()),
            ]
        })
        .collect();
    let head = [
        "sdk",
        "profile",
        "outcome",
        "decided by",
        "parts from botocore",
    ];
    let mut width = head.map(str::len);
    for row in &rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(width).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let pad = w - cell.chars().count();
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        text
    };
    writeln!(out, "{}", line(&head))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    let verdicts: std::collections::BTreeSet<String> =
        r.sdks.iter().map(sdk::side::Verdict::outcome).collect();
    if verdicts.len() > 1 {
        writeln!(
            out,
            "\n=> the SDKs disagree: the same machine gives {} different outcomes",
            verdicts.len()
        )?;
    } else {
        writeln!(out, "\n=> every SDK modelled agrees")?;
    }
    Ok(())
}

fn write_sdk_table(out: &mut dyn Write, r: &sdk::Resolution, color: bool) -> std::io::Result<()> {
    writeln!(out, "{}: profile `{}`\n", r.sdk.name(), r.profile)?;
    writeln!(out, "  #  {:<16} {:<12} why", "provider", "status")?;
    for (i, p) in r.providers.iter().enumerate() {
        let status = match p.status {
            sdk::Status::Wins => "WINS",
            sdk::Status::Passes => "passes",
            sdk::Status::Raises => "RAISES",
            sdk::Status::NotReached => "not reached",
        };
        let cell = format!("{status:<12}");
        let cell = match (color, p.status) {
            (true, sdk::Status::Wins) => cell.green().bold().to_string(),
            (true, sdk::Status::Raises) => cell.red().bold().to_string(),
            (true, _) => cell.dimmed().to_string(),
            (false, _) => cell,
        };
        writeln!(out, "{:>3}  {:<16} {cell} {}", i + 1, p.provider, p.reason)?;
    }
    writeln!(out)?;
    match (&r.winner, &r.error) {
        (_, Some(e)) => writeln!(out, "raises {}: {}", e.class, e.message),
        (Some(w), None) => {
            let method = serde_json::to_value(w.method)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let key = w.access_key.as_deref().unwrap_or("key not known offline");
            writeln!(out, "winner: {method} ({key})")
        }
        (None, None) => writeln!(out, "no credentials"),
    }
}

fn shown(loc: &Loc, origins: &Origins) -> String {
    match loc {
        Loc::Env { variable } => match origins.get(variable) {
            Some(o) => format!("{o} (${variable})"),
            None => format!("${variable}"),
        },
        file @ Loc::File { .. } => file.to_string(),
    }
}

fn write_table(
    out: &mut dyn Write,
    r: &Resolution,
    origins: &Origins,
    color: bool,
    dialect: Dialect,
) -> std::io::Result<()> {
    let who = match dialect {
        Dialect::Botocore => "botocore",
        Dialect::CliV2 => "the AWS CLI v2",
    };
    if dialect == Dialect::CliV2 {
        writeln!(out, "cli-v2 (awscli 2.9.19's botocore)")?;
    }
    let source = match r.profile.source {
        chain::ProfileSource::Explicit => "passed in code".to_owned(),
        chain::ProfileSource::AwsDefaultProfile => "from AWS_DEFAULT_PROFILE".to_owned(),
        chain::ProfileSource::AwsProfile => "from AWS_PROFILE".to_owned(),
        chain::ProfileSource::Default => "no profile selected".to_owned(),
    };
    writeln!(out, "profile `{}` ({source})\n", r.profile.name)?;
    writeln!(
        out,
        "  #  {:<30} {:<14} {:<34} why",
        "provider", "status", "where"
    )?;
    for (i, p) in r.providers.iter().enumerate() {
        let status = match p.status {
            Status::Wins => "WINS",
            Status::Shadowed => "shadowed",
            Status::Passes => "passes",
            Status::Raises => "RAISES",
            Status::WouldBeTried => "would be tried",
            Status::Skipped => "skipped",
            Status::NotReached => "not reached",
        };
        let status_cell = format!("{status:<14}");
        let status_cell = if color {
            match p.status {
                Status::Wins => status_cell.green().bold().to_string(),
                Status::Raises => status_cell.red().bold().to_string(),
                Status::Shadowed => status_cell.yellow().to_string(),
                _ => status_cell.dimmed().to_string(),
            }
        } else {
            status_cell
        };
        let loc = p
            .location
            .as_ref()
            .map(|l| shown(l, origins))
            .unwrap_or_default();
        let key = p
            .access_key
            .as_ref()
            .map(|k| format!(" [{k}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:>3}  {:<30} {status_cell} {:<34} {}{key}",
            i + 1,
            p.method.as_str(),
            loc,
            p.reason
        )?;
    }
    writeln!(out)?;
    match (&r.winner, &r.error) {
        (_, Some(e)) => {
            let at = e
                .location
                .as_ref()
                .map(|l| format!(" at {}", shown(l, origins)))
                .unwrap_or_default();
            // Raised while the resolver is built (files, profile, IMDS settings): no
            // provider ran.
            let when = if r.providers.iter().any(|p| p.status == Status::Raises) {
                ""
            } else {
                " before trying any provider"
            };
            writeln!(out, "=> {who} raises {}{at}{when}: {}", e.class, e.message)
        }
        (Some(w), None) => {
            let key = w
                .access_key
                .as_ref()
                .map(|k| format!(" with key {k}"))
                .unwrap_or_default();
            let at = w
                .location
                .as_ref()
                .map(|l| format!(" from {}", shown(l, origins)))
                .unwrap_or_default();
            let ne = if w.not_executed.is_some() {
                " (not executed by credlint)"
            } else {
                ""
            };
            writeln!(out, "=> {who} uses {}{key}{at}{ne}", w.method.as_str())
        }
        (None, None) => {
            let imds = r.providers.iter().any(|p| p.status == Status::WouldBeTried);
            if imds {
                writeln!(
                    out,
                    "=> no credentials offline; on EC2, instance metadata would be tried last"
                )
            } else {
                writeln!(
                    out,
                    "=> no credentials: {who} finds none (NoCredentialsError when a client signs a request)"
                )
            }
        }
    }
}

/// The service's client: which scheme it signs with, and what the token shadows.
fn write_client(
    out: &mut dyn Write,
    r: &Resolution,
    c: &ServiceAuth,
    origins: &Origins,
) -> std::io::Result<()> {
    let at = c
        .location
        .as_ref()
        .map(|l| format!(" from {}", shown(l, origins)))
        .unwrap_or_default();
    writeln!(out, "   for a `{}` client: {}", c.service, c.reason)?;
    if c.scheme != "bearer" {
        return Ok(());
    }
    if let Some(e) = &r.error {
        return writeln!(
            out,
            "=> the `{}` client is never made: botocore resolves the chain when it creates the client, and raises {}",
            c.service, e.class
        );
    }
    let token = c.token.as_deref().unwrap_or("****");
    let shadows = match &r.winner {
        Some(w) => {
            let key = w
                .access_key
                .as_ref()
                .map(|k| format!(" ({k})"))
                .unwrap_or_default();
            format!(
                "; the chain's {}{key} is shadowed for it",
                w.method.as_str()
            )
        }
        None => String::new(),
    };
    writeln!(
        out,
        "=> a `{}` client sends the bearer token [{token}]{at}{shadows}",
        c.service
    )
}
