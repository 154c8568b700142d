//! Loose `name: value` / `name = value` pairs in files without a dedicated parser (YAML,
//! JSON, properties, tfvars, …), kept only when the name is a credential name. This is the
//! fallback that lets CL102 see a secret in any text file; structured formats get real
//! parsers.

use crate::source::Span;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Clone, Debug)]
pub struct LoosePair {
    pub key: String,
    pub key_span: Span,
    pub value: String,
    pub value_span: Span,
}

static PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*(?::=|=>|=|:)[ \t]*["']?([A-Za-z0-9/+=_.-]+)["']?"#,
    )
    .expect("static regex")
});

/// Pairs whose name `keep` accepts.
#[must_use]
pub fn pairs(text: &str, keep: impl Fn(&str) -> bool) -> Vec<LoosePair> {
    PAIR.captures_iter(text)
        .filter_map(|c| {
            let k = c.get(1)?;
            let v = c.get(2)?;
            keep(k.as_str()).then(|| LoosePair {
                key: k.as_str().to_owned(),
                key_span: Span::new(k.start(), k.end()),
                value: v.as_str().to_owned(),
                value_span: Span::new(v.start(), v.end()),
            })
        })
        .collect()
}

/// Pairs whose name is a secret name ([`crate::vocab::is_secret_name`]). Such a name
/// spells `secret` (in any case, maybe split by `_`, `.` or `-`), and a pair never spans
/// lines, so only the lines with that spelling are searched pair by pair: the same pairs as
/// [`pairs`] over the whole text, without running the capturing search over every line of
/// a large file.
#[must_use]
pub fn secret_pairs(text: &str) -> Vec<LoosePair> {
    static SECRET: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r"(?i-u)s[-_.]*e[-_.]*c[-_.]*r[-_.]*e[-_.]*t")
            .expect("static regex")
    });
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut searched_to = 0;
    for m in SECRET.find_iter(bytes) {
        if m.start() < searched_to {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..m.start()]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[m.end()..]).map_or(bytes.len(), |i| m.end() + i);
        searched_to = end;
        // Line bounds are ASCII newlines, so the slice is on char boundaries.
        out.extend(
            pairs(&text[start..end], crate::vocab::is_secret_name)
                .into_iter()
                .map(|p| LoosePair {
                    key_span: Span::new(p.key_span.start + start, p.key_span.end + start),
                    value_span: Span::new(p.value_span.start + start, p.value_span.end + start),
                    ..p
                }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_pairs_skip_only_text_without_a_secret_name() {
        for text in [
            "aws_secret_access_key: abc\n",
            "AWS.Se-Cret_Key = xyz\n",
            "{\"s.e.c.r.e.t.AccessKey\": \"v\"}",
        ] {
            assert_eq!(
                secret_pairs(text).len(),
                pairs(text, crate::vocab::is_secret_name).len(),
                "{text}"
            );
            assert_eq!(secret_pairs(text).len(), 1, "{text}");
        }
        assert!(secret_pairs("aws_access_key_id: AKIA\nsecr3t_access_key = 1\n").is_empty());
        // Line by line, the same pairs and spans as the whole-text search.
        let text = "a = 1\nAWS_SECRET_KEY = \"q8Vt3RLkz0Yb/1mWnE5cP7xH2uJ9sG4dF6aK+oTi\" aws_secret_access_key: y\nb: 2\n\r\nSecretAccessKey=z";
        let whole = pairs(text, crate::vocab::is_secret_name);
        let lines = secret_pairs(text);
        assert_eq!(whole.len(), 3);
        assert_eq!(
            whole
                .iter()
                .map(|p| (p.key_span, p.value_span))
                .collect::<Vec<_>>(),
            lines
                .iter()
                .map(|p| (p.key_span, p.value_span))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn finds_yaml_json_and_properties_pairs() {
        let text =
            "a:\n  aws_secret_access_key: abc\n{\"secretAccessKey\": \"def\"}\nx.secret_key=ghi\n";
        let got: Vec<_> = pairs(text, |k| k.to_ascii_lowercase().contains("secret"))
            .into_iter()
            .map(|p| (p.key, p.value))
            .collect();
        assert_eq!(
            got,
            vec![
                ("aws_secret_access_key".into(), "abc".into()),
                ("secretAccessKey".into(), "def".into()),
                ("x.secret_key".into(), "ghi".into()),
            ]
        );
    }
}
