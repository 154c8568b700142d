//! The AWS SDK for Rust: `aws-config` 1.13.0's `DefaultCredentialsChain`, offline. The
//! functions cited are in the crate's `src/` (and `aws-runtime` 1.10.2's `src/env_config/`
//! for the profile files, see [`profile`]); the facts are in docs/SDK-CHAINS.md and
//! `tests/differential/run_sdk.py --sdk rust` checks every verdict against the real crate.
//!
//! `default_provider/credentials.rs` `Builder::build` chains five providers
//! (`meta/credentials/chain.rs` `CredentialsProviderChain`): a provider that answers
//! `CredentialsNotLoaded` passes to the next, any other error ends the chain, and when all
//! pass the chain answers `CredentialsNotLoaded`. A provider that would make a request (STS,
//! the SSO portal or OIDC, a container endpoint) wins with that request, as on a network; the
//! instance metadata service fails as off EC2.

pub mod profile;
mod uri;

use super::{Link, Method, Resolution, Sdk, Winner};
use crate::keys::redact_key_id;
use crate::model::chain::Context;
use profile::{ProfileSet, Section};

const NOT_LOADED: &str = "CredentialsNotLoaded";
const PROVIDER_ERROR: &str = "ProviderError";
const INVALID: &str = "InvalidConfiguration";
/// Not a `CredentialsError`: aws-config panics (the oracle reports it as this class).
const PANIC: &str = "panic";

