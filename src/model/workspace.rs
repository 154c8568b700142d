//! The workspace: every parsed file, and the credential groups rules reason about (an env
//! file's variables, an ini section's keys with inherited defaults).

use super::scanned::ScannedFile;
use super::{homes, profiles, sdk, slot, trust};
use crate::discover::FileKind;
use crate::parse::Parsed;
use crate::source::{Position, Span};
use serde::Serialize;
use slot::Slot;

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
    /// The credential inputs (`with:`) of one `configure-aws-credentials` CI step.
    StepInputs,
    /// The credential fields of an AWS CLI or SDK cache file.
    Cache,
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
    /// An SDK call that also spreads arguments (`**kwargs`, `...rest`): settings may be
    /// passed that are not seen here.
    pub unseen_args: bool,
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
    /// Environments made of several env groups, possibly in several files: a CI step's
    /// `env:` inside its job's and workflow's, a compose service's `environment:` over its
    /// `env_file:`, a program's `os.environ` assignments over the `.env` it loads with
    /// `load_dotenv()`.
    pub layered_envs: Vec<LayeredEnv>,
    /// The AWS SDKs the tree uses (manifests, imports), each with the first file that shows
    /// it; empty when nothing says (the rules then speak for botocore and the CLI).
    pub sdks: std::collections::BTreeMap<sdk::detect::Used, String>,
    /// Config-file settings the project allows beyond the documented ones
    /// (`allow-settings` in `.credlint.toml`, for CL313).
    pub allow_settings: Vec<String>,
    views: std::sync::OnceLock<Vec<homes::HomeView>>,
}

/// One process environment assembled from several groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayeredEnv {
    /// Indices into [`Workspace::groups`] (all `GroupKind::Env`), lowest precedence first:
    /// a later layer's variable replaces an earlier one's.
    pub layers: Vec<usize>,
}

impl LayeredEnv {
    /// The setting that wins for `slot`, with the index of its group.
    #[must_use]
    pub fn get<'w>(&self, ws: &'w Workspace, slot: Slot) -> Option<(usize, &'w Setting)> {
        self.layers
            .iter()
            .rev()
            .find_map(|&g| ws.groups[g].get(slot).map(|s| (g, s)))
    }
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
        let mut env_groups = Vec::with_capacity(files.len());
        for (i, f) in files.iter().enumerate() {
            env_groups.push(groups_of(i, f, &mut groups));
        }
        let layered_envs = layered_envs(&files, &env_groups);
        let homes = homes::homes(&files);
        let trust_policies = trust::collect(&files);
        Self {
            files,
            groups,
            homes,
            trust_policies,
            layered_envs,
            sdks: std::collections::BTreeMap::new(),
            allow_settings: Vec::new(),
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
                .map(|h| homes::HomeView::new(&self.files, h))
                .collect()
        })
    }

    /// The environments of the tree, as contexts: (file index, variables). Each env file
    /// (dotenv, shell), each named env group (code, CI, compose, image), and each layered
    /// environment (its top layer's file).
    #[must_use]
    pub fn env_contexts(&self) -> Vec<(usize, std::collections::BTreeMap<String, String>)> {
        let settings = |g: &Group| -> Vec<(String, String)> {
            g.settings
                .iter()
                .filter_map(|s| Some((s.key.clone(), s.value.clone()?)))
                .collect()
        };
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(f.parsed, Parsed::Env(_)))
            .map(|(i, f)| (i, homes::env_of(f)))
            .chain(
                self.groups
                    .iter()
                    .filter(|g| g.kind == GroupKind::Env && !g.name.is_empty())
                    .map(|g| (g.file, settings(g).into_iter().collect())),
            )
            .chain(self.layered_envs.iter().filter_map(|l| {
                let top = *l.layers.last()?;
                let env = l
                    .layers
                    .iter()
                    .flat_map(|&g| settings(&self.groups[g]))
                    .collect();
                Some((self.groups[top].file, env))
            }))
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

    /// Spans whose text must never be shown: values in secret and token slots, unless the
    /// text written there is a reference, an expression or a placeholder (then it is code,
    /// shown as written; see [`crate::keys::shows_as_written`]).
    #[must_use]
    pub fn sensitive_spans(&self, file: usize) -> Vec<Span> {
        let f = &self.files[file];
        let code = f.kind.is_code() || f.kind == crate::discover::FileKind::Terraform;
        let hidden = |s: &Span| {
            !f.source
                .text
                .get(s.start..s.end)
                .is_some_and(|t| crate::keys::shows_as_written(t, code))
        };
        let mut spans: Vec<Span> = self
            .groups
            .iter()
            .filter(|g| g.file == file)
            .flat_map(|g| g.settings.iter())
            .filter(|s| {
                matches!(s.slot, Slot::Secret | Slot::Token | Slot::BearerToken)
                    || slot::is_secret_name(&s.key)
            })
            .map(|s| s.value_span)
            .collect();
        match &self.files[file].parsed {
            Parsed::Text(pairs) => spans.extend(pairs.iter().map(|p| p.value_span)),
            Parsed::Code { code, .. } => {
                spans.extend(code.secret_pairs.iter().map(|p| p.value_span));
            }
            _ => {}
        }
        spans.retain(hidden);
        spans.sort();
        spans.dedup();
        spans
    }
}

