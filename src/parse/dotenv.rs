//! dotenv files, read as python-dotenv 1.2 reads them: `dotenv.parser.parse_stream` ported
//! regex by regex (`KEY=value`, `export KEY=value`, `'quoted key'`, single- and
//! double-quoted values with their escapes, multi-line quoted values, ` #` inline comments
//! on unquoted values, `KEY= # comment`), with spans; `${VAR}` references are kept as
//! written by [`parse`] and expanded by [`load`], which does what `load_dotenv()` does to
//! the environment (`tests/dotenv_agreement.rs` compares it with the real one).
//!
//! "Whitespace" is Python's `\s` (`str.isspace()`): Rust's `char::is_whitespace` plus the
//! separators U+001C..U+001F.

use super::env::{EnvAssignment, EnvFile, EnvParseError, ValueOrigin};
use crate::py::text::py_space;
use crate::source::{Encoding, SourceFile, Span};
use std::collections::{BTreeMap, HashMap};

/// `[^\S\r\n]`: whitespace that does not end a line.
fn hspace(c: char) -> bool {
    py_space(c) && c != '\r' && c != '\n'
}

fn line_break(c: char) -> bool {
    c == '\r' || c == '\n'
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn eat_while(&mut self, f: impl Fn(char) -> bool) -> Span {
        let start = self.pos;
        let n = self.rest().find(|c| !f(c)).unwrap_or(self.rest().len());
        self.pos += n;
        Span::new(start, self.pos)
    }
    /// `\r\n`, `\n` or `\r`, if one is next.
    fn eat_line_break(&mut self) -> bool {
        if self.rest().starts_with("\r\n") {
            self.pos += 2;
        } else if self.peek().is_some_and(line_break) {
            self.pos += 1;
        } else {
            return false;
        }
        true
    }
}

/// Parse a dotenv file. A statement that python-dotenv cannot parse becomes an error, and
/// what python-dotenv skips with it (the rest of the line where parsing stopped, which for
/// a multi-line quoted value is not the statement's first line) is skipped.
///
/// Values are decoded as a program that loads the file by path sees them: Python opens it
/// with universal newlines, so a line break inside a quoted value or key is `\n`, whatever
/// the file has. Spans point into `text` as it is.
#[must_use]
pub fn parse(text: &str) -> EnvFile {
    let mut r = Reader {
        text,
        pos: if text.starts_with('\u{feff}') { 3 } else { 0 },
    };
    let mut out = EnvFile::default();
    while r.pos < text.len() {
        // _multiline_whitespace
        r.eat_while(py_space);
        if r.pos >= text.len() {
            break;
        }
        let start = r.pos;
        match binding(&mut r) {
            Ok(Some(a)) => out.assignments.push(a),
            Ok(None) => {}
            Err(message) => {
                // _rest_of_line, from where parsing stopped: [^\r\n]*(?:\r|\n|\r\n)?
                let rest = r.eat_while(|c| !line_break(c));
                if r.peek().is_some_and(line_break) {
                    r.pos += 1;
                }
                out.errors.push(EnvParseError {
                    span: Span::new(start, rest.end),
                    message,
                });
            }
        }
    }
    out
}

