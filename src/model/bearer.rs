//! Bearer tokens that outrank the credential chain for some services: botocore's
//! `handlers._set_auth_scheme_preference_signer` / `_should_prefer_bearer_auth` and
//! `utils.get_token_from_environment` (botocore 1.44.5).
//!
//! A client whose service signs as `bedrock` and whose API model offers bearer auth
//! (`smithy.api#httpBearerAuth`) sends `AWS_BEARER_TOKEN_BEDROCK` instead of `SigV4` with
//! the chain's credentials when the variable exists (any value, the empty string too),
//! unless the client's `Config` sets `signature_version` or `auth_scheme_preference` in
//! code. The chain is still resolved when the client is created, so an error it raises
//! stops the program all the same.

use super::profiles::Loc;
use serde::Serialize;
use std::collections::BTreeMap;

/// Services by client name: their signing name, and whether their API model offers bearer
/// auth. Read from botocore 1.44.5's `data/<service>/*/service-2.json` (`metadata.signingName`,
/// `metadata.auth`).
const SERVICES: [(&str, &str, bool); 7] = [
    ("bedrock", "bedrock", true),
    ("bedrock-runtime", "bedrock", true),
    ("bedrock-agent", "bedrock", false),
    ("bedrock-agent-runtime", "bedrock", false),
    ("bedrock-data-automation", "bedrock", false),
    ("bedrock-data-automation-runtime", "bedrock", false),
    ("bedrock-agentcore", "bedrock-agentcore", false),
];

/// `handlers.get_bearer_auth_supported_services()`.
const BEARER_SIGNING_NAMES: [&str; 1] = ["bedrock"];

/// How a client of one service would authenticate.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceAuth {
    pub service: String,
    /// `bearer` or `sigv4`.
    pub scheme: &'static str,
    /// The variable botocore reads for this service, when it reads one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Loc>,
    /// The token, redacted, when it is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub reason: String,
    /// The error's class when the client cannot sign with the scheme it chose (the
    /// JavaScript SDK: an empty token, or no token where bearer auth is preferred).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl ServiceAuth {
    /// A client of `service` that signs with `SigV4` and the chain's credentials.
    #[must_use]
    pub fn sigv4(service: &str, reason: String, variable: Option<String>) -> Self {
        Self {
            service: service.to_owned(),
            scheme: "sigv4",
            variable,
            location: None,
            token: None,
            reason,
            error: None,
        }
    }
}

/// `utils._get_bearer_env_var_name`.
#[must_use]
pub fn variable_for(signing_name: &str) -> String {
    format!(
        "AWS_BEARER_TOKEN_{}",
        signing_name.replace(['-', ' '], "_").to_uppercase()
    )
}

/// How a client of `service` authenticates, given the environment and whether the client's
/// `Config` sets `signature_version` or `auth_scheme_preference` in code.
#[must_use]
pub fn service_auth(
    service: &str,
    env: &BTreeMap<String, String>,
    auth_in_code: bool,
) -> ServiceAuth {
    let sigv4 =
        |reason: String, variable: Option<String>| ServiceAuth::sigv4(service, reason, variable);
    let Some(&(_, signing_name, offers_bearer)) = SERVICES.iter().find(|(s, _, _)| *s == service)
    else {
        return sigv4(
            format!("`{service}` does not take bearer tokens: SigV4 with the chain's credentials"),
            None,
        );
    };
    let variable = variable_for(signing_name);
    if !BEARER_SIGNING_NAMES.contains(&signing_name) || !offers_bearer {
        return sigv4(
            format!(
                "`{service}` signs as `{signing_name}` but its API offers SigV4 only: {variable} is not read"
            ),
            None,
        );
    }
    let Some(token) = env.get(&variable) else {
        return sigv4(
            format!("{variable} is not set: SigV4 with the chain's credentials"),
            Some(variable),
        );
    };
    if auth_in_code {
        return sigv4(
            format!(
                "{variable} is set, but the client's Config sets signature_version or auth_scheme_preference in code: SigV4 with the chain's credentials"
            ),
            Some(variable),
        );
    }
    let reason = if token.is_empty() {
        format!(
            "{variable} is set (empty): botocore sends an empty bearer token instead of the chain's credentials, and Bedrock refuses it"
        )
    } else {
        format!(
            "{variable} is set: botocore sends it as a bearer token instead of the chain's credentials"
        )
    };
    ServiceAuth {
        service: service.to_owned(),
        scheme: "bearer",
        location: Some(Loc::Env {
            variable: variable.clone(),
        }),
        variable: Some(variable),
        token: Some(redact_token(token)),
        reason,
        error: None,
    }
}

/// Services whose JavaScript v3 client offers `smithy.api#httpBearerAuth` (after `SigV4` in
/// its auth scheme provider), with their signing name: read from
/// `@aws-sdk/client-bedrock-runtime` 3.1178.0 (`defaultBedrockRuntimeHttpAuthSchemeProvider`).
const JS_BEARER_SERVICES: [(&str, &str); 1] = [("bedrock-runtime", "bedrock")];

