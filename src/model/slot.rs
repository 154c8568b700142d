//! What a setting's name means: which credential slot a variable or ini key fills.

/// The role a variable or ini key plays in credential resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    KeyId,
    Secret,
    Token,
    Profile,
    DefaultProfile,
    RoleArn,
    SourceProfile,
    CredentialSource,
    MfaSerial,
    DurationSeconds,
    CredentialProcess,
    /// `AWS_BEARER_TOKEN_BEDROCK`: a Bedrock API key that outranks the credential chain for
    /// Bedrock clients.
    BearerToken,
    Other,
}

/// The slot of an environment variable, by botocore's exact names.
#[must_use]
pub fn env_slot(name: &str) -> Slot {
    match name {
        "AWS_ACCESS_KEY_ID" => Slot::KeyId,
        "AWS_SECRET_ACCESS_KEY" => Slot::Secret,
        "AWS_SESSION_TOKEN" | "AWS_SECURITY_TOKEN" => Slot::Token,
        "AWS_PROFILE" => Slot::Profile,
        "AWS_DEFAULT_PROFILE" => Slot::DefaultProfile,
        "AWS_ROLE_ARN" => Slot::RoleArn,
        "AWS_BEARER_TOKEN_BEDROCK" => Slot::BearerToken,
        _ => Slot::Other,
    }
}

/// The slot of a `configure-aws-credentials` input.
#[must_use]
pub fn action_input_slot(name: &str) -> Slot {
    match name {
        "aws-access-key-id" => Slot::KeyId,
        "aws-secret-access-key" => Slot::Secret,
        "aws-session-token" => Slot::Token,
        "role-to-assume" => Slot::RoleArn,
        _ => Slot::Other,
    }
}

/// The slot of an ini key (already lower-cased) in an AWS credentials or config file.
#[must_use]
pub fn ini_slot(key: &str) -> Slot {
    match key {
        "aws_access_key_id" => Slot::KeyId,
        "aws_secret_access_key" => Slot::Secret,
        "aws_session_token" | "aws_security_token" => Slot::Token,
        "role_arn" => Slot::RoleArn,
        "source_profile" => Slot::SourceProfile,
        "credential_source" => Slot::CredentialSource,
        "mfa_serial" => Slot::MfaSerial,
        "duration_seconds" => Slot::DurationSeconds,
        "credential_process" => Slot::CredentialProcess,
        _ => Slot::Other,
    }
}

pub use crate::vocab::{is_key_id_name, is_secret_name};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_names() {
        for n in [
            "aws_secret_access_key",
            "AWS_SECRET_ACCESS_KEY",
            "secretAccessKey",
            "aws.secretKey",
            "S3_SECRET_ACCESS_KEY",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in ["SECRET_KEY_BASE", "DJANGO_SECRET_KEY", "aws_access_key_id"] {
            assert!(!is_secret_name(n), "{n}");
        }
        assert!(is_key_id_name("accessKeyId"));
        assert!(is_key_id_name("MY_AWS_ACCESS_KEY"));
        assert!(!is_key_id_name("AWS_SECRET_ACCESS_KEY"));
    }
}
