//! Jupyter notebooks: the code cells are parsed as Python and every span is mapped back to
//! the place in the notebook file where that character is stored (inside the JSON string
//! of its cell line, escapes accounted for), so findings land on the real file line.
//!
//! The notebook is read with a small positional JSON reader rather than `serde_json`,
//! because serde gives no positions: every string keeps its place in the file and is only
//! decoded when it is a code cell's source.

use super::code::{self, CodeFile, Lang};
use crate::source::Span;

/// Deeper JSON is not a notebook anyone wrote; the reader gives up instead of recursing.
const MAX_DEPTH: usize = 128;

/// A JSON value with its place in the file. Strings are kept as the byte range of their
/// body (inside the quotes), decoded on demand.
enum Value {
    Str(usize, usize),
    Arr(Vec<Value>),
    Obj(Vec<(String, Value)>),
    Other,
}

impl Value {
    fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Self::Obj(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        while self
            .b
            .get(self.i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match *self.b.get(self.i)? {
            b'"' => {
                let start = self.i + 1;
                let end = skip_string(self.b, self.i)?;
                self.i = end + 1;
                Some(Value::Str(start, end))
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Some(Value::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.b.get(self.i)? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(Value::Arr(items));
                        }
                        _ => return None,
                    }
                }
            }
            b'{' => {
                self.i += 1;
                let mut pairs = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Some(Value::Obj(pairs));
                }
                loop {
                    self.ws();
                    let Value::Str(ks, ke) = self.value(depth + 1)? else {
                        return None;
                    };
                    let key = decode(self.text, ks, ke).0;
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return None;
                    }
                    self.i += 1;
                    pairs.push((key, self.value(depth + 1)?));
                    self.ws();
                    match self.b.get(self.i)? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Some(Value::Obj(pairs));
                        }
                        _ => return None,
                    }
                }
            }
            _ => {
                // Numbers, true, false, null: skipped to the next delimiter.
                let start = self.i;
                while self.b.get(self.i).is_some_and(|c| {
                    !matches!(c, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t')
                }) {
                    self.i += 1;
                }
                (self.i > start).then_some(Value::Other)
            }
        }
    }
}

/// The index of the closing quote of the JSON string whose opening quote is at `q`.
fn skip_string(b: &[u8], q: usize) -> Option<usize> {
    let mut i = q + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Decode a JSON string body `text[start..end]`; the second vector gives, for every byte
/// of the decoded string, the file offset of the character (or escape) it came from.
fn decode(text: &str, start: usize, end: usize) -> (String, Vec<usize>) {
    let body = &text[start..end];
    let mut out = String::with_capacity(body.len());
    let mut map = Vec::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    let hex = |s: &str| u32::from_str_radix(s, 16).ok();
    while let Some((i, c)) = chars.next() {
        let at = start + i;
        let decoded = if c == '\\' {
            match chars.next().map(|(_, e)| e) {
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                Some('b') => '\u{8}',
                Some('f') => '\u{c}',
                Some('u') => {
                    let code = body.get(i + 2..i + 6).and_then(hex);
                    for _ in 0..4 {
                        chars.next();
                    }
                    match code {
                        Some(hi @ 0xD800..=0xDBFF) if body.get(i + 6..i + 8) == Some("\\u") => {
                            let lo = body.get(i + 8..i + 12).and_then(hex).unwrap_or(0);
                            for _ in 0..6 {
                                chars.next();
                            }
                            char::from_u32(
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF),
                            )
                            .unwrap_or('\u{fffd}')
                        }
                        Some(c) => char::from_u32(c).unwrap_or('\u{fffd}'),
                        None => '\u{fffd}',
                    }
                }
                Some(other) => other,
                None => break,
            }
        } else {
            c
        };
        out.push(decoded);
        map.extend(std::iter::repeat_n(at, decoded.len_utf8()));
    }
    (out, map)
}

/// The Python source of a notebook's code cells, where each byte of it is in the file, and
/// each code cell's place in the file with its 1-based number among all cells.
struct NotebookCode {
    code: String,
    /// `map[i]` is the file offset of code byte `i`; one extra entry for the end.
    map: Vec<usize>,
    cells: Vec<(Span, usize)>,
}

