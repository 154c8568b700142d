//! What botocore checks while it builds the credential resolver, before any provider runs:
//! the instance-metadata settings (`create_credential_resolver` reads them to configure the
//! IMDS fetcher). Each is read from its environment variable when that is set, else from
//! the selected profile, and reading a profile loads both files: a broken file or a missing
//! profile raises here, ahead of every provider. When all of them come from the
//! environment no file is read yet, and a broken file surfaces later, at the first provider
//! that loads the configuration (assume-role).

use super::chain::{Raise, py_space, raise};
use super::profiles::{Loc, Section, Val};
use super::pyurl;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One setting as botocore's config chain finds it.
enum Found<'a> {
    Env(&'a str, &'static str),
    Profile(&'a Val),
}

impl Found<'_> {
    fn loc(&self) -> Loc {
        match self {
            Self::Env(_, var) => Loc::env(var),
            Self::Profile(v) => v.loc.clone(),
        }
    }

    /// The text, or `None` for a nested value (botocore hands a dict along).
    fn text(&self) -> Option<&str> {
        match self {
            Self::Env(v, _) => Some(v),
            Self::Profile(v) => v.nested.is_none().then_some(v.value.as_str()),
        }
    }
}

/// Runs botocore's build-time checks in its order. `scoped` is the session's
/// `get_scoped_config()`: it raises `ConfigParseError` or `ProfileNotFound`, and it is
/// only called for a setting that is not in the environment. `v1_disabled`: whether this
/// botocore reads `ec2_metadata_v1_disabled` (the AWS CLI v2 2.9.19 copy does not).
pub fn check<'s>(
    env: &'s BTreeMap<String, String>,
    v1_disabled: bool,
    scoped: &mut dyn FnMut() -> Result<Option<&'s Section>, Raise>,
) -> Result<(), Raise> {
    let mut get = |key: &str, var: &'static str| -> Result<Option<Found<'s>>, Raise> {
        if let Some(v) = env.get(var) {
            return Ok(Some(Found::Env(v, var)));
        }
        Ok(scoped()?.and_then(|s| s.get(key)).map(Found::Profile))
    };
    for (key, var) in [
        ("metadata_service_timeout", "AWS_METADATA_SERVICE_TIMEOUT"),
        (
            "metadata_service_num_attempts",
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
        ),
    ] {
        if let Some(found) = get(key, var)? {
            python_int(&found, key)?;
        }
    }
    let endpoint = get(
        "ec2_metadata_service_endpoint",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    )?;
    let mode = get(
        "ec2_metadata_service_endpoint_mode",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    )?;
    let ipv6 = match &mode {
        Some(found) => {
            let Some(text) = found.text() else {
                return Err(raise(
                    "AttributeError",
                    "'dict' object has no attribute 'lower' (ec2_metadata_service_endpoint_mode is a nested value)",
                    Some(found.loc()),
                ));
            };
            let lower = text.to_lowercase();
            if lower != "ipv4" && lower != "ipv6" {
                return Err(raise(
                    "InvalidIMDSEndpointModeError",
                    format!(
                        "Invalid EC2 Instance Metadata endpoint mode: {text} Valid endpoint modes (case-insensitive): ['ipv4', 'ipv6']."
                    ),
                    Some(found.loc()),
                ));
            }
            lower == "ipv6"
        }
        None => get("imds_use_ipv6", "AWS_IMDS_USE_IPV6")?
            .is_some_and(|f| f.text().is_some_and(|t| t.to_lowercase() == "true")),
    };
    if v1_disabled {
        get("ec2_metadata_v1_disabled", "AWS_EC2_METADATA_V1_DISABLED")?;
    }

    // InstanceMetadataFetcher._select_base_url: a custom endpoint when it is truthy.
    let (url, loc) = match &endpoint {
        Some(found) if found.text().is_none() => {
            return Err(raise(
                "TypeError",
                "unhashable type: 'dict' (ec2_metadata_service_endpoint is a nested value)",
                Some(found.loc()),
            ));
        }
        Some(found) if found.text().is_some_and(|t| !t.is_empty()) => (
            found.text().unwrap_or_default().to_owned(),
            Some(found.loc()),
        ),
        _ if ipv6 => ("http://[fd00:ec2::254]".to_owned(), None),
        _ => ("http://169.254.169.254".to_owned(), None),
    };
    match is_valid_uri(&url) {
        Ok(true) => Ok(()),
        Ok(false) => Err(raise(
            "InvalidIMDSEndpointError",
            format!("Invalid endpoint EC2 Instance Metadata endpoint: {url}"),
            loc,
        )),
        Err(why) => Err(raise("ValueError", why, loc)),
    }
}

/// `int(value)`: surrounding whitespace, a sign, digits with single underscores between
/// them; any Unicode decimal digit counts, as in Python (`int("٣")` is 3).
fn python_int(found: &Found<'_>, key: &str) -> Result<(), Raise> {
    let Some(text) = found.text() else {
        return Err(raise(
            "TypeError",
            format!("int() argument must be a string, not 'dict' ({key} is a nested value)"),
            Some(found.loc()),
        ));
    };
    if is_int_literal(text) {
        Ok(())
    } else {
        Err(raise(
            "ValueError",
            format!("{key} must be an integer: invalid literal for int() with base 10: '{text}'"),
            Some(found.loc()),
        ))
    }
}

