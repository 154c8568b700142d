//! `credlint resolve`: builds the context from the machine and the flags (the process
//! environment, `--env`, `--env-file`s), runs the chain simulation, and hands the result to
//! `report::resolve`.

use crate::Error;
use crate::cli::{ResolveArgs, SdkChoice, TableFormat};
use crate::keys;
use crate::model::bearer;
use crate::model::chain::Files;
use crate::model::chain::{self, Context, Dialect, Resolution};
use crate::model::fs::RealFiles;
use crate::model::profiles::{config_map, merged_profiles, raw_sections};
use crate::model::sdk;
use crate::parse::dotenv;
use crate::report::resolve::{self as show, Exposed};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

pub use crate::report::resolve::Origins;

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
        SdkChoice::JsV3 | SdkChoice::GoV2 | SdkChoice::Rust => {
            return run_sdk(args, &env, &files, &profiles, &origins, is_terminal, out);
        }
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
    let client = args.service.as_deref().map(|s| {
        bearer::service_auth(
            s,
            &env,
            args.auth_in_code || args.auth_scheme_preference.is_some(),
        )
    });
    let bearer_wins = client.as_ref().is_some_and(|c| c.scheme == "bearer");
    let exposed = readable_by_others(&files);
    let shown = if args.all_profiles {
        &results[..]
    } else {
        &results[..1]
    };
    match args.format {
        TableFormat::Json => show::json(
            out,
            shown,
            args.all_profiles,
            &exposed,
            client.as_ref(),
            dialect,
        ),
        TableFormat::Human => show::human(
            out,
            shown,
            client.as_ref(),
            &origins,
            &exposed,
            args.color.enabled(is_terminal),
            dialect,
        ),
    }
    .map_err(Error::output)?;
    let ok = results
        .iter()
        .all(|r| r.error.is_none() && (r.winner.is_some() || bearer_wins));
    Ok(u8::from(!ok))
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

/// `resolve --sdk X` for an SDK other than botocore: the same contexts, that SDK's chain.
fn run_sdk(
    args: &ResolveArgs,
    env: &BTreeMap<String, String>,
    files: &RealFiles,
    profiles: &[Option<String>],
    origins: &Origins,
    is_terminal: bool,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    if args.sdk == SdkChoice::Rust && args.service.is_some() {
        // The Rust SDK's service clients are not modelled (docs/SDK-CHAINS.md).
        return Err(Error::Usage(
            "--service is not modelled for --sdk rust (only its credential chain is)".into(),
        ));
    }
    // With --service, the client's scheme for each context: `--auth-in-code` stands for a
    // preference of SigV4 given in code.
    let in_code: Option<Vec<String>> = match &args.auth_scheme_preference {
        Some(list) => Some(if list.is_empty() {
            Vec::new()
        } else {
            list.split(',').map(|s| s.trim().to_owned()).collect()
        }),
        None => args.auth_in_code.then(|| vec!["sigv4".to_owned()]),
    };
    let (results, clients): (Vec<sdk::Resolution>, Vec<Option<bearer::ServiceAuth>>) = profiles
        .iter()
        .map(|p| {
            let ctx = Context {
                env,
                explicit_profile: p.as_deref(),
                files,
            };
            let resolution = match args.sdk {
                SdkChoice::GoV2 => sdk::go_v2::resolve(&ctx),
                SdkChoice::Rust => sdk::rust::resolve(&ctx),
                SdkChoice::JsV3 | SdkChoice::Botocore | SdkChoice::CliV2 | SdkChoice::All => {
                    sdk::js_v3::resolve(&ctx)
                }
            };
            let client = args.service.as_deref().map(|s| match args.sdk {
                // Go v2 (config 1.17.10) reads no bearer token from the environment
                // (docs/SDK-CHAINS.md): its clients sign with the chain's credentials.
                SdkChoice::GoV2 => bearer::ServiceAuth::sigv4(
                    s,
                    "the Go v2 SDK reads no AWS_BEARER_TOKEN_* variable: SigV4 with the chain's credentials".into(),
                    None,
                ),
                _ => bearer::js_v3_service_auth(s, &ctx, in_code.as_deref()),
            });
            (resolution, client)
        })
        .unzip();
    match args.format {
        TableFormat::Json => show::sdk_json(out, &results, &clients, args.all_profiles),
        TableFormat::Human => show::sdk_human(
            out,
            &results,
            &clients,
            origins,
            args.color.enabled(is_terminal),
        ),
    }
    .map_err(Error::output)?;
    let ok = results.iter().zip(&clients).all(|(r, c)| match c {
        Some(c) if c.scheme == "bearer" => c.error.is_none(),
        _ => r.winner.is_some() && r.error.is_none(),
    });
    Ok(u8::from(!ok))
}

/// `resolve --sdk all`: one row per modelled SDK.
fn run_all(
    args: &ResolveArgs,
    env: &BTreeMap<String, String>,
    files: &RealFiles,
    profiles: &[Option<String>],
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let results: Vec<show::SideBySide> = profiles
        .iter()
        .map(|p| show::SideBySide {
            profile_in_code: p.clone(),
            sdks: sdk::side::resolve_all(&Context {
                env,
                explicit_profile: p.as_deref(),
                files,
            }),
        })
        .collect();
    match args.format {
        TableFormat::Json => show::side_json(out, &results, args.all_profiles),
        TableFormat::Human => show::side_human(out, &results),
    }
    .map_err(Error::output)?;
    let ok = results
        .iter()
        .flat_map(|r| &r.sdks)
        .all(|v| v.method.is_some() && v.error.is_none());
    Ok(u8::from(!ok))
}
