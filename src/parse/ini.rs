//! The AWS ini dialect, parsed the way botocore parses it: Python's strict
//! `configparser.RawConfigParser` (no inline comments, `=` and `:`, case-insensitive keys,
//! indented continuation lines, `[DEFAULT]` defaults) plus botocore's nested values.
//!
//! Unlike configparser this parser does not stop at the first error: it records every
//! problem with its span and keeps going, so that rules can still point at the entries of a
//! file that botocore would refuse. [`IniFile::botocore_error`] says whether botocore
//! would refuse it.

use crate::source::Span;

/// One `key = value` entry. Multi-line values are joined with `\n` as configparser does.
#[derive(Clone, Debug)]
pub struct IniEntry {
    /// The key as configparser stores it (lower-cased).
    pub key: String,
    pub key_span: Span,
    pub value: String,
    /// From the first character of the value to the end of its last continuation line;
    /// an empty span right after the separator when the value is empty.
    pub value_span: Span,
    /// The nested table of a value that starts on the next line (`s3 =` then `  k = v`),
    /// as botocore's `_parse_nested` reads it; `None` for plain values.
    pub nested: Option<Vec<(String, String)>>,
}

#[derive(Clone, Debug)]
pub struct IniSection {
    /// The text between the brackets, verbatim (case and spaces kept).
    pub name: String,
    pub name_span: Span,
    /// The whole `[...]` header.
    pub header_span: Span,
    pub entries: Vec<IniEntry>,
}

impl IniSection {
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&IniEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IniErrorKind {
    /// A UTF-8 byte order mark at the start (configparser sees it as text before any section).
    Bom,
    /// Bytes that are not UTF-8 (botocore fails to decode the file).
    NotUtf8,
    DuplicateSection,
    DuplicateKey,
    /// A key (or any text) before the first section header.
    MissingSectionHeader,
    /// A line that is neither a header, a comment, a continuation nor `key = value`.
    NoSeparator,
    /// A line with a separator but no key (`= value`).
    EmptyKey,
    /// A nested value (`s3 =` then indented lines) whose line has no `=`.
    NestedNoSeparator,
}

#[derive(Clone, Debug)]
pub struct IniError {
    pub kind: IniErrorKind,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct IniFile {
    /// Every section header in file order, duplicates included (botocore refuses those).
    pub sections: Vec<IniSection>,
    /// Entries of every `[DEFAULT]` header, inherited by all sections.
    pub defaults: Vec<IniEntry>,
    /// The `[DEFAULT]` headers.
    pub default_headers: Vec<Span>,
    pub errors: Vec<IniError>,
}

impl IniFile {
    /// Whether botocore raises `ConfigParseError` on this file.
    #[must_use]
    pub fn botocore_error(&self) -> Option<&IniError> {
        self.errors.first()
    }

    /// Sections by name, the first of duplicates only.
    #[must_use]
    pub fn section(&self, name: &str) -> Option<&IniSection> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// A section's value for `key`, falling back to `[DEFAULT]` as configparser does.
    #[must_use]
    pub fn lookup<'a>(&'a self, section: &'a IniSection, key: &str) -> Option<&'a IniEntry> {
        section
            .get(key)
            .or_else(|| self.defaults.iter().find(|e| e.key == key))
    }

    /// The effective entries of a section: its own plus inherited defaults, key-unique.
    #[must_use]
    pub fn effective<'a>(&'a self, section: &'a IniSection) -> Vec<&'a IniEntry> {
        let mut out: Vec<&IniEntry> = section.entries.iter().collect();
        for d in &self.defaults {
            if section.get(&d.key).is_none() {
                out.push(d);
            }
        }
        out
    }
}

pub use crate::py::text::{is_extra_line_break, py_space};

/// The trimmed sub-span of `line` (starting at `offset`), Python `strip()` style.
fn py_strip(line: &str, offset: usize) -> (usize, &str) {
    let trimmed_start = line.trim_start_matches(py_space);
    let start = line.len() - trimmed_start.len();
    (offset + start, trimmed_start.trim_end_matches(py_space))
}

enum Cursor {
    None,
    Defaults,
    Section(usize),
}

/// Where the value being built lives.
#[derive(Clone, Copy)]
enum Opt {
    Default(usize),
    Section(usize, usize),
}

struct Parser<'a> {
    text: &'a str,
    out: IniFile,
    /// Value lines of each entry as configparser keeps them before joining.
    lines: Vec<(Opt, Vec<(String, Span)>)>,
}

/// Parse one file's text.
#[must_use]
pub fn parse(text: &str, not_utf8: bool) -> IniFile {
    let mut p = Parser {
        text,
        out: IniFile::default(),
        lines: Vec::new(),
    };
    if not_utf8 {
        p.error(
            IniErrorKind::NotUtf8,
            Span::new(0, 0),
            "the file is not valid UTF-8".into(),
        );
    }
    p.run();
    p.finish()
}

impl Parser<'_> {
    fn error(&mut self, kind: IniErrorKind, span: Span, message: String) {
        self.out.errors.push(IniError {
            kind,
            span,
            message,
        });
    }

