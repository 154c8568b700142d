//! The parts of Python's `urllib.parse.urlsplit` and `ipaddress.ip_address` (`CPython` 3.11)
//! that botocore's endpoint checks depend on: the instance-metadata endpoint setting
//! (`is_valid_uri`) and the container endpoint (`_validate_allowed_url`). What matters is
//! where Python raises `ValueError` and which host it sees, so those paths are ported line
//! for line: the URL is left-stripped of C0 controls and spaces, tabs and newlines are
//! deleted anywhere, brackets are checked, and a non-ASCII host is checked under NFKC.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use unicode_normalization::UnicodeNormalization as _;

/// `urlsplit(url)`'s scheme and netloc.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    pub scheme: String,
    pub netloc: String,
}

/// `urllib.parse.urlsplit`.
///
/// # Errors
/// Python's `ValueError` message: an unbalanced bracket, a bracketed host that is not an
/// IPv6 address or a valid `IPvFuture` form, or a netloc that NFKC turns into URL delimiters.
pub fn urlsplit(url: &str) -> Result<Split, String> {
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut scheme = String::new();
    let mut rest = url.as_str();
    if let Some(i) = url.find(':') {
        let first = url.as_bytes()[0];
        if i > 0
            && first.is_ascii_alphabetic()
            && url[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            scheme = url[..i].to_ascii_lowercase();
            rest = &url[i + 1..];
        }
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        netloc = &after[..after.find(['/', '?', '#']).unwrap_or(after.len())];
        if netloc.contains('[') != netloc.contains(']') {
            return Err("Invalid IPv6 URL".into());
        }
        if let Some((_, tail)) = netloc.split_once('[') {
            check_bracketed_host(tail.split(']').next().unwrap_or(""))?;
        }
    }
    check_netloc(netloc)?;
    Ok(Split {
        scheme,
        netloc: netloc.to_owned(),
    })
}

impl Split {
    /// `SplitResult.hostname`: the host without user info and port, lower-cased before any
    /// `%zone`; `None` when empty.
    #[must_use]
    pub fn hostname(&self) -> Option<String> {
        let hostinfo = self
            .netloc
            .rsplit_once('@')
            .map_or(&*self.netloc, |(_, h)| h);
        let host = match hostinfo.split_once('[') {
            Some((_, bracketed)) => bracketed.split(']').next().unwrap_or(""),
            None => hostinfo.split(':').next().unwrap_or(""),
        };
        if host.is_empty() {
            return None;
        }
        Some(match host.split_once('%') {
            Some((h, zone)) => format!("{}%{zone}", h.to_lowercase()),
            None => host.to_lowercase(),
        })
    }
}

/// `urllib.parse._check_bracketed_host`.
fn check_bracketed_host(host: &str) -> Result<(), String> {
    if let Some(rest) = host.strip_prefix('v') {
        let ok = rest.split_once('.').is_some_and(|(hex, tail)| {
            !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) && !tail.is_empty()
        });
        return if ok {
            Ok(())
        } else {
            Err("IPvFuture address is invalid".into())
        };
    }
    match ip_address(host) {
        Some(IpAddr::V6(_)) => Ok(()),
        Some(IpAddr::V4(_)) => Err("An IPv4 address cannot be in brackets".into()),
        None => Err(format!(
            "'{host}' does not appear to be an IPv4 or IPv6 address"
        )),
    }
}

/// `urllib.parse._checknetloc`.
fn check_netloc(netloc: &str) -> Result<(), String> {
    if netloc.is_ascii() {
        return Ok(());
    }
    let n: String = netloc.chars().filter(|c| !"@:#?".contains(*c)).collect();
    let normalized: String = n.nfkc().collect();
    if n == normalized || !normalized.contains(['/', '?', '#', '@', ':']) {
        return Ok(());
    }
    Err(format!(
        "netloc '{netloc}' contains invalid characters under NFKC normalization"
    ))
}

/// `ipaddress.ip_address(text)` for a string; the scope of `fe80::1%eth0` is dropped.
#[must_use]
pub fn ip_address(text: &str) -> Option<IpAddr> {
    if text.contains('/') {
        return None;
    }
    if let Some(v4) = ipv4(text) {
        return Some(IpAddr::V4(v4));
    }
    let addr = match text.split_once('%') {
        Some((_, scope)) if scope.is_empty() || scope.contains('%') => return None,
        Some((addr, _)) => addr,
        None => text,
    };
    ipv6(addr).map(IpAddr::V6)
}

