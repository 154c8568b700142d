//! The providers that hand the work to something else: SSO and login tokens from their
//! caches, and `credential_process` (never run).

use super::{Outcome, Sim, deferred, nested_raise, nothing, raise, same_python_value};
use crate::keys;
use crate::model::profiles::Val;
use crate::model::pyshlex;
use std::collections::HashMap;

impl Sim<'_> {
    pub(super) fn sso(&self, profile: &str) -> Outcome {
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

    pub(super) fn login(&self, profile: &str) -> Outcome {
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

    pub(super) fn process(&self, profile: &str) -> Outcome {
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
}
