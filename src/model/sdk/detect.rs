//! Which AWS SDKs a tree uses, from its manifests and imports: the SDK-aware rules say what
//! each SDK present does (docs/SDK-CHAINS.md). A cheap text test per file, made while the
//! file is read, before the scan decides whether to keep it.

use serde::Serialize;
use std::path::Path;

/// An SDK family a tree can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Used {
    /// boto3 / botocore (Python).
    Botocore,
    /// The AWS SDK for JavaScript v3 (`@aws-sdk/...`).
    JsV3,
    /// The AWS SDK for Go v2.
    GoV2,
    /// The AWS SDK for Rust (`aws-config`).
    Rust,
}

impl Used {
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Botocore => "botocore",
            Self::JsV3 => "JavaScript v3",
            Self::GoV2 => "Go v2",
            Self::Rust => "Rust",
        }
    }

    /// The name `credlint resolve --sdk` gives its model (`side::ALL`).
    #[must_use]
    pub const fn sdk(self) -> &'static str {
        match self {
            Self::Botocore => "botocore",
            Self::JsV3 => "js-v3",
            Self::GoV2 => "go-v2",
            Self::Rust => "rust",
        }
    }

    /// How a finding's message names it.
    #[must_use]
    pub const fn in_messages(self) -> &'static str {
        match self {
            Self::Botocore => "boto3",
            Self::JsV3 => "the JavaScript v3 SDK",
            Self::GoV2 => "the Go v2 SDK",
            Self::Rust => "the Rust SDK",
        }
    }
}

fn python_import(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        [
            "import boto3",
            "from boto3",
            "import botocore",
            "from botocore",
            "import aioboto3",
        ]
        .iter()
        .any(|p| {
            l.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '.', ',', '\r']))
        })
    })
}

/// A requirement line or manifest entry naming `name` as a whole package name.
fn names_package(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let part =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        !part(before) && !part(after)
    })
}

/// The SDKs a file shows the tree uses (at most a few per file).
#[must_use]
pub fn used_by(path: &Path, text: &str) -> Vec<Used> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let mut out = Vec::new();
    let python_manifest = (name.starts_with("requirements") && ext == "txt")
        || matches!(
            name.as_str(),
            "pyproject.toml"
                | "pipfile"
                | "setup.py"
                | "setup.cfg"
                | "poetry.lock"
                | "pipfile.lock"
        );
    if (python_manifest && (names_package(text, "boto3") || names_package(text, "botocore")))
        || (matches!(ext, "py" | "pyw") && python_import(text))
    {
        out.push(Used::Botocore);
    }
    let js_code = matches!(
        ext,
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx"
    );
    if (name == "package.json" && text.contains("\"@aws-sdk/"))
        || (js_code && (text.contains("'@aws-sdk/") || text.contains("\"@aws-sdk/")))
    {
        out.push(Used::JsV3);
    }
    if (name == "go.mod" || ext == "go") && text.contains("github.com/aws/aws-sdk-go-v2") {
        out.push(Used::GoV2);
    }
    if (name == "cargo.toml" && names_package(text, "aws-config"))
        || (ext == "rs" && text.contains("aws_config::"))
    {
        out.push(Used::Rust);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(path: &str, text: &str) -> Vec<Used> {
        used_by(Path::new(path), text)
    }

    #[test]
    fn manifests_and_imports() {
        assert_eq!(used("requirements.txt", "boto3==1.34\n"), [Used::Botocore]);
        assert_eq!(used("requirements-dev.txt", "types-boto3-lite\n"), []);
        assert_eq!(
            used(
                "app/main.py",
                "import os\nfrom boto3.session import Session\n"
            ),
            [Used::Botocore]
        );
        assert_eq!(used("app/main.py", "import boto3x\n"), []);
        assert_eq!(
            used(
                "package.json",
                "{\"dependencies\": {\"@aws-sdk/client-s3\": \"^3\"}}"
            ),
            [Used::JsV3]
        );
        assert_eq!(
            used("package.json", "{\"dependencies\": {\"aws-sdk\": \"^2\"}}"),
            []
        );
        assert_eq!(
            used("src/a.ts", "import { S3Client } from '@aws-sdk/client-s3';"),
            [Used::JsV3]
        );
        assert_eq!(
            used(
                "go.mod",
                "require github.com/aws/aws-sdk-go-v2/config v1.17.10\n"
            ),
            [Used::GoV2]
        );
        assert_eq!(
            used("Cargo.toml", "[dependencies]\naws-config = \"1\"\n"),
            [Used::Rust]
        );
        assert_eq!(
            used("Cargo.toml", "[dependencies]\naws-config-x = \"1\"\n"),
            []
        );
        assert_eq!(used("README.md", "import boto3\n'@aws-sdk/x'"), []);
    }
}