/// `IPv4Address._ip_int_from_string`: four decimal octets, no leading zeros.
fn ipv4(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for o in &mut octets {
        let p = parts.next()?;
        if p.is_empty()
            || p.len() > 3
            || !p.bytes().all(|b| b.is_ascii_digit())
            || (p != "0" && p.starts_with('0'))
        {
            return None;
        }
        *o = p.parse().ok()?;
    }
    parts.next().is_none().then(|| Ipv4Addr::from(octets))
}

/// `IPv6Address._ip_int_from_string`.
fn ipv6(text: &str) -> Option<Ipv6Addr> {
    if text.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = text.split(':').map(str::to_owned).collect();
    if parts.len() < 3 {
        return None;
    }
    if parts.last().is_some_and(|p| p.contains('.')) {
        let v4 = u32::from(ipv4(&parts.pop()?)?);
        parts.push(format!("{:x}", v4 >> 16));
        parts.push(format!("{:x}", v4 & 0xFFFF));
    }
    if parts.len() > 9 {
        return None;
    }
    let mut skip = None;
    for (i, p) in parts.iter().enumerate().take(parts.len() - 1).skip(1) {
        if p.is_empty() {
            if skip.is_some() {
                return None;
            }
            skip = Some(i);
        }
    }
    let (hi, lo, skipped) = if let Some(i) = skip {
        let mut hi = i;
        let mut lo = parts.len() - i - 1;
        if parts[0].is_empty() {
            hi -= 1;
            if hi != 0 {
                return None;
            }
        }
        if parts[parts.len() - 1].is_empty() {
            lo -= 1;
            if lo != 0 {
                return None;
            }
        }
        let skipped = 8usize.checked_sub(hi + lo).filter(|&s| s >= 1)?;
        (hi, lo, skipped)
    } else {
        if parts.len() != 8 || parts[0].is_empty() || parts[7].is_empty() {
            return None;
        }
        (8, 0, 0)
    };
    let hextet = |p: &str| {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| u128::from_str_radix(p, 16).ok())
            .flatten()
    };
    let mut ip: u128 = 0;
    for p in &parts[..hi] {
        ip = (ip << 16) | hextet(p)?;
    }
    ip = ip.checked_shl(16 * skipped as u32).unwrap_or(0); // `::` alone skips all 128 bits
    for p in &parts[parts.len() - lo..] {
        ip = (ip << 16) | hextet(p)?;
    }
    Some(Ipv6Addr::from(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_like_python() {
        let v6 = |s: &str| matches!(ip_address(s), Some(IpAddr::V6(_)));
        let v4 = |s: &str| matches!(ip_address(s), Some(IpAddr::V4(_)));
        assert!(v4("127.0.0.1") && v4("0.0.0.0") && v4("255.255.255.255"));
        assert!(!v4("127.0.0.01") && !v4("256.0.0.1") && !v4("1.2.3") && !v4("1.2.3.4.5"));
        assert!(v6("::1") && v6("::") && v6("1:2:3:4:5:6:7::") && v6("::ffff:127.0.0.1"));
        assert!(v6("::1%25eth0") && v6("fe80::1%x") && v6("1:2:3:4:5:6:7:8"));
        assert!(ip_address("::1%").is_none() && ip_address("::1%a%b").is_none());
        assert!(ip_address("1::2::3").is_none() && ip_address("12345::").is_none());
        assert!(ip_address("1:2:3:4:5:6:7:8:9").is_none() && ip_address(":1:2::").is_none());
        assert!(ip_address("127.0.0.1%x").is_none() && ip_address("").is_none());
        assert_eq!(ip_address("0:0::1"), Some(IpAddr::V6(Ipv6Addr::LOCALHOST)));
    }

    #[test]
    fn urlsplit_like_python() {
        let host = |u: &str| urlsplit(u).map(|s| s.hostname());
        assert_eq!(host(" http://LocalHost:80/x"), Ok(Some("localhost".into())));
        assert_eq!(host("http://loc\talhost/"), Ok(Some("localhost".into())));
        assert_eq!(
            host("\x01http://127.0.0.1\n/"),
            Ok(Some("127.0.0.1".into()))
        );
        assert_eq!(
            host("http://u@[::1%25Eth0]:9/"),
            Ok(Some("::1%25Eth0".into()))
        );
        assert_eq!(host("http:///x"), Ok(None));
        assert_eq!(host("169.254.169.254"), Ok(None));
        assert!(host("http://[::1").is_err());
        assert!(host("http://[1.2.3.4]/").is_err());
        assert!(host("http://[::1%]/").is_err());
        assert!(host("http://ex\u{ff03}ample.com").is_err());
        assert_eq!(
            host("http://ex\u{e4}mple.com"),
            Ok(Some("ex\u{e4}mple.com".into()))
        );
    }
}
