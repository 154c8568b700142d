//! dotenv files, read as python-dotenv reads them (`dotenv.parser.parse_stream`):
//! `KEY=value`, `export KEY=value`, quoted and unquoted values, escapes in double quotes,
//! ` #` inline comments on unquoted values, multi-line quoted values, `${VAR}` references
//! kept as references.

use super::env::{EnvAssignment, EnvFile, EnvParseError, ValueOrigin};
use crate::source::Span;

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
}

fn horizontal_space(c: char) -> bool {
    c.is_whitespace() && c != '\r' && c != '\n'
}

/// Parse a dotenv file. A statement that python-dotenv cannot parse becomes an error and
/// the rest of its line is skipped, as python-dotenv does.
#[must_use]
pub fn parse(text: &str) -> EnvFile {
    let text_no_bom = text.strip_prefix('\u{feff}');
    let mut r = Reader {
        text,
        pos: if text_no_bom.is_some() { 3 } else { 0 },
    };
    let mut out = EnvFile::default();
    loop {
        r.eat_while(char::is_whitespace);
        if r.pos >= text.len() {
            break;
        }
        let mark = r.pos;
        match binding(&mut r) {
            Ok(Some(a)) => out.assignments.push(a),
            Ok(None) => {}
            Err(message) => {
                r.pos = mark;
                let line = r.eat_while(|c| c != '\r' && c != '\n');
                r.eat_while(|c| c == '\r' || c == '\n');
                out.errors.push(EnvParseError {
                    span: line,
                    message,
                });
            }
        }
    }
    out
}

fn binding(r: &mut Reader<'_>) -> Result<Option<EnvAssignment>, String> {
    let mut exported = false;
    if let Some(after) = r.rest().strip_prefix("export")
        && after.starts_with(horizontal_space)
    {
        r.pos += "export".len();
        r.eat_while(horizontal_space);
        exported = true;
    }
    let key = match r.peek() {
        Some('#') => None,
        Some('\'') => {
            let end = r.rest()[1..].find('\'').ok_or("unterminated quoted key")?;
            if end == 0 {
                return Err("empty quoted key".into());
            }
            let span = Span::new(r.pos + 1, r.pos + 1 + end);
            r.pos += end + 2;
            Some(span)
        }
        _ => {
            let span = r.eat_while(|c| c != '=' && c != '#' && !c.is_whitespace());
            if span.is_empty() {
                return Err("expected a variable name".into());
            }
            Some(span)
        }
    };
    r.eat_while(horizontal_space);
    let mut value = None;
    if r.peek() == Some('=') {
        r.pos += 1;
        r.eat_while(horizontal_space);
        value = Some(parse_value(r)?);
    }
    // Optional comment, then end of line.
    let save = r.pos;
    r.eat_while(horizontal_space);
    if r.peek() == Some('#') {
        r.eat_while(|c| c != '\r' && c != '\n');
    } else {
        r.pos = save;
    }
    r.eat_while(horizontal_space);
    match r.peek() {
        None | Some('\r' | '\n') => {
            if r.rest().starts_with("\r\n") {
                r.pos += 2;
            } else if r.peek().is_some() {
                r.pos += 1;
            }
        }
        Some(_) => return Err("unexpected text after the value".into()),
    }
    let Some(key_span) = key else { return Ok(None) };
    let (value, value_span, origin) = match value {
        Some((v, span, origin)) => (Some(v), span, origin),
        None => (
            None,
            Span::new(key_span.end, key_span.end),
            ValueOrigin::Literal,
        ),
    };
    Ok(Some(EnvAssignment {
        key: r.text[key_span.start..key_span.end].to_owned(),
        key_span,
        value,
        value_span,
        origin,
        exported,
        command_prefix: false,
    }))
}

