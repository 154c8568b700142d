//! The providers that read keys where they stand: the environment, the shared credentials
//! and config files, the EC2 credentials file and the boto2 configs.

use super::{
    ETC_BOTO_CFG, Outcome, Sim, expand_path, expand_user, nothing, py_space, raise, static_keys,
};
use crate::keys;
use crate::model::dateutil;
use crate::model::profiles::{Loc, raw_sections};
use crate::py::text::python_lines;
use std::collections::HashMap;

impl Sim<'_> {
    pub(super) fn env_provider(&self) -> Outcome {
        let Some(id) = self.env("AWS_ACCESS_KEY_ID").filter(|v| !v.is_empty()) else {
            let why = if self.env("AWS_ACCESS_KEY_ID").is_some() {
                "AWS_ACCESS_KEY_ID is empty"
            } else {
                "AWS_ACCESS_KEY_ID is not set"
            };
            return nothing(why);
        };
        if self.env("AWS_SECRET_ACCESS_KEY").is_none_or(str::is_empty) {
            return Outcome::Raises(raise(
                "PartialCredentialsError",
                "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY",
                Some(Loc::env("AWS_ACCESS_KEY_ID")),
            ));
        }
        let token = ["AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"]
            .into_iter()
            .find(|t| self.env(t).is_some_and(|v| !v.is_empty()));
        let detail = match token {
            Some(t) => format!("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set, with {t}"),
            None => "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set".to_owned(),
        };
        // A non-empty AWS_CREDENTIAL_EXPIRATION goes through dateutil's parser.
        if let Some(expiry) = self
            .env("AWS_CREDENTIAL_EXPIRATION")
            .filter(|v| !v.is_empty())
            && let Err(e) = dateutil::parse(expiry)
        {
            return Outcome::Raises(raise(
                e.class(),
                format!("AWS_CREDENTIAL_EXPIRATION is not a date botocore can parse: {e}"),
                Some(Loc::env("AWS_CREDENTIAL_EXPIRATION")),
            ));
        }
        Outcome::Supplies {
            access_key: Some(keys::redact_key_id(id)),
            loc: Some(Loc::env("AWS_ACCESS_KEY_ID")),
            detail,
            not_executed: false,
        }
    }

    pub(super) fn shared_credentials(&self, profile: &str) -> Outcome {
        let Some((_, section)) = self.credentials.iter().find(|(n, _)| n == profile) else {
            return nothing(format!("no [{profile}] section in the credentials file"));
        };
        static_keys(section, "shared-credentials-file", "the credentials file")
    }

    pub(super) fn config_file(&self, profile: &str) -> Outcome {
        let Some(section) = self.config.profiles.get(profile) else {
            return nothing(format!("no profile `{profile}` in the config file"));
        };
        static_keys(section, "config-file", "the config file")
    }

    /// `OriginalEC2Provider` with `parse_key_val_file`: the file is read as text (UTF-8,
    /// universal newlines), split with `str.splitlines`, and every line with `=` gives a
    /// stripped key and value; the last of a repeated key wins.
    pub(super) fn ec2_credentials_file(&self) -> Outcome {
        let Some(raw) = self.env("AWS_CREDENTIAL_FILE") else {
            return nothing("AWS_CREDENTIAL_FILE is not set");
        };
        let path = expand_user(raw, self.ctx.env);
        let loc_var = Some(Loc::env("AWS_CREDENTIAL_FILE"));
        let Some((shown, bytes)) = (!path.is_empty())
            .then(|| self.ctx.files.bytes(&path).ok())
            .flatten()
        else {
            return Outcome::Raises(raise(
                "ConfigNotFound",
                format!("The specified config file ({path}) could not be found."),
                loc_var,
            ));
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Outcome::Raises(raise(
                "UnicodeDecodeError",
                format!("{shown} is not valid UTF-8"),
                loc_var,
            ));
        };
        let mut pairs: HashMap<&str, (&str, u32)> = HashMap::new();
        for (i, line) in python_lines(&text).into_iter().enumerate() {
            if let Some((k, v)) = line.split_once('=') {
                pairs.insert(
                    k.trim_matches(py_space),
                    (v.trim_matches(py_space), i as u32 + 1),
                );
            }
        }
        let Some(&(id, line)) = pairs.get("AWSAccessKeyId") else {
            return nothing("no AWSAccessKeyId in AWS_CREDENTIAL_FILE");
        };
        let loc = Loc::File {
            path: shown,
            line,
            column: 1,
            span: crate::source::Span::default(),
        };
        if !pairs.contains_key("AWSSecretKey") {
            return Outcome::Raises(raise("KeyError", "'AWSSecretKey'", Some(loc)));
        }
        Outcome::Supplies {
            access_key: Some(keys::redact_key_id(id)),
            loc: Some(loc),
            detail: "AWSAccessKeyId in AWS_CREDENTIAL_FILE".into(),
            not_executed: false,
        }
    }

    pub(super) fn boto(&self) -> Outcome {
        let candidates: Vec<String> = match self.env("BOTO_CONFIG") {
            Some(p) => vec![p.to_owned()],
            None => vec![ETC_BOTO_CFG.to_owned(), "~/.boto".to_owned()],
        };
        for c in candidates {
            let path = expand_path(&c, self.ctx.env);
            let Some(file) = self.ctx.files.ini(&path) else {
                continue;
            };
            if let Some(e) = file.ini.botocore_error() {
                return Outcome::Raises(raise(
                    "ConfigParseError",
                    format!(
                        "Unable to parse config file: {}: {}",
                        file.source.path, e.message
                    ),
                    Some(file.loc(e.span)),
                ));
            }
            let sections = raw_sections(&file);
            if let Some((_, s)) = sections.iter().find(|(n, _)| n == "Credentials")
                && s.has("aws_access_key_id")
            {
                return match static_keys(s, "boto-config", "the boto config") {
                    Outcome::Supplies {
                        access_key,
                        loc,
                        detail,
                        not_executed,
                    } => Outcome::Supplies {
                        access_key,
                        loc,
                        detail: format!("{detail} ({})", file.source.path),
                        not_executed,
                    },
                    other => other,
                };
            }
        }
        nothing("no boto config with [Credentials] aws_access_key_id")
    }
}
