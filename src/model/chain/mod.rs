//! The precedence simulation: botocore's twelve credential providers, in order, for one
//! context (environment, explicit profile, files), offline. Nothing here runs a command or
//! opens a connection: a provider that would do so is reported as the winner "not
//! executed" (`credential_process`, container endpoints) or as "would be tried" (instance
//! metadata).
//!
//! The facts come from botocore's `credentials.py`, `configloader.py` and `session.py`
//! (see shared/CHAIN.md); the differential tests compare every outcome with real botocore.

use super::imds;
use super::profiles::{
    ConfigMap, LoadedIni, Loc, Section, Val, config_map, merged_profiles, raw_sections,
};
use crate::keys;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Reads the files the chain asks for. Paths arrive expanded (`$VAR`, `~`).
pub trait Files {
    /// The parsed ini file at `path`, or `None` when there is no regular file there.
    fn ini(&self, path: &str) -> Option<Arc<LoadedIni>>;
    /// The shown path and bytes of a plain file (`AWS_CREDENTIAL_FILE`, a container token
    /// file), or the class of the `OSError` Python's `open()` raises for it.
    ///
    /// # Errors
    /// `FileNotFoundError`, `IsADirectoryError`, `PermissionError`, … as Python names them.
    fn bytes(&self, path: &str) -> Result<(String, Vec<u8>), &'static str>;
}

/// Everything that decides a resolution.
pub struct Context<'a> {
    pub env: &'a BTreeMap<String, String>,
    /// A profile passed in code (`boto3.Session(profile_name=…)`).
    pub explicit_profile: Option<&'a str>,
    pub files: &'a dyn Files,
}

/// The twelve providers, in botocore's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Method {
    #[serde(rename = "env")]
    Env,
    #[serde(rename = "assume-role")]
    AssumeRole,
    #[serde(rename = "assume-role-with-web-identity")]
    WebIdentity,
    #[serde(rename = "sso")]
    Sso,
    #[serde(rename = "shared-credentials-file")]
    SharedCredentials,
    #[serde(rename = "login")]
    Login,
    #[serde(rename = "custom-process")]
    Process,
    #[serde(rename = "config-file")]
    ConfigFile,
    #[serde(rename = "ec2-credentials-file")]
    Ec2CredentialsFile,
    #[serde(rename = "boto-config")]
    BotoConfig,
    #[serde(rename = "container-role")]
    ContainerRole,
    #[serde(rename = "iam-role")]
    IamRole,
}

impl Method {
    pub const ALL: [Self; 12] = [
        Self::Env,
        Self::AssumeRole,
        Self::WebIdentity,
        Self::Sso,
        Self::SharedCredentials,
        Self::Login,
        Self::Process,
        Self::ConfigFile,
        Self::Ec2CredentialsFile,
        Self::BotoConfig,
        Self::ContainerRole,
        Self::IamRole,
    ];

    /// botocore's own `credentials.method` string.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Env => "env",
            Self::AssumeRole => "assume-role",
            Self::WebIdentity => "assume-role-with-web-identity",
            Self::Sso => "sso",
            Self::SharedCredentials => "shared-credentials-file",
            Self::Login => "login",
            Self::Process => "custom-process",
            Self::ConfigFile => "config-file",
            Self::Ec2CredentialsFile => "ec2-credentials-file",
            Self::BotoConfig => "boto-config",
            Self::ContainerRole => "container-role",
            Self::IamRole => "iam-role",
        }
    }
}

/// What one provider does on its own.
#[derive(Clone, Debug)]
enum Outcome {
    /// Returns credentials. `access_key` is the redacted key id when it is known offline.
    Supplies {
        access_key: Option<String>,
        loc: Option<Loc>,
        detail: String,
        not_executed: bool,
    },
    /// Returns nothing; the next provider is tried.
    Nothing { why: String, loc: Option<Loc> },
    /// Raises: the whole lookup stops.
    Raises(Raise),
    /// Instance metadata: cannot be known offline.
    WouldBeTried { why: String },
}

pub use super::raise::Raise;
pub(crate) use super::raise::raise;

