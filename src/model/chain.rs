//! The precedence simulation: botocore's twelve credential providers, in order, for one
//! context (environment, explicit profile, files), offline. Nothing here runs a command or
//! opens a connection: a provider that would do so is reported as the winner "not
//! executed" (`credential_process`, container endpoints) or as "would be tried" (instance
//! metadata).
//!
//! The facts come from botocore's `credentials.py`, `configloader.py` and `session.py`
//! (see shared/CHAIN.md); the differential tests compare every outcome with real botocore.

use super::profiles::{
    ConfigMap, LoadedIni, Loc, Section, Val, config_map, merged_profiles, raw_sections,
};
use super::{dateutil, imds, pyshlex, pyurl};
use crate::keys;
use crate::py::text::python_lines;
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

/// Python's `os.path.expandvars` then `os.path.expanduser`, against `env`.
#[must_use]
pub fn expand_path(path: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let (name, end) = if b.get(i + 1) == Some(&b'{') {
                match path[i + 2..].find('}') {
                    Some(c) => (&path[i + 2..i + 2 + c], i + 3 + c),
                    None => ("", i + 1),
                }
            } else {
                let n = path[i + 1..]
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    .count();
                (&path[i + 1..i + 1 + n], i + 1 + n)
            };
            if let Some(v) = (!name.is_empty()).then(|| env.get(name)).flatten() {
                out.push_str(v);
                i = end;
                continue;
            }
        }
        let ch = path[i..].chars().next().unwrap_or('$');
        out.push(ch);
        i += ch.len_utf8();
    }
    expand_user(&out, env)
}

