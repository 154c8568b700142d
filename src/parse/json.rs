//! JSON with exact positions, through `jsonc-parser` (dprint's parser): every value, key and
//! string has its byte range, escapes included, and nesting is capped by the parser itself
//! (512 levels) so hostile input cannot exhaust the stack. The result is the same spanned
//! tree the YAML parser builds ([`Node`]), so trust-policy extraction has one input shape.
//!
//! Also here: [`embedded`], which parses a JSON document held *inside* a string (AWS CLI
//! `create-role` input, a `CloudFormation` `AssumeRolePolicyDocument` given as a string, a
//! Terraform heredoc) and maps every position back into the outer file.

use super::yaml::{Node, Yaml};
use crate::source::Span;
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions};

/// Deeper documents are refused by [`parse`] (the parser's own cap is 512).
pub const MAX_DEPTH: usize = 256;

fn node(value: Yaml, span: Span) -> Node {
    Node {
        value,
        span,
        tag: None,
    }
}

/// A string literal's content, without its quotes.
fn inner(start: usize, end: usize) -> Span {
    Span::new((start + 1).min(end), end.saturating_sub(1).max(start))
}

fn convert(v: &Value<'_>, depth: usize) -> Result<Node, String> {
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    Ok(match v {
        Value::StringLit(s) => node(
            Yaml::Scalar {
                text: s.value.to_string(),
                quoted: true,
            },
            inner(s.range.start, s.range.end),
        ),
        Value::NumberLit(n) => node(
            Yaml::Scalar {
                text: n.value.to_owned(),
                quoted: false,
            },
            Span::new(n.range.start, n.range.end),
        ),
        Value::BooleanLit(b) => node(
            Yaml::Scalar {
                text: b.value.to_string(),
                quoted: false,
            },
            Span::new(b.range.start, b.range.end),
        ),
        Value::NullKeyword(n) => node(
            Yaml::Scalar {
                text: "null".to_owned(),
                quoted: false,
            },
            Span::new(n.range.start, n.range.end),
        ),
        Value::Array(a) => node(
            Yaml::Seq(
                a.elements
                    .iter()
                    .map(|e| convert(e, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Span::new(a.range.start, a.range.end),
        ),
        Value::Object(o) => {
            let mut pairs = Vec::with_capacity(o.properties.len());
            for p in &o.properties {
                let key = match &p.name {
                    ObjectPropName::String(s) => node(
                        Yaml::Scalar {
                            text: s.value.to_string(),
                            quoted: true,
                        },
                        inner(s.range.start, s.range.end),
                    ),
                    ObjectPropName::Word(w) => node(
                        Yaml::Scalar {
                            text: w.value.to_owned(),
                            quoted: false,
                        },
                        Span::new(w.range.start, w.range.end),
                    ),
                };
                pairs.push((key, convert(&p.value, depth + 1)?));
            }
            node(Yaml::Map(pairs), Span::new(o.range.start, o.range.end))
        }
    })
}

/// Parse one JSON document (comments and trailing commas tolerated, as editors write them).
/// `Err` carries a byte offset and a message. A leading byte order mark is skipped.
pub fn parse(text: &str) -> Result<Option<Node>, (usize, String)> {
    let (body, bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let parsed =
        jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &ParseOptions::default())
            .map_err(|e| (e.range().start + bom, e.kind().to_string()))?;
    let Some(value) = parsed.value else {
        return Ok(None);
    };
    let mut n = convert(&value, 0).map_err(|m| (bom, m))?;
    if bom > 0 {
        shift(&mut n, bom);
    }
    Ok(Some(n))
}

/// Move every span of a tree by `by` bytes.
pub fn shift(n: &mut Node, by: usize) {
    n.span = n.span.offset(by);
    match &mut n.value {
        Yaml::Map(pairs) => {
            for (k, v) in pairs {
                shift(k, by);
                shift(v, by);
            }
        }
        Yaml::Seq(items) => items.iter_mut().for_each(|i| shift(i, by)),
        _ => {}
    }
}

fn remap(n: &mut Node, map: &[usize]) {
    let at = |i: usize| {
        map.get(i)
            .copied()
            .or_else(|| map.last().copied())
            .unwrap_or(0)
    };
    n.span = Span::new(at(n.span.start), at(n.span.end).max(at(n.span.start)));
    match &mut n.value {
        Yaml::Map(pairs) => {
            for (k, v) in pairs {
                remap(k, map);
                remap(v, map);
            }
        }
        Yaml::Seq(items) => items.iter_mut().for_each(|i| remap(i, map)),
        _ => {}
    }
}

/// For each byte of `decoded` (and one past its end), the offset in `file` it came from, if
/// `raw` (the string's source text, starting at `raw_start` in the file) can be aligned with
/// it: either line by line (YAML block scalars, plain strings, heredocs: each decoded line
/// appears verbatim in the source) or by decoding JSON escapes (`"{\"Statement\": …}"`).
fn offsets(raw: &str, raw_start: usize, decoded: &str) -> Option<Vec<usize>> {
    let mut map = Vec::with_capacity(decoded.len() + 1);
    // Line by line.
    let mut cursor = 0usize;
    let mut ok = true;
    for (i, line) in decoded.split('\n').enumerate() {
        if i > 0 {
            map.push(raw_start + cursor.saturating_sub(1));
        }
        let Some(found) = raw.get(cursor..).and_then(|r| r.find(line)) else {
            ok = false;
            break;
        };
        let at = cursor + found;
        map.extend((0..line.len()).map(|j| raw_start + at + j));
        cursor = at + line.len() + 1;
    }
    if ok {
        map.push(raw_start + cursor.saturating_sub(1).min(raw.len()));
        return (map.len() == decoded.len() + 1).then_some(map);
    }
    // JSON escapes, for a double-quoted string whose source is `raw`.
    map.clear();
    let body = raw
        .strip_prefix('"')
        .map_or(raw, |r| r.strip_suffix('"').unwrap_or(r));
    let base = raw_start + usize::from(raw.starts_with('"'));
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut out = String::with_capacity(decoded.len());
    while i < bytes.len() {
        let start = i;
        let ch = if bytes[i] == b'\\' {
            let esc = *bytes.get(i + 1)?;
            i += 2;
            match esc {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let hex = body.get(i..i + 4)?;
                    i += 4;
                    let hi = u32::from_str_radix(hex, 16).ok()?;
                    if (0xD800..0xDC00).contains(&hi) && body.get(i..i + 2) == Some("\\u") {
                        let lo = u32::from_str_radix(body.get(i + 2..i + 6)?, 16).ok()?;
                        i += 6;
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00)))?
                    } else {
                        char::from_u32(hi)?
                    }
                }
                _ => return None,
            }
        } else {
            let c = body.get(i..)?.chars().next()?;
            i += c.len_utf8();
            c
        };
        out.push(ch);
        map.extend(std::iter::repeat_n(base + start, ch.len_utf8()));
    }
    map.push(base + i);
    (out == decoded).then_some(map)
}

