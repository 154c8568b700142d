//! The AWS SDK for JavaScript v3: `defaultProvider` of `@aws-sdk/credential-provider-node`
//! 3.972.99 and the providers it chains, offline. See docs/SDK-CHAINS.md for the facts and
//! the functions they come from; `tests/differential/run_sdk.py --sdk js-v3` checks every
//! verdict against the real package.
//!
//! The JavaScript SDK fetches credentials while it resolves them. Offline, the first request
//! it would make to STS, SSO or a container endpoint is the verdict (the request would decide
//! on a network); a `credential_process` is the verdict without being run.

use super::{Method, Resolution, Sdk, Winner};
use crate::keys::redact_key_id;
use crate::model::chain::Context;
use std::collections::HashMap;

type Section = HashMap<String, String>;
type Profiles = HashMap<String, Section>;

const CPE: &str = "CredentialsProviderError";

/// How a provider ends (`next` is its `tryNextLink`).
type Out = super::Link;

fn win(method: Method, access_key: Option<String>, not_executed: Option<String>) -> Out {
    Out::Win(Winner {
        method,
        access_key,
        not_executed,
    })
}

fn fail(class: &'static str, message: impl Into<String>, next: bool) -> Out {
    Out::Fail {
        class,
        message: message.into(),
        next,
    }
}

// ----------------------------------------------------------------------------- JS strings

/// JavaScript's white space (`String.prototype.trim`, `\s`): Unicode `White_Space` without
/// U+0085, plus U+FEFF.
fn js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

fn js_trim(s: &str) -> &str {
    s.trim_matches(js_space)
}

/// A JavaScript string is truthy when it is not empty.
fn truthy(v: Option<&String>) -> Option<&str> {
    v.map(String::as_str).filter(|s| !s.is_empty())
}

// ----------------------------------------------------------------------------- files

/// `@smithy/core` config `parseIni`: `None` where it throws (a blocked section name).
fn parse_ini(text: &str) -> Option<Profiles> {
    let mut map = Profiles::new();
    let mut section: Option<String> = None;
    let mut sub: Option<String> = None;
    for line in split_lines(text) {
        let trimmed = js_trim(strip_comment(line));
        if trimmed.starts_with('[') && trimmed.ends_with(']') && !trimmed.is_empty() {
            section = None;
            sub = None;
            let name = trimmed
                .get(1..trimmed.len().saturating_sub(1).max(1))
                .unwrap_or("");
            match prefixed_name(name) {
                Some((prefix, rest)) => {
                    if matches!(prefix, "profile" | "sso-session" | "services") {
                        section = Some(format!("{prefix}.{rest}"));
                    }
                }
                None => section = Some(name.to_owned()),
            }
            if name == "__proto__" || name == "profile __proto__" {
                return None;
            }
        } else if let Some(current) = &section {
            let Some(eq) = trimmed.find('=') else {
                continue;
            };
            if eq == 0 {
                continue;
            }
            let key = js_trim(&trimmed[..eq]);
            let value = js_trim(&trimmed[eq + 1..]);
            if value.is_empty() {
                sub = Some(key.to_owned());
            } else {
                if sub.is_some() && line.trim_start_matches(js_space) == line {
                    sub = None;
                }
                let full = match &sub {
                    Some(s) => format!("{s}.{key}"),
                    None => key.to_owned(),
                };
                map.entry(current.clone())
                    .or_default()
                    .insert(full, value.to_owned());
            }
        }
    }
    Some(map)
}

/// `iniData.split(/\r?\n/)`.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// `iniLine.split(/(^|\s)[;#]/)[0]`.
fn strip_comment(line: &str) -> &str {
    if line.starts_with([';', '#']) {
        return "";
    }
    let mut prev: Option<(usize, char)> = None;
    for (i, c) in line.char_indices() {
        if matches!(c, ';' | '#') {
            if let Some((p, pc)) = prev {
                if js_space(pc) {
                    return &line[..p];
                }
            }
        }
        prev = Some((i, c));
    }
    line
}

