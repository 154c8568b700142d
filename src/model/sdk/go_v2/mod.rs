//! The AWS SDK for Go v2: `config.LoadDefaultConfig` then `Credentials.Retrieve`, as in
//! `config` 1.17.10 (Debian's `golang-github-aws-aws-sdk-go-v2-dev` 1.17.1-3), offline. The
//! functions cited are in `/usr/share/gocode/src/github.com/aws/aws-sdk-go-v2/`; the facts
//! are in docs/SDK-CHAINS.md and `tests/differential/run_sdk.py --sdk go-v2` checks every
//! verdict against the real package.
//!
//! Go does not fall through a chain: `config/resolve_credentials.go`
//! `resolveCredentialChain` picks one source (a profile named in code, env keys, env web
//! identity, else the profile) and `resolveCredsFromProfile` picks one inside the profile,
//! then assumes the profile's `role_arn` on top of it. Errors come at two stages: while the
//! configuration loads (files, profile validation) and when the provider is asked for
//! credentials. A provider that would make a request (STS, SSO, a container endpoint) wins
//! with that request, as on a network; the instance metadata service fails, as off EC2.

pub mod ini;
mod url;

use super::{Method, Raise, Resolution, Sdk, Status, Step, Winner};
use crate::keys::redact_key_id;
use crate::model::chain::Context;
use ini::{Section, Sections, Value};

/// An error class as the oracle names it: the Go type of the first error in the chain
/// that is not one of `fmt`'s or `errors`' wrappers (`error` when there is none).
const PLAIN: &str = "error";

#[derive(Debug)]
struct Fail {
    class: &'static str,
    message: String,
}

fn fail(class: &'static str, message: impl Into<String>) -> Fail {
    Fail {
        class,
        message: message.into(),
    }
}

/// The provider `LoadDefaultConfig` leaves in `cfg.Credentials`.
#[derive(Debug)]
enum Provider {
    /// `credentials.StaticCredentialsProvider` (env keys, a profile's keys, or
    /// `credential_source = Environment`, which may hold none).
    Static {
        method: Method,
        key: String,
        secret: String,
    },
    /// `stscreds.WebIdentityRoleProvider`.
    WebIdentity { file: String },
    /// `ssocreds.Provider`.
    Sso { start_url: String },
    /// `processcreds.Provider`.
    Process { command: String },
    /// `endpointcreds.Provider` on this URL.
    Http { url: String },
    /// `ec2rolecreds.Provider`.
    Imds,
    /// `stscreds.AssumeRoleProvider`, signed with the inner provider's credentials.
    AssumeRole { role: String, source: Box<Self> },
}

/// `SharedConfig`, the fields that decide credentials.
#[derive(Debug, Default, Clone)]
struct Shared {
    profile: String,
    key: String,
    secret: String,
    credential_source: String,
    credential_process: String,
    web_identity_token_file: String,
    sso_session_name: String,
    sso_region: String,
    sso_start_url: String,
    sso_account_id: String,
    sso_role_name: String,
    role_arn: String,
    mfa_serial: String,
    source_profile: String,
    source: Option<Box<Self>>,
}

impl Shared {
    fn has_keys(&self) -> bool {
        !self.key.is_empty() && !self.secret.is_empty()
    }

    /// `hasSSOConfiguration`: any of the four legacy keys (not `sso_session`).
    fn has_sso(&self) -> bool {
        !(self.sso_account_id.is_empty()
            && self.sso_region.is_empty()
            && self.sso_role_name.is_empty()
            && self.sso_start_url.is_empty())
    }

    /// `hasCredentials`.
    fn has_credentials(&self) -> bool {
        !self.source_profile.is_empty()
            || !self.credential_source.is_empty()
            || !self.credential_process.is_empty()
            || !self.web_identity_token_file.is_empty()
            || self.has_sso()
            || self.has_keys()
    }
}

