//! The one place that knows what AWS key ids, secrets and placeholders look like, and how
//! to redact them. Rules and parsers ask here instead of carrying their own regexes.

mod account;
pub mod bedrock;
mod redact;

use account::embedded_account;
pub use account::{is_example_account, is_template_role_arn};

pub use redact::redact_key_id;

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
    if v.len() == 20
        && (v.ends_with("EXAMPLE")
            || v.starts_with(EXAMPLE_KEY_ID_HEAD)
            || embedded_account(v).is_some_and(|a| is_example_account(&format!("{a:012}"))))
    {
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

/// The documented example key id `AKIAIOSFODNN7EXAMPLE` and secret
/// `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` (IAM User Guide) without their `EXAMPLE`
/// tails: test suites alter the tail (`…EXAMPL3`, `…EXAMAAA`) to get past scanners that
/// only know the exact strings, and a real key sharing 13 random characters with the
/// example does not occur.
const EXAMPLE_KEY_ID_HEAD: &str = "AKIAIOSFODNN7";
const EXAMPLE_SECRET_HEAD: &str = "wJalrXUtnFEMI/K7MDENG";

/// Whether a value has the shape of a secret access key: 40 characters of base64 with the
/// variety of a random string. AWS's documented example secrets end in `EXAMPLEKEY`.
#[must_use]
pub fn is_secret_shaped(value: &str) -> bool {
    value.len() == 40
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && !is_example_secret(value)
        && !is_placeholder(value)
        && !is_camel_case_words(value)
        && mixed_case(value)
        && shannon_entropy(value) > 3.5
}

/// Whether a value is words run together (`CreateBucketMetadataConfigurationRequest`,
/// `putBucketIntelligentTieringConfiguration`): letters only, each capital followed by a
/// small letter. Generated SDK code is full of such names; a random secret of 40 characters
/// has digits or `/`/`+` (all but about 1 in 4,000) and, when it has none, capitals side by
/// side (all but a vanishing fraction).
fn is_camel_case_words(value: &str) -> bool {
    let b = value.as_bytes();
    b.iter().all(u8::is_ascii_alphabetic)
        && b.iter().enumerate().all(|(i, c)| {
            !c.is_ascii_uppercase() || b.get(i + 1).is_some_and(u8::is_ascii_lowercase)
        })
}

/// Whether a value is one of AWS's documented example secrets.
#[must_use]
pub fn is_example_secret(value: &str) -> bool {
    let v = value.trim();
    v.ends_with("EXAMPLEKEY") || v.starts_with(EXAMPLE_SECRET_HEAD)
}

/// Whether the key id at `start` of `text` is the `X-Amz-Credential` (`SigV4`) or
/// `AWSAccessKeyId` (`SigV2`) parameter of a presigned URL. Such a URL carries the key
/// id and a signature for one request, never the secret, and expires (`SigV4`: within
/// seven days); documentation and recorded API responses are full of them.
#[must_use]
pub fn in_presigned_url(text: &str, start: usize) -> bool {
    let head = &text.as_bytes()[..start];
    let tail = &head[head.len().saturating_sub(20)..];
    let lower = String::from_utf8_lossy(tail).to_ascii_lowercase();
    [
        "x-amz-credential=",
        "x-amz-credential%3d",
        "awsaccesskeyid=",
    ]
    .iter()
    .any(|p| lower.ends_with(p))
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

/// Mask a key id in place, keeping its length so that spans into a text stay valid. Only an
/// intermediate form: [`Compacted`] turns it into [`redact_key_id`]'s form for display.
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

/// Byte ranges of secret-shaped words: maximal runs of the secret alphabet
/// (`[A-Za-z0-9/+]`) that are a secret by [`is_secret_shaped`], or, in runs longer than a
/// secret that hold a `/` or `+` (a path or a blob that may embed one), every secret-shaped
/// 40-character window. Longer runs of letters and digits alone are identifiers or hashes
/// (`CloudFormation` logical ids, CDK ids, digests), not secrets: an AWS secret stands on its
/// own, bounded by quotes, `=`, `:` or white space.
fn secret_runs(text: &str) -> Vec<(usize, usize)> {
    static RUN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z0-9/+]{40,}").expect("static regex"));
    let mut out = Vec::new();
    for m in RUN.find_iter(text) {
        let run = m.as_str();
        if run.len() == 40 {
            if looks_random_secret(run) {
                out.push((m.start(), m.end()));
            }
        } else if run.contains(['/', '+']) {
            // A longer run with a random stretch (a session token, a secret run into other
            // text): all of it but its last four characters, so that no part of a token
            // shorter than 40 characters is left readable between or after masked stretches.
            let random = (0..=run.len() - 40).any(|at| looks_random_secret(&run[at..at + 40]));
            if random {
                out.push((m.start(), m.end() - 4));
            }
        }
    }
    out
}

/// A 40-character word that may be a secret access key, whatever words it happens to
/// contain (a random key can contain `todo`): masking errs on the side of hiding.
fn looks_random_secret(word: &str) -> bool {
    word.len() == 40
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && !word.ends_with("EXAMPLEKEY")
        && mixed_case(word)
        && shannon_entropy(word) > 3.5
}

/// Whether a word has both capitals and small letters. An AWS secret key is 40 random
/// base64 characters: one without either (a hex digest, a lower-case path) occurs about
/// once in a billion.
fn mixed_case(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_uppercase()) && word.bytes().any(|b| b.is_ascii_lowercase())
}