/// `split(",")` then `trim()`, as `getArrayForCommaSeparatedString` of `@aws-sdk/core`
/// does: the empty string is the empty list.
fn comma_list(value: &str) -> Vec<String> {
    if value.is_empty() {
        return Vec::new();
    }
    value.split(',').map(|s| s.trim().to_owned()).collect()
}

/// How a JavaScript v3 client of `service` authenticates (`@aws-sdk/core` 3.981.2 and
/// `@smithy/core` 3.41.1, as `@aws-sdk/client-bedrock-runtime` 3.1178.0 uses them).
///
/// `authSchemePreference` is the list given in code, else `loadConfig` of
/// `NODE_AUTH_SCHEME_PREFERENCE_OPTIONS`: `["httpBearerAuth"]` when
/// `AWS_BEARER_TOKEN_<SIGNINGNAME>` is defined (any value), else `AWS_AUTH_SCHEME_PREFERENCE`
/// when defined, else `auth_scheme_preference` of the client's profile, else `[]`.
/// `resolveAuthOptions` puts the preferred schemes first; the first scheme the client knows
/// is used, and its identity is resolved then, with no fallback: `SigV4` runs the credential
/// chain, bearer reads the variable (`fromEnvSigningName`), else the profile's SSO token
/// (`nodeProvider`). `HttpBearerAuthSigner` refuses an empty token. When the bearer scheme
/// is used the credential chain is not run at all.
#[must_use]
pub fn js_v3_service_auth(
    service: &str,
    ctx: &crate::model::chain::Context<'_>,
    in_code: Option<&[String]>,
) -> ServiceAuth {
    let env = ctx.env;
    let sigv4 =
        |reason: String, variable: Option<String>| ServiceAuth::sigv4(service, reason, variable);
    let Some(&(_, signing_name)) = JS_BEARER_SERVICES.iter().find(|(s, _)| *s == service) else {
        return sigv4(
            format!(
                "the JavaScript `{service}` client is not known to offer bearer auth: SigV4 with the chain's credentials"
            ),
            None,
        );
    };
    let variable = variable_for(signing_name);
    let (preference, from) = if let Some(list) = in_code {
        (
            list.to_vec(),
            "authSchemePreference given in code".to_owned(),
        )
    } else if env.contains_key(&variable) {
        (
            vec!["httpBearerAuth".to_owned()],
            format!("{variable} is set"),
        )
    } else if let Some(v) = env.get("AWS_AUTH_SCHEME_PREFERENCE") {
        (comma_list(v), "AWS_AUTH_SCHEME_PREFERENCE".to_owned())
    } else {
        match crate::model::sdk::js_v3::client_setting(ctx, "auth_scheme_preference") {
            (name, Some(v)) => (
                comma_list(&v),
                format!("auth_scheme_preference of profile `{name}`"),
            ),
            (_, None) => (Vec::new(), "no auth scheme preference".to_owned()),
        }
    };
    let first = preference
        .iter()
        .find(|p| *p == "sigv4" || *p == "httpBearerAuth");
    if first.map(String::as_str) != Some("httpBearerAuth") {
        return sigv4(
            format!(
                "{from} ({}): SigV4 with the chain's credentials",
                if preference.is_empty() {
                    "no preference".to_owned()
                } else {
                    format!("[{}]", preference.join(", "))
                }
            ),
            Some(variable),
        );
    }
    let bearer =
        |token: Option<String>, location: Option<Loc>, reason: String, error: Option<&str>| {
            ServiceAuth {
                service: service.to_owned(),
                scheme: "bearer",
                variable: Some(variable.clone()),
                location,
                token,
                reason,
                error: error.map(str::to_owned),
            }
        };
    match env.get(&variable) {
        Some(token) if token.is_empty() => bearer(
            Some(redact_token(token)),
            Some(Loc::Env {
                variable: variable.clone(),
            }),
            format!(
                "{from}: httpBearerAuth first; {variable} is empty and HttpBearerAuthSigner raises Error (\"request could not be signed with `token` since the `token` is not defined\"), with no fallback to SigV4"
            ),
            Some("Error"),
        ),
        Some(token) => bearer(
            Some(redact_token(token)),
            Some(Loc::Env {
                variable: variable.clone(),
            }),
            format!(
                "{from}: httpBearerAuth first, the token from {variable} is sent instead of the chain's credentials (the chain is not run)"
            ),
            None,
        ),
        None => match crate::model::sdk::js_v3::sso_token_session(ctx) {
            Ok(session) => bearer(
                None,
                None,
                format!(
                    "{from}: httpBearerAuth first and {variable} is not set: the token is the one cached for sso-session `{session}` (credlint does not read the cache; without a valid one, TokenProviderError)"
                ),
                None,
            ),
            Err(message) => bearer(
                None,
                None,
                format!(
                    "{from}: httpBearerAuth first and {variable} is not set: no SSO token either, TokenProviderError ({message}), with no fallback to SigV4"
                ),
                Some("TokenProviderError"),
            ),
        },
    }
}

