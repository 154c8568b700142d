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
/// spells `secret` (in any case, maybe split by `_`, `.` or `-`), so text without that
/// spelling has none and is not searched pair by pair.
#[must_use]
pub fn secret_pairs(text: &str) -> Vec<LoosePair> {
    static SECRET: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r"(?i-u)s[-_.]*e[-_.]*c[-_.]*r[-_.]*e[-_.]*t")
            .expect("static regex")
    });
    if !SECRET.is_match(text.as_bytes()) {
        return Vec::new();
    }
    pairs(text, crate::vocab::is_secret_name)
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
