//! `credlint resolve` output: the chain simulation as a table or JSON. The command
//! (`crate::commands`) gathers the environment and runs the resolution.

use crate::model::bearer::ServiceAuth;
use crate::model::chain::{self, Resolution, Status};
use crate::model::profiles::Loc;
use crate::model::sdk;
use owo_colors::OwoColorize;
use std::collections::BTreeMap;
use std::io::{Result, Write};

/// Where each variable came from when an env file set it (`.env:3`), for display.
pub type Origins = BTreeMap<String, String>;

/// A credential file the chain read that its group or other users can read (CL601).
#[derive(Debug, serde::Serialize)]
pub struct Exposed {
    /// As the table shows it (`~/.aws/credentials`).
    pub path: String,
    /// The permission bits, in octal (`"0644"`).
    pub mode: String,
}

/// A resolution as JSON, with the machine's exposed credential files and, with `--service`,
/// the client's authentication.
#[derive(serde::Serialize)]
struct WithFiles<'a> {
    #[serde(flatten)]
    resolution: &'a Resolution,
    readable_by_others: &'a [Exposed],
    /// With `--service`: how that service's client authenticates.
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<&'a ServiceAuth>,
}

/// The resolutions as JSON: an array with `--all-profiles` (`all`), else the one object.
pub fn json(
    out: &mut dyn Write,
    results: &[Resolution],
    all: bool,
    exposed: &[Exposed],
    client: Option<&ServiceAuth>,
) -> Result<()> {
    let with_files = |resolution| WithFiles {
        resolution,
        readable_by_others: exposed,
        client,
    };
    if all {
        let all: Vec<WithFiles> = results.iter().map(with_files).collect();
        serde_json::to_writer_pretty(&mut *out, &all)?;
    } else {
        serde_json::to_writer_pretty(&mut *out, &with_files(&results[0]))?;
    }
    writeln!(out)
}

/// The resolutions as tables, each with the client's line under `--service`, then the
/// exposed credential files.
pub fn human(
    out: &mut dyn Write,
    results: &[Resolution],
    client: Option<&ServiceAuth>,
    origins: &Origins,
    exposed: &[Exposed],
    color: bool,
) -> Result<()> {
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_table(out, r, origins, color)?;
        if let Some(c) = client {
            write_client(out, r, c, origins)?;
        }
    }
    write_exposed(out, exposed, color)
}

/// Another SDK's resolutions as JSON.
pub fn sdk_json(out: &mut dyn Write, results: &[sdk::Resolution], all: bool) -> Result<()> {
    if all {
        serde_json::to_writer_pretty(&mut *out, &results)?;
    } else {
        serde_json::to_writer_pretty(&mut *out, &results[0])?;
    }
    writeln!(out)
}

/// Another SDK's resolutions as tables.
pub fn sdk_human(out: &mut dyn Write, results: &[sdk::Resolution], color: bool) -> Result<()> {
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_sdk_table(out, r, color)?;
    }
    Ok(())
}

fn write_exposed(out: &mut dyn Write, exposed: &[Exposed], color: bool) -> Result<()> {
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

fn write_sdk_table(out: &mut dyn Write, r: &sdk::Resolution, color: bool) -> Result<()> {
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

fn write_table(out: &mut dyn Write, r: &Resolution, origins: &Origins, color: bool) -> Result<()> {
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
            writeln!(
                out,
                "=> botocore raises {}{at}{when}: {}",
                e.class, e.message
            )
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
            writeln!(out, "=> botocore uses {}{key}{at}{ne}", w.method.as_str())
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
                    "=> no credentials: botocore finds none (NoCredentialsError when a client signs a request)"
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
) -> Result<()> {
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