fn expand_user(path: &str, env: &BTreeMap<String, String>) -> String {
    if path == "~" || path.starts_with("~/") {
        if let Some(home) = env.get("HOME") {
            let home = if home.len() > 1 {
                home.trim_end_matches('/')
            } else {
                home.as_str()
            };
            return format!("{home}{}", &path[1..]);
        }
    }
    path.to_owned()
}

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

    fn env_provider(&self) -> Outcome {
        let Some(id) = self.env("AWS_ACCESS_KEY_ID").filter(|v| !v.is_empty()) else {
            let why = if self.env("AWS_ACCESS_KEY_ID").is_some() {
                "AWS_ACCESS_KEY_ID is empty"
            } else {
                "AWS_ACCESS_KEY_ID is not set"
            };
            return nothing(why);
        };
        if self.env("AWS_SECRET_ACCESS_KEY").is_none_or(str::is_empty) {
            return Outcome::Raises(raise(
                "PartialCredentialsError",
                "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY",
                Some(Loc::env("AWS_ACCESS_KEY_ID")),
            ));
        }
        let token = ["AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"]
            .into_iter()
            .find(|t| self.env(t).is_some_and(|v| !v.is_empty()));
        let detail = match token {
            Some(t) => format!("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set, with {t}"),
            None => "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set".to_owned(),
        };
        // A non-empty AWS_CREDENTIAL_EXPIRATION goes through dateutil's parser.
        if let Some(expiry) = self
            .env("AWS_CREDENTIAL_EXPIRATION")
            .filter(|v| !v.is_empty())
            && let Err(e) = dateutil::parse(expiry)
        {
            return Outcome::Raises(raise(
                e.class(),
                format!("AWS_CREDENTIAL_EXPIRATION is not a date botocore can parse: {e}"),
                Some(Loc::env("AWS_CREDENTIAL_EXPIRATION")),
            ));
        }
        Outcome::Supplies {
            access_key: Some(keys::redact_key_id(id)),
            loc: Some(Loc::env("AWS_ACCESS_KEY_ID")),
            detail,
            not_executed: false,
        }
    }

    fn assume_role(&self, profile: &str) -> Outcome {
        if let Some(e) = &self.files_error {
            return Outcome::Raises(e.clone());
        }
        let Some(section) = self.profile_section(profile) else {
            return nothing(format!("profile `{profile}` is not defined"));
        };
        if !has_role(section) {
            return nothing(if section.has("role_arn") {
                "role_arn is set, but so is web_identity_token_file (web identity handles it)"
                    .to_owned()
            } else {
                format!("profile `{profile}` has no role_arn")
            });
        }
        let mut visited = vec![profile.to_owned()];
        match self.role_chain(profile, &mut visited) {
            Ok(source) => {
                let arn = section.get("role_arn");
                deferred(
                    arn.map(|v| v.loc.clone()),
                    format!(
                        "assumes {} with {source} (STS is not called offline)",
                        arn.map_or("", |v| v.value.as_str())
                    ),
                )
            }
            Err(r) => Outcome::Raises(r),
        }
    }

    /// `_load_creds_via_assume_role`: validate the role config, then resolve its source.
    /// Returns a description of the source credentials.
    fn role_chain(&self, profile: &str, visited: &mut Vec<String>) -> Result<String, Raise> {
        let section = self.profile_section(profile).ok_or_else(|| {
            raise(
                "ProfileNotFound",
                format!("The config profile ({profile}) could not be found"),
                None,
            )
        })?;
        let arn_loc = section.get("role_arn").map(|v| v.loc.clone());
        let source_profile = section.get("source_profile");
        let credential_source = section.get("credential_source");
        // `_get_role_config` tries int(duration_seconds) and only forgives a ValueError.
        if let Some(d) = section
            .get("duration_seconds")
            .filter(|d| d.nested.is_some())
        {
            return Err(nested_raise("TypeError", "duration_seconds", d));
        }
        match (source_profile, credential_source) {
            (Some(_), Some(cs)) => Err(raise(
                "InvalidConfigError",
                format!(
                    "The profile \"{profile}\" contains both source_profile and credential_source."
                ),
                Some(cs.loc.clone()),
            )),
            (None, None) => Err(raise(
                "PartialCredentialsError",
                "Partial credentials found in assume-role, missing: source_profile or credential_source",
                arn_loc,
            )),
            (None, Some(cs)) => {
                if !CREDENTIAL_SOURCES.contains(&cs.value.as_str()) {
                    return Err(raise(
                        "InvalidConfigError",
                        format!(
                            "The credential source \"{}\" referenced in profile \"{profile}\" is not valid.",
                            cs.value
                        ),
                        Some(cs.loc.clone()),
                    ));
                }
                self.credential_source(&cs.value, profile, &cs.loc)
            }
            (Some(sp), None) if sp.nested.is_some() => {
                Err(nested_raise("TypeError", "source_profile", sp))
            }
            (Some(sp), None) => {
                let name = sp.value.as_str();
                let Some(source) = self.profile_section(name) else {
                    return Err(raise(
                        "InvalidConfigError",
                        format!(
                            "The source_profile \"{name}\" referenced in the profile \"{profile}\" does not exist."
                        ),
                        Some(sp.loc.clone()),
                    ));
                };
                if visited.iter().any(|v| v == name) && (name != profile || !has_static(source)) {
                    return Err(raise(
                        "InfiniteLoopConfigError",
                        format!(
                            "Infinite loop in credential configuration detected. Attempting to load from profile {name} which has already been visited. Visited profiles: {}",
                            visited.join(", ")
                        ),
                        Some(sp.loc.clone()),
                    ));
                }
                visited.push(name.to_owned());
                if has_static(source) || !has_role(source) {
                    for m in [
                        Method::WebIdentity,
                        Method::Sso,
                        Method::SharedCredentials,
                        Method::Login,
                        Method::Process,
                        Method::ConfigFile,
                    ] {
                        if m == Method::Login && self.dialect == Dialect::CliV2 {
                            continue;
                        }
                        let outcome = match m {
                            Method::WebIdentity => self.web_identity(name, true),
                            other => self.run(other, name),
                        };
                        match outcome {
                            Outcome::Supplies { .. } => {
                                return Ok(format!(
                                    "credentials of source profile `{name}` ({})",
                                    m.as_str()
                                ));
                            }
                            Outcome::Raises(r) => return Err(r),
                            Outcome::Nothing { .. } | Outcome::WouldBeTried { .. } => {}
                        }
                    }
                    return Err(raise(
                        "InvalidConfigError",
                        format!("The source profile \"{name}\" must have credentials."),
                        Some(sp.loc.clone()),
                    ));
                }
                self.role_chain(name, visited)
                    .map(|s| format!("role of profile `{name}` (itself from {s})"))
            }
        }
    }

    fn credential_source(&self, source: &str, profile: &str, loc: &Loc) -> Result<String, Raise> {
        let outcome = match source {
            "Environment" => self.env_provider(),
            "EcsContainer" => self.container(),
            _ => self.instance_metadata(),
        };
        match outcome {
            Outcome::Supplies { .. } => Ok(format!("credential_source {source}")),
            // Offline there is no instance metadata, as for the iam-role provider: botocore
            // off EC2 finds no source credentials and raises.
            Outcome::WouldBeTried { .. } => Err(raise(
                "CredentialRetrievalError",
                format!(
                    "Error when retrieving credentials from {source}: No credentials found in credential_source referenced in profile {profile} (off EC2; on an instance, metadata would supply them and the role would be assumed)"
                ),
                Some(loc.clone()),
            )),
            Outcome::Raises(r) => Err(r),
            Outcome::Nothing { .. } => Err(raise(
                "CredentialRetrievalError",
                format!(
                    "Error when retrieving credentials from {source}: No credentials found in credential_source referenced in profile {profile}"
                ),
                Some(loc.clone()),
            )),
        }
    }

    fn web_identity(&self, profile: &str, disable_env: bool) -> Outcome {
        let section = self.profile_section(profile);
        let get = |key: &str, var: &str| -> Option<(String, Loc)> {
            if !disable_env && let Some(v) = self.env(var) {
                return Some((v.to_owned(), Loc::env(var)));
            }
            section
                .and_then(|s| s.get(key))
                .map(|v| (v.value.clone(), v.loc.clone()))
        };
        let Some((token, token_loc)) =
            get("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE")
                .filter(|(t, _)| !t.is_empty())
        else {
            return nothing(
                "no web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE or web_identity_token_file)",
            );
        };
        match get("role_arn", "AWS_ROLE_ARN").filter(|(r, _)| !r.is_empty()) {
            None => Outcome::Raises(raise(
                "InvalidConfigError",
                "The provided profile or the current environment is configured to assume role with web identity but has no role ARN configured.",
                Some(token_loc),
            )),
            Some((arn, _)) => deferred(
                Some(token_loc),
                format!("assumes {arn} with the token in {token} (STS is not called offline)"),
            ),
        }
    }

    fn sso(&self, profile: &str) -> Outcome {
        let Some(section) = self.profile_section(profile) else {
            return nothing("profile is not defined");
        };
        if !section.has("sso_role_name") && !section.has("sso_account_id") {
            return nothing(format!(
                "profile `{profile}` has no sso_role_name or sso_account_id"
            ));
        }
        let mut config: HashMap<String, Val> = section.values.clone();
        let mut required = vec![
            "sso_role_name",
            "sso_account_id",
            "sso_start_url",
            "sso_region",
        ];
        if let Some(session_name) = section.get("sso_session") {
            if session_name.nested.is_some() {
                return Outcome::Raises(nested_raise("TypeError", "sso_session", session_name));
            }
            let Some(session) = self.config.sso_sessions.get(&session_name.value) else {
                return Outcome::Raises(raise(
                    "InvalidConfigError",
                    format!(
                        "The specified sso-session does not exist: \"{}\"",
                        session_name.value
                    ),
                    Some(session_name.loc.clone()),
                ));
            };
            let mut keys: Vec<&String> = session.values.keys().collect();
            keys.sort_by_key(|k| session.values[*k].loc.clone());
            for k in keys {
                let v = &session.values[k];
                if let Some(existing) = config.get(k)
                    && !same_python_value(existing, v)
                {
                    return Outcome::Raises(raise(
                        "InvalidConfigError",
                        format!(
                            "The value for {k} is inconsistent between profile ({}) and sso-session ({}).",
                            existing.value, v.value
                        ),
                        Some(existing.loc.clone()),
                    ));
                }
                config.insert(k.clone(), v.clone());
            }
            required.push("sso_session");
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|k| !config.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            return Outcome::Raises(raise(
                "InvalidConfigError",
                format!(
                    "The profile \"{profile}\" is configured to use SSO but is missing required configuration: {}",
                    missing.join(", ")
                ),
                section.header.clone(),
            ));
        }
        let loc = section
            .get("sso_role_name")
            .or_else(|| section.get("sso_account_id"))
            .map(|v| v.loc.clone());
        deferred(loc, "IAM Identity Center (SSO) role credentials from the cached token (not fetched offline)".into())
    }

    fn shared_credentials(&self, profile: &str) -> Outcome {
        let Some((_, section)) = self.credentials.iter().find(|(n, _)| n == profile) else {
            return nothing(format!("no [{profile}] section in the credentials file"));
        };
        static_keys(section, "shared-credentials-file", "the credentials file")
    }

    fn config_file(&self, profile: &str) -> Outcome {
        let Some(section) = self.config.profiles.get(profile) else {
            return nothing(format!("no profile `{profile}` in the config file"));
        };
        static_keys(section, "config-file", "the config file")
    }

    fn login(&self, profile: &str) -> Outcome {
        match self
            .profile_section(profile)
            .and_then(|s| s.get("login_session"))
        {
            None => nothing("no login_session"),
            Some(v) => Outcome::Raises(raise(
                "MissingDependencyException",
                "Using the login credential provider requires an additional dependency (botocore[crt]).",
                Some(v.loc.clone()),
            )),
        }
    }

    fn process(&self, profile: &str) -> Outcome {
        let Some(v) = self
            .profile_section(profile)
            .and_then(|s| s.get("credential_process"))
        else {
            return nothing("no credential_process");
        };
        if v.nested.is_some() {
            // shlex reads its input with `.read()`, which a dict does not have.
            return Outcome::Raises(nested_raise("AttributeError", "credential_process", v));
        }
        // botocore splits the command with shlex (ValueError on bad quoting) and hands the
        // words to Popen, which raises IndexError for an empty list.
        match pyshlex::split(&v.value) {
            Err(e) => {
                return Outcome::Raises(raise(
                    "ValueError",
                    format!(
                        "credential_process cannot be split into words: {}",
                        e.message()
                    ),
                    Some(v.loc.clone()),
                ));
            }
            Ok(words) if words.is_empty() => {
                return Outcome::Raises(raise(
                    "IndexError",
                    "credential_process is empty",
                    Some(v.loc.clone()),
                ));
            }
            Ok(_) => {}
        }
        Outcome::Supplies {
            access_key: None,
            loc: Some(v.loc.clone()),
            detail: format!(
                "would run: {} (credlint never runs it)",
                keys::redact_message(&v.value)
            ),
            not_executed: true,
        }
    }

    /// `OriginalEC2Provider` with `parse_key_val_file`: the file is read as text (UTF-8,
    /// universal newlines), split with `str.splitlines`, and every line with `=` gives a
    /// stripped key and value; the last of a repeated key wins.
    fn ec2_credentials_file(&self) -> Outcome {
        let Some(raw) = self.env("AWS_CREDENTIAL_FILE") else {
            return nothing("AWS_CREDENTIAL_FILE is not set");
        };
        let path = expand_user(raw, self.ctx.env);
        let loc_var = Some(Loc::env("AWS_CREDENTIAL_FILE"));
        let Some((shown, bytes)) = (!path.is_empty())
            .then(|| self.ctx.files.bytes(&path).ok())
            .flatten()
        else {
            return Outcome::Raises(raise(
                "ConfigNotFound",
                format!("The specified config file ({path}) could not be found."),
                loc_var,
            ));
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Outcome::Raises(raise(
                "UnicodeDecodeError",
                format!("{shown} is not valid UTF-8"),
                loc_var,
            ));
        };
        let mut pairs: HashMap<&str, (&str, u32)> = HashMap::new();
        for (i, line) in python_lines(&text).into_iter().enumerate() {
            if let Some((k, v)) = line.split_once('=') {
                pairs.insert(
                    k.trim_matches(py_space),
                    (v.trim_matches(py_space), i as u32 + 1),
                );
            }
        }
        let Some(&(id, line)) = pairs.get("AWSAccessKeyId") else {
            return nothing("no AWSAccessKeyId in AWS_CREDENTIAL_FILE");
        };
        let loc = Loc::File {
            path: shown,
            line,
            column: 1,
            span: crate::source::Span::default(),
        };
        if !pairs.contains_key("AWSSecretKey") {
            return Outcome::Raises(raise("KeyError", "'AWSSecretKey'", Some(loc)));
        }
        Outcome::Supplies {
            access_key: Some(keys::redact_key_id(id)),
            loc: Some(loc),
            detail: "AWSAccessKeyId in AWS_CREDENTIAL_FILE".into(),
            not_executed: false,
        }
    }

    fn boto(&self) -> Outcome {
        let candidates: Vec<String> = match self.env("BOTO_CONFIG") {
            Some(p) => vec![p.to_owned()],
            None => vec![ETC_BOTO_CFG.to_owned(), "~/.boto".to_owned()],
        };
        for c in candidates {
            let path = expand_path(&c, self.ctx.env);
            let Some(file) = self.ctx.files.ini(&path) else {
                continue;
            };
            if let Some(e) = file.ini.botocore_error() {
                return Outcome::Raises(raise(
                    "ConfigParseError",
                    format!(
                        "Unable to parse config file: {}: {}",
                        file.source.path, e.message
                    ),
                    Some(file.loc(e.span)),
                ));
            }
            let sections = raw_sections(&file);
            if let Some((_, s)) = sections.iter().find(|(n, _)| n == "Credentials")
                && s.has("aws_access_key_id")
            {
                return match static_keys(s, "boto-config", "the boto config") {
                    Outcome::Supplies {
                        access_key,
                        loc,
                        detail,
                        not_executed,
                    } => Outcome::Supplies {
                        access_key,
                        loc,
                        detail: format!("{detail} ({})", file.source.path),
                        not_executed,
                    },
                    other => other,
                };
            }
        }
        nothing("no boto config with [Credentials] aws_access_key_id")
    }

    /// `ContainerProvider`: the checks botocore makes before it connects (headers, then the
    /// endpoint's host) are made here too; the request itself never is.
    fn container(&self) -> Outcome {
        let (var, url) = if let Some(rel) = self.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            (
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                format!("http://169.254.170.2{rel}"),
            )
        } else if let Some(full) = self.env("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.to_owned())
        } else {
            return nothing("no AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI");
        };
        if self.dialect == Dialect::CliV2 {
            // awscli 2.9.19 `ContainerProvider._build_headers` sends
            // AWS_CONTAINER_AUTHORIZATION_TOKEN as it is (no token file, no check), and
            // `ContainerMetadataFetcher._validate_allowed_url` (`retrieve_full_uri`, which
            // the provider calls for a relative URI too) checks the host only, on a fixed list.
            if let Err(why) = cli_container_url_allowed(&url) {
                return Outcome::Raises(raise("ValueError", why, Some(Loc::env(var))));
            }
            return Outcome::Supplies {
                access_key: None,
                loc: Some(Loc::env(var)),
                detail: format!(
                    "would fetch from the container endpoint {url} (credlint never connects)"
                ),
                not_executed: true,
            };
        }
        let token = if let Some(path) = self.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            match self.ctx.files.bytes(path) {
                Ok((shown, bytes)) => match String::from_utf8(bytes) {
                    Ok(t) => Some(t),
                    Err(_) => {
                        return Outcome::Raises(raise(
                            "UnicodeDecodeError",
                            format!("{shown} is not valid UTF-8"),
                            Some(Loc::env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")),
                        ));
                    }
                },
                Err(class) => {
                    return Outcome::Raises(raise(
                        class,
                        format!("open() of the token file failed: '{path}'"),
                        Some(Loc::env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")),
                    ));
                }
            }
        } else {
            self.env("AWS_CONTAINER_AUTHORIZATION_TOKEN")
                .map(str::to_owned)
        };
        if token.is_some_and(|t| t.contains(['\r', '\n'])) {
            return Outcome::Raises(raise(
                "ValueError",
                "Auth token value is not a legal header value",
                None,
            ));
        }
        if let Err(why) = container_url_allowed(&url) {
            return Outcome::Raises(raise("ValueError", why, Some(Loc::env(var))));
        }
        Outcome::Supplies {
            access_key: None,
            loc: Some(Loc::env(var)),
            detail: format!(
                "would fetch from the container endpoint {url} (credlint never connects)"
            ),
            not_executed: true,
        }
    }

    fn instance_metadata(&self) -> Outcome {
        if self
            .env("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return nothing("AWS_EC2_METADATA_DISABLED=true");
        }
        Outcome::WouldBeTried {
            why: "instance metadata would be asked on EC2 (credlint never connects)".into(),
        }
    }
}