    fn run(&mut self) {
        let mut cursor = Cursor::None;
        let mut opt: Option<usize> = None; // index into self.lines
        let mut indent_level = 0usize;
        let mut current_name = String::new();
        let mut seen_sections = std::collections::HashSet::<String>::new();
        let mut seen_keys = std::collections::HashSet::<(String, String)>::new();

        for (line_start, raw_line) in split_lines(self.text) {
            let mut line = raw_line;
            let mut offset = line_start;
            if line_start == 0 && line.starts_with('\u{feff}') {
                self.error(
                    IniErrorKind::Bom,
                    Span::new(0, 3),
                    "the file starts with a UTF-8 byte order mark, which botocore reads as \
                     text before the first section"
                        .into(),
                );
                line = &line[3..];
                offset = 3;
            }
            let (vstart, stripped) = py_strip(line, offset);
            let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
            if is_comment || stripped.is_empty() {
                if !is_comment && let Some(i) = opt {
                    self.lines[i]
                        .1
                        .push((String::new(), Span::new(vstart, vstart)));
                }
                continue;
            }
            let indent = line.chars().take_while(|&c| py_space(c)).count();
            if opt.is_some() && !matches!(cursor, Cursor::None) && indent > indent_level {
                if let Some(i) = opt {
                    let span = Span::new(vstart, vstart + stripped.len());
                    self.lines[i].1.push((stripped.to_owned(), span));
                }
                continue;
            }
            indent_level = indent;
            let span = Span::new(vstart, vstart + stripped.len());
            if let Some(header) = section_header(stripped) {
                let name_span = Span::new(vstart + 1, vstart + 1 + header.len());
                header.clone_into(&mut current_name);
                opt = None;
                if header == "DEFAULT" {
                    self.out.default_headers.push(span);
                    cursor = Cursor::Defaults;
                    continue;
                }
                if !seen_sections.insert(header.to_owned()) {
                    self.error(
                        IniErrorKind::DuplicateSection,
                        span,
                        format!("section [{header}] appears more than once"),
                    );
                }
                self.out.sections.push(IniSection {
                    name: header.to_owned(),
                    name_span,
                    header_span: span,
                    entries: Vec::new(),
                });
                cursor = Cursor::Section(self.out.sections.len() - 1);
                continue;
            }
            if matches!(cursor, Cursor::None) {
                self.error(
                    IniErrorKind::MissingSectionHeader,
                    span,
                    "text before the first [section] header".into(),
                );
                continue;
            }
            let Some(sep) = stripped.find(['=', ':']) else {
                self.error(
                    IniErrorKind::NoSeparator,
                    span,
                    "line has no `=` or `:` separator and is not indented under a key".into(),
                );
                continue;
            };
            let raw_key = stripped[..sep].trim_end_matches(py_space);
            let after = &stripped[sep + 1..];
            let value = after.trim_start_matches(py_space);
            let value_start = vstart + sep + 1 + (after.len() - value.len());
            let value = value.trim_end_matches(py_space);
            let key_span = Span::new(vstart, vstart + raw_key.len());
            if raw_key.is_empty() {
                self.error(
                    IniErrorKind::EmptyKey,
                    span,
                    "line has a separator but no key".into(),
                );
            }
            let key = raw_key.to_lowercase();
            if !seen_keys.insert((current_name.clone(), key.clone())) {
                self.error(
                    IniErrorKind::DuplicateKey,
                    key_span,
                    format!("key `{key}` appears more than once in [{current_name}]"),
                );
            }
            let entry = IniEntry {
                key,
                key_span,
                value: String::new(),
                value_span: Span::new(value_start, value_start + value.len()),
                nested: None,
            };
            let target = match cursor {
                Cursor::Defaults => {
                    self.out.defaults.push(entry);
                    Opt::Default(self.out.defaults.len() - 1)
                }
                Cursor::Section(s) => {
                    self.out.sections[s].entries.push(entry);
                    Opt::Section(s, self.out.sections[s].entries.len() - 1)
                }
                Cursor::None => unreachable!("checked above"),
            };
            let first = (
                value.to_owned(),
                Span::new(value_start, value_start + value.len()),
            );
            self.lines.push((target, vec![first]));
            opt = Some(self.lines.len() - 1);
        }
    }

