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

#[cfg(test)]
mod tests {
    use super::*;

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
