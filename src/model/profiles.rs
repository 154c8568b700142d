//! Profile maps built exactly as botocore builds them: `raw_config_parse` (sections with
//! `[DEFAULT]` keys merged in), `build_profile_map` for the config file, and the session's
//! merged map in which credentials-file sections update config profiles key by key.

use super::sections::{ConfigSection, config_section};
use crate::parse::ini::IniFile;
use crate::source::{SourceFile, Span};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

/// Where a value or section is written: a file line, or an environment variable.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum Loc {
    File {
        path: String,
        line: u32,
        column: u32,
        #[serde(skip)]
        span: Span,
    },
    Env {
        variable: String,
    },
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File { path, line, .. } => write!(f, "{path}:{line}"),
            Self::Env { variable } => write!(f, "${variable}"),
        }
    }
}

impl Loc {
    #[must_use]
    pub fn env(variable: &str) -> Self {
        Self::Env {
            variable: variable.to_owned(),
        }
    }
}

/// An ini file as loaded for the chain: its text (for positions) and parse.
#[derive(Debug)]
pub struct LoadedIni {
    pub source: SourceFile,
    pub ini: IniFile,
}

impl LoadedIni {
    #[must_use]
    pub fn loc(&self, span: Span) -> Loc {
        let p = self.source.position(span.start);
        Loc::File {
            path: self.source.path.clone(),
            line: p.line,
            column: p.column,
            span,
        }
    }
}

/// One value of a profile, with where it is written.
#[derive(Clone, Debug)]
pub struct Val {
    pub value: String,
    /// The value started on the next line: the dict botocore's `_parse_nested` made of it.
    pub nested: Option<BTreeMap<String, String>>,
    pub loc: Loc,
}

/// A section's effective keys (own keys plus inherited `[DEFAULT]` keys).
#[derive(Clone, Debug, Default)]
pub struct Section {
    pub values: HashMap<String, Val>,
    /// The section header, when the section comes from one file.
    pub header: Option<Loc>,
}

impl Section {
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Val> {
        self.values.get(key)
    }

    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The value as a string (`None` when absent).
    #[must_use]
    pub fn str(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|v| v.value.as_str())
    }
}

/// `raw_config_parse`: every section (not `[DEFAULT]`) with defaults merged in, in file
/// order. Duplicate sections keep the first (botocore refuses such files anyway).
#[must_use]
pub fn raw_sections(file: &Arc<LoadedIni>) -> Vec<(String, Section)> {
    let ini = &file.ini;
    let mut out: Vec<(String, Section)> = Vec::new();
    for s in &ini.sections {
        if out.iter().any(|(n, _)| *n == s.name) {
            continue;
        }
        let mut values = HashMap::new();
        for e in ini.effective(s) {
            // A dict: the last of a repeated key wins, order and spacing are gone.
            let nested = e.nested.as_ref().map(|t| t.iter().cloned().collect());
            values.insert(
                e.key.clone(),
                Val {
                    value: e.value.clone(),
                    nested,
                    loc: file.loc(e.value_span),
                },
            );
        }
        out.push((
            s.name.clone(),
            Section {
                values,
                header: Some(file.loc(s.header_span)),
            },
        ));
    }
    out
}

/// `build_profile_map` of a config file.
#[derive(Clone, Debug, Default)]
pub struct ConfigMap {
    pub profiles: HashMap<String, Section>,
    pub sso_sessions: HashMap<String, Section>,
}

#[must_use]
pub fn config_map(file: &Arc<LoadedIni>) -> ConfigMap {
    let mut map = ConfigMap::default();
    for (name, section) in raw_sections(file) {
        match config_section(&name) {
            ConfigSection::Profile(p) => {
                map.profiles.insert(p, section);
            }
            ConfigSection::SsoSession(s) => {
                map.sso_sessions.insert(s, section);
            }
            ConfigSection::Services(_) | ConfigSection::Dropped | ConfigSection::Other => {}
        }
    }
    map
}

/// The session's `full_config['profiles']`: config profiles, then credentials-file
/// sections inserted or merged key by key (credentials win).
#[must_use]
pub fn merged_profiles(
    config: &ConfigMap,
    credentials: &[(String, Section)],
) -> HashMap<String, Section> {
    let mut merged = config.profiles.clone();
    for (name, section) in credentials {
        match merged.get_mut(name) {
            Some(existing) => existing.values.extend(section.values.clone()),
            None => {
                merged.insert(name.clone(), section.clone());
            }
        }
    }
    merged
}
