//! Findings: what a rule reports. Redaction happens here, on the finding itself, so that no
//! output format can forget it.

use crate::fix::Fix;
use crate::keys;
use crate::model::Location;
use crate::rules::RuleId;
use serde::Serialize;

pub use crate::vocab::Level;

/// A second place that explains the first ("shadowed by .env:3").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub level: Level,
    pub message: String,
    pub location: Location,
    pub related: Vec<Related>,
    pub help: String,
    /// A fix with one right answer, for rules whose TOML says `fix = "safe"`.
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding at the rule's default level with its default help. The message and help
    /// are redacted: any key id is shown as `AKIA****WXYZ` (its prefix and last four
    /// characters, as in every output), and any secret-shaped word is masked.
    #[must_use]
    pub fn new(rule: RuleId, location: Location, message: impl AsRef<str>) -> Self {
        Self {
            rule,
            level: rule.meta().level,
            message: keys::redact_message(message.as_ref()),
            location,
            related: Vec::new(),
            help: rule.meta().help.clone(),
            fix: None,
        }
    }

    #[must_use]
    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl AsRef<str>) -> Self {
        self.help = keys::redact_message(help.as_ref());
        self
    }

    #[must_use]
    pub fn related(mut self, location: Location, message: impl AsRef<str>) -> Self {
        self.related.push(Related {
            location,
            message: keys::redact_message(message.as_ref()),
        });
        self
    }

    #[must_use]
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// The order of every output: path, line, column, then rule code.
    #[must_use]
    pub fn sort_key(&self) -> (&str, u32, u32, &'static str, &str) {
        let l = &self.location;
        (
            &l.path,
            l.start.line,
            l.start.column,
            self.rule.code(),
            &self.message,
        )
    }
}
