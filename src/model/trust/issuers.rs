//! OIDC issuers: the providers credlint knows, by the host in a federated principal or in
//! a statement's condition keys.

use super::statements::Statement;

/// An OIDC issuer credlint knows, by the host in the provider ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Issuer {
    GithubActions,
    Gitlab,
    TerraformCloud,
    Bitbucket,
    CircleCi,
    Eks,
    Google,
    Cognito,
    Other,
}

impl Issuer {
    #[must_use]
    pub const fn display(self) -> &'static str {
        match self {
            Self::GithubActions => "GitHub Actions",
            Self::Gitlab => "GitLab",
            Self::TerraformCloud => "Terraform Cloud",
            Self::Bitbucket => "Bitbucket Pipelines",
            Self::CircleCi => "CircleCI",
            Self::Eks => "EKS",
            Self::Google => "Google",
            Self::Cognito => "Cognito",
            Self::Other => "this identity provider",
        }
    }
}

/// The issuer host of a federated principal (`arn:…:oidc-provider/HOST` or `HOST`); `None`
/// for SAML providers.
#[must_use]
pub fn issuer_host(principal: &str) -> Option<&str> {
    if principal.contains(":saml-provider/") {
        return None;
    }
    Some(
        principal
            .rsplit_once(":oidc-provider/")
            .map_or(principal, |(_, h)| h)
            .trim_start_matches("https://"),
    )
}

#[must_use]
pub fn issuer(host: &str) -> Issuer {
    let h = host.to_ascii_lowercase();
    if h == "token.actions.githubusercontent.com"
        || h.starts_with("token.actions.githubusercontent.com/")
    {
        Issuer::GithubActions
    } else if h == "gitlab.com" || h.starts_with("gitlab.") || h.contains("gitlab") {
        Issuer::Gitlab
    } else if h == "app.terraform.io" || h.starts_with("app.terraform.io/") {
        Issuer::TerraformCloud
    } else if h.starts_with("api.bitbucket.org/") || h.contains("bitbucket") {
        Issuer::Bitbucket
    } else if h.starts_with("oidc.circleci.com") {
        Issuer::CircleCi
    } else if h.starts_with("oidc.eks.") {
        Issuer::Eks
    } else if h == "accounts.google.com" {
        Issuer::Google
    } else if h == "cognito-identity.amazonaws.com" {
        Issuer::Cognito
    } else {
        Issuer::Other
    }
}

/// Hosts named by a statement's condition keys (`HOST:claim`), for a federated principal
/// written as a reference (`aws_iam_openid_connect_provider.github.arn`).
#[must_use]
pub fn condition_hosts(st: &Statement) -> Vec<String> {
    let mut hosts: Vec<String> = st
        .conditions
        .iter()
        .filter_map(|c| {
            let (host, _) = c.key.rsplit_once(':')?;
            let lower = host.to_ascii_lowercase();
            (!lower.starts_with("aws") && lower != "sts" && lower != "saml" && !host.contains("${"))
                .then_some(lower)
        })
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers() {
        assert_eq!(
            issuer("token.actions.githubusercontent.com"),
            Issuer::GithubActions
        );
        assert_eq!(
            issuer("token.actions.githubusercontent.com/my-ent"),
            Issuer::GithubActions
        );
        assert_eq!(
            issuer("oidc.eks.eu-west-1.amazonaws.com/id/ABC"),
            Issuer::Eks
        );
        assert_eq!(issuer("app.terraform.io"), Issuer::TerraformCloud);
        assert_eq!(
            issuer_host("arn:aws:iam::111122223333:oidc-provider/gitlab.com"),
            Some("gitlab.com")
        );
        assert_eq!(
            issuer_host("arn:aws:iam::111122223333:saml-provider/okta"),
            None
        );
    }
}
