//! `.credlint.toml`: rule levels and disabling, path excludes, allowlisted key ids and
//! values, and the fail level. Found by walking up from the scan root, or named with
//! `--config`. Unknown keys and unknown rules are errors that name the line.

use crate::Error;
use crate::finding::Level;
use crate::rules::RuleId;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name credlint looks for.
pub const FILE_NAME: &str = ".credlint.toml";

/// What a rule is set to in the config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSetting {
    Off,
    Level(Level),
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where it was read from, if anywhere.
    pub path: Option<PathBuf>,
    pub rules: BTreeMap<RuleId, RuleSetting>,
    pub exclude: Vec<String>,
    /// Apply `exclude` to files named on the command line too (`--force-exclude`).
    pub force_exclude: bool,
    /// Report in test code as anywhere else (`--include-tests`).
    pub include_tests: bool,
    /// Exact key ids that are never reported (for example a deliberately public test key).
    pub allow_key_ids: Vec<String>,
    /// Exact values (secrets, tokens) that are never reported.
    pub allow_values: Vec<String>,
    /// Config-file settings read by a tool of the project's own (CL313 leaves them alone).
    pub allow_settings: Vec<String>,
    pub fail_level: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    force_exclude: bool,
    #[serde(default)]
    include_tests: bool,
    #[serde(default)]
    allowlist: RawAllowlist,
    #[serde(default)]
    allow_settings: Vec<String>,
    fail_level: Option<toml::Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAllowlist {
    #[serde(default)]
    key_ids: Vec<String>,
    #[serde(default)]
    values: Vec<String>,
}

impl Config {
    /// The config for a scan: `explicit` if given, else the nearest `.credlint.toml` above
    /// `start`, else defaults.
    pub fn load(explicit: Option<&Path>, start: &Path) -> Result<Self, Error> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => find(start),
        };
        let Some(path) = path else {
            return Ok(Self::default());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let mut c = Self::parse(&text, &path.display().to_string())?;
        c.path = Some(path);
        Ok(c)
    }

    /// Parse config text; `shown` names the file in errors.
    pub fn parse(text: &str, shown: &str) -> Result<Self, Error> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let raw: Raw = toml::from_str(text).map_err(|e| Error::Config {
            path: shown.to_owned(),
            line: e.span().map_or(1, |s| line_of(s.start)),
            message: e.message().to_owned(),
        })?;
        let err = |span: std::ops::Range<usize>, message: String| Error::Config {
            path: shown.to_owned(),
            line: line_of(span.start),
            message,
        };
        let mut rules = BTreeMap::new();
        for (k, v) in raw.rules {
            let rule = RuleId::from_code_or_name(k.get_ref()).ok_or_else(|| {
                err(
                    k.span(),
                    format!("unknown rule `{}` (see `credlint rules`)", k.get_ref()),
                )
            })?;
            let setting = match v.get_ref().as_str() {
                "off" => RuleSetting::Off,
                other => RuleSetting::Level(Level::parse(other).ok_or_else(|| {
                    err(
                        v.span(),
                        format!(
                            "rule {}: level must be off, info, warning or error, not `{other}`",
                            rule.code()
                        ),
                    )
                })?),
            };
            rules.insert(rule, setting);
        }
        let fail_level = match raw.fail_level {
            Some(f) if !["info", "warning", "error", "never"].contains(&f.get_ref().as_str()) => {
                return Err(err(
                    f.span(),
                    format!(
                        "fail-level must be info, warning, error or never, not `{}`",
                        f.get_ref()
                    ),
                ));
            }
            f => f.map(toml::Spanned::into_inner),
        };
        Ok(Self {
            path: None,
            rules,
            exclude: raw.exclude,
            force_exclude: raw.force_exclude,
            include_tests: raw.include_tests,
            allow_key_ids: raw.allowlist.key_ids,
            allow_values: raw.allowlist.values,
            allow_settings: raw.allow_settings,
            fail_level,
        })
    }

    /// The rules to run.
    #[must_use]
    pub fn enabled_rules(&self) -> Vec<RuleId> {
        RuleId::ALL
            .iter()
            .copied()
            .filter(|r| self.rules.get(r) != Some(&RuleSetting::Off))
            .collect()
    }

    /// A finding's level after the config's overrides.
    #[must_use]
    pub fn level_for(&self, rule: RuleId, level: Level) -> Level {
        match self.rules.get(&rule) {
            Some(RuleSetting::Level(l)) => *l,
            _ => level,
        }
    }

    /// Whether a value is allowlisted.
    #[must_use]
    pub fn allows(&self, value: &str) -> bool {
        let v = value.trim();
        self.allow_key_ids.iter().any(|k| k == v) || self.allow_values.iter().any(|k| k == v)
    }
}

fn find(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    let dir = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels_excludes_and_allowlists() {
        let c = Config::parse(
            "fail-level = \"error\"\nexclude = [\"vendor/**\"]\n[rules]\nCL101 = \"warning\"\nshadowed-source = \"off\"\n[allowlist]\nkey-ids = [\"AKIA0000000000000000\"]\n",
            "c",
        )
        .expect("valid config");
        assert_eq!(
            c.level_for(RuleId::LongLivedAccessKey, Level::Error),
            Level::Warning
        );
        assert!(!c.enabled_rules().contains(&RuleId::ShadowedSource));
        assert!(c.allows("AKIA0000000000000000"));
        assert_eq!(c.exclude, vec!["vendor/**".to_owned()]);
        assert_eq!(c.fail_level.as_deref(), Some("error"));
        let c = Config::parse("allow-settings = [\"okta_profile\"]\n", "c").expect("valid config");
        assert_eq!(c.allow_settings, vec!["okta_profile".to_owned()]);
    }

    #[test]
    fn unknown_keys_and_rules_name_the_line() {
        let e = Config::parse("[rules]\nCL999 = \"off\"\n", "c").expect_err("unknown rule");
        assert!(matches!(e, Error::Config { line: 2, .. }), "{e}");
        let e = Config::parse("exclude = []\nbogus = 1\n", "c").expect_err("unknown key");
        assert!(matches!(e, Error::Config { line: 2, .. }), "{e}");
        let e = Config::parse("[rules]\nCL101 = \"loud\"\n", "c").expect_err("bad level");
        assert!(matches!(e, Error::Config { line: 2, .. }), "{e}");
    }
}
