//! The providers that assume a role: `assume-role` (with its role chain and
//! `credential_source`) and `assume-role-with-web-identity`.

use super::{
    CREDENTIAL_SOURCES, Dialect, Method, Outcome, Raise, Sim, deferred, has_role, has_static,
    nested_raise, nothing, raise,
};
use crate::model::profiles::Loc;

impl Sim<'_> {
    pub(super) fn assume_role(&self, profile: &str) -> Outcome {
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
    pub(super) fn role_chain(
        &self,
        profile: &str,
        visited: &mut Vec<String>,
    ) -> Result<String, Raise> {
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

    pub(super) fn credential_source(
        &self,
        source: &str,
        profile: &str,
        loc: &Loc,
    ) -> Result<String, Raise> {
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

    pub(super) fn web_identity(&self, profile: &str, disable_env: bool) -> Outcome {
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
}