fn binding(r: &mut Reader<'_>) -> Result<Option<EnvAssignment>, String> {
    // _export: (?:export[^\S\r\n]+)?
    let mut exported = false;
    if let Some(after) = r.rest().strip_prefix("export")
        && after.starts_with(hspace)
    {
        r.pos += "export".len();
        r.eat_while(hspace);
        exported = true;
    }
    let key = match r.peek() {
        Some('#') => None,
        // _single_quoted_key: '([^']+)'
        Some('\'') => {
            let body = r.pos + 1;
            let end = r.text[body..]
                .find('\'')
                .ok_or("unterminated quoted variable name")?;
            if end == 0 {
                return Err("empty quoted variable name".into());
            }
            r.pos = body + end + 1;
            Some(Span::new(body, body + end))
        }
        // _unquoted_key: [^=\#\s]+
        _ => {
            let span = r.eat_while(|c| c != '=' && c != '#' && !py_space(c));
            if span.is_empty() {
                return Err("expected a variable name".into());
            }
            Some(span)
        }
    };
    r.eat_while(hspace);
    let mut value = None;
    if r.peek() == Some('=') {
        // _equal_sign: =[^\S\r\n]*
        r.pos += 1;
        let gap = r.eat_while(hspace);
        value = Some(if !gap.is_empty() && r.peek() == Some('#') {
            // `KEY= # comment`: an empty value and a comment (`KEY=#x` is the value `#x`).
            (String::new(), Span::new(r.pos, r.pos))
        } else {
            parse_value(r)?
        });
    }
    // _comment: (?:[^\S\r\n]*#[^\r\n]*)?
    let save = r.pos;
    r.eat_while(hspace);
    if r.peek() == Some('#') {
        r.eat_while(|c| !line_break(c));
    } else {
        r.pos = save;
    }
    // _end_of_line: [^\S\r\n]*(?:\r\n|\n|\r|$)
    r.eat_while(hspace);
    if !r.eat_line_break() && r.peek().is_some() {
        return Err("unexpected text after the value".into());
    }
    let Some(key_span) = key else { return Ok(None) };
    let (value, value_span) = match value {
        Some((v, span)) => (Some(v), span),
        None => (None, Span::new(key_span.end, key_span.end)),
    };
    let origin = if value.as_deref().is_some_and(has_reference) {
        ValueOrigin::Reference
    } else {
        ValueOrigin::Literal
    };
    Ok(Some(EnvAssignment {
        key: universal_newlines(&r.text[key_span.start..key_span.end]),
        key_span,
        value,
        value_span,
        origin,
        exported,
        command_prefix: false,
    }))
}

fn parse_value(r: &mut Reader<'_>) -> Result<(String, Span), String> {
    match r.peek() {
        // _single_quoted_value: '((?:\\.|[^'\\])*)'   (DOTALL)
        // _double_quoted_value: "((?:\\.|[^"\\])*)"
        Some(q @ ('\'' | '"')) => {
            let body = r.pos + 1;
            let mut chars = r.text[body..].char_indices();
            let end = loop {
                match chars.next() {
                    None => return Err("unterminated quoted value".into()),
                    Some((_, '\\')) => {
                        if chars.next().is_none() {
                            return Err("unterminated quoted value".into());
                        }
                    }
                    Some((i, c)) if c == q => break body + i,
                    Some(_) => {}
                }
            };
            r.pos = end + 1;
            let raw = universal_newlines(&r.text[body..end]);
            let value = if q == '"' {
                unescape(&raw, "\\'\"abfnrtv")
            } else {
                unescape(&raw, "\\'")
            };
            Ok((value, Span::new(body, end)))
        }
        None | Some('\r' | '\n') => Ok((String::new(), Span::new(r.pos, r.pos))),
        Some(_) => {
            // _unquoted_value: ([^\r\n]*), then re.sub(r"\s+#.*", "", part).rstrip()
            let line = r.eat_while(|c| !line_break(c));
            let part = &r.text[line.start..line.end];
            let mut cut = part.len();
            let mut prev_space = false;
            for (i, c) in part.char_indices() {
                if c == '#' && prev_space {
                    cut = i;
                    break;
                }
                prev_space = py_space(c);
            }
            let v = part[..cut].trim_end_matches(py_space);
            Ok((v.to_owned(), Span::new(line.start, line.start + v.len())))
        }
    }
}

/// `\r\n` and `\r` as `\n`: what Python's text mode (universal newlines) reads.
fn universal_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_owned()
    }
}

/// python-dotenv's `decode_escapes`: each backslash followed by one of `escapes` (left to
/// right, not overlapping) is decoded as Python's `unicode-escape` decodes it; any other
/// backslash stays.
fn unescape(raw: &str, escapes: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let decoded = match chars.peek() {
            Some(&n) if c == '\\' && escapes.contains(n) => match n {
                'a' => '\x07',
                'b' => '\x08',
                'f' => '\x0c',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'v' => '\x0b',
                other => other,
            },
            _ => {
                out.push(c);
                continue;
            }
        };
        chars.next();
        out.push(decoded);
    }
    out
}

