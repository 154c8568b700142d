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
    let sigv4 = |reason: String, variable: Option<String>| ServiceAuth {
        service: service.to_owned(),
        scheme: "sigv4",
        variable,
        location: None,
        token: None,
        reason,
    };
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

    #[test]
    fn variable_names_follow_the_signing_name() {
        assert_eq!(variable_for("bedrock"), "AWS_BEARER_TOKEN_BEDROCK");
        assert_eq!(
            variable_for("bedrock-agentcore"),
            "AWS_BEARER_TOKEN_BEDROCK_AGENTCORE"
        );
    }
}