/// A provider's place in the resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Supplies the credentials botocore uses.
    Wins,
    /// Would supply credentials, but an earlier provider wins.
    Shadowed,
    /// Supplies nothing; botocore moves on.
    Passes,
    /// Raises: botocore stops here.
    Raises,
    /// Instance metadata: tried on EC2, unknowable offline.
    WouldBeTried,
    /// Not part of this chain (the env provider when a profile is passed in code).
    Skipped,
    /// After a provider that raises: never runs.
    NotReached,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProviderReport {
    pub method: Method,
    pub status: Status,
    /// Why this provider ends as it does, in one line.
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Loc>,
    /// The redacted key id this provider would supply, when known offline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
    /// Shadowed, and it would raise if botocore reached it (its settings are broken, they
    /// supply nothing).
    #[serde(skip)]
    pub would_raise: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Winner {
    pub method: Method,
    pub location: Option<Loc>,
    /// Redacted (`AKIA****WXYZ`); `null` when credentials come from a call credlint does
    /// not make (STS, SSO, a process, a container endpoint).
    pub access_key: Option<String>,
    /// The step botocore would take here that credlint does not perform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_executed: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileSource {
    Explicit,
    #[serde(rename = "AWS_DEFAULT_PROFILE")]
    AwsDefaultProfile,
    #[serde(rename = "AWS_PROFILE")]
    AwsProfile,
    Default,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProfileChoice {
    /// The profile the providers look up (`default` when none is chosen).
    pub name: String,
    pub source: ProfileSource,
    pub explicit: bool,
}

/// The full answer for one context.
#[derive(Clone, Debug, Serialize)]
pub struct Resolution {
    pub profile: ProfileChoice,
    pub winner: Option<Winner>,
    pub error: Option<Raise>,
    pub providers: Vec<ProviderReport>,
}

/// The system path of the boto2 config that botocore reads second.
pub const ETC_BOTO_CFG: &str = "/etc/boto.cfg";
/// How a nested `aws_access_key_id` (a dict in botocore) is shown.
pub const NESTED: &str = "<nested>";
const CREDENTIAL_SOURCES: [&str; 3] = ["Environment", "EcsContainer", "Ec2InstanceMetadata"];

mod delegated;
mod paths;
mod remote;
mod roles;
mod stored;

pub use paths::expand_path;
use paths::expand_user;

/// Which copy of botocore runs the chain: the one on `PyPI` (boto3 and the v1 CLI), or the one the
/// AWS CLI v2 carries inside `awscli` (2.9.19 here). The CLI's differences, read from its
/// source (docs/SDK-CHAINS.md, "AWS CLI v2"): `AWS_PROFILE` before `AWS_DEFAULT_PROFILE`,
/// no login provider, no container token file and no header check, container hosts from a
/// fixed list, no `ec2_metadata_v1_disabled` setting, and both files loaded (and a parse
/// error raised) while the CLI's driver is built, before any provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Dialect {
    #[serde(rename = "botocore")]
    Botocore,
    #[serde(rename = "cli-v2")]
    CliV2,
}

struct Sim<'a> {
    ctx: &'a Context<'a>,
    dialect: Dialect,
    profile: String,
    config: ConfigMap,
    credentials: Vec<(String, Section)>,
    merged: HashMap<String, Section>,
    /// A parse error of the config or credentials file not yet raised while the resolver
    /// was built.
    files_error: Option<Raise>,
}

/// Simulate botocore's `create_credential_resolver(...).load_credentials()`.
#[must_use]
pub fn resolve(ctx: &Context<'_>) -> Resolution {
    resolve_dialect(ctx, Dialect::Botocore)
}