fn parse_value(r: &mut Reader<'_>) -> Result<(String, Span, ValueOrigin), String> {
    let (value, span) = match r.peek() {
        Some(q @ ('\'' | '"')) => {
            let body_start = r.pos + 1;
            let bytes = r.text.as_bytes();
            let mut i = body_start;
            loop {
                match bytes.get(i) {
                    None => return Err("unterminated quoted value".into()),
                    Some(b'\\') if bytes.get(i + 1) == Some(&(q as u8)) => i += 2,
                    Some(&b) if b == q as u8 => break,
                    Some(_) => i += 1,
                }
            }
            let raw = &r.text[body_start..i];
            r.pos = i + 1;
            let decoded = if q == '"' {
                unescape_double(raw)
            } else {
                unescape_single(raw)
            };
            (decoded, Span::new(body_start, i))
        }
        None | Some('\r' | '\n') => (String::new(), Span::new(r.pos, r.pos)),
        Some(_) => {
            let line = r.eat_while(|c| c != '\r' && c != '\n');
            let raw = &r.text[line.start..line.end];
            // python-dotenv: re.sub(r"\s+#.*", "", part).rstrip()
            let mut cut = raw.len();
            for (i, c) in raw.char_indices() {
                if c == '#' && raw[..i].ends_with(char::is_whitespace) {
                    cut = raw[..i].trim_end().len();
                    break;
                }
            }
            let v = raw[..cut].trim_end();
            (v.to_owned(), Span::new(line.start, line.start + v.len()))
        }
    };
    let origin = if has_reference(&value) {
        ValueOrigin::Reference
    } else {
        ValueOrigin::Literal
    };
    Ok((value, span, origin))
}

/// Whether a value contains a `${NAME}` reference that python-dotenv would interpolate.
#[must_use]
pub fn has_reference(value: &str) -> bool {
    value.find("${").is_some_and(|i| value[i..].contains('}'))
}

/// Expand `${NAME}` and `${NAME:-default}` the way python-dotenv's `resolve_variables`
/// does, looking names up with `lookup`.
#[must_use]
pub fn interpolate(value: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find("${") {
        let Some(close) = rest[i + 2..].find('}') else {
            break;
        };
        let inner = &rest[i + 2..i + 2 + close];
        if inner.contains(':') && !inner.contains(":-") {
            out.push_str(&rest[..=(i + 2 + close)]);
            rest = &rest[i + 2 + close + 1..];
            continue;
        }
        out.push_str(&rest[..i]);
        let (name, default) = match inner.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (inner, None),
        };
        let v = lookup(name)
            .or_else(|| default.map(str::to_owned))
            .unwrap_or_default();
        out.push_str(&v);
        rest = &rest[i + 2 + close + 1..];
    }
    out.push_str(rest);
    out
}

fn unescape_single(raw: &str) -> String {
    raw.replace("\\\\", "\u{0}")
        .replace("\\'", "'")
        .replace('\u{0}', "\\")
}

fn unescape_double(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mapped = match chars.clone().next() {
            Some('\\') => Some('\\'),
            Some('\'') => Some('\''),
            Some('"') => Some('"'),
            Some('a') => Some('\x07'),
            Some('b') => Some('\x08'),
            Some('f') => Some('\x0c'),
            Some('n') => Some('\n'),
            Some('r') => Some('\r'),
            Some('t') => Some('\t'),
            Some('v') => Some('\x0b'),
            _ => None,
        };
        match mapped {
            Some(m) => {
                out.push(m);
                chars.next();
            }
            None => out.push('\\'),
        }
    }
    out
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
    fn references_and_interpolation() {
        let f = parse("A=${HOME}/x\n");
        assert_eq!(f.assignments[0].origin, ValueOrigin::Reference);
        let look = |n: &str| (n == "HOME").then(|| "/h".to_owned());
        assert_eq!(
            interpolate("${HOME}/x ${NOPE:-d} ${NOPE}", &look),
            "/h/x d "
        );
    }

    #[test]
    fn bom_is_skipped() {
        assert_eq!(kv("\u{feff}A=1\n"), vec![("A".into(), Some("1".into()))]);
    }
}