    fn finish(mut self) -> IniFile {
        for (target, lines) in std::mem::take(&mut self.lines) {
            let joined: Vec<&str> = lines.iter().map(|(s, _)| s.as_str()).collect();
            let value = joined.join("\n").trim_end_matches(py_space).to_owned();
            let last = lines
                .iter()
                .rev()
                .find(|(s, _)| !s.is_empty())
                .map(|(_, sp)| *sp);
            let entry = match target {
                Opt::Default(i) => &mut self.out.defaults[i],
                Opt::Section(s, i) => &mut self.out.sections[s].entries[i],
            };
            if let Some(last) = last {
                entry.value_span.end = entry.value_span.end.max(last.end);
                if entry.value_span.is_empty() {
                    entry.value_span.start = last.start.min(entry.value_span.start.max(last.start));
                }
            }
            entry.value = value;
            if entry.value.starts_with('\n') {
                let mut table = Vec::new();
                let mut bad = None;
                // botocore's `_parse_nested` splits the joined value with `str.splitlines()`,
                // which also breaks lines where configparser did not.
                let pieces = lines.iter().skip(1).flat_map(|(line, span)| {
                    line.split(is_extra_line_break).map(move |p| (p, *span))
                });
                for (piece, span) in pieces {
                    let piece = piece.trim_matches(py_space);
                    if piece.is_empty() {
                        continue;
                    }
                    if let Some((k, v)) = piece.split_once('=') {
                        table.push((
                            k.trim_matches(py_space).to_owned(),
                            v.trim_matches(py_space).to_owned(),
                        ));
                    } else if bad.is_none() {
                        bad = Some(IniError {
                            kind: IniErrorKind::NestedNoSeparator,
                            span,
                            message: format!("nested value line `{piece}` has no `=`"),
                        });
                    }
                }
                let key = entry.key.clone();
                entry.nested = Some(table);
                // botocore parses the values of real sections only (`cp.sections()`), so a
                // `[DEFAULT]` value counts where some section inherits it.
                let read = match target {
                    Opt::Default(_) => self.out.sections.iter().any(|s| s.get(&key).is_none()),
                    Opt::Section(..) => true,
                };
                if let (Some(e), true) = (bad, read) {
                    self.out.errors.push(e);
                }
            }
        }
        self.out.errors.sort_by_key(|e| e.span.start);
        self.out
    }
}

/// configparser's `\[(?P<header>.+)\]` matched at the start of the stripped line: the
/// header runs to the last `]` of the line, and text after it is ignored.
fn section_header(stripped: &str) -> Option<&str> {
    let rest = stripped.strip_prefix('[')?;
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// Lines as Python's universal-newline reading yields them (`\n`, `\r\n` and lone `\r`
/// all end a line), each with its byte offset and without its terminator.
fn split_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let mut i = start;
        while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
            i += 1;
        }
        let line = (start, &text[start..i]);
        start = if i < bytes.len() && bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(f: &IniFile) -> Vec<IniErrorKind> {
        f.errors.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn reads_sections_keys_and_spans() {
        let text = "[default]\nAWS_Access_Key_ID = AKIA # prod\nregion: eu-west-1\n";
        let f = parse(text, false);
        assert!(f.errors.is_empty());
        let s = &f.sections[0];
        assert_eq!(s.name, "default");
        let e = s.get("aws_access_key_id").expect("key");
        assert_eq!(e.value, "AKIA # prod", "no inline comments");
        assert_eq!(&text[e.value_span.start..e.value_span.end], "AKIA # prod");
        assert_eq!(s.get("region").expect("region").value, "eu-west-1");
    }

    #[test]
    fn continuation_and_nested_values() {
        let f = parse(
            "[profile x]\ns3 =\n  max_concurrent_requests = 10\n\n  x=y\nk = a\n  b\n",
            false,
        );
        let s = &f.sections[0];
        let s3 = s.get("s3").expect("s3");
        assert_eq!(s3.value, "\nmax_concurrent_requests = 10\n\nx=y");
        let nested = s3.nested.as_ref().expect("nested");
        assert_eq!(nested[0], ("max_concurrent_requests".into(), "10".into()));
        assert_eq!(s.get("k").expect("k").value, "a\nb");
        let f = parse("[a]\ns3 =\n  oops\n", false);
        assert_eq!(kinds(&f), vec![IniErrorKind::NestedNoSeparator]);
    }

    #[test]
    fn strict_errors() {
        let f = parse("[a]\nk=1\nK=2\n[a]\n", false);
        assert_eq!(
            kinds(&f),
            vec![IniErrorKind::DuplicateKey, IniErrorKind::DuplicateSection]
        );
        let f = parse("k=1\n[a]\njunk\n", false);
        assert_eq!(
            kinds(&f),
            vec![
                IniErrorKind::MissingSectionHeader,
                IniErrorKind::NoSeparator
            ]
        );
        let f = parse("\u{feff}[default]\nk=1\n", false);
        assert_eq!(kinds(&f), vec![IniErrorKind::Bom]);
        assert_eq!(f.sections[0].name, "default");
    }

    #[test]
    fn defaults_are_inherited_and_crlf_is_fine() {
        let f = parse("[DEFAULT]\nregion = x\r\n[default]\r\nk = 1\r\n", false);
        assert!(f.errors.is_empty());
        let s = &f.sections[0];
        assert_eq!(f.lookup(s, "region").expect("inherited").value, "x");
        assert_eq!(f.effective(s).len(), 2);
        assert_eq!(s.get("k").expect("k").value, "1");
    }

    #[test]
    fn header_runs_to_last_bracket() {
        let f = parse("[profile a] trailing ]\n[x]]\n", false);
        assert_eq!(f.sections[0].name, "profile a] trailing ");
        assert_eq!(f.sections[1].name, "x]");
    }
}
