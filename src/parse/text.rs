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
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut searched_to = 0;
    for c in secret_spellings(bytes) {
        if c < searched_to {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..c]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[c..]).map_or(bytes.len(), |i| c + i);
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

/// Whether `bytes` spell `secret` somewhere, as a secret name does (see
/// [`secret_spellings`]).
#[must_use]
pub fn spells_secret(bytes: &[u8]) -> bool {
    secret_spellings(bytes).next().is_some()
}

/// Where `secret` is spelt in any case, maybe split by `_`, `.` or `-` (`SECRET`,
/// `Se-Cret`, `s.e.c.r.e.t`): the place of each spelling's `c`, in order. A spelling never
/// spans lines. What `(?i)s[-_.]*e[-_.]*c[-_.]*r[-_.]*e[-_.]*t` finds, faster: that search
/// runs through a case-insensitive automaton at every byte (a tenth of a scan of botocore's
/// API models), while a `c` followed by `r` or a separator is a plain two-byte search, and
/// the rest of the word is checked around each.
fn secret_spellings(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    static INNER: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r"(?-u)[cC](?:[rR]|[-_.])").expect("static regex")
    });
    let sep = |b: u8| matches!(b, b'-' | b'_' | b'.');
    // The letter `want` before `at`, separators between: where it is.
    let before = move |mut at: usize, want: u8| {
        while at > 0 && sep(bytes[at - 1]) {
            at -= 1;
        }
        (at > 0 && bytes[at - 1].eq_ignore_ascii_case(&want)).then(|| at - 1)
    };
    // The letter `want` after `at`, separators between: where it is.
    let after = move |mut at: usize, want: u8| {
        at += 1;
        while at < bytes.len() && sep(bytes[at]) {
            at += 1;
        }
        (at < bytes.len() && bytes[at].eq_ignore_ascii_case(&want)).then_some(at)
    };
    INNER.find_iter(bytes).map(|m| m.start()).filter(move |&c| {
        before(c, b'e')
            .and_then(|e| before(e, b's'))
            .and(after(c, b'r'))
            .and_then(|r| after(r, b'e'))
            .and_then(|e| after(e, b't'))
            .is_some()
    })
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

    /// The lines [`secret_spellings`] finds are the lines the plain regex matches, on
    /// random text over the letters of `secret`, separators and line breaks.
    #[test]
    fn secret_spellings_find_the_lines_the_regex_finds() {
        let re =
            regex::bytes::Regex::new(r"(?i-u)s[-_.]*e[-_.]*c[-_.]*r[-_.]*e[-_.]*t").expect("regex");
        let line_of = |t: &[u8], at: usize| memchr::memrchr(b'\n', &t[..at]).map_or(0, |i| i + 1);
        // Pieces of the word as well as single letters, so that most texts spell it.
        let pieces: [&[u8]; 24] = [
            b"s", b"S", b"e", b"E", b"c", b"C", b"r", b"R", b"t", b"T", b"-", b"_", b".", b" ",
            b"\n", b"x", b"se", b"Se", b"cr", b"CR", b"et", b"SeCrEt", b"s-e", b"c.r",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut spelt = 0;
        for _ in 0..20_000 {
            let len = next() % 24 + 2;
            let t: Vec<u8> = (0..len)
                .flat_map(|_| pieces[next() % pieces.len()].iter().copied())
                .collect();
            let mut want: Vec<usize> = re.find_iter(&t).map(|m| line_of(&t, m.start())).collect();
            let mut got: Vec<usize> = secret_spellings(&t).map(|c| line_of(&t, c)).collect();
            want.dedup();
            got.dedup();
            spelt += usize::from(!want.is_empty());
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&t));
        }
        assert!(
            spelt > 2_000,
            "the texts spell `secret` often enough: {spelt}"
        );
        for t in [
            "SECRET",
            "Se-Cret",
            "s.e.c.r.e.t",
            "x_secret_key",
            "aws.Se__cRet",
        ] {
            assert_eq!(secret_spellings(t.as_bytes()).count(), 1, "{t}");
        }
        for t in ["secre", "scret", "se cret", "create", "description"] {
            assert_eq!(secret_spellings(t.as_bytes()).count(), 0, "{t}");
        }
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