/// How a provider ends: `Ok` with the credentials (or the request that gives them),
/// `Err` with the `CredentialsError` variant and its message.
type Out = Result<Winner, (&'static str, String)>;

/// A provider's outcome as the chain reads it: only `CredentialsNotLoaded` moves on to the
/// next provider.
fn link(out: Out) -> Link {
    match out {
        Ok(w) => Link::Win(w),
        Err((class, message)) => Link::Fail {
            class,
            message,
            next: class == NOT_LOADED,
        },
    }
}

fn winner(method: Method, key: Option<&str>, request: Option<String>) -> Winner {
    Winner {
        method,
        access_key: key.map(redact_key_id),
        not_executed: request,
    }
}

fn err(class: &'static str, message: impl Into<String>) -> Out {
    Err((class, message.into()))
}

/// The base of a profile chain (`profile/credentials/repr.rs` `BaseProvider`).
enum Base<'a> {
    Named(&'a str),
    /// The key id and the session token.
    AccessKey(&'a str, Option<&'a str>),
    WebIdentity(&'a str),
    Sso {
        session: Option<&'a str>,
        start_url: &'a str,
        complete: bool,
    },
    Process(&'a str),
    Login,
}

/// `repr.rs` `ProfileFileError`, as `ProfileFileCredentialsProvider::load_credentials`
/// sorts it: `true` when the chain goes on (`CredentialsNotLoaded`).
struct ProfileError {
    passes: bool,
    message: String,
}

fn invalid_source(profile: &str, message: &str) -> ProfileError {
    ProfileError {
        passes: false,
        message: format!("invalid credential source in `{profile}`: {message}"),
    }
}

struct Sim<'a> {
    ctx: &'a Context<'a>,
}

impl Sim<'_> {
    /// `Env::get`: set, even empty.
    fn env(&self, k: &str) -> Option<&str> {
        self.ctx.env.get(k).map(String::as_str)
    }

    /// A variable the environment provider counts: set and not blank.
    fn env_set(&self, k: &str) -> Option<&str> {
        self.env(k).filter(|v| !v.trim().is_empty())
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        if path.is_empty() {
            return None;
        }
        self.ctx.files.bytes(path).ok().map(|(_, b)| b)
    }

    fn profiles(&self) -> Result<ProfileSet, String> {
        let env = |k: &str| self.env(k).map(str::to_owned);
        let read = |p: &str| self.read(p);
        profile::load(&env, &read)
    }

    /// The profile the profile provider looks up: the one named in code, else
    /// `AWS_PROFILE` (even empty), else `default` (`env_config/source.rs` `load`,
    /// `profile/parser.rs` `load`).
    fn profile_name(&self) -> String {
        self.ctx
            .explicit_profile
            .or_else(|| self.env("AWS_PROFILE"))
            .unwrap_or("default")
            .to_owned()
    }

    // ----------------------------------------------------------------- Environment

    /// `environment/credentials.rs` `EnvironmentVariableCredentialsProvider::credentials`:
    /// a blank value counts as unset; a blank secret falls back to `SECRET_ACCESS_KEY`.
    fn env_keys(&self) -> Out {
        let Some(key) = self.env_set("AWS_ACCESS_KEY_ID") else {
            return err(NOT_LOADED, "environment variable not set");
        };
        if self
            .env_set("AWS_SECRET_ACCESS_KEY")
            .or_else(|| self.env_set("SECRET_ACCESS_KEY"))
            .is_none()
        {
            return err(NOT_LOADED, "environment variable not set");
        }
        Ok(winner(Method::Env, Some(key), None))
    }

    // ----------------------------------------------------------------- Profile

    /// `ProfileFileCredentialsProvider::load_credentials`.
    fn profile_provider(&self) -> Out {
        let set = match self.profiles() {
            Ok(s) => s,
            Err(e) => {
                return err(
                    INVALID,
                    format!("ProfileFile provider could not be built: invalid profile: {e}"),
                );
            }
        };
        let selected = self.profile_name();
        let (base, roles) = match resolve_chain(&set, &selected) {
            Ok(chain) => chain,
            Err(ProfileError {
                passes: true,
                message,
            }) => return err(NOT_LOADED, message),
            Err(ProfileError { message, .. }) => {
                return err(
                    INVALID,
                    format!("ProfileFile provider could not be built: {message}"),
                );
            }
        };
        // The static credentials that sign the first AssumeRole, if any.
        let signing = match base {
            Base::AccessKey(k, t) => Some((k.to_owned(), t.map(str::to_owned))),
            Base::Named(n) if n.eq_ignore_ascii_case("environment") => {
                self.env_set("AWS_ACCESS_KEY_ID").map(|k| {
                    (
                        k.to_owned(),
                        self.env_set("AWS_SESSION_TOKEN")
                            .map(|t| t.trim().to_owned()),
                    )
                })
            }
            _ => None,
        };
        // `exec.rs` `ProviderChain::from_repr`
        let base_out = match base {
            Base::Named(name) => match name.to_ascii_lowercase().as_str() {
                "environment" => self.env_keys(),
                "ec2instancemetadata" => self.imds(),
                "ecscontainer" => self.container(),
                _ => {
                    return err(
                        INVALID,
                        format!(
                            "ProfileFile provider could not be built: profile referenced `{name}` provider but that provider is not supported"
                        ),
                    );
                }
            },
            Base::Login => {
                return err(
                    INVALID,
                    "ProfileFile provider could not be built: This behavior requires following cargo feature(s) enabled: credentials-login.",
                );
            }
            Base::Sso {
                complete: false, ..
            } => {
                return err(
                    NOT_LOADED,
                    "selected profile will resolve an access token instead of credentials",
                );
            }
            Base::AccessKey(key, _) => Ok(winner(Method::Profile, Some(key), None)),
            Base::WebIdentity(file) => self.web_identity_file(file),
            Base::Sso {
                session, start_url, ..
            } => self.sso(session, start_url),
            Base::Process(cmd) => Ok(winner(
                Method::Process,
                None,
                Some(format!("sh -c {cmd:?}")),
            )),
        };
        // `ChainProvider::provide_credentials`: a failing base is a `ProviderError`; its
        // credentials sign the first AssumeRole.
        match base_out {
            Err((_, m)) => err(PROVIDER_ERROR, m),
            Ok(_) if !roles.is_empty() && signing.is_some() => {
                // SigV4 puts the key id in `Authorization` and the token in
                // `X-Amz-Security-Token`: a key id that is no valid header value panics
                // (an `unwrap` in the signer), a token that is none fails the request.
                let (key, token) = signing.unwrap_or_default();
                if !uri::header_value_ok(key.as_bytes()) {
                    return err(
                        PANIC,
                        "aws-config panics: the key id is not a valid HTTP header value",
                    );
                }
                if token.is_some_and(|t| !uri::header_value_ok(t.as_bytes())) {
                    return err(
                        PROVIDER_ERROR,
                        "the session token is not a valid HTTP header value",
                    );
                }
                Ok(winner(
                    Method::AssumeRole,
                    None,
                    Some(format!("STS AssumeRole {}", roles[0])),
                ))
            }
            Ok(w) => match roles.first() {
                Some(role) if w.not_executed.is_none() || w.method == Method::Process => {
                    Ok(winner(
                        Method::AssumeRole,
                        None,
                        Some(format!("STS AssumeRole {role}")),
                    ))
                }
                _ => Ok(w),
            },
        }
    }

    /// `web_identity_token.rs` `load_credentials`: the token file is read (as given, relative
    /// to the working directory), then STS is asked.
    fn web_identity_file(&self, file: &str) -> Out {
        match self.read(file) {
            None => err(PROVIDER_ERROR, format!("could not read {file}")),
            Some(b) if std::str::from_utf8(&b).is_err() => {
                err("Unhandled", "WebIdentityToken was not valid UTF-8")
            }
            Some(_) => Ok(winner(
                Method::WebIdentity,
                None,
                Some(format!(
                    "STS AssumeRoleWithWebIdentity with the token in {file}"
                )),
            )),
        }
    }

    /// `sso/credentials.rs` `load_sso_credentials`: a session reads its cached token by the
    /// session name (`sso/token.rs` `SsoTokenProvider::resolve_token`: an expired token that
    /// cannot be refreshed fails), a legacy profile by the start URL
    /// (`sso/cache.rs` `load_cached_token`, no expiry check); then the portal is asked.
    fn sso(&self, session: Option<&str>, start_url: &str) -> Out {
        let id = session.unwrap_or(start_url);
        let digest = sha1dc::digest(id.as_bytes())
            .map(|d| format!("{d:x}"))
            .unwrap_or_default();
        let home = self.env("HOME").unwrap_or("");
        let path = format!(
            "{}/.aws/sso/cache/{digest}.json",
            home.trim_end_matches('/')
        );
        let Some(token) = self.read(&path).and_then(|b| cached_token(&b)) else {
            return err(
                PROVIDER_ERROR,
                format!("no valid cached SSO token in {path}"),
            );
        };
        if session.is_some() {
            let now = jiff::Timestamp::now();
            let expired = token.expires_at <= now;
            let registration_expired = token.registration_expires_at.is_some_and(|r| r <= now);
            if expired && (registration_expired || !token.refreshable) {
                return err(
                    PROVIDER_ERROR,
                    "the SSO token has expired and cannot be refreshed",
                );
            }
        }
        Ok(winner(
            Method::Sso,
            None,
            Some(format!(
                "SSO GetRoleCredentials with the cached token for {id}"
            )),
        ))
    }

    // ----------------------------------------------------------------- WebIdentityToken

    /// `WebIdentityTokenCredentialsProvider` from `AWS_WEB_IDENTITY_TOKEN_FILE` and
    /// `AWS_ROLE_ARN` (both must be set, even empty).
    fn web_identity_env(&self) -> Out {
        let Some(file) = self.env("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return err(NOT_LOADED, "$AWS_WEB_IDENTITY_TOKEN_FILE was not set");
        };
        if self.env("AWS_ROLE_ARN").is_none() {
            return err(NOT_LOADED, "AWS_ROLE_ARN environment variable must be set");
        }
        self.web_identity_file(file)
    }

    // ----------------------------------------------------------------- EcsContainer

    /// `ecs.rs` `EcsCredentialsProvider::credentials`: the authorization token (file first)
    /// must be a valid header value, then the endpoint (`Provider::uri`): the relative URI
    /// under `http://169.254.170.2`, else the full URI, which over plain HTTP must name a
    /// loopback or container address (`validate_full_uri`; names are resolved, and only
    /// `localhost` resolves offline).
    fn container(&self) -> Out {
        if let Some(file) = self.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let Some(bytes) = self.read(file) else {
                return err(PROVIDER_ERROR, format!("could not read {file}"));
            };
            if !uri::header_value_ok(&bytes) {
                return err(
                    INVALID,
                    "the auth token could not be used as an HTTP header value",
                );
            }
        } else if let Some(token) = self.env("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            if !uri::header_value_ok(token.as_bytes()) {
                return err(
                    INVALID,
                    "the auth token could not be used as an HTTP header value",
                );
            }
        }
        let url = if let Some(rel) = self.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            if !uri::relative_ok(rel) {
                return err(
                    INVALID,
                    format!("invalid relative URI for ECS provider: {rel}"),
                );
            }
            format!("http://169.254.170.2{rel}")
        } else if let Some(full) = self.env("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            if let Err(why) = uri::full_ok(full) {
                return err(
                    INVALID,
                    format!("invalid full URI for ECS provider ({why}): {full}"),
                );
            }
            full.to_owned()
        } else {
            return err(NOT_LOADED, "ECS provider not configured");
        };
        Ok(winner(Method::Container, None, Some(format!("GET {url}"))))
    }

    // ----------------------------------------------------------------- Ec2InstanceMetadata

    /// `imds/credentials.rs` `retrieve_credentials`: disabled by
    /// `AWS_EC2_METADATA_DISABLED=true` (any case); otherwise the endpoint
    /// (`imds/client.rs` `EndpointSource::endpoint`: `AWS_EC2_METADATA_SERVICE_ENDPOINT`, the
    /// profile's `ec2_metadata_service_endpoint`, then the mode) must be valid, and the token
    /// request fails offline (`CredentialsNotLoaded`).
    fn imds(&self) -> Out {
        if self
            .env("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return err(NOT_LOADED, "IMDS disabled by AWS_EC2_METADATA_DISABLED");
        }
        // `ProviderConfig::profile`: the profile of AWS_PROFILE, none when the files fail
        let set = self.profiles().ok();
        let name = self.env("AWS_PROFILE").unwrap_or("default");
        let prof = set.as_ref().and_then(|s| s.profiles.get(name));
        let get = |k: &str| prof.and_then(|p| p.get(k)).map(String::as_str);
        let endpoint = self
            .env("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .or_else(|| get("ec2_metadata_service_endpoint"));
        if let Some(e) = endpoint {
            if !uri::absolute_ok(e) {
                return err(PROVIDER_ERROR, format!("invalid IMDS endpoint URI: {e}"));
            }
        } else if let Some(mode) = self
            .env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
            .or_else(|| get("ec2_metadata_service_endpoint_mode"))
        {
            if !mode.eq_ignore_ascii_case("ipv4") && !mode.eq_ignore_ascii_case("ipv6") {
                return err(
                    PROVIDER_ERROR,
                    format!("invalid IMDS endpoint mode: {mode}"),
                );
            }
        }
        err(
            NOT_LOADED,
            "failed to load IMDS session token (no instance metadata service offline)",
        )
    }
}