/// `mergeSections`' list of keys copied from a later file into a section an earlier file
/// already has (`config/shared_config.go`); any other key of the later file is dropped.
const STRING_KEYS: [&str; 24] = [
    "role_arn",
    "source_profile",
    "credential_source",
    "external_id",
    "mfa_serial",
    "role_session_name",
    "region",
    "endpoint_discovery_enabled",
    "credential_process",
    "web_identity_token_file",
    "s3_use_arn_region",
    "s3_disable_multiregion_access_points",
    "ec2_metadata_service_endpoint_mode",
    "ec2_metadata_service_endpoint",
    "use_dualstack_endpoint",
    "use_fips_endpoint",
    "defaults_mode",
    "retry_mode",
    "ca_bundle",
    "sso_session",
    "sso_account_id",
    "sso_region",
    "sso_role_name",
    "sso_start_url",
];
const INT_KEYS: [&str; 2] = ["duration_seconds", "max_attempts"];
const AK: &str = "aws_access_key_id";
const SK: &str = "aws_secret_access_key";

/// `mergeSections`: `src` into `dst`. A section only `src` has is taken whole; one both
/// have takes `src`'s errors, its keys when it has both, and the listed keys.
fn merge_sections(dst: &mut Sections, src: Sections) {
    let mut names: Vec<String> = src.keys().cloned().collect();
    names.sort();
    let mut src = src;
    for name in names {
        let Some(mut s) = src.remove(&name) else {
            continue;
        };
        if s.has(AK) != s.has(SK) {
            s.errors
                .push(format!("partial credentials found for profile {name}"));
        }
        let Some(d) = dst.get_mut(&name) else {
            dst.insert(name, s);
            continue;
        };
        d.errors.clone_from(&s.errors);
        if s.has(AK) && s.has(SK) {
            for k in [AK, SK] {
                d.values.insert(k.to_owned(), Value::string(&s.string(k)));
            }
            if s.has("aws_session_token") {
                let v = Value::string(&s.string("aws_session_token"));
                d.values.insert("aws_session_token".to_owned(), v);
            }
        }
        for k in STRING_KEYS {
            if s.has(k) {
                d.values.insert(k.to_owned(), Value::string(&s.string(k)));
            }
        }
        for k in INT_KEYS {
            if let Some(v) = s.values.get(k) {
                d.values.insert(k.to_owned(), Value::int(v.int_value()));
            }
        }
    }
}

/// `processConfigSections`: `[profile x]` becomes `x` (replacing a plain `[x]`), `[sso-session
/// x]` and any spelling of `[default]` stay, every other section is dropped.
fn process_config_sections(sections: &mut Sections) -> Result<(), Fail> {
    let mut names: Vec<String> = sections.keys().cloned().collect();
    names.sort();
    let mut skip = std::collections::HashSet::new();
    for name in names {
        if skip.contains(&name) {
            continue;
        }
        if let Some(rest) = name.strip_prefix("profile ") {
            let Some(mut v) = sections.remove(&name) else {
                return Err(fail(
                    PLAIN,
                    "failed to rename profile section, error processing profiles within the shared configuration files",
                ));
            };
            rest.clone_into(&mut v.name);
            sections.insert(rest.to_owned(), v);
            skip.insert(rest.to_owned());
        } else if name.starts_with("sso-session ") || name.eq_ignore_ascii_case("default") {
        } else {
            sections.remove(&name);
        }
    }
    Ok(())
}

/// `endpointModeState.SetFromString` (`feature/ec2/imds/internal/config/resolvers.go`):
/// trimmed, empty, `IPv4` or `IPv6` in any case.
fn endpoint_mode_ok(v: &str) -> bool {
    let v = v.trim();
    v.is_empty() || v.eq_ignore_ascii_case("ipv4") || v.eq_ignore_ascii_case("ipv6")
}

struct Sim<'a> {
    ctx: &'a Context<'a>,
}

