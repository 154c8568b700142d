//! CL313: a key in a config or credentials file that no SDK reads: a misspelt setting
//! (`so_start_url`) is silently ignored, so the profile falls through to another source or
//! fails later. Keys of tools built on these files (aws-vault, granted, saml2aws, …) and the
//! settings a project allows in `.credlint.toml` are left alone.

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::sections::{ConfigSection, config_section};
use crate::parse::Parsed;

/// Profile settings that botocore, the AWS CLI or the SDKs read, checked against their
/// sources: botocore 1.44.5 `configprovider.py` (the session variables, the S3 and proxy
/// settings), the CLI's `cli_*` settings and `emr` (`customizations/emr/configutils.py`), the
/// Go, JavaScript, Java, .NET, Ruby and Rust SDKs' profile keys (`sdk-ua-app-id` is JS and
/// Rust's older spelling), and the SDKs and Tools settings reference.
const PROFILE: &[&str] = &[
    "account_id_endpoint_mode",
    "adaptive_retry_wait_to_fill",
    "api_versions",
    "auth_scheme_preference",
    "aws_access_key_id",
    "aws_account_id",
    "aws_credential_scope",
    "aws_endpoint_discovery_enabled",
    "aws_secret_access_key",
    "aws_security_token",
    "aws_session_token",
    "ca_bundle",
    "cli_auto_prompt",
    "cli_binary_format",
    "cli_error_format",
    "cli_follow_urlparam",
    "cli_help_output",
    "cli_history",
    "cli_pager",
    "cli_timestamp_format",
    "correct_clock_skew",
    "credential_process",
    "credential_source",
    "csm_client_id",
    "csm_enabled",
    "csm_host",
    "csm_port",
    "data_path",
    "defaults_mode",
    "disable_clock_skew_correction",
    "disable_host_prefix_injection",
    "disable_request_compression",
    "duration_seconds",
    "ec2_metadata_service_endpoint",
    "ec2_metadata_service_endpoint_mode",
    "ec2_metadata_v1_disabled",
    "emr",
    "endpoint_discovery_enabled",
    "endpoint_url",
    "external_id",
    "ignore_configured_endpoint_urls",
    "imds_use_ipv6",
    "login_session",
    "max_attempts",
    "metadata_service_num_attempts",
    "metadata_service_timeout",
    "mfa_serial",
    "output",
    "parameter_validation",
    "proxies_config",
    "proxy_ca_bundle",
    "proxy_client_cert",
    "proxy_use_forwarding_for_https",
    "region",
    "request_checksum_calculation",
    "request_min_compression_size_bytes",
    "response_checksum_validation",
    "retry_mode",
    "role_arn",
    "role_session_name",
    "s3",
    "s3_disable_express_session_auth",
    "s3_disable_multiregion_access_points",
    "s3_us_east_1_regional_endpoint",
    "s3_use_arn_region",
    "sdk-ua-app-id",
    "sdk_ua_app_id",
    "services",
    "sigv4a_signing_region_set",
    "source_profile",
    "sso_account_id",
    "sso_region",
    "sso_registration_scopes",
    "sso_role_name",
    "sso_session",
    "sso_start_url",
    "sts_regional_endpoints",
    "tcp_keepalive",
    "toolkit_artifact_guid",
    "use_dualstack_endpoint",
    "use_fips_endpoint",
    "web_identity_token_file",
];

/// The keys of an `[sso-session NAME]` section.
const SSO_SESSION: &[&str] = &["sso_region", "sso_registration_scopes", "sso_start_url"];

/// The keys nested under `s3 =` (botocore's S3 client config and `signature_version`, the
/// CLI's transfer settings, experimental ones included).
const S3: &[&str] = &[
    "addressing_style",
    "direct_io",
    "disk_throughput",
    "io_chunksize",
    "max_bandwidth",
    "max_concurrent_requests",
    "max_queue_size",
    "multipart_chunksize",
    "multipart_threshold",
    "payload_signing_enabled",
    "preferred_transfer_client",
    "s3_disable_multiregion_access_points",
    "should_stream",
    "signature_version",
    "target_bandwidth",
    "us_east_1_regional_endpoint",
    "use_accelerate_endpoint",
    "use_arn_region",
    "use_dualstack_endpoint",
];

/// Settings of tools that keep their own keys in these files, each documented by its tool:
/// aws-vault, granted, saml2aws, awsume, aws-sso-util, aws-azure-login, aws-google-auth,
/// aws-mfa, leapp, steampipe and the SSO helpers that write cached credentials back.
const TOOLS: &[&str] = &[
    // aws-vault
    "include_profile",
    "mfa_process",
    "parent_profile",
    "session_tags",
    "source_identity",
    "transitive_session_tags",
    "web_identity_token_process",
    // granted / Common Fate
    "common_fate_generated_from",
    "granted_sso_account_id",
    "granted_sso_region",
    "granted_sso_registration_scopes",
    "granted_sso_role_name",
    "granted_sso_start_url",
    // saml2aws (writes these beside the keys it fetches)
    "x_principal_arn",
    "x_security_token_expires",
    // awsume
    "autoawsume",
    "awsume_session_expiration",
    "source_expiration",
    // aws-sso-util
    "sso_account_name",
    "sso_auto_populated",
    "sso_role_duration",
    // aws-mfa and others that cache temporary keys
    "assumed_role",
    "assumed_role_arn",
    "aws_expiration",
    "aws_mfa_device",
    "aws_session_expiration",
    "expiration",
    // aws-azure-login
    "azure_app_id_uri",
    "azure_default_duration_hours",
    "azure_default_password",
    "azure_default_remember_me",
    "azure_default_role_arn",
    "azure_default_username",
    "azure_tenant_id",
];