/// Whether Python's `int(text)` accepts `text`: surrounding whitespace, a sign, digits of
/// any script with single underscores between them.
#[must_use]
pub fn is_int_literal(text: &str) -> bool {
    // CPython keeps ASCII as it is and turns other whitespace into spaces, then strips C
    // `isspace` characters: `\x1c`-`\x1f` are whitespace to `str.strip()`, not to `int()`.
    let space = |c: char| matches!(c, ' ' | '\t'..='\r') || (!c.is_ascii() && py_space(c));
    let t = text.trim_matches(space);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| py_decimal(c).is_some() || c == '_')
}

pub use crate::py::text::py_decimal;

/// botocore's `is_valid_uri`: a valid host name, or a bracketed IPv6 address.
fn is_valid_uri(url: &str) -> Result<bool, String> {
    if url.contains(['\t', '\r', '\n']) {
        return Ok(false);
    }
    let Some(host) = pyurl::urlsplit(url)?.hostname() else {
        return Ok(false);
    };
    Ok(valid_host_name(&host) || IPV6_ADDRZ.is_match(&format!("[{host}]")))
}

/// `is_valid_endpoint_url`'s label check: dot-separated labels of 1-63 letters, digits
/// and hyphens, not starting or ending with a hyphen; one trailing dot allowed.
fn valid_host_name(host: &str) -> bool {
    // botocore's pattern is `[A-Z\d-]` with `re.IGNORECASE` on a str: `\d` is any decimal
    // digit, and case-insensitive `A-Z` also takes the letters whose other case is ASCII.
    if host.chars().count() > 255 {
        return false;
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    host.split('.').all(|label| {
        let n = label.chars().count();
        (1..=63).contains(&n)
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || c == '-'
                    || py_decimal(c).is_some()
                    || IGNORECASE_LETTERS.contains(&c)
            })
    })
}

/// Non-ASCII letters Python's case-insensitive `[A-Z]` matches: `İ` (lower `i`), `ı` and
/// `ſ` (upper `I`, `S`), the Kelvin sign (lower `k`). `urlsplit` has lower-cased the host
/// already, so `İ` and the Kelvin sign only matter for completeness.
const IGNORECASE_LETTERS: [char; 4] = ['\u{130}', '\u{131}', '\u{17f}', '\u{212a}'];

/// botocore's (urllib3's) `IPV6_ADDRZ_RE`.
static IPV6_ADDRZ: LazyLock<Regex> = LazyLock::new(|| {
    let hex = "[0-9A-Fa-f]{1,4}";
    let ipv4 = r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}";
    let ls32 = format!("(?:{hex}:{hex}|{ipv4})");
    let variations = [
        format!("(?:{hex}:){{6}}{ls32}"),
        format!("::(?:{hex}:){{5}}{ls32}"),
        format!("(?:{hex})?::(?:{hex}:){{4}}{ls32}"),
        format!("(?:(?:{hex}:)?{hex})?::(?:{hex}:){{3}}{ls32}"),
        format!("(?:(?:{hex}:){{0,2}}{hex})?::(?:{hex}:){{2}}{ls32}"),
        format!("(?:(?:{hex}:){{0,3}}{hex})?::{hex}:{ls32}"),
        format!("(?:(?:{hex}:){{0,4}}{hex})?::{ls32}"),
        format!("(?:(?:{hex}:){{0,5}}{hex})?::{hex}"),
        format!("(?:(?:{hex}:){{0,6}}{hex})?::"),
    ];
    let unreserved = r"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._!\-~";
    let zone = format!("(?:%25|%)(?:[{unreserved}]|%[a-fA-F0-9]{{2}})+");
    Regex::new(&format!(r"^\[(?:{})(?:{zone})?\]$", variations.join("|"))).expect("static regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_like_botocore() {
        for ok in [
            "http://169.254.169.254",
            "http://[fd00:ec2::254]",
            "http://[::1]:80/x",
            "https://example.com.",
            "http://user@host:99",
        ] {
            assert_eq!(is_valid_uri(ok), Ok(true), "{ok}");
        }
        for bad in [
            "not a url",
            "169.254.169.254",
            "http://-bad.com",
            "http://a_b.com",
            "",
            "http://",
        ] {
            assert_eq!(is_valid_uri(bad), Ok(false), "{bad}");
        }
        assert!(is_valid_uri("http://[1.2.3.4]").is_err());
        assert!(is_valid_uri("http://[::1").is_err());
    }

    #[test]
    fn ints_like_python() {
        let ok = |s: &str| python_int(&Found::Env(s, "X"), "k").is_ok();
        assert!(ok(" 1_0 ") && ok("-5") && ok("+7\n"));
        assert!(!ok("1.5") && !ok("") && !ok("_1") && !ok("1__0") && !ok("abc") && !ok("0x10"));
        assert!(ok("\u{663}") && ok("\u{ff11}\u{ff10}") && ok("\u{3000}7"));
        assert!(!ok("\u{b2}") && !ok("\u{2167}") && !ok("\u{65f}"));
    }
}
