//! The rule registry: every rule's id, code, name and metadata, from one table
//! ([`rule_table!`]). The table also generates, in `rules/mod.rs`, the `mod` line of each
//! rule module and the dispatch to its `check` function, so adding a rule is one row here.

use crate::vocab::Level;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Every rule: `Variant = "code", "name", module;`, in code order. Calls `$then!` with
/// the rows, so that each consumer (the ids here, the modules in `rules/mod.rs`) reads the
/// same table.
macro_rules! rule_table {
    ($then:ident) => {
        $then! {
            LongLivedAccessKey = "CL101", "long-lived-access-key", long_lived_access_key;
            HardcodedSecretKey = "CL102", "hardcoded-secret-key", hardcoded_secret_key;
            ExplicitCredentialsInCode = "CL103", "explicit-credentials-in-code", explicit_credentials_in_code;
            CredentialFileNotIgnored = "CL104", "credential-file-not-ignored", credential_file_not_ignored;
            StaticKeysInCi = "CL105", "static-keys-in-ci", static_keys_in_ci;
            SecretInImage = "CL106", "secret-in-image", secret_in_image;
            LongLivedBedrockApiKey = "CL107", "long-lived-bedrock-api-key", long_lived_bedrock_api_key;
            ShortTermBedrockApiKey = "CL108", "short-term-bedrock-api-key", short_term_bedrock_api_key;
            TemporaryKeyWithoutToken = "CL201", "temporary-key-without-token", temporary_key_without_token;
            TokenWithLongLivedKey = "CL202", "token-with-long-lived-key", token_with_long_lived_key;
            PartialCredentials = "CL203", "partial-credentials", partial_credentials;
            MalformedKeyId = "CL204", "malformed-key-id", malformed_key_id;
            EnvOverridesProfile = "CL301", "env-overrides-profile", env_overrides_profile;
            ProfileShadowedAcrossFiles = "CL302", "profile-shadowed-across-files", profile_shadowed_across_files;
            PrefixedSectionInCredentials = "CL303", "prefixed-section-in-credentials", prefixed_section_in_credentials;
            UnprefixedSectionInConfig = "CL304", "unprefixed-section-in-config", unprefixed_section_in_config;
            DefaultProfileConflict = "CL305", "default-profile-conflict", default_profile_conflict;
            ShadowedSource = "CL306", "shadowed-source", shadowed_source;
            ConfigParseError = "CL307", "config-parse-error", config_parse_error;
            MissingProfile = "CL308", "missing-profile", missing_profile;
            SplitKeyPair = "CL309", "split-key-pair", split_key_pair;
            DefaultProfileEnvConflict = "CL310", "default-profile-env-conflict", default_profile_env_conflict;
            InheritedDefaultsSection = "CL311", "inherited-defaults-section", inherited_defaults_section;
            BearerTokenOverridesChain = "CL312", "bearer-token-overrides-chain", bearer_token_overrides_chain;
            UnknownSetting = "CL313", "unknown-setting", unknown_setting;
            SdksDisagree = "CL314", "sdks-disagree", sdks_disagree;
            InvalidRoleSource = "CL401", "invalid-role-source", invalid_role_source;
            RoleChainCycle = "CL402", "role-chain-cycle", role_chain_cycle;
            InvalidRoleArn = "CL403", "invalid-role-arn", invalid_role_arn;
            LongLivedSourceWithoutMfa = "CL404", "long-lived-source-without-mfa", long_lived_source_without_mfa;
            DurationOutOfRange = "CL405", "duration-out-of-range", duration_out_of_range;
            HandRolledAssumeRole = "CL406", "hand-rolled-assume-role", hand_rolled_assume_role;
            ProfileRaises = "CL407", "profile-raises", profile_raises;
            TrustAnyPrincipal = "CL501", "trust-any-principal", trust_any_principal;
            CrossAccountWithoutExternalId = "CL502", "cross-account-without-external-id", cross_account_without_external_id;
            ServiceWithoutSourceCondition = "CL503", "service-without-source-condition", service_without_source_condition;
            OidcWithoutSubject = "CL504", "oidc-without-subject", oidc_without_subject;
            TrustAllActions = "CL505", "trust-all-actions", trust_all_actions;
            NotPrincipalAllow = "CL506", "not-principal-allow", not_principal_allow;
            TrustNobodyCanAssume = "CL507", "trust-nobody-can-assume", trust_nobody_can_assume;
            CredentialsFilePermissions = "CL601", "credentials-file-permissions", credentials_file_permissions;
            LegacyBoto2Credentials = "CL602", "legacy-boto2-credentials", legacy_boto2_credentials;
            UnusedSuppression = "CL603", "unused-suppression", unused_suppression;
        }
    };
}
pub(crate) use rule_table;