/// Tools that keep their settings under a prefix of their own, each key read by that tool
/// alone: aws-adfs (`adfs_config.adfs_host`, `adfs_config.role_arn`, …) and aws-google-auth
/// (`google_config.google_idp_id`, …).
const TOOL_PREFIXES: &[&str] = &["adfs_config.", "google_config."];

/// The AWS CLI v1 plugin `awscli-plugin-endpoint`, once a config file's `[plugins]` section
/// loads it, reads `endpoint_url` nested under a service name in a profile (`s3api =`,
/// `dynamodb =`, `s3 =`).
const ENDPOINT_PLUGIN: &str = "awscli_plugin_endpoint";

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest known key, when it is close enough to be what was meant.
fn suggestion<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = if key.len() <= 6 { 1 } else { 2 };
    known
        .iter()
        .map(|k| (distance(key, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Keys that are not settings at all but template text (chezmoi, Jinja, shell).
fn is_template(key: &str) -> bool {
    key.contains(['{', '}', '$', '<', '>', '%'])
}

fn message(key: &str, place: &str, known: &[&str]) -> String {
    let hint = suggestion(key, known).map_or_else(
        || {
            " (if a tool of yours reads it, add it to `allow-settings` in .credlint.toml)"
                .to_owned()
        },
        |k| format!("; did you mean `{k}`?"),
    );
    format!(
        "`{key}` {place} is not a setting any AWS SDK or the CLI reads; botocore ignores it{hint}"
    )
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let allowed = |k: &str| {
        TOOLS.contains(&k)
            || TOOL_PREFIXES.iter().any(|p| k.starts_with(p))
            || ws.allow_settings.iter().any(|a| a.eq_ignore_ascii_case(k))
    };
    for (i, f) in ws.files.iter().enumerate() {
        if !matches!(f.kind, FileKind::AwsConfig | FileKind::AwsCredentials) {
            continue;
        }
        let Parsed::Ini(ini) = &f.parsed else {
            continue;
        };
        let endpoint_plugin = f.kind == FileKind::AwsConfig
            && ini.sections.iter().any(|s| {
                s.name == "plugins" && s.entries.iter().any(|e| e.value.trim() == ENDPOINT_PLUGIN)
            });
        // A service's endpoint for the plugin: `NAME =` with nothing nested but `endpoint_url`.
        let plugin_endpoint = |e: &crate::parse::ini::IniEntry| {
            endpoint_plugin
                && e.nested
                    .as_ref()
                    .is_some_and(|n| !n.is_empty() && n.iter().all(|(k, _)| k == "endpoint_url"))
        };
        for s in &ini.sections {
            let section = if f.kind == FileKind::AwsConfig {
                config_section(&s.name)
            } else {
                ConfigSection::Profile(s.name.clone())
            };
            let looks_like_profile = || s.entries.iter().any(|e| PROFILE.contains(&e.key.as_str()));
            let known = match section {
                ConfigSection::Profile(_) => PROFILE,
                ConfigSection::SsoSession(_) => SSO_SESSION,
                // `[dev]` in a config file: meant as a profile (CL304 reports the header),
                // so its keys are what the user will have once the header is fixed. Other
                // such sections (`[plugins]`, `[preview]`) and `[services x]`, which maps
                // service ids to nested settings, have keys of their own.
                ConfigSection::Other if s.name != "DEFAULT" && looks_like_profile() => PROFILE,
                _ => continue,
            };
            for e in &s.entries {
                // A profile setting in an `[sso-session]` is misplaced, not misspelt, and
                // the profiles using the session set it themselves.
                if is_template(&e.key)
                    || (known == SSO_SESSION && PROFILE.contains(&e.key.as_str()))
                {
                    continue;
                }
                if plugin_endpoint(e) {
                    continue;
                }
                if !known.contains(&e.key.as_str()) && !allowed(&e.key) {
                    let msg = message(&e.key, &format!("in [{}]", s.name), known);
                    out.push(Finding::new(
                        RuleId::UnknownSetting,
                        ws.location(i, e.key_span),
                        msg,
                    ));
                    continue;
                }
                let (Some(nested), "s3") = (&e.nested, e.key.as_str()) else {
                    continue;
                };
                for (k, _) in nested {
                    if S3.contains(&k.as_str())
                        || allowed(k)
                        || is_template(k)
                        || (endpoint_plugin && k == "endpoint_url")
                    {
                        continue;
                    }
                    let msg = message(k, &format!("under `s3 =` in [{}]", s.name), S3);
                    out.push(Finding::new(
                        RuleId::UnknownSetting,
                        ws.location(i, e.key_span),
                        msg,
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{PROFILE, distance, suggestion};

    #[test]
    fn suggestions() {
        assert_eq!(distance("so_start_url", "sso_start_url"), 1);
        assert_eq!(suggestion("so_start_url", PROFILE), Some("sso_start_url"));
        assert_eq!(suggestion("regio", PROFILE), Some("region"));
        assert_eq!(suggestion("rolearn", PROFILE), Some("role_arn"));
        assert_eq!(suggestion("okta_username", PROFILE), None);
    }
}