/// `/^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/` on a section name: (prefix, name).
fn prefixed_name(s: &str) -> Option<(&str, &str)> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let name_char = |c: char| word(c) || matches!(c, '@' | '+' | '.' | '%' | ':' | '/');
    let end = s.find(|c: char| !word(c)).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let (prefix, rest) = s.split_at(end);
    let ws = rest.chars().next().filter(|c| js_space(*c))?;
    let rest = &rest[ws.len_utf8()..];
    let name = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest
            .strip_prefix(q)
            .and_then(|r| r.strip_suffix(q))
            .filter(|n| !n.is_empty())?,
        _ => rest,
    };
    (!name.is_empty() && name.chars().all(name_char)).then_some((prefix, name))
}

/// `getConfigData`: the config file's profiles by name (`[profile x]` → `x`, `[default]`
/// unless `[profile default]` replaces it), `sso-session.*` and `services.*` kept as they are.
fn config_data(data: Profiles) -> Profiles {
    let mut out = Profiles::new();
    if let Some(d) = data.get("default") {
        out.insert("default".into(), d.clone());
    }
    for (key, value) in data {
        let Some((prefix, rest)) = key.split_once('.') else {
            continue;
        };
        match prefix {
            "profile" => {
                out.insert(rest.to_owned(), value);
            }
            "sso-session" | "services" => {
                out.insert(key, value);
            }
            _ => {}
        }
    }
    out
}

struct Sim<'a> {
    ctx: &'a Context<'a>,
    explicit: Option<&'a str>,
}