/// One group for a set of variables assigned together; its index, if it was made.
fn env_group(
    file: usize,
    kind: GroupKind,
    name: String,
    anchor: Span,
    vars: &[crate::parse::env::EnvAssignment],
    out: &mut Vec<Group>,
) -> Option<usize> {
    if vars.is_empty() && !name.is_empty() {
        return None;
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
        unseen_args: false,
    });
    Some(out.len() - 1)
}

/// The env groups a file contributed, for assembling layered environments.
#[derive(Default)]
struct EnvGroups {
    /// A dotenv or shell file's group, or the `os.environ` assignments a source file
    /// makes at module level.
    main: Option<usize>,
    /// A source file's functions that set environment variables: for each, its group's
    /// index and the groups of the functions around it and of the module, outermost first.
    functions: Vec<Vec<usize>>,
    /// One entry per CI/compose env block, in the parser's order.
    blocks: Vec<Option<usize>>,
}

fn groups_of(file: usize, f: &ScannedFile, out: &mut Vec<Group>) -> EnvGroups {
    let mut made = EnvGroups::default();
    match &f.parsed {
        Parsed::Env(env) => {
            made.main = env_group(
                file,
                GroupKind::Env,
                String::new(),
                Span::new(0, 0),
                &env.assignments,
                out,
            );
        }
        Parsed::Code { code, .. } => {
            // One environment per function that sets variables, over the module's (which
            // is set first, at import): two functions are two environments.
            let mut by_scope: Vec<Option<usize>> = Vec::with_capacity(code.scopes.len());
            for scope in 0..code.scopes.len() {
                let vars: Vec<crate::parse::env::EnvAssignment> = code
                    .env
                    .iter()
                    .zip(&code.env_scope)
                    .filter(|(_, s)| **s == scope)
                    .map(|(e, _)| e.clone())
                    .collect();
                by_scope.push(if vars.is_empty() {
                    None
                } else {
                    env_group(
                        file,
                        GroupKind::Env,
                        "code".into(),
                        Span::new(0, 0),
                        &vars,
                        out,
                    )
                });
            }
            made.main = by_scope.first().copied().flatten();
            for (scope, own) in by_scope.iter().enumerate().skip(1) {
                let Some(own) = *own else { continue };
                let mut layers = vec![own];
                let mut s = scope;
                for _ in 0..code.scopes.len() {
                    if s == 0 {
                        break;
                    }
                    s = code.scopes[s];
                    layers.extend(by_scope[s]);
                }
                layers.reverse();
                made.functions.push(layers);
            }
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
                            key: a.written.clone(),
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
                    unseen_args: call.unseen_args,
                });
            }
        }
        Parsed::Ci(ci) => {
            for b in &ci.env_blocks {
                made.blocks.push(env_group(
                    file,
                    GroupKind::Env,
                    b.scope.clone(),
                    b.anchor,
                    &b.vars,
                    out,
                ));
            }
            for step in ci.aws_steps.iter().filter(|s| !s.inputs.is_empty()) {
                let settings = step
                    .inputs
                    .iter()
                    .map(|a| Setting {
                        key: a.key.clone(),
                        key_span: a.key_span,
                        value: a.value.clone(),
                        value_span: a.value_span,
                        literal: a.origin == crate::parse::env::ValueOrigin::Literal,
                        slot: slot::action_input_slot(&a.key),
                        inherited: false,
                    })
                    .collect();
                out.push(Group {
                    file,
                    kind: GroupKind::StepInputs,
                    name: format!("configure-aws-credentials of job {}", step.job),
                    anchor: step.span,
                    settings,
                    unseen_args: false,
                });
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
                    unseen_args: false,
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
                    unseen_args: false,
                });
            }
        }
        Parsed::Text(pairs) if f.kind == FileKind::AwsCache && !pairs.is_empty() => {
            let settings = pairs
                .iter()
                .filter_map(|p| {
                    let slot = match crate::vocab::cache_slot(&p.key)? {
                        crate::vocab::CacheField::KeyId => Slot::KeyId,
                        crate::vocab::CacheField::Secret => Slot::Secret,
                        crate::vocab::CacheField::Token => Slot::Token,
                    };
                    Some(Setting {
                        key: p.key.clone(),
                        key_span: p.key_span,
                        value: Some(p.value.clone()),
                        value_span: p.value_span,
                        literal: true,
                        slot,
                        inherited: false,
                    })
                })
                .collect();
            out.push(Group {
                file,
                kind: GroupKind::Cache,
                name: String::new(),
                anchor: pairs[0].key_span,
                settings,
                unseen_args: false,
            });
        }
        Parsed::Text(_) => {}
    }
    made
}

