//! Classifying files into [`FileKind`]s: by name where the name decides, by content where
//! names are ambiguous (`config`, `profile`, chezmoi templates).

use crate::vocab::FileKind;
use std::path::Path;

/// Whether a path is in a cache folder of the AWS CLI or an SDK: `.aws/cli/cache/`,
/// `.aws/sso/cache/`, `.aws/boto/cache/` or `.aws/login/cache/`.
fn in_aws_cache(path: &Path) -> bool {
    let mut up = path.ancestors().skip(1).filter_map(Path::file_name);
    let (Some(cache), Some(tool), Some(aws)) = (up.next(), up.next(), up.next()) else {
        return false;
    };
    cache == "cache"
        && matches!(tool.to_str(), Some("cli" | "sso" | "boto" | "login"))
        && dotfile_name(aws.to_str().unwrap_or("")) == ".aws"
}

/// Classify a path by its name alone. `None` means the name does not decide.
#[must_use]
pub fn kind_by_name(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|p| p.to_str())
        .unwrap_or("");
    let (name, parent) = (dotfile_name(name), dotfile_name(parent));
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match lower.as_str() {
        ".envrc" | ".bashrc" | ".bash_profile" | ".bash_login" | ".bash_logout"
        | ".bash_aliases" | ".zshrc" | ".zshenv" | ".zprofile" | ".zlogin" | ".profile"
        | ".kshrc" | "envrc" | "bashrc" | "bash_profile" | "bash_login" | "bash_aliases"
        | "zshrc" | "zshenv" | "zprofile" | "zlogin" | "kshrc" => {
            return Some(FileKind::Shell);
        }
        ".boto" | "boto.cfg" | "boto.config" => return Some(FileKind::Boto2),
        "credentials" if parent == ".aws" => return Some(FileKind::AwsCredentials),
        "config" if parent == ".aws" => return Some(FileKind::AwsConfig),
        _ => {}
    }
    if ext == "json" && in_aws_cache(path) {
        return Some(FileKind::AwsCache);
    }
    if lower == ".env" || lower.starts_with(".env.") || ext == "env" {
        return Some(FileKind::Dotenv);
    }
    if matches!(
        ext,
        "sh" | "bash" | "zsh" | "ksh" | "fish" | "nu" | "ps1" | "psm1"
    ) {
        return Some(FileKind::Shell);
    }
    let yaml = matches!(ext, "yml" | "yaml");
    let in_workflows = parent == "workflows"
        && path
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .is_some_and(|g| g == ".github");
    Some(match ext {
        "py" | "pyw" => FileKind::Python,
        "js" | "mjs" | "cjs" | "jsx" => FileKind::JavaScript,
        "ts" | "mts" | "cts" | "tsx" => FileKind::TypeScript,
        "go" => FileKind::Go,
        "java" => FileKind::Java,
        "ipynb" => FileKind::Notebook,
        "tf" => FileKind::Terraform,
        _ if yaml && in_workflows => FileKind::GithubWorkflow,
        _ if lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" => FileKind::GitlabCi,
        _ if yaml
            && (lower.starts_with("docker-compose")
                || lower.starts_with("compose.")
                || lower.starts_with("compose-")) =>
        {
            FileKind::Compose
        }
        _ if lower == "dockerfile"
            || lower == "containerfile"
            || lower.starts_with("dockerfile.")
            || ext == "dockerfile" =>
        {
            FileKind::Dockerfile
        }
        "json" => FileKind::Json,
        _ if yaml => FileKind::Yaml,
        _ => return None,
    })
}

/// A name as a dotfile manager stores it, turned back into the name it is installed as:
/// chezmoi's attribute prefixes (`private_`, `executable_`, `readonly_`, `encrypted_`,
/// `exact_`, `empty_`, `create_`, `modify_`), its `dot_` for a leading dot and its `.tmpl`
/// suffix (`private_dot_aws` is `.aws`, `private_config.tmpl` is `config`).
#[must_use]
pub fn dotfile_name(name: &str) -> std::borrow::Cow<'_, str> {
    const ATTRIBUTES: [&str; 8] = [
        "private_",
        "executable_",
        "readonly_",
        "encrypted_",
        "exact_",
        "empty_",
        "create_",
        "modify_",
    ];
    let mut n = name.strip_suffix(".tmpl").unwrap_or(name);
    while let Some(rest) = ATTRIBUTES.iter().find_map(|p| n.strip_prefix(p)) {
        n = rest;
    }
    match n.strip_prefix("dot_") {
        Some(rest) if !rest.is_empty() => std::borrow::Cow::Owned(format!(".{rest}")),
        _ if n.len() == name.len() => std::borrow::Cow::Borrowed(name),
        _ => std::borrow::Cow::Owned(n.to_owned()),
    }
}

