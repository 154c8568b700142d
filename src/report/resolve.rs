//! `credlint resolve` output: the chain simulation as a table or JSON. The command
//! (`crate::commands`) gathers the environment and runs the resolution.

use crate::model::bearer::ServiceAuth;
use crate::model::chain::{self, Dialect, Resolution, Status};
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

/// The resolutions as JSON: an array with `--all-profiles` (`all`), else the one object.
pub fn json(
    out: &mut dyn Write,
    results: &[Resolution],
    all: bool,
    exposed: &[Exposed],
    client: Option<&ServiceAuth>,
    dialect: Dialect,
) -> Result<()> {
    // botocore's JSON stays as it was; the CLI's names its SDK.
    let sdk = (dialect != Dialect::Botocore).then_some(dialect);
    let with_files = |resolution| WithFiles {
        sdk,
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
    dialect: Dialect,
) -> Result<()> {
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_table(out, r, origins, color, dialect)?;
        if let Some(c) = client {
            write_client(out, r, c, origins)?;
        }
    }
    write_exposed(out, exposed, color)
}

/// One context of `resolve --sdk all`.
#[derive(serde::Serialize)]
pub struct SideBySide {
    /// The profile passed in code, if any.
    pub profile_in_code: Option<String>,
    pub sdks: Vec<sdk::side::Verdict>,
}

/// `resolve --sdk all` as JSON: an array with `--all-profiles` (`all`), else the one object.
pub fn side_json(out: &mut dyn Write, results: &[SideBySide], all: bool) -> Result<()> {
    if all {
        serde_json::to_writer_pretty(&mut *out, &results)?;
    } else {
        serde_json::to_writer_pretty(&mut *out, &results[0])?;
    }
    writeln!(out)
}

/// `resolve --sdk all` as tables.
pub fn side_human(out: &mut dyn Write, results: &[SideBySide]) -> Result<()> {
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_side_by_side(out, r)?;
    }
    Ok(())
}

/// Another SDK's resolutions as JSON.
pub fn sdk_json(
    out: &mut dyn Write,
    results: &[sdk::Resolution],
    clients: &[Option<ServiceAuth>],
    all: bool,
) -> Result<()> {
    let rows: Vec<SdkWithClient> = results
        .iter()
        .zip(clients)
        .map(|(resolution, client)| SdkWithClient {
            resolution,
            client: client.as_ref(),
        })
        .collect();
    if all {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
    } else {
        serde_json::to_writer_pretty(&mut *out, &rows[0])?;
    }
    writeln!(out)
}

/// Another SDK's resolution and, with `--service`, how that service's client authenticates.
#[derive(serde::Serialize)]
struct SdkWithClient<'a> {
    #[serde(flatten)]
    resolution: &'a sdk::Resolution,
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<&'a ServiceAuth>,
}

/// Another SDK's resolutions as tables.
pub fn sdk_human(
    out: &mut dyn Write,
    results: &[sdk::Resolution],
    clients: &[Option<ServiceAuth>],
    origins: &Origins,
    color: bool,
) -> Result<()> {
    for (i, (r, c)) in results.iter().zip(clients).enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_sdk_table(out, r, color)?;
        if let Some(c) = c {
            write_sdk_client(out, r, c, origins)?;
        }
    }
    Ok(())
}

/// Under another SDK's table: which scheme the service's client uses, and what a bearer
/// token shadows (that SDK does not run the chain when the bearer scheme is chosen).
fn write_sdk_client(
    out: &mut dyn Write,
    r: &sdk::Resolution,
    c: &ServiceAuth,
    origins: &Origins,
) -> Result<()> {
    writeln!(out, "   for a `{}` client: {}", c.service, c.reason)?;
    if c.scheme != "bearer" {
        return Ok(());
    }
    if let Some(class) = &c.error {
        return writeln!(
            out,
            "=> a `{}` client raises {class} and sends nothing",
            c.service
        );
    }
    let at = c
        .location
        .as_ref()
        .map(|l| format!(" from {}", shown(l, origins)))
        .unwrap_or_default();
    let token = c.token.as_deref().unwrap_or("SSO token");
    let shadows = match (&r.winner, &r.error) {
        (Some(w), _) => {
            let method = serde_json::to_value(w.method)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let key = w
                .access_key
                .as_ref()
                .map(|k| format!(" ({k})"))
                .unwrap_or_default();
            format!("; the chain's {method}{key} is shadowed for it")
        }
        (None, Some(e)) => format!(
            "; the chain would raise {}, but it is not run for this client",
            e.class
        ),
        (None, None) => String::new(),
    };
    writeln!(
        out,
        "=> a `{}` client sends the bearer token [{token}]{at}{shadows}",
        c.service
    )
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
    // The provider column fits the longest name (Go's are longer than JavaScript's).
    let width = r
        .providers
        .iter()
        .map(|p| p.provider.len())
        .max()
        .unwrap_or(0)
        .max(16);
    writeln!(out, "  #  {:<width$} {:<12} why", "provider", "status")?;
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
        writeln!(
            out,
            "{:>3}  {:<width$} {cell} {}",
            i + 1,
            p.provider,
            p.reason
        )?;
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
) -> Result<()> {
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