/// One match of python-dotenv's `_posix_variable`,
/// `\$\{(?P<name>[^\}:]*)(?::-(?P<default>[^\}]*))?\}`, at the start of `s`: the name, the
/// default and the match's length.
fn posix_variable(s: &str) -> Option<(&str, Option<&str>, usize)> {
    let inner = s.strip_prefix("${")?;
    let name_len = inner.find(['}', ':']).unwrap_or(inner.len());
    let (name, after) = inner.split_at(name_len);
    if after.starts_with('}') {
        return Some((name, None, 2 + name_len + 1));
    }
    let default_and_rest = after.strip_prefix(":-")?;
    let close = default_and_rest.find('}')?;
    let default = &default_and_rest[..close];
    Some((name, Some(default), 2 + name_len + 2 + close + 1))
}

/// The matches of `_posix_variable` in `value`, as `re.finditer` finds them: (start, name,
/// default, end).
fn variables(value: &str) -> impl Iterator<Item = (usize, &str, Option<&str>, usize)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(i) = value[at..].find("${") {
            let start = at + i;
            if let Some((name, default, len)) = posix_variable(&value[start..]) {
                at = start + len;
                return Some((start, name, default, start + len));
            }
            at = start + 1;
        }
        at = value.len();
        None
    })
}

/// Whether a value contains a `${NAME}` or `${NAME:-default}` that python-dotenv would
/// interpolate.
#[must_use]
pub fn has_reference(value: &str) -> bool {
    variables(value).next().is_some()
}

/// Expand `${NAME}` and `${NAME:-default}` the way python-dotenv's `resolve_variables`
/// does, looking names up with `lookup`: `None` for a name that is not set (the default
/// applies, else the empty string). Anything else (`$NAME`, `${NAME:x}`) stays as written.
#[must_use]
pub fn interpolate(value: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut cursor = 0;
    for (start, name, default, end) in variables(value) {
        out.push_str(&value[cursor..start]);
        match lookup(name) {
            Some(v) => out.push_str(&v),
            None => out.push_str(default.unwrap_or_default()),
        }
        cursor = end;
    }
    out.push_str(&value[cursor..]);
    out
}

/// A variable that `load_dotenv()` sets, with the 1-based line of its key (for "where").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedVar {
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// What `load_dotenv()` raises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Python's exception class: `UnicodeDecodeError` or `ValueError`.
    pub class: &'static str,
    /// The 1-based line of the first invalid byte, or of the variable `os.environ` refuses.
    pub line: usize,
    pub message: String,
    /// The variables set before it raised, in order.
    pub applied: Vec<LoadedVar>,
}