/// Names that only content can decide: ini-like files that may be AWS or boto files.
fn ini_candidate_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e);
    match ext {
        None => true,
        Some(e) => {
            matches!(
                e,
                "ini" | "cfg" | "conf" | "config" | "credentials" | "txt" | "aws"
            ) || lower.starts_with('.')
        }
    }
}

/// Decide an ambiguous file's kind from its content: an ini file whose sections and keys
/// are AWS's. An ini file with `[profile x]` sections is a config file wherever it lives.
#[must_use]
pub fn kind_by_content(path: &Path, text: &str) -> Option<FileKind> {
    if let Some(kind) = template_kind(path, text) {
        return Some(kind);
    }
    // A dotfile manager's name (`private_credentials.tmpl`) is read as the installed one.
    let installed;
    let path = match path.file_name().and_then(|n| n.to_str()).map(dotfile_name) {
        Some(std::borrow::Cow::Owned(n)) => {
            installed = path.with_file_name(n);
            installed.as_path()
        }
        _ => path,
    };
    // `profile` kept without its dot: a shell start-up file when it exports variables.
    if path.file_name().is_some_and(|n| n == "profile")
        && text
            .lines()
            .any(|l| l.trim_start().starts_with("export ") || l.starts_with("AWS_"))
    {
        return Some(FileKind::Shell);
    }
    if !ini_candidate_name(path) || !looks_like_ini(text) {
        return None;
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let has_header = |pred: &dyn Fn(&str) -> bool| {
        text.lines()
            .map(str::trim)
            .any(|l| l.starts_with('[') && l.ends_with(']') && pred(&l[1..l.len() - 1]))
    };
    let has_key = |key: &str| {
        text.lines().any(|l| {
            let l = l.trim_start().to_ascii_lowercase();
            l.starts_with(key) && l[key.len()..].trim_start().starts_with(['=', ':'])
        })
    };
    let aws_keys = has_key("aws_access_key_id") || has_key("aws_secret_access_key");
    if aws_keys && (has_header(&|h| h == "Credentials") || name.contains("boto")) {
        return Some(FileKind::Boto2);
    }
    let profile_headers =
        has_header(&|h| h.starts_with("profile ") || h.starts_with("sso-session "));
    if name.contains("credential") && (aws_keys || profile_headers || has_key("role_arn")) {
        return Some(FileKind::AwsCredentials);
    }
    if profile_headers {
        return Some(FileKind::AwsConfig);
    }
    let config_keys =
        has_key("region") || has_key("role_arn") || has_key("sso_start_url") || has_key("output");
    if name.contains("config") && has_header(&|h| h == "default") && (config_keys || aws_keys) {
        return Some(FileKind::AwsConfig);
    }
    aws_keys.then_some(FileKind::AwsCredentials)
}

/// `CloudFormation` templates named `*.template` or `*.cfn`: JSON or YAML by their first
/// character.
fn template_kind(path: &Path, text: &str) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if ext != "template" && ext != "cfn" {
        return None;
    }
    let body = text.trim_start_matches('\u{feff}').trim_start();
    Some(if body.starts_with('{') {
        FileKind::Json
    } else {
        FileKind::Yaml
    })
}

