//! The one place that knows what AWS key ids, secrets and placeholders look like, and how
//! to redact them. Rules and parsers ask here instead of carrying their own regexes.

pub mod bedrock;

use regex::Regex;
use std::sync::LazyLock;

/// A key id found in text: any 4-letter `A…` prefix followed by 16 key characters.
/// Scanners accept `[A-Z0-9]`; AWS itself issues `[A-Z2-7]`. Bounded by non-alphanumerics
/// so that base64 blobs and hashes do not produce matches.
static KEY_ID_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}").expect("static regex"));

/// What a value in a key-id slot is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyIdShape {
    /// `AKIA…`: a long-term IAM user key.
    LongLived,
    /// `ASIA…`: a temporary STS key, useless without its session token.
    Temporary,
    /// `ABIA…`/`ACCA…`: special STS or contextual keys.
    Special,
    /// One of AWS's documented example keys (`…EXAMPLE`).
    Example,
    /// A unique id of a user, role, group, … (`AIDA`, `AROA`, …): never an access key id.
    UniqueId(&'static str),
    /// Empty, a reference (`${VAR}`, `$VAR`), or an obvious placeholder.
    Placeholder,
    /// Something else that cannot be a key id.
    Malformed(&'static str),
}

const UNIQUE_ID_PREFIXES: [(&str, &str); 7] = [
    ("AIDA", "an IAM user's unique id"),
    ("AROA", "an IAM role's unique id"),
    ("AGPA", "an IAM group's unique id"),
    ("ANPA", "a managed policy's unique id"),
    ("AIPA", "an instance profile's unique id"),
    ("APKA", "a public key's unique id"),
    ("ASCA", "a certificate's unique id"),
];

/// Classify a value that sits in a key-id slot.
#[must_use]
pub fn classify_key_id(value: &str) -> KeyIdShape {
    let v = value.trim();
    if v.len() == 20 && v.ends_with("EXAMPLE") {
        return KeyIdShape::Example;
    }
    if is_placeholder(v) {
        return KeyIdShape::Placeholder;
    }
    let prefix = v.get(..4).unwrap_or("");
    if let Some((_, what)) = UNIQUE_ID_PREFIXES.iter().find(|(p, _)| *p == prefix) {
        return KeyIdShape::UniqueId(what);
    }
    if v.len() != 20 {
        return KeyIdShape::Malformed("a key id is exactly 20 characters");
    }
    if !v
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return KeyIdShape::Malformed("a key id has only upper-case letters and digits");
    }
    match prefix {
        "AKIA" => KeyIdShape::LongLived,
        "ASIA" => KeyIdShape::Temporary,
        "ABIA" | "ACCA" => KeyIdShape::Special,
        _ => KeyIdShape::Malformed("a key id starts with AKIA, ASIA, ABIA or ACCA"),
    }
}