impl Sim<'_> {
    fn env(&self, k: &str) -> Option<&str> {
        truthy(self.ctx.env.get(k))
    }

    fn home(&self) -> String {
        self.env("HOME").unwrap_or("").to_owned()
    }

    fn config_path(&self) -> String {
        self.env("AWS_CONFIG_FILE")
            .map_or_else(|| format!("{}/.aws/config", self.home()), str::to_owned)
    }

    fn credentials_path(&self) -> String {
        self.env("AWS_SHARED_CREDENTIALS_FILE").map_or_else(
            || format!("{}/.aws/credentials", self.home()),
            str::to_owned,
        )
    }

    /// `loadSharedConfigFiles` expands a leading `~/` against the home directory.
    fn expand(&self, path: &str) -> String {
        match path.strip_prefix("~/") {
            Some(rest) => format!("{}/{rest}", self.home().trim_end_matches('/')),
            None => path.to_owned(),
        }
    }

    /// A file read as `readFile(path, "utf8")` then `parseIni`; any error is an empty file.
    fn ini(&self, path: &str) -> Profiles {
        self.ctx
            .files
            .bytes(path)
            .ok()
            .and_then(|(_, b)| parse_ini(&String::from_utf8_lossy(&b)))
            .unwrap_or_default()
    }

    /// `parseKnownFiles`: the config file's profiles, with the credentials file's values
    /// assigned over them key by key.
    fn profiles(&self) -> Profiles {
        let mut merged = config_data(self.ini(&self.expand(&self.config_path())));
        for (name, values) in self.ini(&self.expand(&self.credentials_path())) {
            merged.entry(name).or_default().extend(values);
        }
        merged
    }

    /// `getProfileName`: the profile named in code, `AWS_PROFILE`, `default`.
    fn profile_name(&self) -> String {
        self.explicit
            .filter(|p| !p.is_empty())
            .or_else(|| self.env("AWS_PROFILE"))
            .unwrap_or("default")
            .to_owned()
    }

    // ------------------------------------------------------------------------- providers

    /// `fromEnv`, behind `defaultProvider`'s skip when a profile is selected.
    fn env_provider(&self) -> Out {
        let selected = match self.explicit {
            Some(p) => Some(p),
            None => self.ctx.env.get("AWS_PROFILE").map(String::as_str),
        };
        if selected.is_some_and(|p| !p.is_empty()) {
            return fail(CPE, "AWS_PROFILE is set, skipping fromEnv provider.", true);
        }
        self.env_keys().unwrap_or_else(|| {
            fail(
                CPE,
                "Unable to find environment variable credentials.",
                true,
            )
        })
    }

    fn env_keys(&self) -> Option<Out> {
        let key = self.env("AWS_ACCESS_KEY_ID")?;
        self.env("AWS_SECRET_ACCESS_KEY")?;
        Some(win(Method::Env, Some(redact_key_id(key)), None))
    }

    /// `fromIni`: the selected profile, as `resolveProfileData` reads it.
    fn ini_provider(&self, profiles: &Profiles) -> Out {
        self.profile_data(profiles, &self.profile_name(), &[], false)
    }

    fn profile_data(
        &self,
        profiles: &Profiles,
        name: &str,
        visited: &[String],
        recursive: bool,
    ) -> Out {
        let data = profiles.get(name);
        if !visited.is_empty() {
            if let Some(out) = data.and_then(static_keys) {
                return out;
            }
        }
        if recursive || data.is_some_and(is_assume_role) {
            return self.assume_role(profiles, name, visited);
        }
        let Some(data) = data else {
            return could_not_resolve(name);
        };
        if let Some(out) = static_keys(data) {
            return out;
        }
        if let (Some(file), Some(_)) = (data.get("web_identity_token_file"), data.get("role_arn")) {
            return self.web_identity(file);
        }
        if let Some(cmd) = data.get("credential_process") {
            return self.process_of(profiles, name, cmd);
        }
        if [
            "sso_start_url",
            "sso_account_id",
            "sso_session",
            "sso_region",
            "sso_role_name",
        ]
        .iter()
        .any(|k| data.contains_key(*k))
        {
            return self.sso(profiles, name);
        }
        if data.contains_key("login_session") {
            return fail(
                CPE,
                format!("profile {name}: login_session needs a cached login token (none offline)"),
                false,
            );
        }
        could_not_resolve(name)
    }

    /// `resolveAssumeRoleCredentials`.
    fn assume_role(&self, profiles: &Profiles, name: &str, visited: &[String]) -> Out {
        let empty = Section::new();
        let data = profiles.get(name).unwrap_or(&empty);
        let source_profile = data.get("source_profile");
        if let Some(sp) = source_profile {
            if visited.iter().any(|v| v == sp) {
                return fail(
                    CPE,
                    format!(
                        "Detected a cycle attempting to resolve credentials for profile {name}"
                    ),
                    true,
                );
            }
        }
        let source = match source_profile {
            Some(sp) => {
                let mut seen = visited.to_vec();
                seen.push(sp.clone());
                let recursive = profiles.get(sp).is_some_and(cs_without_role);
                self.profile_data(profiles, sp, &seen, recursive)
            }
            None => match data.get("credential_source") {
                Some(cs) => self.credential_source(cs, name),
                None => fail(
                    "TypeError",
                    format!("profile {name} has neither source_profile nor credential_source"),
                    false,
                ),
            },
        };
        // `resolveCredentialSource` throws at once for a source it does not know, before the
        // MFA check; a known source's provider (and a source profile's) is a promise the
        // MFA error overtakes.
        let unknown_source = source_profile.is_none()
            && data.get("credential_source").is_some_and(|cs| {
                !matches!(
                    cs.as_str(),
                    "Environment" | "EcsContainer" | "Ec2InstanceMetadata"
                )
            });
        if cs_without_role(data) || unknown_source {
            return source;
        }
        // The source's provider is started before the MFA check throws: a container
        // endpoint is asked at once (`fromContainerMetadata`/`fromHttp`), before the MFA error
        // settles the chain, so that request goes out; an STS or SSO client is still being
        // built when the chain has failed, and instance metadata decides nothing offline.
        if data.contains_key("mfa_serial") {
            if matches!(
                &source,
                Out::Win(Winner {
                    method: Method::Container,
                    not_executed: Some(_),
                    ..
                })
            ) {
                return source;
            }
            return fail(
                CPE,
                format!(
                    "Profile {name} requires multi-factor authentication, but no MFA code callback was provided."
                ),
                false,
            );
        }
        match source {
            Out::Win(Winner {
                not_executed: Some(request),
                method,
                ..
            }) if method != Method::Process => win(method, None, Some(request)),
            Out::Win(_) => win(
                Method::AssumeRole,
                None,
                Some(format!(
                    "STS AssumeRole {}",
                    data.get("role_arn").map_or("", String::as_str)
                )),
            ),
            fail @ Out::Fail { .. } => fail,
        }
    }

    /// `resolveCredentialSource`.
    fn credential_source(&self, source: &str, name: &str) -> Out {
        match source {
            "Environment" => self.env_keys().unwrap_or_else(|| {
                fail(
                    CPE,
                    "Unable to find environment variable credentials.",
                    true,
                )
            }),
            "EcsContainer" => self.http_provider(),
            "Ec2InstanceMetadata" => self.instance_metadata(),
            _ => fail(
                CPE,
                format!(
                    "Unsupported credential source in profile {name}. Got {source}, expected EcsContainer or Ec2InstanceMetadata or Environment."
                ),
                true,
            ),
        }
    }

    /// `fromTokenFile`: reads the token, then calls STS.
    fn web_identity(&self, file: &str) -> Out {
        match self.ctx.files.bytes(file) {
            Ok(_) => win(
                Method::WebIdentity,
                None,
                Some(format!(
                    "STS AssumeRoleWithWebIdentity with the token in {file}"
                )),
            ),
            Err(e) => fail("Error", format!("reading {file}: {e}"), false),
        }
    }

    /// `fromProcess` for a profile (`resolveProcessCredentials`).
    fn process_of(&self, profiles: &Profiles, name: &str, cmd: &str) -> Out {
        let name = if name.is_empty() {
            self.profile_name()
        } else {
            name.to_owned()
        };
        match profiles.get(&name) {
            Some(p) if p.contains_key("credential_process") => {
                let cmd = p.get("credential_process").map_or(cmd, String::as_str);
                win(Method::Process, None, Some(format!("run `{cmd}`")))
            }
            Some(_) => fail(
                CPE,
                format!("Profile {name} did not contain credential_process."),
                true,
            ),
            None => fail(
                CPE,
                format!("Profile {name} could not be found in shared credentials file."),
                true,
            ),
        }
    }

    /// `fromSSO` for a profile: a complete profile, then its cached token.
    fn sso(&self, profiles: &Profiles, name: &str) -> Out {
        let Some(profile) = profiles.get(name) else {
            return fail(CPE, format!("Profile {name} was not found."), true);
        };
        let mut profile = profile.clone();
        if let Some(session) = profile.get("sso_session").cloned() {
            // loadSsoSessionData reads the config file again, without expanding `~/`.
            let sessions = self.ini(&self.config_path());
            let Some(values) = sessions.get(&format!("sso-session.{session}")) else {
                return fail(
                    "TypeError",
                    "Cannot read properties of undefined (reading 'sso_region')",
                    false,
                );
            };
            for k in ["sso_region", "sso_start_url"] {
                match values.get(k) {
                    Some(v) => profile.insert(k.to_owned(), v.clone()),
                    None => profile.remove(k),
                };
            }
        }
        let complete = [
            "sso_start_url",
            "sso_account_id",
            "sso_region",
            "sso_role_name",
        ]
        .iter()
        .all(|k| profile.get(*k).is_some_and(|v| !v.is_empty()));
        if !complete {
            return fail(
                CPE,
                "Profile is configured with invalid SSO credentials.",
                false,
            );
        }
        if let Some(session) = profile.get("sso_session").filter(|s| !s.is_empty()) {
            return self.session_sso_token(name, session);
        }
        self.legacy_sso_token(profile.get("sso_start_url").map_or("", String::as_str))
    }

    /// `resolveSSOCredentials` with an `sso_session`: `fromSso` of `@aws-sdk/token-providers`
    /// reads `~/.aws/sso/cache/<sha1 of the session name>.json` (`getSSOTokenFromFile`),
    /// needs `accessToken` and `expiresAt` to be defined (`validateTokenKey`: `undefined`
    /// only), and uses a token that expires more than five minutes from now
    /// (`EXPIRE_WINDOW_MS`): `GetRoleCredentials` is sent. Otherwise (expired, close to it,
    /// or no date) it needs `clientId`, `clientSecret` and `refreshToken` and sends SSO
    /// OIDC `CreateToken` to refresh it. Every error is rethrown as a
    /// `CredentialsProviderError` that ends the chain. Not modelled: the 30-second pause
    /// between refresh attempts of one session (`lastRefreshAttemptTimes`, per process).
    fn session_sso_token(&self, profile: &str, session: &str) -> Out {
        const REFRESH: &str =
            "To refresh this SSO session run 'aws sso login' with the corresponding profile.";
        const EXPIRE_WINDOW_MS: f64 = 5.0 * 60.0 * 1000.0;
        let digest = sha1dc::digest(session.as_bytes())
            .map(|d| format!("{d:x}"))
            .unwrap_or_default();
        let path = format!("{}/.aws/sso/cache/{digest}.json", self.home());
        let token = self.ctx.files.bytes(&path).ok().and_then(|(_, bytes)| {
            serde_json::from_str::<serde_json::Value>(&String::from_utf8_lossy(&bytes)).ok()
        });
        let Some(token) = token else {
            return fail(
                CPE,
                format!(
                    "The SSO session token associated with profile={profile} was not found or is invalid. {REFRESH}"
                ),
                false,
            );
        };
        if token.is_null() {
            return fail(
                CPE,
                "Cannot read properties of null (reading 'accessToken')",
                false,
            );
        }
        let get = |key: &str| token.as_object().and_then(|m| m.get(key));
        let missing = |key: &str, refresh: bool| {
            fail(
                CPE,
                format!(
                    "Value not present for '{key}' in SSO Token{}. {REFRESH}",
                    if refresh { ". Cannot refresh" } else { "" }
                ),
                false,
            )
        };
        for key in ["accessToken", "expiresAt"] {
            if get(key).is_none() {
                return missing(key, false);
            }
        }
        let now = jiff::Timestamp::now().as_millisecond();
        #[allow(clippy::cast_precision_loss)]
        if js_date_ms(get("expiresAt")).is_some_and(|ms| ms - now as f64 > EXPIRE_WINDOW_MS) {
            return win(
                Method::Sso,
                None,
                Some(format!(
                    "SSO GetRoleCredentials with the cached token of session {session}"
                )),
            );
        }
        for key in ["clientId", "clientSecret", "refreshToken"] {
            if get(key).is_none() {
                return missing(key, true);
            }
        }
        win(
            Method::Sso,
            None,
            Some(format!(
                "SSO OIDC CreateToken to refresh the cached token of session {session}"
            )),
        )
    }

    /// `resolveSSOCredentials` without an `sso_session`: `getSSOTokenFromFile(ssoStartUrl)`
    /// (`@smithy/core` config) reads `~/.aws/sso/cache/<sha1 of the URL>.json` and
    /// `JSON.parse`s it (any failure: the session "is invalid"); then only
    /// `new Date(token.expiresAt).getTime() - Date.now() <= 0` is checked (an `expiresAt`
    /// that is missing or no date is `NaN`, which passes), and `GetRoleCredentials` is sent.
    fn legacy_sso_token(&self, start_url: &str) -> Out {
        let invalid = || {
            fail(
                CPE,
                "The SSO session associated with this profile is invalid. To refresh this SSO session run aws sso login with the corresponding profile.",
                false,
            )
        };
        let digest = sha1dc::digest(start_url.as_bytes())
            .map(|d| format!("{d:x}"))
            .unwrap_or_default();
        let path = format!("{}/.aws/sso/cache/{digest}.json", self.home());
        let Ok((_, bytes)) = self.ctx.files.bytes(&path) else {
            return invalid();
        };
        let Ok(token) = serde_json::from_str::<serde_json::Value>(&String::from_utf8_lossy(&bytes))
        else {
            return invalid();
        };
        let expires = match &token {
            serde_json::Value::Null => {
                return fail(
                    "TypeError",
                    "Cannot read properties of null (reading 'expiresAt')",
                    false,
                );
            }
            serde_json::Value::Object(m) => m.get("expiresAt"),
            _ => None,
        };
        let now = jiff::Timestamp::now().as_millisecond();
        #[allow(clippy::cast_precision_loss)]
        if js_date_ms(expires).is_some_and(|ms| ms - now as f64 <= 0.0) {
            return fail(
                CPE,
                "The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.",
                false,
            );
        }
        win(
            Method::Sso,
            None,
            Some(format!(
                "SSO GetRoleCredentials with the cached token for {start_url}"
            )),
        )
    }

    /// `fromHttp`: the container endpoint, checked before any request.
    fn http_provider(&self) -> Out {
        let relative = self.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        let full = self.env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        let url = match (relative, full) {
            (Some(r), _) => format!("http://169.254.170.2{r}"),
            (None, Some(f)) => f.to_owned(),
            (None, None) => {
                return fail(CPE, "No HTTP credential provider host provided.", true);
            }
        };
        let Some((scheme, host)) = url_host(&url) else {
            return fail("TypeError", "Invalid URL", false);
        };
        if !host_accepted(&scheme, &host) {
            return fail(CPE, format!("URL not accepted: {url}"), true);
        }
        let token_file = self.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        if let Some(file) = token_file {
            match self.ctx.files.bytes(file) {
                Ok((_, b)) if String::from_utf8_lossy(&b).contains("\r\n") => {
                    return self.container_metadata();
                }
                Ok(_) => {}
                Err(e) => return fail("Error", format!("reading {file}: {e}"), false),
            }
        } else if self
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            .is_some_and(|t| t.contains("\r\n"))
        {
            // validateToken's error passes to the next link of the container chain
            return self.container_metadata();
        }
        win(Method::Container, None, Some(format!("GET {url}")))
    }

    /// `fromContainerMetadata` (`@smithy/credential-provider-imds`), the container chain's
    /// second link: reached when `fromHttp` rejects the authorization token.
    fn container_metadata(&self) -> Out {
        if let Some(r) = self.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            return win(
                Method::Container,
                None,
                Some(format!("GET http://169.254.170.2{r}")),
            );
        }
        let Some(full) = self.env("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return fail(
                CPE,
                "The container metadata credential provider cannot be used",
                false,
            );
        };
        match url_host(full) {
            None => fail(
                CPE,
                format!("{full} is not a valid container metadata service URL"),
                false,
            ),
            Some((_, host)) if host != "localhost" && host != "127.0.0.1" => fail(
                CPE,
                format!("{host} is not a valid container metadata service hostname"),
                false,
            ),
            Some((scheme, _)) if scheme != "http" && scheme != "https" => fail(
                CPE,
                format!("{scheme}: is not a valid container metadata service protocol"),
                false,
            ),
            Some(_) => win(Method::Container, None, Some(format!("GET {full}"))),
        }
    }

    /// `remoteProvider`: the container when its variables are set, else instance metadata.
    fn remote(&self) -> Out {
        if self.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_some()
            || self.env("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some()
        {
            return self.http_provider();
        }
        if self
            .env("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v != "false")
        {
            return fail(CPE, "EC2 Instance Metadata Service access disabled", true);
        }
        self.instance_metadata()
    }

    /// `fromInstanceMetadata`: `getInstanceMetadataEndpoint` runs before the first request and
    /// its errors are not `tryNextLink` (they end the chain, whichever link reached it); with an
    /// endpoint, the requests fail and the chain goes on.
    fn instance_metadata(&self) -> Out {
        let endpoint = self.imds_setting(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        );
        if let Some(endpoint) = endpoint.filter(|e| !e.is_empty()) {
            if url_host(&endpoint).is_none() {
                return fail("TypeError", "Invalid URL", false);
            }
        } else {
            let mode = self
                .imds_setting(
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                    "ec2_metadata_service_endpoint_mode",
                )
                .unwrap_or_else(|| "IPv4".to_owned());
            if !matches!(mode.as_str(), "IPv4" | "IPv6") {
                return fail(
                    "Error",
                    format!("Unsupported endpoint mode: {mode}. Select from IPv4,IPv6"),
                    false,
                );
            }
        }
        fail(
            CPE,
            "the instance metadata service does not answer off EC2",
            true,
        )
    }

    /// `loadConfig` without a profile: the variable when it is defined (even empty), else the
    /// key in the profile `AWS_PROFILE` names (or `default`), the config file's value over the
    /// credentials file's. The profile named in code is not passed down to these settings.
    fn imds_setting(&self, var: &str, key: &str) -> Option<String> {
        if let Some(v) = self.ctx.env.get(var) {
            return Some(v.clone());
        }
        let name = self.env("AWS_PROFILE").unwrap_or("default");
        let config = config_data(self.ini(&self.expand(&self.config_path())));
        let credentials = self.ini(&self.expand(&self.credentials_path()));
        [config.get(name), credentials.get(name)]
            .into_iter()
            .flatten()
            .find_map(|section| section.get(key))
            .cloned()
    }
}

/// `new Date(v).getTime()` in milliseconds, `None` for `NaN`: `undefined` and objects are
/// `NaN`, `null` and booleans are 0 and 1, numbers are themselves, strings are read as ISO
/// 8601 (a timestamp with an offset, or a date alone at UTC midnight); other strings, which
/// V8's legacy parser may still read, are taken as `NaN`.
#[allow(clippy::cast_precision_loss)]
fn js_date_ms(v: Option<&serde_json::Value>) -> Option<f64> {
    let ms = match v? {
        serde_json::Value::Null => 0.0,
        serde_json::Value::Bool(b) => f64::from(u8::from(*b)),
        serde_json::Value::Number(n) => n.as_f64()?.trunc(),
        serde_json::Value::String(s) => {
            if let Ok(t) = s.trim().parse::<jiff::Timestamp>() {
                t.as_millisecond() as f64
            } else {
                let d = s.trim().parse::<jiff::civil::Date>().ok()?;
                format!("{d}T00:00:00Z")
                    .parse::<jiff::Timestamp>()
                    .ok()?
                    .as_millisecond() as f64
            }
        }
        _ => return None,
    };
    (ms.abs() <= 8.64e15).then_some(ms)
}

fn could_not_resolve(name: &str) -> Out {
    fail(
        CPE,
        format!(
            "Could not resolve credentials using profile: [{name}] in configuration/credentials file(s)."
        ),
        true,
    )
}

fn static_keys(data: &Section) -> Option<Out> {
    let key = data.get("aws_access_key_id")?;
    data.get("aws_secret_access_key")?;
    Some(win(Method::Profile, Some(redact_key_id(key)), None))
}

fn is_assume_role(data: &Section) -> bool {
    data.contains_key("role_arn")
        && (data.contains_key("source_profile") != data.contains_key("credential_source"))
}

fn cs_without_role(data: &Section) -> bool {
    !data.contains_key("role_arn") && data.contains_key("credential_source")
}

/// The scheme and host `new URL(url)` gives (Node's WHATWG URL parser; the `url` crate
/// implements the same standard, IDNA and IPv4 forms included), `None` where it throws.
fn url_host(url: &str) -> Option<(String, String)> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str().unwrap_or("").to_owned();
    Some((parsed.scheme().to_owned(), host))
}

