//! The vocabulary every stage shares: what a file is ([`FileKind`]), whether git would
//! commit it ([`GitStatus`]), how serious a finding is ([`Level`]), and which setting
//! names hold an AWS secret or key id in any spelling ([`is_secret_name`]). Plain types
//! and name tests; any module may import this one, and it imports nothing of the crate.

use serde::{Deserialize, Serialize};

/// What a file is, for credlint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Dotenv,
    Shell,
    AwsCredentials,
    AwsConfig,
    Boto2,
    /// A cache file of the AWS CLI or an SDK under `.aws/` (`cli/cache`, `sso/cache`,
    /// `boto/cache`, `login/cache`): STS credentials or an SSO access token, as JSON.
    AwsCache,
    Python,
    // Named as users write them (and as `as_str` does), not `java-script`.
    #[serde(rename = "javascript")]
    JavaScript,
    #[serde(rename = "typescript")]
    TypeScript,
    Go,
    Java,
    Notebook,
    GithubWorkflow,
    GitlabCi,
    Dockerfile,
    Compose,
    Terraform,
    /// JSON: IAM policy documents, `CloudFormation` templates, CLI input; read for trust
    /// policies and loose credential pairs.
    Json,
    /// YAML that is not a CI workflow or compose file (`CloudFormation`, SAM, …).
    Yaml,
    Other,
}

impl FileKind {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Dotenv => "dotenv",
            Self::Shell => "shell",
            Self::AwsCredentials => "aws-credentials",
            Self::AwsConfig => "aws-config",
            Self::Boto2 => "boto2",
            Self::AwsCache => "aws-cache",
            Self::Python => "python",
            Self::JavaScript => "javascript",
            Self::TypeScript => "typescript",
            Self::Go => "go",
            Self::Java => "java",
            Self::Notebook => "notebook",
            Self::GithubWorkflow => "github-workflow",
            Self::GitlabCi => "gitlab-ci",
            Self::Dockerfile => "dockerfile",
            Self::Compose => "compose",
            Self::Terraform => "terraform",
            Self::Json => "json",
            Self::Yaml => "yaml",
            Self::Other => "other",
        }
    }

    /// Credential files, CI workflows and container files: read and parsed whatever their
    /// content (and even when git ignores them). Source code is parsed only when the
    /// prefilter finds AWS credential tokens in it.
    #[must_use]
    pub const fn is_credential_kind(self) -> bool {
        !self.is_code() && !matches!(self, Self::Other | Self::Json | Self::Yaml)
    }

    /// Source code kinds, parsed with tree-sitter.
    #[must_use]
    pub const fn is_code(self) -> bool {
        matches!(
            self,
            Self::Python
                | Self::JavaScript
                | Self::TypeScript
                | Self::Go
                | Self::Java
                | Self::Notebook
        )
    }

    #[must_use]
    pub const fn is_ini(self) -> bool {
        matches!(self, Self::AwsCredentials | Self::AwsConfig | Self::Boto2)
    }
}

/// The credential fields of an AWS CLI or SDK cache file (`FileKind::AwsCache`): STS
/// `Credentials` as the CLI and botocore cache them, and an SSO or login access token.
#[must_use]
pub fn cache_slot(key: &str) -> Option<CacheField> {
    match key {
        "AccessKeyId" => Some(CacheField::KeyId),
        "SecretAccessKey" => Some(CacheField::Secret),
        "SessionToken" | "accessToken" | "refreshToken" => Some(CacheField::Token),
        _ => None,
    }
}

/// What a field of a cache file holds (see [`cache_slot`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheField {
    KeyId,
    Secret,
    Token,
}

/// Whether git would commit a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GitStatus {
    /// In git's index: committed or staged. Ignore rules no longer apply to it; the next
    /// commit carries it whatever `.gitignore` says.
    Tracked,
    /// Inside a git work tree, not tracked and not ignored: `git add` would stage it.
    Committable,
    /// Not tracked, and matched by `.gitignore`, `.git/info/exclude` or the global
    /// excludes file.
    Ignored,
    /// Not inside a git work tree.
    NoRepo,
}

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "info" | "note" => Some(Self::Info),
            "warning" | "warn" => Some(Self::Warning),
            "error" => Some(Self::Error),
            _ => None,
        }
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