struct CachedToken {
    expires_at: jiff::Timestamp,
    registration_expires_at: Option<jiff::Timestamp>,
    refreshable: bool,
}

/// `aws-smithy-types` `DateTime::from_str(.., Format::DateTime)`: RFC 3339 in UTC only (a
/// numeric offset is refused).
fn date_time(s: &str) -> Option<jiff::Timestamp> {
    if !s.ends_with(['Z', 'z']) {
        return None;
    }
    s.parse::<jiff::Timestamp>().ok()
}

/// `sso/cache.rs` `parse_cached_token`: `accessToken` and a valid `expiresAt` are required.
fn cached_token(bytes: &[u8]) -> Option<CachedToken> {
    let json: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let obj = json.as_object()?;
    let field = |name: &str| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
    };
    field("accessToken")?;
    let expires_at = date_time(field("expiresAt")?)?;
    let registration_expires_at = match field("registrationExpiresAt") {
        Some(r) => Some(date_time(r)?),
        None => None,
    };
    let refreshable = field("clientId").is_some()
        && field("clientSecret").is_some()
        && field("refreshToken").is_some()
        && registration_expires_at.is_some();
    Some(CachedToken {
        expires_at,
        registration_expires_at,
        refreshable,
    })
}

/// `repr.rs` `resolve_chain`: the base provider and the roles assumed on top of it (the
/// first to assume first).
fn resolve_chain<'a>(
    set: &'a ProfileSet,
    selected: &'a str,
) -> Result<(Base<'a>, Vec<&'a str>), ProfileError> {
    let no_profiles = || ProfileError {
        passes: true,
        message: "No profiles were defined".into(),
    };
    if set.profiles.is_empty() || (selected == "default" && !set.profiles.contains_key("default")) {
        return Err(no_profiles());
    }
    let mut name = selected;
    let mut visited: Vec<&str> = Vec::new();
    let mut roles = Vec::new();
    let base = loop {
        let Some(profile) = set.profiles.get(name) else {
            return Err(ProfileError {
                passes: true,
                message: format!(
                    "profile `{name}` was not defined: could not find source profile {name} referenced from {}",
                    visited.last().copied().unwrap_or("the root profile")
                ),
            });
        };
        if visited.contains(&name) {
            return Err(ProfileError {
                passes: false,
                message: format!(
                    "profile formed an infinite loop. first we loaded {visited:?}, then attempted to reload {name}"
                ),
            });
        }
        visited.push(name);
        let get = |k: &str| profile.get(k).map(String::as_str);
        if visited.len() > 1 {
            if let Ok(Base::AccessKey(k, t)) = static_creds(name, profile) {
                break Base::AccessKey(k, t);
            }
        }
        // `role_arn_from_profile`: a web identity token file makes the profile a base
        let role = get("role_arn").filter(|_| get("web_identity_token_file").is_none());
        let Some(role) = role else {
            break base_provider(set, name, profile).map_err(|e| {
                if visited.len() == 1 {
                    e
                } else {
                    invalid_source(
                        name,
                        &format!("could not load source profile: {}", e.message),
                    )
                }
            })?;
        };
        // `chain_provider`
        roles.push(role);
        match (get("source_profile"), get("credential_source")) {
            (Some(_), Some(_)) => {
                return Err(invalid_source(
                    name,
                    "profile contained both source_profile and credential_source. Only one or the other can be defined",
                ));
            }
            (None, None) => {
                return Err(invalid_source(
                    name,
                    "profile must contain `source_profile` or `credential_source` but neither were defined",
                ));
            }
            (Some(sp), None) if sp != name => name = sp,
            // a self reference or a credential source: this profile is the base
            _ => break base_provider(set, name, profile)?,
        }
    };
    roles.reverse();
    Ok((base, roles))
}