/// What python-dotenv's `load_dotenv(path, override=False, interpolate=True,
/// encoding="utf-8")` does when the environment is `env` and the file holds `bytes`: the
/// variables it sets, in the order it sets them (each key once, none of them in `env`).
///
/// As python-dotenv does: nothing when `PYTHON_DOTENV_DISABLED` is `1`, `true`, `t`, `yes`
/// or `y` (any case); the last binding of a key decides (a bare `KEY` line, which has no
/// value, unsets an earlier `KEY=v`); `${NAME}` looks in `env` first, then at the file's
/// bindings before it (a bare `KEY` there is the empty string, its default unused).
///
/// # Errors
/// Where `load_dotenv()` raises: `UnicodeDecodeError` for bytes that are not UTF-8 (before
/// anything is set), `ValueError` where `os.environ` refuses a name or value (a NUL
/// character, or `=` in the name), with what had been set before.
pub fn load(bytes: &[u8], env: &BTreeMap<String, String>) -> Result<Vec<LoadedVar>, LoadError> {
    if env
        .get("PYTHON_DOTENV_DISABLED")
        .is_some_and(|v| ["1", "true", "t", "yes", "y"].contains(&casefold(v).as_str()))
    {
        return Ok(Vec::new());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        LoadError {
            class: "UnicodeDecodeError",
            line: line_index(&String::from_utf8_lossy(&bytes[..at]))
                .position(at)
                .line as usize,
            message: format!(
                "byte 0x{:02x} at offset {at} is not UTF-8: python-dotenv's load_dotenv() \
                 raises UnicodeDecodeError, so the program stops before it looks for \
                 credentials",
                bytes[at]
            ),
            applied: Vec::new(),
        }
    })?;
    // DotEnv.dict(): resolve_variables over the bindings, in order; a key keeps the place
    // of its first binding and the value of its last.
    let lines = line_index(text);
    let mut order: Vec<String> = Vec::new();
    let mut values: HashMap<String, (Option<String>, usize)> = HashMap::new();
    for a in parse(text).assignments {
        let value = a.value.map(|raw| {
            interpolate(&raw, &|name| {
                env.get(name)
                    .cloned()
                    .or_else(|| values.get(name).map(|(v, _)| v.clone().unwrap_or_default()))
            })
        });
        let line = lines.position(a.key_span.start).line as usize;
        if values.insert(a.key.clone(), (value, line)).is_none() {
            order.push(a.key);
        }
    }
    // set_as_environment_variables(): keys already set stay; `os.environ[k] = v` otherwise.
    let mut set = Vec::new();
    for key in order {
        let Some((Some(value), line)) = values.remove(&key) else {
            continue;
        };
        if env.contains_key(&key) {
            continue;
        }
        let refused = if key.contains('\0') || value.contains('\0') {
            Some("embedded null byte")
        } else if key.contains('=') {
            Some("illegal environment variable name")
        } else {
            None
        };
        if let Some(why) = refused {
            return Err(LoadError {
                class: "ValueError",
                line,
                message: format!(
                    "python-dotenv's load_dotenv() raises ValueError ({why}) setting {key:?}, \
                     so the program stops before it looks for credentials"
                ),
                applied: set,
            });
        }
        set.push(LoadedVar { key, value, line });
    }
    Ok(set)
}

/// `text` with the project's line index (`\r\n`, `\n` and a lone `\r` end a line).
fn line_index(text: &str) -> SourceFile {
    SourceFile::new(String::new(), text.to_owned(), Encoding::Utf8)
}