/// Redact a whole file text: every key id keeps its prefix and last four characters (the
/// rest becomes `*`), and every secret-shaped word is masked. Byte lengths are kept, so
/// spans into the text stay valid.
#[must_use]
pub fn redact_text(text: &str) -> String {
    let mut out = text.to_owned();
    for (s, e) in find_key_ids(text).collect::<Vec<_>>() {
        let masked = mask_key_id_same_length(&text[s..e]);
        out.replace_range(s..e, &masked);
    }
    for k in bedrock::find(text) {
        let masked = bedrock::mask_same_length(&text[k.start..k.end]);
        out.replace_range(k.start..k.end, &masked);
    }
    for (s, e) in secret_runs(&out.clone()) {
        out.replace_range(s..e, &"*".repeat(e - s));
    }
    out
}

/// Redact a message, help text or any other line meant for people: key ids become
/// `AKIA****WXYZ` (as [`redact_key_id`]), secret-shaped words become `*`.
#[must_use]
pub fn redact_message(text: &str) -> String {
    Compacted::new(text, &redact_text(text)).text
}

/// A redacted text with every key id shortened to [`redact_key_id`]'s form, and the offset
/// map between the original text and this one (key ids are the only parts whose length
/// changes).
#[derive(Clone, Debug)]
pub struct Compacted {
    pub text: String,
    /// Original byte ranges of the shortened key ids, in order.
    cuts: Vec<(usize, usize)>,
}

impl Compacted {
    /// `redacted` is `original` after [`redact_text`] and any further same-length masking.
    #[must_use]
    pub fn new(original: &str, redacted: &str) -> Self {
        // A key id inside a value masked whole (a secret slot) stays masked whole.
        let cuts: Vec<(usize, usize)> = find_key_ids(original)
            .filter(|&(s, e)| {
                redacted.get(s..e) == Some(mask_key_id_same_length(&original[s..e]).as_str())
            })
            .collect();
        let mut text = String::with_capacity(redacted.len());
        let mut at = 0;
        for &(s, e) in &cuts {
            text.push_str(&redacted[at..s]);
            text.push_str(&redact_key_id(&original[s..e]));
            at = e;
        }
        text.push_str(&redacted[at..]);
        Self { text, cuts }
    }

    /// Where an offset of the original text lands in the compacted text.
    #[must_use]
    pub fn to_display(&self, offset: usize) -> usize {
        let mut removed = 0;
        for &(s, e) in &self.cuts {
            if offset <= s {
                break;
            }
            if offset < e {
                return s - removed + (offset - s).min(KEY_ID_SHOWN);
            }
            removed += e - s - KEY_ID_SHOWN;
        }
        offset - removed
    }

    /// Where an offset of the compacted text came from in the original text.
    #[must_use]
    pub fn to_original(&self, offset: usize) -> usize {
        let mut removed = 0;
        for &(s, e) in &self.cuts {
            let start = s - removed;
            if offset <= start {
                break;
            }
            if offset < start + KEY_ID_SHOWN {
                return s + (offset - start);
            }
            removed += e - s - KEY_ID_SHOWN;
        }
        offset + removed
    }
}