/// Whether a value is a stand-in rather than a credential: empty, a reference to another
/// variable or a template, or text that says it is a placeholder.
#[must_use]
pub fn is_placeholder(value: &str) -> bool {
    const WORDS: [&str; 14] = [
        "your",
        "example",
        "placeholder",
        "changeme",
        "change_me",
        "replace",
        "xxxx",
        "todo",
        "dummy",
        "redacted",
        "insert",
        "...",
        "***",
        "secret_key_here",
    ];
    let v = value.trim();
    if v.is_empty() || v.contains('$') || v.contains('<') || v.contains('{') || v.contains('%') {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // A run of one repeated character (`AAAA…`, `0000…`) is filler, not a key.
    let mut chars = v.chars();
    let first = chars.next();
    chars.all(|c| Some(c) == first)
}

/// Whether a value has the shape of a secret access key: 40 characters of base64 with the
/// variety of a random string. AWS's documented example secrets end in `EXAMPLEKEY`.
#[must_use]
pub fn is_secret_shaped(value: &str) -> bool {
    value.len() == 40
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && !value.ends_with("EXAMPLEKEY")
        && !is_placeholder(value)
        && shannon_entropy(value) > 3.5
}

/// Whether a value is one of AWS's documented example secrets.
#[must_use]
pub fn is_example_secret(value: &str) -> bool {
    value.trim().ends_with("EXAMPLEKEY")
}

fn shannon_entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = f64::from(s.len() as u32);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Key ids (`AKIA`, `ASIA`, `ABIA`, `ACCA` + 16) anywhere in a text, as byte ranges.
pub fn find_key_ids(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    KEY_ID_IN_TEXT
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .filter(move |&(s, e)| {
            let before = s.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(e).copied();
            !before.is_some_and(|b| b.is_ascii_alphanumeric())
                && !after.is_some_and(|b| b.is_ascii_alphanumeric())
        })
}

/// Redact a key id: its 4-letter prefix and last four characters survive (`AKIA****WXYZ`).
/// Shorter values are hidden entirely.
#[must_use]
pub fn redact_key_id(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() >= 12 {
        let head: String = chars[..4].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    } else {
        "****".to_owned()
    }
}

/// Mask a key id in place, keeping its length so that columns in a snippet stay aligned.
#[must_use]
pub fn mask_key_id_same_length(value: &str) -> String {
    let n = value.chars().count();
    if n >= 12 {
        value
            .chars()
            .enumerate()
            .map(|(i, c)| if i < 4 || i >= n - 4 { c } else { '*' })
            .collect()
    } else {
        "*".repeat(n)
    }
}

/// Redact a whole text for display: every key id keeps its prefix and last four
/// characters, and every secret-shaped 40-character run is masked; lengths are kept.
#[must_use]
pub fn redact_text(text: &str) -> String {
    static SECRET_RUN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z0-9/+]{40}").expect("static regex"));
    let mut out = text.to_owned();
    for (s, e) in find_key_ids(text).collect::<Vec<_>>() {
        let masked = mask_key_id_same_length(&text[s..e]);
        out.replace_range(s..e, &masked);
    }
    for k in bedrock::find(text) {
        let masked = bedrock::mask_same_length(&text[k.start..k.end]);
        out.replace_range(k.start..k.end, &masked);
    }
    let snapshot = out.clone();
    for m in SECRET_RUN.find_iter(&snapshot) {
        if is_secret_shaped(m.as_str()) {
            out.replace_range(m.start()..m.end(), &"*".repeat(m.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_key_ids() {
        assert_eq!(
            classify_key_id("AKIA2OGYBAH6STMMNXNN"),
            KeyIdShape::LongLived
        );
        assert_eq!(
            classify_key_id("ASIA2OGYBAH6STMMNXNN"),
            KeyIdShape::Temporary
        );
        assert_eq!(classify_key_id("AKIAIOSFODNN7EXAMPLE"), KeyIdShape::Example);
        assert!(matches!(
            classify_key_id("AROA2OGYBAH6STMMNXNN"),
            KeyIdShape::UniqueId(_)
        ));
        assert!(matches!(
            classify_key_id("AKIA2OGYBAH6"),
            KeyIdShape::Malformed(_)
        ));
        assert!(matches!(
            classify_key_id("akia2ogybah6stmmnxnn"),
            KeyIdShape::Malformed(_)
        ));
        assert_eq!(classify_key_id("<your key>"), KeyIdShape::Placeholder);
        assert_eq!(
            classify_key_id("${AWS_ACCESS_KEY_ID}"),
            KeyIdShape::Placeholder
        );
        assert_eq!(
            classify_key_id("YOUR_ACCESS_KEY_ID"),
            KeyIdShape::Placeholder
        );
    }

    #[test]
    fn secrets_need_shape_and_variety() {
        assert!(is_secret_shaped("q8Vt3RLkz0Yb/1mWnE5cP7xH2uJ9sG4dF6aK+oTi"));
        assert!(!is_secret_shaped(
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        ));
        assert!(!is_secret_shaped(&"a".repeat(40)));
        assert!(!is_secret_shaped("short"));
    }

    #[test]
    fn redaction_keeps_prefix_and_last_four() {
        assert_eq!(redact_key_id("AKIA2OGYBAH6STMMNXNN"), "AKIA****NXNN");
        assert_eq!(redact_key_id("AKIA"), "****");
        let t = redact_text("id=AKIA2OGYBAH6STMMNXNN s=q8Vt3RLkz0Yb/1mWnE5cP7xH2uJ9sG4dF6aK+oTi");
        assert_eq!(t, format!("id=AKIA************NXNN s={}", "*".repeat(40)));
    }

    #[test]
    fn finds_bounded_key_ids_only() {
        let hits: Vec<_> = find_key_ids("x AKIA2OGYBAH6STMMNXNN y").collect();
        assert_eq!(hits, vec![(2, 22)]);
        assert_eq!(find_key_ids("xAKIA2OGYBAH6STMMNXNN").count(), 0);
        assert_eq!(find_key_ids("AKIA2OGYBAH6STMMNXNNX").count(), 0);
    }
}