impl Sim<'_> {
    /// `os.Getenv`: unset and empty are the same.
    fn env(&self, k: &str) -> &str {
        self.ctx.env.get(k).map_or("", String::as_str)
    }

    /// `setStringFromEnvVal`: the first variable that is not empty.
    fn env_first(&self, keys: &[&str]) -> &str {
        keys.iter()
            .map(|k| self.env(k))
            .find(|v| !v.is_empty())
            .unwrap_or("")
    }

    /// `userHomeDir`: `HOME` (`os.UserHomeDir`).
    fn home(&self) -> &str {
        self.env("HOME")
    }

    fn join_home(&self, rest: &str) -> String {
        let home = self.home().trim_end_matches('/');
        if home.is_empty() {
            rest.to_owned()
        } else {
            format!("{home}/{rest}")
        }
    }

    /// `loadIniFiles`: a file that cannot be read is skipped; one that does not parse fails
    /// the load (`SharedConfigLoadError`).
    fn load_ini(&self, path: &str) -> Result<Sections, Fail> {
        let mut merged = Sections::new();
        let Ok((_, bytes)) = self.ctx.files.bytes(path) else {
            return Ok(merged);
        };
        let sections = ini::parse_file(&bytes).map_err(|e| {
            fail(
                "SharedConfigLoadError",
                format!("failed to load shared config file, {path}, {e}"),
            )
        })?;
        merge_sections(&mut merged, sections);
        Ok(merged)
    }

    /// `LoadSharedConfigProfile`: the config file's sections, the credentials file's merged
    /// over them.
    fn sections(&self) -> Result<Sections, Fail> {
        let config = match self.env("AWS_CONFIG_FILE") {
            "" => self.join_home(".aws/config"),
            p => p.to_owned(),
        };
        let credentials = match self.env("AWS_SHARED_CREDENTIALS_FILE") {
            "" => self.join_home(".aws/credentials"),
            p => p.to_owned(),
        };
        let mut sections = self.load_ini(&config)?;
        process_config_sections(&mut sections)?;
        let mut creds = self.load_ini(&credentials)?;
        creds.retain(|name, _| !name.starts_with("profile "));
        merge_sections(&mut sections, creds);
        Ok(sections)
    }

    /// `SharedConfig.setFromIniSections`; `Ok(None)` is `SharedConfigProfileNotExistError`.
    fn profile_config(
        visited: &mut Vec<String>,
        profile: &str,
        sections: &Sections,
    ) -> Result<Option<Shared>, Fail> {
        let Some(section) = sections.get(profile) else {
            return Ok(None);
        };
        let mut c = from_section(profile, section).map_err(|e| Fail {
            class: e.class,
            message: format!(
                "error fetching config from profile, {profile}, {}",
                e.message
            ),
        })?;
        if visited.iter().any(|p| p == profile) {
            // clearAssumeRoleOptions: a profile met again ends the chain
            c.role_arn.clear();
            c.mfa_serial.clear();
            c.source_profile.clear();
        } else {
            // validateCredentialsRequireARN
            let kind = if !c.source_profile.is_empty() {
                Some("source_profile")
            } else if !c.credential_source.is_empty() {
                Some("credential_source")
            } else if !c.web_identity_token_file.is_empty() {
                Some("web_identity_token_file")
            } else {
                None
            };
            if let (Some(kind), true) = (kind, c.role_arn.is_empty()) {
                return Err(fail(
                    "CredentialRequiresARNError",
                    format!("credential type {kind} requires role_arn, profile {profile}"),
                ));
            }
        }
        if !visited.is_empty() && c.has_keys() {
            return Ok(Some(c));
        }
        visited.push(profile.to_owned());
        // validateCredentialType
        let kinds = [
            &c.source_profile,
            &c.credential_source,
            &c.credential_process,
            &c.web_identity_token_file,
        ]
        .iter()
        .filter(|v| !v.is_empty())
        .count();
        if kinds > 1 {
            return Err(fail(
                PLAIN,
                "only one credential type may be specified per profile: source profile, credential source, credential process, web identity token, or sso",
            ));
        }
        if !c.source_profile.is_empty() {
            // clearCredentialOptions
            c.credential_source.clear();
            c.credential_process.clear();
            c.web_identity_token_file.clear();
            c.key.clear();
            c.secret.clear();
            c.sso_account_id.clear();
            c.sso_region.clear();
            c.sso_role_name.clear();
            c.sso_start_url.clear();
            let name = c.source_profile.clone();
            let assume_error = |why: &str| {
                fail(
                    "SharedConfigAssumeRoleError",
                    format!(
                        "failed to load assume role {}, of profile {name}, {why}",
                        c.role_arn
                    ),
                )
            };
            let Some(src) = Self::profile_config(visited, &name, sections)? else {
                return Err(assume_error(&format!(
                    "failed to get shared config profile, {name}"
                )));
            };
            if !src.has_credentials() {
                return Err(assume_error("<nil>"));
            }
            c.source = Some(Box::new(src));
        }
        if !c.sso_session_name.is_empty() {
            // getSSOSession
            let name = format!("sso-session {}", c.sso_session_name.trim());
            let Some(session) = sections.get(&name) else {
                return Err(fail(
                    PLAIN,
                    format!("failed to find SSO session section, {}", c.sso_session_name),
                ));
            };
            if session.string("sso_region").is_empty() || session.string("sso_start_url").is_empty()
            {
                return Err(fail(
                    PLAIN,
                    format!(
                        "failed to load SSO session {}, sso_region and sso_start_url are required parameters in sso-session section",
                        c.sso_session_name
                    ),
                ));
            }
        }
        Ok(Some(c))
    }

    // ------------------------------------------------------------------------- the chain

    /// `LoadDefaultConfig` up to `resolveCredentialChain`: the provider, or the error the
    /// load returns.
    fn load(&self, profile: &str, explicit: bool) -> Result<Provider, Fail> {
        // NewEnvConfig: the one setting among those credlint's scenarios hold that fails it
        let mode = self.env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
        if !endpoint_mode_ok(mode) {
            return Err(fail(
                PLAIN,
                format!(
                    "invalid value for environment variable, AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE={mode}, unknown EC2 IMDS endpoint mode, must be either IPv6 or IPv4"
                ),
            ));
        }
        // loadSharedConfigIgnoreNotExist: a missing top profile is an empty SharedConfig
        let sections = self.sections()?;
        let shared = Self::profile_config(&mut Vec::new(), profile, &sections)?.unwrap_or_default();
        // resolveCredentialChain
        let key = self.env_first(&["AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"]);
        let secret = self.env_first(&["AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY"]);
        if explicit {
            self.profile_provider(&shared)
        } else if !key.is_empty() && !secret.is_empty() {
            Ok(Provider::Static {
                method: Method::Env,
                key: key.to_owned(),
                secret: secret.to_owned(),
            })
        } else if !self.env("AWS_WEB_IDENTITY_TOKEN_FILE").is_empty() {
            web_identity(
                self.env("AWS_WEB_IDENTITY_TOKEN_FILE"),
                self.env("AWS_ROLE_ARN"),
            )
        } else {
            self.profile_provider(&shared)
        }
    }

    /// `resolveCredsFromProfile`.
    fn profile_provider(&self, c: &Shared) -> Result<Provider, Fail> {
        let base = if let Some(src) = &c.source {
            self.profile_provider(src)?
        } else if c.has_keys() {
            Provider::Static {
                method: Method::Profile,
                key: c.key.clone(),
                secret: c.secret.clone(),
            }
        } else if !c.credential_source.is_empty() {
            self.source_provider(&c.credential_source)?
        } else if !c.web_identity_token_file.is_empty() {
            // returns at once: no role on top
            return web_identity(&c.web_identity_token_file, &c.role_arn);
        } else if c.has_sso() {
            // validateSSOConfiguration
            let mut missing = Vec::new();
            if c.sso_region.is_empty() {
                missing.push("sso_region");
            }
            if c.sso_start_url.is_empty() {
                missing.push("sso_start_url");
            }
            if !missing.is_empty() {
                return Err(fail(
                    PLAIN,
                    format!(
                        "profile {:?} is configured to use SSO but is missing required configuration: {}",
                        c.profile,
                        missing.join(", ")
                    ),
                ));
            }
            Provider::Sso {
                start_url: c.sso_start_url.clone(),
            }
        } else if !c.credential_process.is_empty() {
            Provider::Process {
                command: c.credential_process.clone(),
            }
        } else if !self.env("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_empty() {
            Self::local_http(self.env("AWS_CONTAINER_CREDENTIALS_FULL_URI"))?
        } else if !self
            .env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
            .is_empty()
        {
            Provider::Http {
                url: format!(
                    "http://169.254.170.2{}",
                    self.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                ),
            }
        } else {
            Provider::Imds
        };
        if c.role_arn.is_empty() {
            return Ok(base);
        }
        // credsFromAssumeRole: an MFA serial needs a token provider, which code must give
        if !c.mfa_serial.is_empty() {
            return Err(fail(
                "AssumeRoleTokenProviderNotSetError",
                "assume role with MFA enabled, but AssumeRoleTokenProvider session option not set.",
            ));
        }
        Ok(Provider::AssumeRole {
            role: c.role_arn.clone(),
            source: Box::new(base),
        })
    }

    /// `resolveCredsFromSource`.
    fn source_provider(&self, source: &str) -> Result<Provider, Fail> {
        match source {
            "Ec2InstanceMetadata" => Ok(Provider::Imds),
            "Environment" => Ok(Provider::Static {
                method: Method::Env,
                key: self
                    .env_first(&["AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"])
                    .to_owned(),
                secret: self
                    .env_first(&["AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY"])
                    .to_owned(),
            }),
            "EcsContainer" => match self.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
                "" => Err(fail(
                    PLAIN,
                    "EcsContainer was specified as the credential_source, but 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' was not set",
                )),
                rel => Ok(Provider::Http {
                    url: format!("http://169.254.170.2{rel}"),
                }),
            },
            _ => Err(fail(
                PLAIN,
                "credential_source values must be EcsContainer, Ec2InstanceMetadata, or Environment",
            )),
        }
    }

    /// `resolveLocalHTTPCredProvider`: the full URI must parse and name a loopback host.
    fn local_http(endpoint: &str) -> Result<Provider, Fail> {
        let parsed = url::parse(endpoint)
            .map_err(|e| fail("Error", format!("invalid URL, parse {endpoint:?}: {e}")))?;
        let host = parsed.hostname();
        if host.is_empty() {
            return Err(fail(
                PLAIN,
                "unable to parse host from local HTTP cred provider URL",
            ));
        }
        match url::is_loopback_host(&host) {
            Err(e) => Err(fail(PLAIN, format!("failed to resolve host {host:?}, {e}"))),
            Ok(false) => Err(fail(
                PLAIN,
                format!("invalid endpoint host, {host:?}, only loopback hosts are allowed"),
            )),
            Ok(true) => Ok(Provider::Http {
                url: endpoint.to_owned(),
            }),
        }
    }

    // ------------------------------------------------------------------------- Retrieve

    /// `Credentials.Retrieve` on the provider: credentials, the request that would give
    /// them, or the error.
    fn retrieve(&self, p: &Provider) -> Result<Winner, Fail> {
        match p {
            Provider::Static {
                method,
                key,
                secret,
            } => {
                if key.is_empty() || secret.is_empty() {
                    return Err(fail(
                        "StaticCredentialsEmptyError",
                        "static credentials are empty",
                    ));
                }
                Ok(Winner {
                    method: *method,
                    access_key: Some(redact_key_id(key)),
                    not_executed: None,
                })
            }
            Provider::WebIdentity { file } => match self.ctx.files.bytes(file) {
                // stscreds IdentityTokenFile.GetIdentityToken reads the file first
                Err(e) => Err(fail(
                    PLAIN,
                    format!(
                        "failed to retrieve jwt from provide source, unable to read file at {file}: {e}"
                    ),
                )),
                Ok(_) => Ok(Winner {
                    method: Method::WebIdentity,
                    access_key: None,
                    not_executed: Some(format!(
                        "STS AssumeRoleWithWebIdentity with the token in {file}"
                    )),
                }),
            },
            Provider::Sso { start_url } => self.sso(start_url),
            Provider::Process { command } => Ok(Winner {
                method: Method::Process,
                access_key: None,
                not_executed: Some(format!("sh -c {command:?}")),
            }),
            Provider::Http { url } => {
                // endpointcreds parses the endpoint when it is asked
                let parsed = url::parse(url).map_err(|e| {
                    fail(
                        "Error",
                        format!("failed to parse endpoint, parse {url:?}: {e}"),
                    )
                })?;
                if parsed.is_instance_metadata() {
                    return Err(fail(
                        "RequestSendError",
                        format!("request send failed, Get {url:?} (the instance metadata service)"),
                    ));
                }
                Ok(Winner {
                    method: Method::Container,
                    access_key: None,
                    not_executed: Some(format!("GET {url}")),
                })
            }
            Provider::Imds => Err(fail(
                "OperationError",
                "no EC2 IMDS role found, operation error ec2imds: GetMetadata (no instance metadata service offline)",
            )),
            Provider::AssumeRole { role, source } => match self.retrieve(source) {
                // the source's credentials sign the AssumeRole request
                Ok(w) if matches!(w.method, Method::Env | Method::Profile | Method::Process) => {
                    Ok(Winner {
                        method: Method::AssumeRole,
                        access_key: None,
                        not_executed: Some(format!("STS AssumeRole {role}")),
                    })
                }
                // a request made to get the source's credentials comes first
                Ok(w) => Ok(w),
                Err(e) => Err(fail(
                    "OperationError",
                    format!(
                        "operation error STS: AssumeRole, failed to sign request: failed to retrieve credentials: {}",
                        e.message
                    ),
                )),
            },
        }
    }

    /// `ssocreds.Provider.Retrieve`: the cached token for the start URL
    /// (`~/.aws/sso/cache/<sha1 of the URL>.json`, `StandardCachedTokenFilepath`) must have an
    /// `accessToken` and an `expiresAt` in the future (`loadCachedToken`); then the SSO portal
    /// is asked.
    fn sso(&self, start_url: &str) -> Result<Winner, Fail> {
        let digest = sha1dc::digest(start_url.as_bytes())
            .map(|d| format!("{d:x}"))
            .unwrap_or_default();
        let path = self.join_home(&format!(".aws/sso/cache/{digest}.json"));
        let invalid = |why: &str| {
            fail(
                "InvalidTokenError",
                format!("the SSO session has expired or is invalid: {why}"),
            )
        };
        let (_, bytes) = self
            .ctx
            .files
            .bytes(&path)
            .map_err(|e| invalid(&format!("failed to read cached SSO token file, {e}")))?;
        let json: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| invalid("failed to parse cached SSO token file"))?;
        let token = json.get("accessToken").and_then(serde_json::Value::as_str);
        let expires = json
            .get("expiresAt")
            .and_then(serde_json::Value::as_str)
            .and_then(|s| s.parse::<jiff::Timestamp>().ok());
        match (token, expires) {
            (Some(t), Some(e)) if !t.is_empty() && e > jiff::Timestamp::now() => Ok(Winner {
                method: Method::Sso,
                access_key: None,
                not_executed: Some(format!(
                    "SSO GetRoleCredentials with the token for {start_url}"
                )),
            }),
            _ => Err(invalid("no valid cached SSO token")),
        }
    }
}