/// The same chain as `dialect`'s copy of botocore runs it.
#[must_use]
pub fn resolve_dialect(ctx: &Context<'_>, dialect: Dialect) -> Resolution {
    let env = ctx.env;
    // configprovider.py, the session variable `profile`: botocore reads
    // AWS_DEFAULT_PROFILE first, the CLI v2 AWS_PROFILE first.
    let from_env = |var: &str, source| env.get(var).map(|p| (Some(p.clone()), source));
    let by_default = from_env("AWS_DEFAULT_PROFILE", ProfileSource::AwsDefaultProfile);
    let by_profile = from_env("AWS_PROFILE", ProfileSource::AwsProfile);
    let (first, second) = match dialect {
        Dialect::Botocore => (by_default, by_profile),
        Dialect::CliV2 => (by_profile, by_default),
    };
    let (chosen, source) = if let Some(p) = ctx.explicit_profile {
        (Some(p.to_owned()), ProfileSource::Explicit)
    } else {
        first.or(second).unwrap_or((None, ProfileSource::Default))
    };
    let name = chosen
        .clone()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "default".to_owned());
    let profile = ProfileChoice {
        name: name.clone(),
        source,
        explicit: ctx.explicit_profile.is_some(),
    };

    let config_path = file_setting(env, "AWS_CONFIG_FILE", "~/.aws/config");
    let creds_path = file_setting(env, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
    let config_file = ctx.files.ini(&config_path);
    let creds_file = ctx.files.ini(&creds_path);
    // Loading the session's configuration: the config file, then the credentials file.
    let files_error = [&config_file, &creds_file]
        .into_iter()
        .flatten()
        .find_map(|f| {
            f.ini.botocore_error().map(|e| {
                raise(
                    "ConfigParseError",
                    format!(
                        "Unable to parse config file: {}: {}",
                        f.source.path, e.message
                    ),
                    Some(f.loc(e.span)),
                )
            })
        });
    let config = config_file.as_ref().map(config_map).unwrap_or_default();
    let credentials = creds_file.as_ref().map(raw_sections).unwrap_or_default();
    let merged = merged_profiles(&config, &credentials);
    // `get_scoped_config()`: the loaded files, then the selected profile must exist.
    let profile_missing = chosen
        .as_ref()
        .filter(|p| !merged.contains_key(*p))
        .map(|p| {
            let loc = match source {
                ProfileSource::AwsDefaultProfile => Some(Loc::env("AWS_DEFAULT_PROFILE")),
                ProfileSource::AwsProfile => Some(Loc::env("AWS_PROFILE")),
                _ => None,
            };
            raise(
                "ProfileNotFound",
                format!("The config profile ({p}) could not be found"),
                loc,
            )
        });
    let scoped_name = chosen.as_deref().unwrap_or("default");
    let mut scoped_loaded = false;
    // The CLI's driver reads `full_config` (plugins) before anything else: a file that
    // does not parse stops it there, whatever the environment holds.
    let driver_error = match dialect {
        Dialect::CliV2 => files_error.clone(),
        Dialect::Botocore => None,
    };
    let imds_early = imds::check(env, dialect == Dialect::Botocore, &mut || {
        scoped_loaded = true;
        match files_error.clone().or_else(|| profile_missing.clone()) {
            Some(e) => Err(e),
            None => Ok(merged.get(scoped_name)),
        }
    })
    .err();
    let early = driver_error.or(imds_early);
    // When every IMDS setting came from the environment no file was loaded yet: a broken
    // file raises at the first provider that loads the configuration (assume-role).
    let files_error = if scoped_loaded { None } else { files_error };
    let sim = Sim {
        ctx,
        dialect,
        profile: name,
        config,
        credentials,
        merged,
        files_error,
    };

    let mut providers = Vec::new();
    let mut winner: Option<Winner> = None;
    let mut error = early.clone();
    for method in Method::ALL {
        if method == Method::Login && dialect == Dialect::CliV2 {
            continue; // awscli 2.9.19's ProfileProviderBuilder has no login provider
        }
        if method == Method::Env && ctx.explicit_profile.is_some() {
            providers.push(report(
                method,
                Status::Skipped,
                "a profile passed in code removes the env provider".into(),
                None,
                None,
            ));
            continue;
        }
        let outcome = sim.run(method, &sim.profile);
        let decided = winner.is_some() || error.is_some();
        let raises = matches!(outcome, Outcome::Raises(_));
        let (status, reason, loc, key) = match outcome {
            Outcome::Supplies {
                access_key,
                loc,
                detail,
                not_executed,
            } => {
                let shown = access_key;
                if decided {
                    let status = if error.is_some() {
                        Status::NotReached
                    } else {
                        Status::Shadowed
                    };
                    let why = match (&winner, &error) {
                        (Some(w), _) => format!("{detail}; shadowed by {}", w.method.as_str()),
                        (None, Some(e)) => {
                            format!("{detail}; never reached: botocore raised {} first", e.class)
                        }
                        _ => detail,
                    };
                    (status, why, loc, shown)
                } else {
                    let not_executed = not_executed.then(|| detail.clone());
                    winner = Some(Winner {
                        method,
                        location: loc.clone(),
                        access_key: shown.clone(),
                        not_executed,
                    });
                    (Status::Wins, detail, loc, shown)
                }
            }
            Outcome::Nothing { why, loc } => {
                let status = if error.is_some() {
                    Status::NotReached
                } else {
                    Status::Passes
                };
                (status, why, loc, None)
            }
            Outcome::Raises(r) => {
                if decided {
                    let status = if error.is_some() {
                        Status::NotReached
                    } else {
                        Status::Shadowed
                    };
                    (
                        status,
                        format!("would raise {}: {}", r.class, r.message),
                        r.location,
                        None,
                    )
                } else {
                    let why = format!("raises {}: {}", r.class, r.message);
                    let loc = r.location.clone();
                    error = Some(r);
                    (Status::Raises, why, loc, None)
                }
            }
            Outcome::WouldBeTried { why } => {
                let status = if decided {
                    if error.is_some() {
                        Status::NotReached
                    } else {
                        Status::Shadowed
                    }
                } else {
                    Status::WouldBeTried
                };
                (status, why, None, None)
            }
        };
        providers.push(ProviderReport {
            would_raise: raises && status == Status::Shadowed,
            ..report(method, status, reason, loc, key)
        });
    }
    if let Some(e) = &early {
        // Raised while the resolver was built, before any provider ran.
        for p in &mut providers {
            if p.status != Status::Skipped {
                p.status = Status::NotReached;
            }
        }
        winner = None;
        error = Some(e.clone());
    }
    Resolution {
        profile,
        winner,
        error,
        providers,
    }
}