/// `checkUrl` of `@aws-sdk/credential-provider-http`.
fn host_accepted(scheme: &str, host: &str) -> bool {
    if scheme == "https" {
        return true;
    }
    if matches!(host, "169.254.170.2" | "169.254.170.23" | "[fd00:ec2::23]") {
        return true;
    }
    if host.contains('[') {
        return host == "[::1]";
    }
    if host == "localhost" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    let in_range = |p: &str| js_parse_int(p).is_some_and(|n| (0..=255).contains(&n));
    parts.len() == 4 && parts[0] == "127" && parts[1..].iter().all(|p| in_range(p))
}

/// `parseInt(s, 10)`: leading white space, a sign, then digits.
fn js_parse_int(s: &str) -> Option<i64> {
    let s = s.trim_start_matches(js_space);
    let (neg, digits) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let n: String = digits.chars().take_while(char::is_ascii_digit).collect();
    let v: i64 = n.get(..n.len().min(15))?.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// A client setting read by `loadConfig`'s `fromSharedConfigFiles` (`preferredFile`
/// `config`): the key in the profile `getProfileName` picks (the profile named in code,
/// `AWS_PROFILE`, `default`), the config file's value over the credentials file's. Also that
/// profile's name.
#[must_use]
pub fn client_setting(ctx: &Context<'_>, key: &str) -> (String, Option<String>) {
    let sim = Sim {
        ctx,
        explicit: ctx.explicit_profile,
    };
    let name = sim.profile_name();
    let config = config_data(sim.ini(&sim.expand(&sim.config_path())));
    let credentials = sim.ini(&sim.expand(&sim.credentials_path()));
    let value = [config.get(&name), credentials.get(&name)]
        .into_iter()
        .flatten()
        .find_map(|section| section.get(key))
        .cloned();
    (name, value)
}

/// `fromSso` of `@aws-sdk/token-providers`, as far as the files say: the profile
/// `getProfileName` picks, and its `sso_session` if it names one (`Err` with the message of
/// the `TokenProviderError` it raises otherwise).
pub fn sso_token_session(ctx: &Context<'_>) -> Result<String, String> {
    let sim = Sim {
        ctx,
        explicit: ctx.explicit_profile,
    };
    let name = sim.profile_name();
    let profiles = sim.profiles();
    let Some(profile) = profiles.get(&name) else {
        return Err(format!(
            "Profile '{name}' could not be found in shared credentials file."
        ));
    };
    profile
        .get("sso_session")
        .cloned()
        .ok_or_else(|| "Could not load token from any providers".to_owned())
}

/// Run `defaultProvider()` on a context.
#[must_use]
pub fn resolve(ctx: &Context<'_>) -> Resolution {
    let sim = Sim {
        ctx,
        explicit: ctx.explicit_profile,
    };
    let profiles = sim.profiles();
    let steps: [(&'static str, &dyn Fn() -> Out); 6] = [
        ("fromEnv", &|| sim.env_provider()),
        ("fromSSO", &|| {
            fail(
                CPE,
                "Skipping SSO provider in default chain (inputs do not include SSO fields).",
                true,
            )
        }),
        ("fromIni", &|| sim.ini_provider(&profiles)),
        ("fromProcess", &|| {
            let name = sim.profile_name();
            let cmd = profiles
                .get(&name)
                .and_then(|p| p.get("credential_process"))
                .cloned()
                .unwrap_or_default();
            sim.process_of(&profiles, &name, &cmd)
        }),
        ("fromTokenFile", &|| match (
            sim.env("AWS_WEB_IDENTITY_TOKEN_FILE"),
            sim.env("AWS_ROLE_ARN"),
        ) {
            (Some(file), Some(_)) => sim.web_identity(file),
            _ => fail(CPE, "Web identity configuration not specified", true),
        }),
        ("remoteProvider", &|| sim.remote()),
    ];
    let (providers, winner, error) = super::run_links(
        steps,
        (CPE, "Could not load credentials from any providers"),
    );
    Resolution {
        sdk: Sdk::JsV3,
        profile: sim.profile_name(),
        winner,
        error,
        providers,
    }
}