/// `assumeWebIdentity`.
fn web_identity(file: &str, role: &str) -> Result<Provider, Fail> {
    if role.is_empty() {
        return Err(fail(PLAIN, "role ARN is not set"));
    }
    Ok(Provider::WebIdentity {
        file: file.to_owned(),
    })
}

/// `SharedConfig.setFromIniSection`, the keys that decide credentials, and the settings
/// whose bad values fail it.
fn from_section(profile: &str, s: &Section) -> Result<Shared, Fail> {
    if s.name.is_empty() {
        return Err(fail(
            PLAIN,
            "parsing error : could not find profile section name after processing files",
        ));
    }
    if let Some(e) = s.errors.last() {
        return Err(fail(PLAIN, format!("Error using profile: {e}")));
    }
    let get = |k: &str| s.string(k);
    if s.has("ec2_metadata_service_endpoint_mode")
        && !endpoint_mode_ok(&get("ec2_metadata_service_endpoint_mode"))
    {
        return Err(fail(
            PLAIN,
            "failed to load ec2_metadata_service_endpoint_mode from shared config, unknown EC2 IMDS endpoint mode, must be either IPv6 or IPv4",
        ));
    }
    if s.values
        .get("max_attempts")
        .is_some_and(|v| !v.is_integer())
    {
        return Err(fail(
            PLAIN,
            "failed to load max_attempts from shared config, invalid value, expect integer",
        ));
    }
    let mut c = Shared {
        profile: profile.to_owned(),
        credential_source: get("credential_source"),
        credential_process: get("credential_process"),
        web_identity_token_file: get("web_identity_token_file"),
        sso_session_name: get("sso_session"),
        sso_region: get("sso_region"),
        sso_start_url: get("sso_start_url"),
        sso_account_id: get("sso_account_id"),
        sso_role_name: get("sso_role_name"),
        role_arn: get("role_arn"),
        mfa_serial: get("mfa_serial"),
        source_profile: get("source_profile"),
        ..Shared::default()
    };
    let (key, secret) = (get(AK), get(SK));
    if !key.is_empty() && !secret.is_empty() {
        c.key = key;
        c.secret = secret;
    }
    Ok(c)
}