fn report(
    method: Method,
    status: Status,
    reason: String,
    location: Option<Loc>,
    access_key: Option<String>,
) -> ProviderReport {
    ProviderReport {
        method,
        status,
        reason,
        location,
        access_key,
        would_raise: false,
    }
}

/// A file-path setting: the variable when set (even empty, which disables the file),
/// else the default; expanded as botocore expands it.
fn file_setting(env: &BTreeMap<String, String>, var: &str, default: &str) -> String {
    let raw = env.get(var).map_or(default, String::as_str);
    expand_path(raw, env)
}

fn supplies(access_key: Option<&Val>, loc: Option<Loc>, detail: String) -> Outcome {
    Outcome::Supplies {
        // A nested value is a dict in botocore; it still counts as a key id.
        access_key: access_key.map(|v| {
            if v.nested.is_some() {
                NESTED.to_owned()
            } else {
                keys::redact_key_id(&v.value)
            }
        }),
        loc,
        detail,
        not_executed: false,
    }
}

fn deferred(loc: Option<Loc>, detail: String) -> Outcome {
    Outcome::Supplies {
        access_key: None,
        loc,
        detail,
        not_executed: false,
    }
}

fn nothing(why: impl Into<String>) -> Outcome {
    Outcome::Nothing {
        why: why.into(),
        loc: None,
    }
}

impl Sim<'_> {
    fn env(&self, name: &str) -> Option<&str> {
        self.ctx.env.get(name).map(String::as_str)
    }

    fn profile_section(&self, name: &str) -> Option<&Section> {
        self.merged.get(name)
    }

    fn run(&self, method: Method, profile: &str) -> Outcome {
        match method {
            Method::Env => self.env_provider(),
            Method::AssumeRole => self.assume_role(profile),
            Method::WebIdentity => self.web_identity(profile, self.ctx.explicit_profile.is_some()),
            Method::Sso => self.sso(profile),
            Method::SharedCredentials => self.shared_credentials(profile),
            Method::Login => self.login(profile),
            Method::Process => self.process(profile),
            Method::ConfigFile => self.config_file(profile),
            Method::Ec2CredentialsFile => self.ec2_credentials_file(),
            Method::BotoConfig => self.boto(),
            Method::ContainerRole => self.container(),
            Method::IamRole => self.instance_metadata(),
        }
    }
}

/// `a == b` on the values botocore loaded: strings compare as text, nested values as the
/// dicts `_parse_nested` made of them (spacing, order and repeated keys do not matter).
fn same_python_value(a: &Val, b: &Val) -> bool {
    match (&a.nested, &b.nested) {
        (None, None) => a.value == b.value,
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// What botocore raises when a setting it needs as a string is a nested value (a dict).
fn nested_raise(class: &str, key: &str, v: &Val) -> Raise {
    raise(
        class,
        format!("{key} is a nested value (indented `k = v` lines), which botocore reads as a dict"),
        Some(v.loc.clone()),
    )
}

pub(crate) use crate::parse::ini::py_space;

fn has_static(s: &Section) -> bool {
    s.has("aws_secret_access_key") || s.has("aws_access_key_id")
}

fn has_role(s: &Section) -> bool {
    s.has("role_arn") && !s.has("web_identity_token_file")
}

/// The static-key check shared by the credentials-file, config-file and boto providers.
fn static_keys(section: &Section, method: &str, what: &str) -> Outcome {
    let Some(id) = section.get("aws_access_key_id") else {
        return nothing(format!("no aws_access_key_id in {what}"));
    };
    if !section.has("aws_secret_access_key") {
        return Outcome::Raises(raise(
            "PartialCredentialsError",
            format!("Partial credentials found in {method}, missing: aws_secret_access_key"),
            Some(id.loc.clone()),
        ));
    }
    supplies(
        Some(id),
        Some(id.loc.clone()),
        format!("aws_access_key_id in {what}"),
    )
}