/// `repr.rs` `base_provider`.
fn base_provider<'a>(
    set: &'a ProfileSet,
    name: &str,
    profile: &'a Section,
) -> Result<Base<'a>, ProfileError> {
    let get = |k: &str| profile.get(k).map(String::as_str);
    if let Some(source) = get("credential_source") {
        return Ok(Base::Named(source));
    }
    // `web_identity_token_from_profile`
    match (get("role_arn"), get("web_identity_token_file")) {
        (Some(_), Some(file)) => return Ok(Base::WebIdentity(file)),
        (None, Some(_)) => {
            return Err(invalid_source(
                name,
                "`web_identity_token_file` was specified but `role_arn` was missing",
            ));
        }
        _ => {}
    }
    if let Some(sso) = sso_from_profile(set, name, profile)? {
        return Ok(sso);
    }
    if get("login_session").is_some() {
        return Ok(Base::Login);
    }
    if let Some(cmd) = get("credential_process") {
        return Ok(Base::Process(cmd));
    }
    static_creds(name, profile)
}

/// `repr.rs` `sso_from_profile`.
fn sso_from_profile<'a>(
    set: &'a ProfileSet,
    name: &str,
    profile: &'a Section,
) -> Result<Option<Base<'a>>, ProfileError> {
    let get = |k: &str| profile.get(k).map(String::as_str);
    let account = get("sso_account_id");
    let mut region = get("sso_region");
    let role = get("sso_role_name");
    let mut start_url = get("sso_start_url");
    let session = get("sso_session");
    if [account, region, role, start_url, session]
        .iter()
        .all(Option::is_none)
    {
        return Ok(None);
    }
    let bad = |message: String| ProfileError {
        passes: false,
        message: format!("profile `{name}` has invalid SSO config: {message}"),
    };
    if let Some(s) = session {
        for (k, v) in [("sso_start_url", start_url), ("sso_region", region)] {
            if v.is_some() {
                return Err(bad(format!(
                    "`{k}` can only be specified in the [sso-session] config when a session name is given"
                )));
            }
        }
        let Some(sess) = set.sso_sessions.get(s) else {
            return Err(ProfileError {
                passes: false,
                message: format!(
                    "sso-session named `{s}` (referenced by profile `{name}`) was not found"
                ),
            });
        };
        start_url = sess.get("sso_start_url").map(String::as_str);
        region = sess.get("sso_region").map(String::as_str);
    }
    match (account, role) {
        (Some(_), None) => {
            return Err(bad(
                "if `sso_account_id` is set, then `sso_role_name` must also be set".into(),
            ));
        }
        (None, Some(_)) => {
            return Err(bad(
                "if `sso_role_name` is set, then `sso_account_id` must also be set".into(),
            ));
        }
        _ => {}
    }
    let missing = |field: &str| ProfileError {
        passes: true,
        message: format!("profile `{name}` was not defined: `{field}` was missing"),
    };
    region.ok_or_else(|| missing("sso_region"))?;
    let start_url = start_url.ok_or_else(|| missing("sso_start_url"))?;
    Ok(Some(Base::Sso {
        session,
        start_url,
        complete: account.is_some() && role.is_some(),
    }))
}