/// `ContainerMetadataFetcher._validate_allowed_url`: https, a loopback address, or one of
/// the container hosts. `Err` carries Python's `ValueError` message.
fn container_url_allowed(url: &str) -> Result<(), String> {
    let split = pyurl::urlsplit(url)?;
    if split.scheme == "https" {
        return Ok(());
    }
    let host = split.hostname();
    let loopback = host
        .as_deref()
        .and_then(pyurl::ip_address)
        .is_some_and(|ip| ip.is_loopback());
    let allowed = [
        "169.254.170.2",
        "169.254.170.23",
        "fd00:ec2::23",
        "localhost",
    ];
    if loopback || host.as_deref().is_some_and(|h| allowed.contains(&h)) {
        return Ok(());
    }
    Err(format!(
        "Unsupported host '{}'.  Can only retrieve metadata from a loopback address or one of these hosts: {}",
        host.as_deref().unwrap_or("None"),
        allowed.join(", ")
    ))
}

/// awscli 2.9.19 `ContainerMetadataFetcher._validate_allowed_url`: the URL's host (as
/// `urlparse(...).hostname` gives it, lower-cased) must be one of three, whatever the scheme.
fn cli_container_url_allowed(url: &str) -> Result<(), String> {
    const ALLOWED: [&str; 3] = ["169.254.170.2", "localhost", "127.0.0.1"];
    let split = pyurl::urlsplit(url)?;
    let host = split.hostname();
    if host.as_deref().is_some_and(|h| ALLOWED.contains(&h)) {
        return Ok(());
    }
    Err(format!(
        "Unsupported host '{}'.  Can only retrieve metadata from these hosts: {}",
        host.as_deref().unwrap_or("None"),
        ALLOWED.join(", ")
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_like_python() {
        let env: BTreeMap<String, String> =
            [("HOME".into(), "/h".into()), ("X".into(), "x".into())].into();
        assert_eq!(expand_path("~/.aws/config", &env), "/h/.aws/config");
        assert_eq!(expand_path("$HOME/a/${X}/$NOPE", &env), "/h/a/x/$NOPE");
        assert_eq!(expand_path("", &env), "");
    }
}