/// What the provider `resolveCredentialChain` picks is called, for the table.
fn provider_name(p: &Provider) -> &'static str {
    match p {
        Provider::Static {
            method: Method::Env,
            ..
        } => "EnvConfigCredentials",
        Provider::Static { .. } => "SharedConfigCredentials",
        Provider::WebIdentity { .. } => "WebIdentityRoleProvider",
        Provider::Sso { .. } => "ssocreds",
        Provider::Process { .. } => "processcreds",
        Provider::Http { .. } => "endpointcreds",
        Provider::Imds => "ec2rolecreds",
        Provider::AssumeRole { .. } => "AssumeRoleProvider",
    }
}

/// The Go v2 chain for one context.
#[must_use]
pub fn resolve(ctx: &Context<'_>) -> Resolution {
    let sim = Sim { ctx };
    // getSharedConfigProfile: the profile given in code (WithSharedConfigProfile, ignored
    // when empty), AWS_PROFILE, AWS_DEFAULT_PROFILE, default
    let explicit = ctx.explicit_profile.filter(|p| !p.is_empty());
    let profile = explicit
        .unwrap_or_else(|| sim.env_first(&["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]))
        .to_owned();
    let profile = if profile.is_empty() {
        "default".to_owned()
    } else {
        profile
    };
    let mut providers = Vec::new();
    let (winner, error) = match sim.load(&profile, explicit.is_some()) {
        Err(e) => {
            providers.push(Step {
                provider: "LoadDefaultConfig",
                status: Status::Raises,
                reason: e.message.clone(),
            });
            (None, Some(e))
        }
        Ok(p) => {
            providers.push(Step {
                provider: "LoadDefaultConfig",
                status: Status::Passes,
                reason: format!("resolveCredentialChain picks {}", provider_name(&p)),
            });
            match sim.retrieve(&p) {
                Ok(w) => {
                    providers.push(Step {
                        provider: provider_name(&p),
                        status: Status::Wins,
                        reason: w
                            .not_executed
                            .clone()
                            .unwrap_or_else(|| "supplies credentials".into()),
                    });
                    (Some(w), None)
                }
                Err(e) => {
                    providers.push(Step {
                        provider: provider_name(&p),
                        status: Status::Raises,
                        reason: e.message.clone(),
                    });
                    (None, Some(e))
                }
            }
        }
    };
    Resolution {
        sdk: Sdk::GoV2,
        profile,
        winner,
        error: error.map(|e| Raise {
            class: e.class.to_owned(),
            message: e.message,
        }),
        providers,
    }
}
