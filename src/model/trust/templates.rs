//! Templates: JSON or YAML with templating placeholders (Jinja, Go templates, ERB, `${…}`
//! substitutions) that make the file invalid until it is rendered. The parse step reads them
//! with their tags blanked (`crate::parse::documents`); here the values the tags touch are
//! marked unresolved.

use super::statements::TrustPolicy;
use super::tree::from_tree;
use super::value::Value;
use crate::parse::yaml::Node;
use crate::source::Span;

/// A template that does not parse as it is, read with its tags blanked: every value that
/// a tag touches is unresolved (shown as written), and a statement whose condition keys or
/// principal types come from a tag is not judged. The parse step blanked the tags
/// (`crate::parse::documents`): `blank` is the blanked text, `text` the file's.
pub(super) fn templated(
    text: &str,
    blank: &str,
    docs: &[Node],
    tags: &[Span],
    named_as_trust: bool,
) -> Vec<TrustPolicy> {
    let mut policies = from_tree(docs, blank, named_as_trust);
    let touched = |s: Span| tags.iter().any(|t| t.start < s.end && s.start < t.end);
    let mark = |v: &mut Value| {
        if touched(v.span) {
            // Shown as written, the whole tag included (a tag in value position became a
            // quoted string whose content is the tag without its first and last bytes).
            let (mut start, mut end) = (v.span.start, v.span.end);
            for t in tags {
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
    policies
}

#[cfg(test)]
mod tests {
    use super::super::extract_text;
    use super::super::principals::{Account, PrincipalKind};
    use crate::discover::FileKind;
    use crate::parse::json;

    #[test]
    fn templates_are_read_with_their_tags_blanked() {
        let text = "{\n  \"Statement\": [\n    {% for a in accounts %}\n    {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": {{ a | tojson }}}, \"Action\": \"sts:AssumeRole\"},\n    {% endfor %}\n    {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::{{ acct }}:root\"}, \"Action\": \"sts:AssumeRole\"},\n    {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"}\n  ]\n}\n";
        assert!(json::parse(text).is_err());
        let p =
            extract_text(FileKind::Json, "trust.json", text).expect("read through the fallback");
        let st = &p[0].statements;
        assert_eq!(st.len(), 3);
        assert!(st[0].principals[0].value.unresolved);
        assert_eq!(st[0].principals[0].value.shown(), "{{ a | tojson }}");
        assert_eq!(st[1].principals[0].account(), Some(Account::Unknown));
        let star = &st[2].principals[0];
        assert_eq!(star.kind, PrincipalKind::Anyone);
        assert_eq!(&text[star.value.span.start..star.value.span.end], "*");
        // Without any tag the parse error stays a note.
        assert!(extract_text(FileKind::Json, "trust.json", "{\"Principal\": [sts:").is_err());
    }
}
