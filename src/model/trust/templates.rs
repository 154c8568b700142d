//! Templates: JSON or YAML with templating placeholders (Jinja, Go templates, ERB, `${…}`
//! substitutions) that make the file invalid until it is rendered, read with their tags
//! blanked.

use super::statements::TrustPolicy;
use super::tree::from_tree;
use super::value::Value;
use crate::discover::FileKind;
use crate::source::Span;

// ---------------------------------------------------------------------------------------
// Templates: JSON or YAML with templating placeholders (Jinja, Go templates, ERB,
// `${…}` substitutions) that make the file invalid until it is rendered.

/// Opening and closing delimiters of template tags, tried in this order.
const TAGS: [(&str, &str); 5] = [
    ("{{", "}}"),
    ("{%", "%}"),
    ("{#", "#}"),
    ("<%", "%>"),
    ("%{", "}"),
];

/// Go-template actions that produce no value (`{{ if … }}`, `{{- end }}`).
const GO_CONTROL: [&str; 9] = [
    "if ",
    "else",
    "end",
    "range ",
    "with ",
    "define ",
    "template ",
    "block ",
    "/*",
];

/// The byte ranges of template tags in `text`, each with whether it stands alone on its
/// line. In JSON, `${…}` outside strings is a tag too (inside strings it is
/// `CloudFormation`'s own `Fn::Sub` syntax and valid JSON).
fn template_tags(text: &str, json: bool) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut in_string) = (0, false);
    while i < b.len() {
        let rest = &text[i..];
        let tag = TAGS
            .iter()
            .chain(json.then_some(&("${", "}")).filter(|_| !in_string))
            .find(|(open, _)| rest.starts_with(open));
        if let Some((open, close)) = tag {
            if let Some(end) = rest[open.len()..].find(close) {
                let end = i + open.len() + end + close.len();
                out.push((i, end));
                i = end;
                continue;
            }
        }
        match b[i] {
            b'\\' if json && in_string => i += 1,
            b'"' if json => in_string = !in_string,
            b'\n' => in_string = false,
            _ => {}
        }
        i += 1;
    }
    out
}

/// The text with every template tag replaced by bytes of the same length, so that every
/// position stays where it was: a tag alone on its line (control flow, or a whole injected
/// block) becomes spaces; a tag inside a JSON string or a YAML value becomes `_`s; a tag
/// in JSON value position becomes a string `"___"`. `None` when there is no tag.
fn blank_templates(text: &str, json: bool) -> Option<(String, Vec<Span>)> {
    let tags = template_tags(text, json);
    if tags.is_empty() {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut in_string_at = vec![false; bytes.len() + 1];
    if json {
        let (mut i, mut in_string, mut t) = (0, false, 0);
        while i < bytes.len() {
            if t < tags.len() && tags[t].0 == i {
                for flag in &mut in_string_at[tags[t].0..tags[t].1] {
                    *flag = in_string;
                }
                i = tags[t].1;
                t += 1;
                continue;
            }
            in_string_at[i] = in_string;
            match bytes[i] {
                b'\\' if in_string => i += 1,
                b'"' => in_string = !in_string,
                b'\n' => in_string = false,
                _ => {}
            }
            i += 1;
        }
    }
    let mut spans = Vec::new();
    for &(start, end) in &tags {
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n);
        let alone = text[line_start..start].trim().is_empty()
            && (text[end..line_end].trim().is_empty() || text[end..line_end].trim() == ",");
        let inner = text[start + 2..end].trim_start_matches(['-', ' ']);
        let tag = &text[start..end];
        let control = tag.starts_with("{%")
            || tag.starts_with("{#")
            || tag.starts_with("%{")
            || (tag.starts_with("<%") && !tag.starts_with("<%="))
            || (tag.starts_with("{{") && GO_CONTROL.iter().any(|c| inner.starts_with(c)));
        let keep_newlines = |bytes: &mut [u8], with: u8| {
            for c in &mut bytes[start..end] {
                if *c != b'\n' {
                    *c = with;
                }
            }
        };
        if alone && (control || json) || text[start..end].contains('\n') {
            keep_newlines(&mut bytes, b' ');
            continue;
        }
        if control {
            keep_newlines(&mut bytes, b' ');
            continue;
        }
        keep_newlines(&mut bytes, b'_');
        if json && !in_string_at[start] {
            bytes[start] = b'"';
            bytes[end - 1] = b'"';
        }
        spans.push(Span::new(start, end));
    }
    String::from_utf8(bytes).ok().map(|t| (t, spans))
}

/// A template that does not parse as it is, read with its tags blanked: every value that
/// a tag touches is unresolved (shown as written), and a statement whose condition keys or
/// principal types come from a tag is not judged.
pub(super) fn templated(
    kind: FileKind,
    text: &str,
    named_as_trust: bool,
) -> Option<Vec<TrustPolicy>> {
    let json = kind == FileKind::Json;
    let (blank, tags) = blank_templates(text, json)?;
    let docs = if json {
        vec![crate::parse::json::parse(&blank).ok()??]
    } else {
        crate::parse::yaml::parse(&blank).ok()?
    };
    let mut policies = from_tree(&docs, &blank, named_as_trust);
    let touched = |s: Span| tags.iter().any(|t| t.start < s.end && s.start < t.end);
    let mark = |v: &mut Value| {
        if touched(v.span) {
            // Shown as written, the whole tag included (a tag in value position became a
            // quoted string whose content is the tag without its first and last bytes).
            let (mut start, mut end) = (v.span.start, v.span.end);
            for t in &tags {
                if t.start < v.span.end && v.span.start < t.end {
                    start = start.min(t.start);
                    end = end.max(t.end);
                }
            }
            v.unresolved = true;
            v.short = text.get(start..end).map(str::to_owned);
        }
    };
    for p in &mut policies {
        for st in &mut p.statements {
            for pr in st.principals.iter_mut().chain(st.not_principals.iter_mut()) {
                mark(&mut pr.value);
            }
            st.actions.iter_mut().for_each(mark);
            for c in &mut st.conditions {
                c.values.iter_mut().for_each(mark);
                if touched(c.key_span) || touched(c.operator_span) {
                    st.opaque = true;
                }
            }
        }
    }
    Some(policies)
}

#[cfg(test)]
mod tests {
    use super::super::extract;
    use super::super::principals::{Account, PrincipalKind};
    use crate::discover::FileKind;
    use crate::parse::json;

    #[test]
    fn templates_are_read_with_their_tags_blanked() {
        let text = "{\n  \"Statement\": [\n    {% for a in accounts %}\n    {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": {{ a | tojson }}}, \"Action\": \"sts:AssumeRole\"},\n    {% endfor %}\n    {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::{{ acct }}:root\"}, \"Action\": \"sts:AssumeRole\"},\n    {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"}\n  ]\n}\n";
        assert!(json::parse(text).is_err());
        let p = extract(FileKind::Json, "trust.json", text).expect("read through the fallback");
        let st = &p[0].statements;
        assert_eq!(st.len(), 3);
        assert!(st[0].principals[0].value.unresolved);
        assert_eq!(st[0].principals[0].value.shown(), "{{ a | tojson }}");
        assert_eq!(st[1].principals[0].account(), Some(Account::Unknown));
        let star = &st[2].principals[0];
        assert_eq!(star.kind, PrincipalKind::Anyone);
        assert_eq!(&text[star.value.span.start..star.value.span.end], "*");
        // Without any tag the parse error stays a note.
        assert!(extract(FileKind::Json, "trust.json", "{\"Principal\": [sts:").is_err());
    }
}