/// `repr.rs` `static_creds_from_profile`: present keys, even empty, make credentials.
fn static_creds<'a>(name: &str, profile: &'a Section) -> Result<Base<'a>, ProfileError> {
    let get = |k: &str| profile.get(k).map(String::as_str);
    let (key, secret, token) = (
        get("aws_access_key_id"),
        get("aws_secret_access_key"),
        get("aws_session_token"),
    );
    if key.is_none() && secret.is_none() && token.is_none() {
        return Err(ProfileError {
            passes: true,
            message: format!("profile `{name}` did not contain credential information"),
        });
    }
    let key = key.ok_or_else(|| invalid_source(name, "profile missing aws_access_key_id"))?;
    secret.ok_or_else(|| invalid_source(name, "profile missing aws_secret_access_key"))?;
    Ok(Base::AccessKey(key, token))
}

/// The five providers of `DefaultCredentialsChain`, in order, as the chain names them.
pub const PROVIDERS: [&str; 5] = [
    "Environment",
    "Profile",
    "WebIdentityToken",
    "EcsContainer",
    "Ec2InstanceMetadata",
];

/// `DefaultCredentialsChain::provide_credentials` for one context.
#[must_use]
pub fn resolve(ctx: &Context<'_>) -> Resolution {
    let sim = Sim { ctx };
    let runs: [&dyn Fn() -> Link; 5] = [
        &|| link(sim.env_keys()),
        &|| link(sim.profile_provider()),
        &|| link(sim.web_identity_env()),
        &|| link(sim.container()),
        &|| link(sim.imds()),
    ];
    let (providers, winner, error) = super::run_links(
        PROVIDERS.into_iter().zip(runs),
        (NOT_LOADED, "no providers in chain provided credentials"),
    );
    Resolution {
        sdk: Sdk::Rust,
        profile: sim.profile_name(),
        winner,
        error,
        providers,
    }
}