/// Rule categories, the hundreds digit of the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Exposure,
    Consistency,
    Precedence,
    RoleProfiles,
    TrustPolicies,
    Hygiene,
}

/// A rule's documentation, the sections of `credlint explain` and of SARIF help.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub what: String,
    pub why: String,
    pub example: String,
    pub use_instead: String,
}

/// Everything `rules/<code>-<name>.toml` says about a rule.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub code: String,
    pub name: String,
    pub category: Category,
    pub level: Level,
    pub summary: String,
    /// One line shown under every finding of the rule.
    pub help: String,
    /// How often a finding is a true problem (SARIF `precision`).
    pub precision: Precision,
    /// GitHub's 0.1–10.0 `security-severity`; absent for hygiene rules that are not
    /// security alerts (their SARIF descriptor has neither the score nor the `security` tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_severity: Option<f32>,
    pub docs: Docs,
    #[serde(default)]
    pub references: Vec<String>,
    /// Whether `credlint fix` may apply the rule's suggested fixes.
    #[serde(default)]
    pub fix: Option<FixSafety>,
    /// What the rule reports in test code (see [`TestCode`]).
    #[serde(default)]
    pub test_code: TestCode,
}

/// What a rule reports in a project's test code (`tests/`, `testdata/`, `*_test.go`, …, see
/// `discover::is_test_path`) unless `--include-tests` is given. Test trees hold the inputs
/// that exercise a program: fake keys, deliberately broken configs, roles written for an
/// emulator. They are not the project's own set-up, so rules about how a set-up behaves
/// stay quiet there; only a credential that looks real is still a leak wherever it sits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TestCode {
    /// Not reported in test code.
    #[default]
    Skip,
    /// Reported in test code when the same file holds a complete credential that looks
    /// real: a long-lived key id (CL101) and a secret access key (CL102), or a long-lived
    /// Bedrock API key (CL107). A key id or a secret alone signs nothing, and test suites
    /// are full of made-up ones.
    WithSecret,
    /// Reported in test code like anywhere else: the rule is about how the project's own
    /// tests get their credentials (CL406: a `conftest.py` that assumes a role by hand).
    Report,
}

/// How often a rule's findings are true problems: SARIF's `precision` property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    High,
    Medium,
    Low,
}

/// How far a rule's suggested fixes can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixSafety {
    /// One right answer: `credlint fix` applies it.
    Safe,
}

macro_rules! rule_ids {
    ($($variant:ident = $code:literal, $name:literal, $module:ident;)*) => {
        /// Every rule credlint has, by code. Serialises as the code (`CL101`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $($variant),* }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];

            #[must_use]
            pub const fn code(self) -> &'static str {
                match self { $(RuleId::$variant => $code),* }
            }

            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(RuleId::$variant => $name),* }
            }

            const fn toml(self) -> &'static str {
                match self {
                    $(RuleId::$variant => include_str!(concat!(
                        env!("CARGO_MANIFEST_DIR"), "/rules/", $code, "-", $name, ".toml"
                    ))),*
                }
            }
        }
    };
}

rule_table!(rule_ids);

static META: LazyLock<Vec<RuleMeta>> = LazyLock::new(|| {
    RuleId::ALL
        .iter()
        .map(|r| {
            toml::from_str(r.toml())
                .unwrap_or_else(|e| panic!("rules/{}-{}.toml is invalid: {e}", r.code(), r.name()))
        })
        .collect()
});

impl RuleId {
    /// The rule's metadata from its TOML file (checked by the test suite, so loading it
    /// cannot fail in a released binary).
    #[must_use]
    pub fn meta(self) -> &'static RuleMeta {
        &META[self as usize]
    }

    /// Look a rule up by code (`CL101`, any case) or name (`long-lived-access-key`).
    #[must_use]
    pub fn from_code_or_name(s: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(s) || r.name() == s)
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}
