//! Amazon Bedrock API keys: their shapes, what can be read from them offline, and how
//! they are masked.
//!
//! A long-term key is an IAM service-specific credential for `bedrock.amazonaws.com`:
//! `ABSK` followed by the base64 of `<IAM user>-at-<account id>:<secret>`. A short-term key
//! is `bedrock-api-key-` followed by the base64 of a SigV4-presigned URL,
//! `bedrock.amazonaws.com/?Action=CallWithBearerToken&…&Version=1`, signed with the
//! creator's credentials; its `X-Amz-Date` and `X-Amz-Expires` say when it stops working
//! (12 hours at most). A prefix alone, a placeholder, a truncated example or base64 that
//! does not decode to one of these structures is not a key and is never reported.

use base64::Engine as _;
use regex::Regex;
use std::sync::LazyLock;

/// What a Bedrock API key says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BedrockKey {
    /// `ABSK…`: valid until deleted or until the expiry chosen when it was created (which
    /// the key does not carry).
    LongTerm { user: String, account: String },
    /// `bedrock-api-key-…`: a presigned URL.
    ShortTerm {
        /// `X-Amz-Date` plus `X-Amz-Expires`, as `YYYY-MM-DD HH:MM:SS UTC`.
        expires: Option<String>,
        /// The access key id that signed it, redacted.
        signed_with: Option<String>,
        region: Option<String>,
    },
}

/// A Bedrock key found in a text: its byte range and what it decodes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub key: BedrockKey,
}

pub const LONG_TERM_PREFIX: &str = "ABSK";
pub const SHORT_TERM_PREFIX: &str = "bedrock-api-key-";

static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:ABSK|bedrock-api-key-)[A-Za-z0-9+/]{16,}={0,2}").expect("static regex")
});

static LONG_TERM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z0-9+=,.@_-]{1,64})-at-([0-9]{12}):([A-Za-z0-9+/=]{16,})$")
        .expect("static regex")
});

fn decode(b64: &str) -> Option<String> {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    String::from_utf8(engine.decode(b64).ok()?).ok()
}

/// Every Bedrock API key in `text`.
#[must_use]
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    CANDIDATE
        .find_iter(text)
        .filter(|m| {
            let before = m.start().checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(m.end()).copied();
            !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
                && !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        })
        .filter_map(|m| {
            classify(m.as_str()).map(|key| Found {
                start: m.start(),
                end: m.end(),
                key,
            })
        })
        .collect()
}

/// What `value` is, if it is a real-looking Bedrock API key.
#[must_use]
pub fn classify(value: &str) -> Option<BedrockKey> {
    if let Some(b64) = value.strip_prefix(LONG_TERM_PREFIX) {
        let decoded = decode(b64)?;
        let c = LONG_TERM.captures(&decoded)?;
        let (user, account, secret) = (&c[1], &c[2], &c[3]);
        if super::account::is_example_account(account)
            || user.to_ascii_uppercase().contains("EXAMPLE")
            || secret.to_ascii_uppercase().contains("EXAMPLE")
        {
            return None;
        }
        return Some(BedrockKey::LongTerm {
            user: user.to_owned(),
            account: account.to_owned(),
        });
    }
    let b64 = value.strip_prefix(SHORT_TERM_PREFIX)?;
    let url = decode(b64)?;
    let query = url.strip_prefix("bedrock.amazonaws.com/?")?;
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    };
    if param("Action") != Some("CallWithBearerToken") || param("X-Amz-Signature").is_none() {
        return None;
    }
    if url.to_ascii_uppercase().contains("EXAMPLE") {
        return None;
    }
    // X-Amz-Credential=AKID%2F20250710%2Fus-east-1%2Fbedrock%2Faws4_request
    let credential = param("X-Amz-Credential").map(|c| c.replace("%2F", "/").replace("%2f", "/"));
    let mut parts = credential.as_deref().unwrap_or("").split('/');
    let signed_with = parts
        .next()
        .filter(|k| !k.is_empty())
        .map(super::redact_key_id);
    let region = parts.nth(1).map(str::to_owned);
    let expires = param("X-Amz-Date").and_then(|date| {
        let seconds: i64 = param("X-Amz-Expires")?.parse().ok()?;
        let signed = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", date).ok()?;
        let end = signed
            .checked_add(jiff::Span::new().try_seconds(seconds).ok()?)
            .ok()?;
        Some(end.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
    });
    Some(BedrockKey::ShortTerm {
        expires,
        signed_with,
        region,
    })
}

/// A Bedrock key for display: its prefix and last four characters.
#[must_use]
pub fn redact(value: &str) -> String {
    let prefix = if value.starts_with(LONG_TERM_PREFIX) {
        LONG_TERM_PREFIX
    } else {
        SHORT_TERM_PREFIX
    };
    let tail: String = value
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{prefix}****{tail}")
}

/// Mask a Bedrock key in place, keeping its length (prefix and last four survive).
#[must_use]
pub fn mask_same_length(value: &str) -> String {
    let prefix = if value.starts_with(LONG_TERM_PREFIX) {
        LONG_TERM_PREFIX.len()
    } else {
        SHORT_TERM_PREFIX.len()
    };
    let n = value.len();
    value
        .char_indices()
        .map(|(i, c)| if i < prefix || i + 4 >= n { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn long_term_keys_decode_to_user_and_account() {
        let key = format!(
            "ABSK{}",
            b64("BedrockAPIKey-q7zk-at-210987654321:Vq3pL9sT2xKc8Hn4Wm6Rb1Yd5Fj0Ga7Ue+Io2Zt4Xy=")
        );
        assert_eq!(
            classify(&key),
            Some(BedrockKey::LongTerm {
                user: "BedrockAPIKey-q7zk".into(),
                account: "210987654321".into()
            })
        );
        let text = format!("AWS_BEARER_TOKEN_BEDROCK={key}\n");
        let found = find(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], key);
        assert_eq!(redact(&key), format!("ABSK****{}", &key[key.len() - 4..]));
        let masked = mask_same_length(&key);
        assert_eq!(masked.len(), key.len());
        assert!(masked.starts_with("ABSK****"));
    }

    #[test]
    fn look_alikes_are_not_keys() {
        // Prefixes alone, placeholders, other base64, documentation accounts.
        for text in [
            "ABSK",
            "ABSK...",
            "ABSKxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "bedrock-api-key-",
            "bedrock-api-key-example",
            "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t",
            &format!("ABSK{}", b64("just some other text that is long enough")),
            &format!(
                "ABSK{}",
                b64("BedrockAPIKey-abcd-at-123456789012:Vq3pL9sT2xKc8Hn4Wm6Rb1Yd5")
            ),
            &format!(
                "bedrock-api-key-{}",
                b64("example.com/?Action=CallWithBearerToken&X-Amz-Signature=ab")
            ),
        ] {
            assert!(find(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn short_term_keys_say_when_they_expire() {
        let url = "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAQ3LBZ7WDX5RNTC4M%2F20250710%2Fus-west-2%2Fbedrock%2Faws4_request&X-Amz-Date=20250710T130312Z&X-Amz-Expires=43200&X-Amz-SignedHeaders=host&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr&X-Amz-Signature=8c1f5e&Version=1";
        let key = format!("bedrock-api-key-{}", b64(url));
        assert_eq!(
            classify(&key),
            Some(BedrockKey::ShortTerm {
                expires: Some("2025-07-11 01:03:12 UTC".into()),
                signed_with: Some("ASIA****TC4M".into()),
                region: Some("us-west-2".into()),
            })
        );
        assert_eq!(mask_same_length(&key).len(), key.len());
    }
}
