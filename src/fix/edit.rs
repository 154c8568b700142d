//! What a rule attaches to a finding: a [`Fix`] made of byte-exact [`Edit`]s. The fix
//! module around it completes, plans, shows and applies them.

use crate::model::Location;
use crate::parse::ini::IniFile;
use crate::source::{Encoding, Position, SourceFile, Span};
use serde::Serialize;

/// A fix attached to a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in one line ("rename the section to [dev]").
    pub description: String,
    /// The edits, in file order. Empty when nothing needs editing (a tracked file that is
    /// already ignored) and only `commands` are left.
    pub edits: Vec<Edit>,
    /// Commands the user should run by hand; credlint prints them and never runs them.
    pub commands: Vec<String>,
    /// Work left for [`super::complete`], which may look at the disk.
    #[serde(skip)]
    pub(super) pending: Option<Pending>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Pending {
    /// Add the finding's file to the nearest `.gitignore`.
    Ignore { tracked: bool },
}

/// One replacement in one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub path: String,
    /// Byte range of the file replaced (empty: an insertion).
    #[serde(skip)]
    pub span: Span,
    pub start: Position,
    pub end: Position,
    /// The text the range holds today; the edit is refused if the file differs.
    #[serde(skip)]
    pub original: String,
    pub replacement: String,
    /// The file does not exist yet and is created.
    pub creates_file: bool,
}

impl Fix {
    /// Replace the text at `at` in the finding's file (`original` is what is there now).
    #[must_use]
    pub fn replace(
        description: impl Into<String>,
        at: &Location,
        original: &str,
        replacement: impl Into<String>,
    ) -> Self {
        Self {
            description: description.into(),
            edits: vec![Edit {
                path: at.path.clone(),
                span: at.span,
                start: at.start,
                end: at.end,
                original: original.to_owned(),
                replacement: replacement.into(),
                creates_file: false,
            }],
            commands: Vec::new(),
            pending: None,
        }
    }

    /// Ignore the finding's file in git; for a tracked file also untrack it (by hand).
    #[must_use]
    pub fn ignore_in_git(tracked: bool) -> Self {
        Self {
            description: String::new(),
            edits: Vec::new(),
            commands: Vec::new(),
            pending: Some(Pending::Ignore { tracked }),
        }
    }
}

/// Whether a file's text offsets are its byte offsets, so that an edit can be exact.
#[must_use]
pub fn editable(source: &SourceFile) -> bool {
    matches!(source.encoding, Encoding::Utf8 | Encoding::Utf8Bom)
}

/// Why renaming an ini section to `[target]` is not the one right answer, if it is not.
#[must_use]
pub fn section_rename_blocker(
    ini: &IniFile,
    source: &SourceFile,
    target: &str,
) -> Option<&'static str> {
    if ini.botocore_error().is_some() {
        Some("no automatic fix: botocore cannot parse this file, see CL307")
    } else if !editable(source) {
        Some("no automatic fix: the file is not UTF-8")
    } else if ini.sections.iter().any(|x| x.name == target) {
        Some("no automatic fix: a section with the intended name exists; merge the two by hand")
    } else {
        None
    }
}