/// The length of [`redact_key_id`]'s form of a 20-character key id (`AKIA****WXYZ`).
const KEY_ID_SHOWN: usize = 12;

/// Whether the text in a secret's place is code or a stand-in rather than a value, so that
/// showing it as written reveals nothing: a reference (`$VAR`, `${VAR}`, `%VAR%`,
/// `$env:VAR`), a template expression (`${{ secrets.X }}`, `{{ .Values.x }}`,
/// `{{resolve:secretsmanager:…}}`), a `CloudFormation` intrinsic (`!Ref X`, `!GetAtt X.Y`,
/// `{"Ref": "X"}`), an obvious placeholder (`<your-secret>`, `changeme`, `xxxx`) and, when
/// `code` is set (source code and Terraform, where a bare word is a name and a value needs
/// quotes), an expression built from names, member access, subscripts and calls whose
/// string arguments are names (`creds["SecretAccessKey"]`, `os.environ["X"]`,
/// `process.env.X`, `var.secret_key`). Anything else could be a secret and is masked.
#[must_use]
pub fn shows_as_written(text: &str, code: bool) -> bool {
    let raw = text.trim();
    if !secret_runs(raw).is_empty() || find_key_ids(raw).next().is_some() {
        return false;
    }
    // In code a quoted word is a value; elsewhere quotes only delimit what they hold.
    if code {
        return raw.is_empty()
            || is_code_expression(raw)
            || is_template(raw)
            || is_cfn_intrinsic(raw)
            || quoted(raw).is_some_and(|t| {
                is_env_reference(t) || is_template(t) || is_obvious_placeholder(t)
            });
    }
    let t = quoted(raw).unwrap_or(raw);
    t.is_empty()
        || is_env_reference(t)
        || is_template(t)
        || is_cfn_intrinsic(t)
        || is_obvious_placeholder(t)
}

/// The inside of a `"…"` or `'…'` string.
fn quoted(t: &str) -> Option<&str> {
    ['"', '\''].into_iter().find_map(|q| {
        t.strip_prefix(q)
            .and_then(|r| r.strip_suffix(q))
            .filter(|inner| !inner.contains(q))
            .map(str::trim)
    })
}

fn is_env_reference(t: &str) -> bool {
    static REF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?\?[^}]*)?\}|%[A-Za-z_][A-Za-z0-9_]*%|\$env:[A-Za-z_][A-Za-z0-9_]*)$",
        )
        .expect("static regex")
    });
    REF.is_match(t)
}

fn is_template(t: &str) -> bool {
    (t.starts_with("${{") || t.starts_with("{{")) && t.ends_with("}}")
}

fn is_cfn_intrinsic(t: &str) -> bool {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^(?:!(?:Ref|GetAtt|ImportValue|Sub|Join|Select|FindInMap|If|Base64|GetAZs|Split)\b|\{\s*"(?:Ref|Fn::[A-Za-z]+)"\s*:)"#)
            .expect("static regex")
    });
    TAG.is_match(t)
}

/// A stand-in that says it is one. A value that merely contains a placeholder word but has
/// the shape of a key (no separators, mixed case and digits) is not trusted to be one.
fn is_obvious_placeholder(t: &str) -> bool {
    const WORDS: [&str; 12] = [
        "your",
        "example",
        "placeholder",
        "changeme",
        "change_me",
        "replace",
        "xxx",
        "todo",
        "dummy",
        "redacted",
        "insert",
        "secret_key_here",
    ];
    if t.starts_with('<') && t.ends_with('>') {
        return true;
    }
    let mut chars = t.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) || t.contains("***") || t.contains("...") {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
        && (t.contains(['_', '-', ' ', '.', '<'])
            || t.bytes().all(|b| b.is_ascii_lowercase())
            || t.bytes().all(|b| b.is_ascii_uppercase()))
}