/// A bearer token for display: a Bedrock key keeps its prefix and last four characters,
/// anything else only its last four (or nothing, if short).
#[must_use]
pub fn redact_token(token: &str) -> String {
    if token.starts_with(crate::keys::bedrock::LONG_TERM_PREFIX)
        || token.starts_with(crate::keys::bedrock::SHORT_TERM_PREFIX)
    {
        return crate::keys::bedrock::redact(token);
    }
    let n = token.chars().count();
    if n >= 16 {
        let tail: String = token.chars().skip(n - 4).collect();
        format!("****{tail}")
    } else {
        "****".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_token_wins_for_bedrock_clients_only() {
        let e = env(&[(
            "AWS_BEARER_TOKEN_BEDROCK",
            "ABSKexampletoken0000000000000wxyz",
        )]);
        let a = service_auth("bedrock-runtime", &e, false);
        assert_eq!(a.scheme, "bearer");
        assert_eq!(a.token.as_deref(), Some("ABSK****wxyz"));
        assert_eq!(
            service_auth("bedrock-agent-runtime", &e, false).scheme,
            "sigv4"
        );
        assert_eq!(service_auth("s3", &e, false).scheme, "sigv4");
        assert_eq!(service_auth("bedrock", &e, true).scheme, "sigv4");
        assert_eq!(service_auth("bedrock", &env(&[]), false).scheme, "sigv4");
        let empty = service_auth("bedrock", &env(&[("AWS_BEARER_TOKEN_BEDROCK", "")]), false);
        assert_eq!(empty.scheme, "bearer");
        assert_eq!(empty.token.as_deref(), Some("****"));
    }

    /// Files for the JavaScript model: only plain bytes are read.
    struct Bytes(BTreeMap<String, String>);

    impl crate::model::chain::Files for Bytes {
        fn ini(&self, _: &str) -> Option<std::sync::Arc<crate::model::profiles::LoadedIni>> {
            None
        }
        fn bytes(&self, path: &str) -> Result<(String, Vec<u8>), &'static str> {
            self.0
                .get(path)
                .map(|t| (path.to_owned(), t.clone().into_bytes()))
                .ok_or("FileNotFoundError")
        }
    }

    fn js(
        pairs: &[(&str, &str)],
        config: &str,
        profile: Option<&str>,
        in_code: Option<&[String]>,
    ) -> ServiceAuth {
        let mut e = env(pairs);
        e.insert("HOME".into(), "/h".into());
        let files = Bytes(
            [("/h/.aws/config".to_owned(), config.to_owned())]
                .into_iter()
                .collect(),
        );
        let ctx = crate::model::chain::Context {
            env: &e,
            explicit_profile: profile,
            files: &files,
        };
        js_v3_service_auth("bedrock-runtime", &ctx, in_code)
    }

    #[test]
    fn javascript_prefers_the_token_unless_code_sets_a_preference() {
        let token = (
            "AWS_BEARER_TOKEN_BEDROCK",
            "ABSKexampletoken0000000000000wxyz",
        );
        let a = js(&[token], "", None, None);
        assert_eq!((a.scheme, a.error.as_deref()), ("bearer", None));
        assert_eq!(a.token.as_deref(), Some("ABSK****wxyz"));
        // The variable outranks AWS_AUTH_SCHEME_PREFERENCE and the file.
        let sigv4_env = ("AWS_AUTH_SCHEME_PREFERENCE", "sigv4");
        assert_eq!(js(&[token, sigv4_env], "", None, None).scheme, "bearer");
        let file = "[default]\nauth_scheme_preference = sigv4\n";
        assert_eq!(js(&[token], file, None, None).scheme, "bearer");
        // Code outranks the variable, the empty list too.
        assert_eq!(
            js(&[token], "", None, Some(&["sigv4".into()])).scheme,
            "sigv4"
        );
        assert_eq!(js(&[token], "", None, Some(&[])).scheme, "sigv4");
        // An empty token is chosen, then refused.
        let empty = js(&[("AWS_BEARER_TOKEN_BEDROCK", "")], "", None, None);
        assert_eq!(
            (empty.scheme, empty.error.as_deref()),
            ("bearer", Some("Error"))
        );
        // Bearer preferred without a token or an SSO session.
        let file = "[profile dev]\nauth_scheme_preference = bogus, httpBearerAuth\n";
        let none = js(&[], file, Some("dev"), None);
        assert_eq!(none.error.as_deref(), Some("TokenProviderError"));
        assert_eq!(js(&[], file, None, None).scheme, "sigv4");
        assert_eq!(
            js(
                &[("AWS_AUTH_SCHEME_PREFERENCE", "")],
                file,
                Some("dev"),
                None
            )
            .scheme,
            "sigv4"
        );
    }

    #[test]
    fn variable_names_follow_the_signing_name() {
        assert_eq!(variable_for("bedrock"), "AWS_BEARER_TOKEN_BEDROCK");
        assert_eq!(
            variable_for("bedrock-agentcore"),
            "AWS_BEARER_TOKEN_BEDROCK_AGENTCORE"
        );
    }
}
