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

fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Names that hold an AWS secret access key in any spelling: `aws_secret_access_key`,
/// `AWS_SECRET_ACCESS_KEY`, `secretAccessKey`, `S3_SECRET_ACCESS_KEY`, `aws.secretKey`, …
#[must_use]
pub fn is_secret_name(name: &str) -> bool {
    let s = squash(name);
    s.contains("secretaccesskey")
        || (s.contains("aws") && s.contains("secret") && s.contains("key"))
}

/// Names that hold an AWS access key id in any spelling.
#[must_use]
pub fn is_key_id_name(name: &str) -> bool {
    let s = squash(name);
    s.contains("accesskeyid")
        || (s.contains("aws") && s.contains("accesskey") && !s.contains("secret"))
}

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
