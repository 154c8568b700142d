//! `resolve --sdk all`: every modelled SDK's verdict for one context, side by side, in the
//! shared vocabulary of [`super::Method`], and where each SDK parts ways with botocore.

use super::Status as SdkStatus;
use crate::model::chain::{self, Context, Dialect, Status};
use serde::Serialize;

/// The SDKs `--sdk all` runs, in the order shown.
pub const ALL: [&str; 5] = ["botocore", "cli-v2", "js-v3", "go-v2", "rust"];

/// One SDK's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub sdk: &'static str,
    /// The profile the SDK looks up.
    pub profile: String,
    /// Where the credentials come from (`env`, `profile`, `assume-role`, …), or `null`.
    pub method: Option<&'static str>,
    /// Redacted key id, when known offline.
    pub access_key: Option<String>,
    /// The error class the SDK raises, or `null`.
    pub error: Option<String>,
    /// The provider that decides: the one that wins or raises (`null`: none does).
    pub decided_by: Option<String>,
    /// For an SDK whose verdict is not botocore's: the first provider of its chain that
    /// ends otherwise than in botocore's, or the profile choice when the SDKs look up
    /// different profiles. `null` when the verdict is botocore's.
    pub parts_from_botocore: Option<String>,
}

impl Verdict {
    /// The outcome in one cell: method and key, `raises CLASS`, or `nothing`.
    #[must_use]
    pub fn outcome(&self) -> String {
        match (&self.error, self.method) {
            (Some(e), _) => format!("raises {e}"),
            (None, Some(m)) => match &self.access_key {
                Some(k) => format!("{m} `{k}`"),
                None => m.to_owned(),
            },
            (None, None) => "nothing".to_owned(),
        }
    }

    fn same_outcome(&self, other: &Self) -> bool {
        (self.method, &self.access_key, &self.error)
            == (other.method, &other.access_key, &other.error)
    }
}

/// botocore's method names in the shared vocabulary.
const fn shared_method(m: chain::Method) -> &'static str {
    match m {
        chain::Method::Env => "env",
        chain::Method::AssumeRole => "assume-role",
        chain::Method::WebIdentity => "web-identity",
        chain::Method::Sso => "sso",
        chain::Method::SharedCredentials | chain::Method::ConfigFile => "profile",
        chain::Method::Login => "login",
        chain::Method::Process => "process",
        chain::Method::Ec2CredentialsFile => "ec2-credentials-file",
        chain::Method::BotoConfig => "boto",
        chain::Method::ContainerRole => "container",
        chain::Method::IamRole => "imds",
    }
}

fn shared_sdk_method(m: super::Method) -> &'static str {
    match m {
        super::Method::Env => "env",
        super::Method::Profile => "profile",
        super::Method::Process => "process",
        super::Method::AssumeRole => "assume-role",
        super::Method::WebIdentity => "web-identity",
        super::Method::Sso => "sso",
        super::Method::Container => "container",
        super::Method::Imds => "imds",
        super::Method::Login => "login",
    }
}

/// A botocore-model resolution (botocore or the CLI v2) as a verdict, with the provider
/// steps as (provider, how it ends) for [`parts_ways`].
fn from_chain(r: &chain::Resolution, sdk: &'static str) -> (Verdict, Vec<(String, String)>) {
    let decided = r
        .providers
        .iter()
        .find(|p| matches!(p.status, Status::Wins | Status::Raises))
        .map(|p| p.method.as_str().to_owned())
        .or_else(|| {
            r.error
                .as_ref()
                .map(|_| "start-up (before any provider)".to_owned())
        });
    let steps = r
        .providers
        .iter()
        .map(|p| {
            let ends = match p.status {
                Status::Wins => "wins",
                Status::Raises => "raises",
                Status::NotReached => "not reached",
                Status::Skipped => "skipped",
                Status::Shadowed | Status::Passes | Status::WouldBeTried => "passes",
            };
            (p.method.as_str().to_owned(), ends.to_owned())
        })
        .collect();
    let v = Verdict {
        sdk,
        profile: r.profile.name.clone(),
        method: r.winner.as_ref().map(|w| shared_method(w.method)),
        access_key: r.winner.as_ref().and_then(|w| w.access_key.clone()),
        error: r.error.as_ref().map(|e| e.class.clone()),
        decided_by: decided,
        parts_from_botocore: None,
    };
    (v, steps)
}

fn from_sdk(r: &super::Resolution) -> Verdict {
    Verdict {
        sdk: r.sdk.name(),
        profile: r.profile.clone(),
        method: r.winner.as_ref().map(|w| shared_sdk_method(w.method)),
        access_key: r.winner.as_ref().and_then(|w| w.access_key.clone()),
        error: r.error.as_ref().map(|e| e.class.clone()),
        decided_by: r
            .providers
            .iter()
            .find(|p| matches!(p.status, SdkStatus::Wins | SdkStatus::Raises))
            .map(|p| p.provider.to_owned()),
        parts_from_botocore: None,
    }
}

/// Every modelled SDK on one context, botocore first.
#[must_use]
pub fn resolve_all(ctx: &Context<'_>) -> Vec<Verdict> {
    let (mut boto, boto_steps) = from_chain(&chain::resolve(ctx), "botocore");
    let (mut cli, cli_steps) = from_chain(&chain::resolve_dialect(ctx, Dialect::CliV2), "cli-v2");
    let mut js = from_sdk(&super::js_v3::resolve(ctx));
    let mut go = from_sdk(&super::go_v2::resolve(ctx));
    let mut rust = from_sdk(&super::rust::resolve(ctx));
    if !cli.same_outcome(&boto) {
        cli.parts_from_botocore = Some(if cli.profile == boto.profile {
            // Same chain, same provider names: the first provider that ends otherwise.
            boto_steps
                .iter()
                .find_map(|(name, ends)| {
                    let other = cli_steps.iter().find(|(n, _)| n == name);
                    match other {
                        Some((_, e)) if e == ends => None,
                        Some((_, e)) => Some(format!("{name}: {e} (botocore: {ends})")),
                        None => Some(format!("{name}: not in its chain (botocore: {ends})")),
                    }
                })
                .unwrap_or_else(|| "start-up (before any provider)".to_owned())
        } else {
            profile_choice(&cli, &boto)
        });
    }
    for other in [&mut js, &mut go, &mut rust] {
        if !other.same_outcome(&boto) {
            // Different chains: the part ways is where each decides.
            other.parts_from_botocore = Some(if other.profile == boto.profile {
                format!(
                    "{} (botocore: {})",
                    other.decided_by.as_deref().unwrap_or("no provider decides"),
                    boto.decided_by.as_deref().unwrap_or("no provider decides")
                )
            } else {
                profile_choice(other, &boto)
            });
        }
    }
    boto.parts_from_botocore = None;
    vec![boto, cli, js, go, rust]
}

fn profile_choice(v: &Verdict, boto: &Verdict) -> String {
    format!(
        "profile selection: `{}` (botocore: `{}`)",
        v.profile, boto.profile
    )
}
