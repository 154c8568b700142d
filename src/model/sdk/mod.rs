//! The other SDKs' credential chains, beside botocore's (`super::chain`): one module per SDK,
//! each a pure function of the same context (environment, profile named in code, files).
//! The facts, with the file and function each comes from, are in docs/SDK-CHAINS.md; the
//! differential tests (`tests/differential/run_sdk.py`) compare every verdict with the real
//! SDK.
//!
//! Verdicts use one vocabulary for every SDK, so that SDKs can be shown side by side:
//! `env`, `profile` (static keys from a shared file), `process`, `assume-role`,
//! `web-identity`, `sso`, `container`, `imds`, `login`, or an error class as the SDK names it.

pub mod detect;
pub mod go_v2;
pub mod js_v3;
pub mod rust;
pub mod side;

use serde::Serialize;

/// An SDK credlint models beside botocore.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Sdk {
    #[serde(rename = "js-v3")]
    JsV3,
    #[serde(rename = "go-v2")]
    GoV2,
    #[serde(rename = "rust")]
    Rust,
}

impl Sdk {
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::JsV3 => "js-v3",
            Self::GoV2 => "go-v2",
            Self::Rust => "rust",
        }
    }
}

/// Where the credentials come from, in the vocabulary shared by every SDK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    Env,
    Profile,
    Process,
    AssumeRole,
    WebIdentity,
    Sso,
    Container,
    Imds,
    Login,
}

#[derive(Clone, Debug, Serialize)]
pub struct Winner {
    pub method: Method,
    /// Redacted (`AKIA****WXYZ`); `null` when the credentials come from a call credlint
    /// does not make (STS, SSO, a process, a container endpoint).
    pub access_key: Option<String>,
    /// The request or command the SDK would make here, which credlint does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_executed: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Raise {
    /// The error's class as the SDK names it (`CredentialsProviderError`, `TypeError`, ...).
    pub class: String,
    pub message: String,
}

/// How one provider of the chain ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// It supplies the credentials (or makes the request that would).
    Wins,
    /// It has nothing; the chain goes on.
    Passes,
    /// It raises and the chain stops.
    Raises,
    /// An earlier provider decided.
    NotReached,
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// The provider as the SDK names it (`fromEnv`, `fromIni`, ...).
    pub provider: &'static str,
    pub status: Status,
    pub reason: String,
}

/// How one provider ends in a chain that stops at the first provider that wins or raises
/// (the JavaScript v3 and Rust chains), before it is written up as a [`Step`].
pub(crate) enum Link {
    /// Credentials, or the request or command that would give them.
    Win(Winner),
    /// An error; `next`: the chain goes on (JavaScript's `tryNextLink`, Rust's
    /// `CredentialsNotLoaded`).
    Fail {
        class: &'static str,
        message: String,
        next: bool,
    },
}

/// Run `links` in order until one wins or raises; the later ones are not reached. When
/// none wins or raises, the chain itself raises `none` (class, message).
pub(crate) fn run_links<'a>(
    links: impl IntoIterator<Item = (&'static str, &'a dyn Fn() -> Link)>,
    none: (&str, &str),
) -> (Vec<Step>, Option<Winner>, Option<Raise>) {
    let mut providers = Vec::new();
    let mut winner = None;
    let mut error = None;
    for (provider, run) in links {
        if winner.is_some() || error.is_some() {
            providers.push(Step {
                provider,
                status: Status::NotReached,
                reason: String::new(),
            });
            continue;
        }
        match run() {
            Link::Win(w) => {
                providers.push(Step {
                    provider,
                    status: Status::Wins,
                    reason: w
                        .not_executed
                        .clone()
                        .unwrap_or_else(|| "supplies credentials".into()),
                });
                winner = Some(w);
            }
            Link::Fail {
                class,
                message,
                next,
            } => {
                providers.push(Step {
                    provider,
                    status: if next { Status::Passes } else { Status::Raises },
                    reason: message.clone(),
                });
                if !next {
                    error = Some(Raise {
                        class: class.to_owned(),
                        message,
                    });
                }
            }
        }
    }
    if winner.is_none() && error.is_none() {
        error = Some(Raise {
            class: none.0.to_owned(),
            message: none.1.to_owned(),
        });
    }
    (providers, winner, error)
}

/// One SDK's answer for one context.
#[derive(Clone, Debug, Serialize)]
pub struct Resolution {
    pub sdk: Sdk,
    /// The profile the SDK looks up.
    pub profile: String,
    pub winner: Option<Winner>,
    pub error: Option<Raise>,
    pub providers: Vec<Step>,
}