/// `str.casefold()` as far as the values `PYTHON_DOTENV_DISABLED` is compared with go:
/// ASCII letters and U+017F (long s, which folds to `s`); any other non-ASCII character
/// folds to something that is not ASCII, so it is kept and the value matches nothing.
fn casefold(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\u{17f}' {
                's'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(text: &str) -> Vec<(String, Option<String>)> {
        parse(text)
            .assignments
            .into_iter()
            .map(|a| (a.key, a.value))
            .collect()
    }

    fn loaded(text: &str, env: &[(&str, &str)]) -> Vec<(String, String)> {
        let env = pairs(env).into_iter().collect();
        load(text.as_bytes(), &env)
            .expect("loads")
            .into_iter()
            .map(|v| (v.key, v.value))
            .collect()
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn forms_python_dotenv_accepts() {
        let text = "# c\nA=1\nexport B = two words # note\nC='x#y'\nD=\"l1\\nl2\"\nE=a#b\nF\nG=\n";
        assert_eq!(
            kv(text),
            vec![
                ("A".into(), Some("1".into())),
                ("B".into(), Some("two words".into())),
                ("C".into(), Some("x#y".into())),
                ("D".into(), Some("l1\nl2".into())),
                ("E".into(), Some("a#b".into())),
                ("F".into(), None),
                ("G".into(), Some(String::new())),
            ]
        );
    }

    #[test]
    fn spans_point_inside_quotes_and_multiline_works() {
        let text = "K=\"multi\nline\"\r\nS='abc'\n";
        let f = parse(text);
        assert_eq!(f.assignments[0].value.as_deref(), Some("multi\nline"));
        let s = &f.assignments[1];
        assert_eq!(&text[s.value_span.start..s.value_span.end], "abc");
    }

    #[test]
    fn errors_skip_the_line_and_go_on() {
        let f = parse("=oops\nA=\"unterminated\nB=2\n");
        assert_eq!(f.errors.len(), 2);
        assert_eq!(kv("=oops\nB=2\n"), vec![("B".into(), Some("2".into()))]);
    }

    #[test]
    fn an_error_after_a_multiline_value_skips_from_where_it_stopped() {
        // python-dotenv reads the whole quoted value, fails at `junk` and skips the rest of
        // that line: `y" junk` is not a statement of its own.
        let f = parse("A=\"x\ny\" junk\nB=1\n");
        assert_eq!(f.errors.len(), 1);
        assert_eq!(
            kv("A=\"x\ny\" junk\nB=1\n"),
            vec![("B".into(), Some("1".into()))]
        );
    }

    #[test]
    fn escapes_and_comments_as_python_dotenv_1_2() {
        assert_eq!(
            kv("A=\"a\\\\\"\nB='it\\'s'\nC= #c\nD=#v\nE=\"x\"#c\n"),
            vec![
                ("A".into(), Some("a\\".into())),
                ("B".into(), Some("it's".into())),
                ("C".into(), Some(String::new())),
                ("D".into(), Some("#v".into())),
                ("E".into(), Some("x".into())),
            ]
        );
        // U+001C..U+001F are whitespace to Python.
        assert_eq!(
            kv("\u{1c}A\u{1f}=v\u{1c}\n"),
            vec![("A".into(), Some("v".into()))]
        );
    }

    #[test]
    fn quoted_values_read_with_universal_newlines() {
        assert_eq!(
            kv("A='x\r\ny\rz'\r\n"),
            vec![("A".into(), Some("x\ny\nz".into()))]
        );
        // An escaped \r is a carriage return, not a line break.
        assert_eq!(kv("A=\"x\\r\"\n"), vec![("A".into(), Some("x\r".into()))]);
    }

    #[test]
    fn references_and_interpolation() {
        let f = parse("A=${HOME}/x\nB=${A:x}\n");
        assert_eq!(f.assignments[0].origin, ValueOrigin::Reference);
        assert_eq!(f.assignments[1].origin, ValueOrigin::Literal);
        let look = |n: &str| (n == "HOME").then(|| "/h".to_owned());
        assert_eq!(
            interpolate("${HOME}/x ${NOPE:-d} ${NOPE} $HOME", &look),
            "/h/x d  $HOME"
        );
        // `${A:x` does not match; the scan goes on inside it.
        assert_eq!(interpolate("${A:x${HOME}}", &look), "${A:x/h}");
        assert_eq!(interpolate("${A:b:-c}", &look), "${A:b:-c}");
        assert_eq!(interpolate("${NOPE:-a:-b}", &look), "a:-b");
    }

    #[test]
    fn load_keeps_what_is_set_and_follows_the_last_binding() {
        assert_eq!(
            loaded("A=1\nB=${A}\nA=2\nC\nD=${C:-d}\n", &[]),
            pairs(&[("A", "2"), ("B", "1"), ("D", "")])
        );
        assert_eq!(
            loaded("A=file\nB=${A}\n", &[("A", "env")]),
            pairs(&[("B", "env")])
        );
        // A bare `A` after `A=1` leaves A unset.
        assert_eq!(loaded("A=1\nA\n", &[]), pairs(&[]));
        assert_eq!(
            loaded("A=1\n", &[("PYTHON_DOTENV_DISABLED", "Yeſ")]),
            pairs(&[])
        );
        assert_eq!(
            loaded("A=1\n", &[("PYTHON_DOTENV_DISABLED", "no")]),
            pairs(&[("A", "1")])
        );
    }

    #[test]
    fn load_raises_where_python_dotenv_does() {
        let env = BTreeMap::new();
        let e = load(b"A=1\nB=caf\xe9\n", &env).expect_err("not UTF-8");
        assert_eq!((e.class, e.line), ("UnicodeDecodeError", 2));
        let e = load(b"A=1\n'B=C'=2\nD=3\n", &env).expect_err("= in a name");
        assert_eq!((e.class, e.line), ("ValueError", 2));
        assert_eq!(e.applied.len(), 1);
        let e = load(b"A=x\0y\n", &env).expect_err("NUL");
        assert_eq!(e.class, "ValueError");
    }

    #[test]
    fn bom_is_skipped() {
        assert_eq!(kv("\u{feff}A=1\n"), vec![("A".into(), Some("1".into()))]);
    }
}
