//! The workspace: every parsed file, and the credential groups rules reason about (an env
//! file's variables, an ini section's keys with inherited defaults).

pub mod chain;
pub mod fs;
pub mod homes;
pub mod profiles;
pub mod sections;
pub mod slot;
pub mod trust;

use crate::discover::{FileKind, GitStatus};
use crate::parse::Parsed;
use crate::source::{Position, SourceFile, Span};
use serde::Serialize;
use slot::Slot;

/// A file that was read and parsed.
#[derive(Debug)]
pub struct ScannedFile {
    pub kind: FileKind,
    pub git: GitStatus,
    pub source: SourceFile,
    pub parsed: Parsed,
    /// IAM role trust policies found in the file (JSON, `CloudFormation`, Terraform).
    pub trust: Vec<trust::TrustPolicy>,
}

impl ScannedFile {
    #[must_use]
    pub fn path(&self) -> &str {
        &self.source.path
    }
}

/// One setting of a group, with where it is written.
#[derive(Clone, Debug)]
pub struct Setting {
    pub key: String,
    pub key_span: Span,
    pub value: Option<String>,
    pub value_span: Span,
    /// Written out in the file (not a reference or a shell computation).
    pub literal: bool,
    pub slot: Slot,
    /// Inherited from an ini `[DEFAULT]` section rather than written in the group.
    pub inherited: bool,
}

impl Setting {
    /// The value when it is a non-empty literal.
    #[must_use]
    pub fn literal_value(&self) -> Option<&str> {
        self.value
            .as_deref()
            .filter(|v| self.literal && !v.is_empty())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// All variables of a dotenv or shell file.
    Env,
    /// One ini section (its own keys plus inherited `[DEFAULT]` keys).
    Section,
    /// An ini `[DEFAULT]` section on its own.
    Defaults,
    /// The credential arguments of one SDK call in source code.
    Code,
}

/// Settings that act together: credentials are complete or partial within a group.
#[derive(Clone, Debug)]
pub struct Group {
    pub file: usize,
    pub kind: GroupKind,
    /// `[name]` for sections, empty for env files.
    pub name: String,
    /// Where the group starts (a section header, or the file start).
    pub anchor: Span,
    pub settings: Vec<Setting>,
}

impl Group {
    /// The last setting filling `slot` (later assignments win).
    #[must_use]
    pub fn get(&self, slot: Slot) -> Option<&Setting> {
        self.settings.iter().rev().find(|s| s.slot == slot)
    }
}

/// Everything a scan parsed, for the rules to judge.
#[derive(Debug, Default)]
pub struct Workspace {
    pub files: Vec<ScannedFile>,
    pub groups: Vec<Group>,
    /// The AWS file sets an SDK would read together (see [`homes`]).
    pub homes: Vec<homes::Home>,
    /// Every IAM role trust policy of the tree, Terraform references linked across each
    /// module's files (see [`trust::collect`]).
    pub trust_policies: Vec<trust::TrustPolicy>,
    views: std::sync::OnceLock<Vec<homes::HomeView>>,
}

/// A place in a file, ready for output.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub path: String,
    #[serde(skip)]
    pub span: Span,
    pub start: Position,
    pub end: Position,
}

impl Workspace {
    /// Build the workspace from parsed files (sorted by path for deterministic output).
    #[must_use]
    pub fn new(mut files: Vec<ScannedFile>) -> Self {
        files.sort_by(|a, b| a.source.path.cmp(&b.source.path));
        // A file named on the command line and also reached by the walk is read once.
        files.dedup_by(|a, b| a.source.path == b.source.path);
        let mut groups = Vec::new();
        for (i, f) in files.iter().enumerate() {
            groups_of(i, f, &mut groups);
        }
        let homes = homes::homes(&files);
        let trust_policies = trust::collect(&files);
        Self {
            files,
            groups,
            homes,
            trust_policies,
            views: std::sync::OnceLock::new(),
        }
    }

    #[must_use]
    pub fn location(&self, file: usize, span: Span) -> Location {
        let f = &self.files[file].source;
        Location {
            path: f.path.clone(),
            span,
            start: f.position(span.start),
            end: f.position(span.end),
        }
    }

    /// Each home's profile maps, built once and shared by the rules.
    pub fn home_views(&self) -> &[homes::HomeView] {
        self.views.get_or_init(|| {
            self.homes
                .iter()
                .map(|h| homes::HomeView::new(self, h))
                .collect()
        })
    }

