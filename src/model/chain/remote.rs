//! The providers that would ask an endpoint: the container credentials endpoint (its URL
//! checked as botocore checks it) and the instance metadata service (never contacted).

use super::{Dialect, Outcome, Sim, nothing, raise};
use crate::model::profiles::Loc;
use crate::model::pyurl;

impl Sim<'_> {
    /// `ContainerProvider`: the checks botocore makes before it connects (headers, then the
    /// endpoint's host) are made here too; the request itself never is.
    pub(super) fn container(&self) -> Outcome {
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

    pub(super) fn instance_metadata(&self) -> Outcome {
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