fn cells(text: &str) -> Option<NotebookCode> {
    let mut r = Reader {
        b: text.as_bytes(),
        text,
        i: 0,
    };
    // A BOM is not JSON, but editors write one now and then.
    if text.starts_with('\u{feff}') {
        r.i = 3;
    }
    let doc = r.value(0)?;
    let Some(Value::Arr(list)) = doc.get("cells") else {
        return None;
    };
    let mut out = NotebookCode {
        code: String::new(),
        map: Vec::new(),
        cells: Vec::new(),
    };
    for (index, cell) in list.iter().enumerate() {
        let is_code =
            matches!(cell.get("cell_type"), Some(Value::Str(s, e)) if &text[*s..*e] == "code");
        if !is_code {
            continue;
        }
        let strings: Vec<(usize, usize)> = match cell.get("source") {
            Some(Value::Str(s, e)) => vec![(*s, *e)],
            Some(Value::Arr(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::Str(s, e) => Some((*s, *e)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let (Some(head), Some(tail)) = (strings.first(), strings.last()) else {
            continue;
        };
        out.cells.push((Span::new(head.0, tail.1), index + 1));
        for (s, e) in &strings {
            let (line, map) = decode(text, *s, *e);
            out.code.push_str(&line);
            out.map.extend(map);
        }
        if !out.code.ends_with('\n') {
            out.code.push('\n');
            out.map.push(tail.1);
        }
    }
    out.map.push(text.len());
    blank_magics(&mut out.code);
    Some(out)
}

/// Lines starting with `%` or `!` are `IPython` magics and shell escapes; the Python grammar
/// would choke on them, so they become spaces (same length, spans stay valid).
fn blank_magics(code: &mut String) {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('%') || trimmed.starts_with('!') {
            let body = line.trim_end_matches('\n');
            out.extend(std::iter::repeat_n(' ', body.len()));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    *code = out;
}

/// Parse a notebook. Every span of the result points into the notebook file; the second
/// value gives each code cell's place in the file and its 1-based number among all cells.
/// `None` when the cells hold more code than gets a syntax tree
/// ([`code::too_big_for_a_tree`]); a file that is not a notebook gives an empty result with
/// `has_errors` set.
#[must_use]
pub fn parse(text: &str) -> Option<(CodeFile, Vec<(Span, usize)>)> {
    let Some(c) = cells(text) else {
        return Some((
            CodeFile {
                has_errors: true,
                ..CodeFile::default()
            },
            Vec::new(),
        ));
    };
    if code::too_big_for_a_tree(&c.code) {
        return None;
    }
    let mut f = code::parse(&c.code, Lang::Python);
    let at = |i: usize| c.map.get(i).copied().unwrap_or(text.len());
    let remap = |s: Span| {
        let start = at(s.start);
        // The end is just after the last character of the span.
        let end = if s.end > s.start {
            let last = at(s.end - 1);
            let width = text[last..].chars().next().map_or(1, char::len_utf8);
            (last
                + if text.as_bytes().get(last) == Some(&b'\\') {
                    2
                } else {
                    width
                })
            .max(start)
        } else {
            start
        };
        Span::new(start, end.min(text.len()))
    };
    for call in &mut f.calls {
        call.span = remap(call.span);
        for a in &mut call.args {
            a.span = remap(a.span);
            a.value_span = remap(a.value_span);
        }
    }
    for e in &mut f.env {
        e.key_span = remap(e.key_span);
        e.value_span = remap(e.value_span);
    }
    for p in &mut f.profiles {
        p.span = remap(p.span);
    }
    for p in &mut f.secret_pairs {
        p.key_span = remap(p.key_span);
        p.value_span = remap(p.value_span);
    }
    for d in &mut f.dotenv_loads {
        d.span = remap(d.span);
    }
    Some((f, c.cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_land_on_the_notebook_line_through_escapes() {
        let nb = r##"{
 "cells": [
  {"cell_type": "markdown", "source": ["# \"source\" of truth\n"]},
  {
   "cell_type": "code",
   "metadata": {"tags": ["source"]},
   "outputs": [{"name": "stdout", "text": ["source\n"]}],
   "source": [
    "%pip install boto3\n",
    "import boto3\n",
    "s3 = boto3.client(\"s3\", aws_access_key_id=\"AKIANB\")\n"
   ]
  }
 ]
}"##;
        let (f, cells) = parse(nb).expect("small");
        assert!(!f.has_errors, "magics are blanked");
        let a = &f.calls[0].args[0];
        assert_eq!(&nb[a.value_span.start..a.value_span.end], "AKIANB");
        assert_eq!(&nb[a.span.start..a.span.end], "\\\"AKIANB\\\"");
        assert_eq!(cells.len(), 1);
        assert_eq!(cells[0].1, 2);
        assert!(cells[0].0.start <= a.span.start && a.span.end <= cells[0].0.end);
    }

    #[test]
    fn source_as_one_string_and_unicode_escapes() {
        let nb = "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"x = '\\u00e9'\\nboto3.Session(profile_name='dev')\"}]}";
        let (f, _) = parse(nb).expect("small");
        let p = &f.profiles[0];
        assert_eq!(&nb[p.span.start..p.span.end], "dev");
    }

    #[test]
    fn not_a_notebook() {
        assert!(parse("{\"cells\": [").expect("small").0.has_errors);
        assert!(parse(&"[".repeat(10_000)).expect("small").0.has_errors);
    }
}