/// A JSON document held in a string value (`decoded`), whose source text in the file is
/// `raw` starting at `raw_start`. Positions point into the file exactly when the string's
/// source can be aligned with its value, else at the string's start. `None` when the value
/// is not JSON.
#[must_use]
pub fn embedded(decoded: &str, raw: &str, raw_start: usize) -> Option<Node> {
    let mut doc = parse(decoded).ok()??;
    match offsets(raw, raw_start, decoded) {
        Some(map) => remap(&mut doc, &map),
        None => remap(&mut doc, &[raw_start]),
    }
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_spans_even_with_escapes_and_tabs() {
        let text = "{\n\t\"Statement\": [{\"Principal\": {\"AWS\": \"a\\u002Ab\"}, \"Effect\": \"Allow\"}]\n}";
        let doc = parse(text).expect("json").expect("value");
        let st = &doc.get("Statement").expect("st").items()[0];
        let aws = st.get("Principal").and_then(|p| p.get("AWS")).expect("aws");
        assert_eq!(aws.as_str(), Some("a*b"));
        assert_eq!(&text[aws.span.start..aws.span.end], "a\\u002Ab");
        let (k, _) = &st.entries()[1];
        assert_eq!(&text[k.span.start..k.span.end], "Effect");
    }

    #[test]
    fn bom_errors_and_depth() {
        let doc = parse("\u{feff}{\"a\": \"b\"}")
            .expect("json")
            .expect("value");
        let a = doc.get("a").expect("a");
        assert_eq!(a.span.start, 3 + 7);
        assert!(parse("{\"a\": }").is_err());
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).is_err());
        let deepish = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        assert!(parse(&deepish).is_err());
        assert!(parse("").expect("empty").is_none());
    }

    #[test]
    fn embedded_documents_map_back() {
        // A JSON string inside JSON, as `aws iam create-role --cli-input-json` takes it.
        let file = r#"{"AssumeRolePolicyDocument": "{\"Statement\": [{\"Principal\": \"*\"}]}"}"#;
        let outer = parse(file).expect("json").expect("value");
        let v = outer.get("AssumeRolePolicyDocument").expect("doc");
        let raw = &file[(v.span.start - 1)..=v.span.end];
        let doc = embedded(v.as_str().expect("str"), raw, v.span.start - 1).expect("inner");
        let p = doc.get("Statement").expect("st").items()[0]
            .get("Principal")
            .expect("p");
        assert_eq!(&file[p.span.start..p.span.end], "*");
        // A block scalar: lines appear verbatim, indented.
        let yaml = "Doc: |\n  {\"Statement\": [\n    {\"Principal\": \"*\"}]}\n";
        let decoded = "{\"Statement\": [\n  {\"Principal\": \"*\"}]}\n";
        let doc = embedded(decoded, &yaml[5..], 5).expect("inner");
        let p = doc.get("Statement").expect("st").items()[0]
            .get("Principal")
            .expect("p");
        assert_eq!(&yaml[p.span.start..p.span.end], "*");
    }
}