fn looks_like_ini(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
        .is_some_and(|l| l.starts_with('[') && l.contains(']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide_the_clear_cases() {
        let k = |p: &str| kind_by_name(Path::new(p));
        assert_eq!(k("a/.env"), Some(FileKind::Dotenv));
        assert_eq!(k("a/.env.production"), Some(FileKind::Dotenv));
        assert_eq!(k("a/prod.env"), Some(FileKind::Dotenv));
        assert_eq!(k(".envrc"), Some(FileKind::Shell));
        assert_eq!(k("deploy.sh"), Some(FileKind::Shell));
        assert_eq!(k("home/.aws/credentials"), Some(FileKind::AwsCredentials));
        assert_eq!(k("home/.aws/config"), Some(FileKind::AwsConfig));
        assert_eq!(k("home/.aws/cli/cache/3f0c.json"), Some(FileKind::AwsCache));
        assert_eq!(k("h/.aws/sso/cache/a.json"), Some(FileKind::AwsCache));
        assert_eq!(
            k("home/private_dot_aws/boto/cache/a.json"),
            Some(FileKind::AwsCache)
        );
        assert_ne!(k("app/cli/cache/a.json"), Some(FileKind::AwsCache));
        assert_ne!(k("home/.aws/cli/cache/notes.txt"), Some(FileKind::AwsCache));
        assert_eq!(k(".boto"), Some(FileKind::Boto2));
        assert_eq!(k("x/config"), None);
        assert_eq!(k("main.py"), Some(FileKind::Python));
        assert_eq!(k("web/app.tsx"), Some(FileKind::TypeScript));
        assert_eq!(
            k(".github/workflows/deploy.yml"),
            Some(FileKind::GithubWorkflow)
        );
        assert_eq!(k("ci/workflows/deploy.yml"), Some(FileKind::Yaml));
        assert_eq!(k(".gitlab-ci.yml"), Some(FileKind::GitlabCi));
        assert_eq!(k("docker-compose.prod.yaml"), Some(FileKind::Compose));
        assert_eq!(k("Dockerfile.dev"), Some(FileKind::Dockerfile));
        assert_eq!(k("notes.ipynb"), Some(FileKind::Notebook));
        assert_eq!(k("README.md"), None);
    }

    #[test]
    fn content_decides_ambiguous_names() {
        let k = |p: &str, t: &str| kind_by_content(Path::new(p), t);
        assert_eq!(
            k("ci/aws.conf", "[profile dev]\nregion = x\n"),
            Some(FileKind::AwsConfig)
        );
        assert_eq!(
            k("credentials", "[profile dev]\naws_access_key_id = x\n"),
            Some(FileKind::AwsCredentials)
        );
        assert_eq!(
            k("deploy/keys.ini", "[prod]\naws_access_key_id = x\n"),
            Some(FileKind::AwsCredentials)
        );
        assert_eq!(
            k("x.cfg", "[Credentials]\naws_access_key_id = x\n"),
            Some(FileKind::Boto2)
        );
        assert_eq!(k("setup.cfg", "[metadata]\nname = x\n"), None);
        assert_eq!(k("main.rs", "[profile dev]\n"), None);
    }

    #[test]
    fn dotfile_manager_names() {
        assert_eq!(dotfile_name("private_dot_aws"), ".aws");
        assert_eq!(dotfile_name("private_config.tmpl"), "config");
        assert_eq!(dotfile_name("dot_zshrc"), ".zshrc");
        assert_eq!(dotfile_name("executable_dot_profile.tmpl"), ".profile");
        assert_eq!(dotfile_name("dot_"), "dot_");
        assert_eq!(dotfile_name("config"), "config");
        let k = |p: &str| kind_by_name(Path::new(p));
        assert_eq!(
            k("private_dot_aws/private_config.tmpl"),
            Some(FileKind::AwsConfig)
        );
        assert_eq!(k("dot_aws/credentials"), Some(FileKind::AwsCredentials));
        assert_eq!(k("zsh/zshrc"), Some(FileKind::Shell));
        assert_eq!(k("dot_bashrc.tmpl"), Some(FileKind::Shell));
        assert_eq!(k("fish/config.fish"), Some(FileKind::Shell));
        assert_eq!(k("Microsoft.PowerShell_profile.ps1"), Some(FileKind::Shell));
        assert_eq!(k("app/config"), None);
        let c = |p: &str, t: &str| kind_by_content(Path::new(p), t);
        assert_eq!(
            c("profile", "export AWS_PROFILE=dev\n"),
            Some(FileKind::Shell)
        );
        assert_eq!(
            c("aws/private_config.tmpl", "[profile a]\nregion = x\n"),
            Some(FileKind::AwsConfig)
        );
        assert_eq!(c("app/config", "[core]\nbare = false\n"), None);
    }
}