/// `dir` joined with a relative `path`, `.` and `..` resolved, in display form.
fn join_display(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        vec![""]
    } else {
        dir.split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect()
    };
    if dir.starts_with('/') && !path.starts_with('/') {
        parts.insert(0, "");
    }
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| !l.is_empty() && *l != "..") => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Assemble the layered environments: CI blocks with the blocks they inherit, compose
/// services with their `env_file:`s, programs with the dotenv files they load.
fn layered_envs(files: &[ScannedFile], made: &[EnvGroups]) -> Vec<LayeredEnv> {
    let file_index = |path: &str| {
        files
            .binary_search_by(|f| f.source.path.as_str().cmp(path))
            .ok()
    };
    // The env group of a dotenv file at `path`, if it was scanned.
    let dotenv_group = |path: &str| file_index(path).and_then(|i| made[i].main);
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let dir = parent_dir(f.path());
        match &f.parsed {
            Parsed::Ci(ci) => {
                for (b, block) in ci.env_blocks.iter().enumerate() {
                    let Some(own) = made[i].blocks.get(b).copied().flatten() else {
                        continue;
                    };
                    let mut layers: Vec<usize> = block
                        .env_files
                        .iter()
                        .filter_map(|(p, _)| dotenv_group(&join_display(dir, p)))
                        .collect();
                    layers.extend(
                        block
                            .inherits
                            .iter()
                            .filter_map(|&o| made[i].blocks.get(o).copied().flatten()),
                    );
                    layers.push(own);
                    if layers.len() > 1 {
                        out.push(LayeredEnv { layers });
                    }
                }
            }
            Parsed::Code { code, .. } => {
                // The code's environments: the module's alone, and each function's over
                // the functions around it and the module.
                let mut chains: Vec<Vec<usize>> =
                    made[i].main.map(|m| vec![m]).into_iter().collect();
                chains.extend(made[i].functions.iter().cloned());
                for layers in made[i].functions.iter().filter(|l| l.len() > 1) {
                    if !out.iter().any(|l: &LayeredEnv| &l.layers == layers) {
                        out.push(LayeredEnv {
                            layers: layers.clone(),
                        });
                    }
                }
                for load in &code.dotenv_loads {
                    let found = match &load.path {
                        // python-dotenv resolves a path against the working directory:
                        // try the file's folder, then each folder above it.
                        Some(p) => std::iter::successors(Some(dir), |d| {
                            (!d.is_empty()).then(|| parent_dir(d))
                        })
                        .find_map(|d| dotenv_group(&join_display(d, p))),
                        // find_dotenv(): the nearest `.env` from the calling file upwards.
                        None => std::iter::successors(Some(dir), |d| {
                            (!d.is_empty()).then(|| parent_dir(d))
                        })
                        .find_map(|d| dotenv_group(&join_display(d, ".env"))),
                    };
                    let Some(dotenv) = found else { continue };
                    for own in &chains {
                        // Without `override=True`, variables the code sets win either way:
                        // set before the load, they are kept; set after, they replace the
                        // file's.
                        let layers = if load.overrides {
                            own.iter().copied().chain([dotenv]).collect()
                        } else {
                            [dotenv].into_iter().chain(own.iter().copied()).collect()
                        };
                        if !out.iter().any(|l: &LayeredEnv| l.layers == layers) {
                            out.push(LayeredEnv { layers });
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn env_slot_of(key: &str) -> Slot {
    slot::env_slot(key)
}