/// Names joined by `.`, `?.`, `::`, `->`, subscripts and calls whose arguments are names,
/// numbers or quoted names, optionally behind `await`/`new` and ending in `!`.
fn is_code_expression(text: &str) -> bool {
    static NAME_STRING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^(?:"[A-Za-z_][A-Za-z0-9_.-]{0,63}"|'[A-Za-z_][A-Za-z0-9_.-]{0,63}'|""|'')"#)
            .expect("static regex")
    });
    let expr = text
        .strip_prefix("await ")
        .or_else(|| text.strip_prefix("new "))
        .unwrap_or(text)
        .trim_end_matches('!');
    let bytes = expr.as_bytes();
    if !bytes
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'$'))
    {
        return false;
    }
    let mut depth = 0i32;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' | b'\'' => {
                // A string outside brackets is a value; inside, only a name.
                let Some(name) = NAME_STRING.find(&expr[at..]).filter(|_| depth > 0) else {
                    return false;
                };
                at += name.end();
                continue;
            }
            b'[' | b'(' => depth += 1,
            b']' | b')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            b'.' | b'?' | b':' | b'-' | b'>' | b',' | b' ' | b'_' | b'$' => {}
            _ if byte.is_ascii_alphanumeric() => {}
            _ => return false,
        }
        at += 1;
    }
    depth == 0
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
        // Key ids whose encoded account is a documentation account are made up.
        assert_eq!(
            embedded_account("AKIARZPUZDIKGB2VALC4"),
            Some(123_456_789_012)
        );
        assert_eq!(embedded_account("ASIAQAAAAAAAGMKEM7X5"), Some(0));
        assert_eq!(classify_key_id("AKIARZPUZDIKGB2VALC4"), KeyIdShape::Example);
        assert_eq!(classify_key_id("ASIAQAAAAAAAGMKEM7X5"), KeyIdShape::Example);
        assert_eq!(embedded_account("AKIAIOSFODNN7EXAMPLE"), None);
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
    fn words_run_together_are_not_secrets() {
        assert!(!is_secret_shaped(
            "CreateBucketMetadataConfigurationRequest"
        ));
        assert!(!is_secret_shaped(
            "putBucketIntelligentTieringConfiguration"
        ));
        // Letters only, but capitals side by side: random.
        assert!(is_secret_shaped("qVtRLkzYbmWnEcPxHuJsGdFaKoTiBwQeRtYuIoPa"));
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
        let text = "id=AKIA2OGYBAH6STMMNXNN s=q8Vt3RLkz0Yb/1mWnE5cP7xH2uJ9sG4dF6aK+oTi";
        let t = redact_text(text);
        assert_eq!(t, format!("id=AKIA************NXNN s={}", "*".repeat(40)));
        // Messages and snippets show the one form, `AKIA****NXNN`.
        assert_eq!(
            redact_message(text),
            format!("id=AKIA****NXNN s={}", "*".repeat(40))
        );
        // A session token: all of it but the last four, whatever its length.
        let token = format!(
            "IQoJb3JpZ2luX2VjE{}Zx/9==",
            "q8Vt3RLkz0Yb/1mWnE5cP7xH2uJ9sG4dF6aK+oTiW".repeat(7)
        );
        let run = token.trim_end_matches('=');
        let shown = redact_text(&format!("token: {token}"));
        assert_eq!(
            shown,
            format!(
                "token: {}{}==",
                "*".repeat(run.len() - 4),
                &run[run.len() - 4..]
            )
        );
    }

    #[test]
    fn compacted_text_maps_offsets_both_ways() {
        let text = "a=AKIA2OGYBAH6STMMNXNN b=AKIA2OGYBAH6STMMNXQZ c";
        let c = Compacted::new(text, &redact_text(text));
        assert_eq!(c.text, "a=AKIA****NXNN b=AKIA****NXQZ c");
        // Masked whole by a secret slot: nothing of it comes back.
        let hidden = format!("a={} b", "*".repeat(20));
        let text = "a=AKIA2OGYBAH6STMMNXNN b";
        assert_eq!(Compacted::new(text, &hidden).text, hidden);
        // Starts and ends of both key ids, and the text after them.
        for (orig, shown) in [(2, 2), (22, 14), (25, 17), (45, 29), (46, 30)] {
            assert_eq!(c.to_display(orig), shown, "{orig}");
            assert_eq!(c.to_original(shown), orig, "{shown}");
        }
    }

    #[test]
    fn long_identifiers_are_not_secrets() {
        // A CDK logical id longer than a secret: letters and digits only, not masked.
        let id = "ServiceTaskDefTaskRoleDefaultPolicyA1B2C3D4E5F60E";
        assert_eq!(
            redact_message(&format!("{id}: the service")),
            format!("{id}: the service")
        );
        // A secret inside a path is still masked.
        let t = redact_message("s3://bucket/q8Vt3RLkz0Yb/1mWnE5cP7xH2uJ9sG4dF6aK+oTi");
        assert!(
            !t.contains("q8Vt3RLkz0Yb/1mWnE5cP7xH2uJ9sG4dF6aK+oTi"),
            "{t}"
        );
        // A random secret that happens to contain a placeholder word is still a secret.
        let todo = "q8Vt3RLkz0Yb/1mWnE5cP7xTODOsG4dF6aK+oTiZ";
        assert_eq!(redact_message(todo), "*".repeat(40));
    }

    #[test]
    fn references_and_placeholders_are_shown_as_written() {
        for (text, code) in [
            ("${{ secrets.AWS_SECRET_ACCESS_KEY }}", false),
            ("\"${{ secrets.AWS_SECRET_ACCESS_KEY }}\"", false),
            ("$AWS_SECRET_ACCESS_KEY", false),
            ("${AWS_SECRET_ACCESS_KEY}", false),
            ("\"$MY_SECRET\"", false),
            ("%AWS_SECRET%", false),
            ("!Ref SecretParam", false),
            ("!GetAtt AccessKey.SecretAccessKey", false),
            (
                "{{resolve:secretsmanager:prod/aws:SecretString:secret}}",
                false,
            ),
            ("<your secret access key>", false),
            ("YOUR_SECRET_ACCESS_KEY", false),
            ("changeme", false),
            ("", false),
            ("creds[\"SecretAccessKey\"]", true),
            ("credentials['SecretAccessKey']", true),
            ("os.environ[\"AWS_SECRET\"]", true),
            ("os.environ.get(\"AWS_SECRET\")", true),
            ("os.getenv('AWS_SECRET', '')", true),
            ("process.env.AWS_SECRET", true),
            ("process.env.AWS_SECRET!", true),
            ("secret_key", true),
            ("var.secret_key", true),
            ("aws_iam_access_key.deploy.secret", true),
            ("System.getenv(\"AWS_SECRET\")", true),
            ("\"YOUR_SECRET_KEY\"", true),
        ] {
            assert!(shows_as_written(text, code), "{text} should be shown");
        }
        for (text, code) in [
            ("q8Vt3RLkz0Yb/1mWnE5cP7xH2uJ9sG4dF6aK+oTi", false),
            ("\"q8Vt3RLkz0Yb1mWnE5cP7xH2uJ9sG4dF6aK0oTiZ\"", false),
            ("hunter2", false),
            ("secret_key", false), // a bare word in a config file is a value
            ("${AWS_SECRET:-hunter2}", false),
            ("\"hunter2\"", true),
            ("'hunter2'", true),
            ("`hunter2`", true),
            ("f\"hunter2\"", true),
            ("os.getenv(\"AWS_SECRET\", \"hunter2/x+y\")", true),
            (
                "aws.String(\"q8Vt3RLkz0Yb1mWnE5cP7xH2uJ9sG4dF6aK0oTiZ\")",
                true,
            ),
            ("q8Vt3RLkz0Yb1mWnE5cP7xH2uJ9sG4dF6aK0oTiZ", true),
            ("AKIA2OGYBAH6STMMNXNN", true),
            ("q8Vt3RLkz0Yb/1mWnE5cP7xYOURsG4dF6aK+oTi", false),
        ] {
            assert!(!shows_as_written(text, code), "{text} should be masked");
        }
    }

    #[test]
    fn finds_bounded_key_ids_only() {
        let hits: Vec<_> = find_key_ids("x AKIA2OGYBAH6STMMNXNN y").collect();
        assert_eq!(hits, vec![(2, 22)]);
        assert_eq!(find_key_ids("xAKIA2OGYBAH6STMMNXNN").count(), 0);
        assert_eq!(find_key_ids("AKIA2OGYBAH6STMMNXNNX").count(), 0);
    }
}