    /// The env files (dotenv and shell) of the tree, as contexts: (file index, variables).
    #[must_use]
    pub fn env_contexts(&self) -> Vec<(usize, std::collections::BTreeMap<String, String>)> {
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(f.parsed, Parsed::Env(_)))
            .map(|(i, f)| (i, homes::env_of(f)))
            .chain(
                self.groups
                    .iter()
                    .filter(|g| g.kind == GroupKind::Env && !g.name.is_empty())
                    .map(|g| {
                        let env = g
                            .settings
                            .iter()
                            .filter_map(|s| Some((s.key.clone(), s.value.clone()?)))
                            .collect();
                        (g.file, env)
                    }),
            )
            .filter(|(_, env)| {
                env.keys()
                    .any(|k| k.starts_with("AWS_") || k == "BOTO_CONFIG")
            })
            .collect()
    }

    /// The workspace location of a chain location that points into a scanned file.
    #[must_use]
    pub fn location_of(&self, loc: &profiles::Loc) -> Option<Location> {
        let profiles::Loc::File { path, span, .. } = loc else {
            return None;
        };
        let i = self
            .files
            .binary_search_by(|f| f.source.path.as_str().cmp(path))
            .ok()?;
        Some(self.location(i, *span))
    }

    /// A file's text with every secret masked: key ids keep their prefix and last four
    /// characters, secret-shaped runs and values in secret slots become `*`. Byte lengths
    /// are kept, so spans into the file stay valid.
    #[must_use]
    pub fn redacted_text(&self, file: usize) -> String {
        let text = &self.files[file].source.text;
        let mut bytes = crate::keys::redact_text(text).into_bytes();
        for s in self.sensitive_spans(file) {
            for b in bytes.iter_mut().take(s.end.min(text.len())).skip(s.start) {
                *b = b'*';
            }
        }
        // Masking bytes of a multi-byte character leaves invalid UTF-8; repair, keeping length.
        String::from_utf8(bytes).unwrap_or_else(|e| {
            e.into_bytes()
                .iter()
                .map(|&c| if c.is_ascii() { c as char } else { '*' })
                .collect()
        })
    }

    /// Spans whose text must never be shown: values in secret and token slots.
    #[must_use]
    pub fn sensitive_spans(&self, file: usize) -> Vec<Span> {
        let mut spans: Vec<Span> = self
            .groups
            .iter()
            .filter(|g| g.file == file)
            .flat_map(|g| g.settings.iter())
            .filter(|s| {
                matches!(s.slot, Slot::Secret | Slot::Token) || slot::is_secret_name(&s.key)
            })
            .map(|s| s.value_span)
            .collect();
        if let Parsed::Text(pairs) = &self.files[file].parsed {
            spans.extend(pairs.iter().map(|p| p.value_span));
        }
        spans.sort();
        spans.dedup();
        spans
    }
}

/// One group for a set of variables assigned together.
fn env_group(
    file: usize,
    kind: GroupKind,
    name: String,
    anchor: Span,
    vars: &[crate::parse::env::EnvAssignment],
    out: &mut Vec<Group>,
) {
    if vars.is_empty() && !name.is_empty() {
        return;
    }
    let settings = vars
        .iter()
        .filter(|a| !a.command_prefix || env_slot_of(&a.key) != Slot::Other)
        .map(|a| Setting {
            key: a.key.clone(),
            key_span: a.key_span,
            value: a.value.clone(),
            value_span: a.value_span,
            literal: a.origin == crate::parse::env::ValueOrigin::Literal,
            slot: env_slot_of(&a.key),
            inherited: false,
        })
        .collect();
    out.push(Group {
        file,
        kind,
        name,
        anchor,
        settings,
    });
}

fn groups_of(file: usize, f: &ScannedFile, out: &mut Vec<Group>) {
    match &f.parsed {
        Parsed::Env(env) => env_group(
            file,
            GroupKind::Env,
            String::new(),
            Span::new(0, 0),
            &env.assignments,
            out,
        ),
        Parsed::Code { code, .. } => {
            env_group(
                file,
                GroupKind::Env,
                "code".into(),
                Span::new(0, 0),
                &code.env,
                out,
            );
            for call in &code.calls {
                let settings = call
                    .args
                    .iter()
                    .map(|a| {
                        let (value, literal) = match &a.value {
                            crate::parse::code::ArgValue::Literal(v) => (v.clone(), true),
                            crate::parse::code::ArgValue::Env(v)
                            | crate::parse::code::ArgValue::Variable(v) => (v.clone(), false),
                        };
                        Setting {
                            key: a.name.to_owned(),
                            key_span: a.span,
                            value: Some(value),
                            value_span: a.value_span,
                            literal,
                            slot: slot::ini_slot(a.name),
                            inherited: false,
                        }
                    })
                    .collect();
                out.push(Group {
                    file,
                    kind: GroupKind::Code,
                    name: call.api.clone(),
                    anchor: call.span,
                    settings,
                });
            }
        }
        Parsed::Ci(ci) => {
            for b in &ci.env_blocks {
                env_group(
                    file,
                    GroupKind::Env,
                    b.scope.clone(),
                    b.anchor,
                    &b.vars,
                    out,
                );
            }
        }
        Parsed::Ini(ini) => {
            let setting = |e: &crate::parse::ini::IniEntry, inherited| Setting {
                key: e.key.clone(),
                key_span: e.key_span,
                value: Some(e.value.clone()),
                value_span: e.value_span,
                literal: true,
                slot: slot::ini_slot(&e.key),
                inherited,
            };
            if let Some(&anchor) = ini.default_headers.first() {
                out.push(Group {
                    file,
                    kind: GroupKind::Defaults,
                    name: "DEFAULT".into(),
                    anchor,
                    settings: ini.defaults.iter().map(|e| setting(e, true)).collect(),
                });
            }
            for s in &ini.sections {
                let mut settings: Vec<Setting> =
                    s.entries.iter().map(|e| setting(e, false)).collect();
                for d in &ini.defaults {
                    if s.get(&d.key).is_none() {
                        settings.push(setting(d, true));
                    }
                }
                out.push(Group {
                    file,
                    kind: GroupKind::Section,
                    name: s.name.clone(),
                    anchor: s.header_span,
                    settings,
                });
            }
        }
        Parsed::Text(_) => {}
    }
}

fn env_slot_of(key: &str) -> Slot {
    slot::env_slot(key)
}
