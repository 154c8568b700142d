//! The part of the `http` crate's URI and header parsing (`http` 1.x `Uri::from_str`,
//! `HeaderValue::from_bytes`) and of `aws-config`'s `ecs.rs` `validate_full_uri` that decides
//! whether a container or instance metadata endpoint is usable.

use std::net::IpAddr;

/// `HeaderValue::from_bytes`: visible ASCII, space, tab and bytes from 0x80.
pub fn header_value_ok(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|&b| b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0x80)
}

/// `http` `uri/path.rs` `scan_path_and_query`: the path's bytes (`build_path_map`), then
/// after `?` the query's (`build_query_map`); from `#` on nothing is checked. Bytes from 0x80
/// are accepted here (the string is UTF-8 already).
fn path_and_query_ok(s: &str) -> bool {
    let path_byte = |b: u8| {
        matches!(b, 0x21 | 0x24..=0x3B | 0x3D | 0x40..=0x5F | 0x61..=0x7A | 0x7C | 0x7E)
            || matches!(b, b'"' | b'{' | b'}')
            || b >= 0x80
    };
    let query_byte = |b: u8| matches!(b, 0x21 | 0x24..=0x3B | 0x3D | 0x3F..=0x7E) || b >= 0x80;
    let mut in_query = false;
    for b in s.bytes() {
        match b {
            b'#' => return true,
            b'?' if !in_query => in_query = true,
            _ if in_query && !query_byte(b) => return false,
            _ if !in_query && !path_byte(b) => return false,
            _ => {}
        }
    }
    true
}

/// `Uri::from_str` of a relative URI (`/path?query`), the only shape that parses without a
/// scheme and authority and still has a path.
pub fn relative_ok(s: &str) -> bool {
    s.starts_with('/') && path_and_query_ok(s)
}

/// `Uri::from_str`: a URI with a scheme and authority → its host (brackets kept).
fn absolute(s: &str) -> Option<(String, String)> {
    let (scheme, rest) = s.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.is_empty() || !(path.is_empty() || path_and_query_ok(path)) {
        return None;
    }
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        let close = host_port.find(']')?;
        let after = &host_port[close + 1..];
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        &host_port[..=close]
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if !authority
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@[]%".contains(c))
    {
        return None;
    }
    Some((scheme.to_ascii_lowercase(), host.to_owned()))
}

/// An absolute URI that `Uri::try_from` accepts (the IMDS endpoint override).
pub fn absolute_ok(s: &str) -> bool {
    absolute(s).is_some()
}

/// `ecs.rs` `validate_full_uri`: HTTPS anywhere; HTTP only to a loopback address or the
/// ECS/EKS container addresses. A host Rust does not parse as an IP address is resolved
/// (`getaddrinfo`); offline that answers for `localhost` (any case, loopback) and for the
/// numeric forms glibc's `inet_aton` reads (`127.0.0.01`, `127.1`, `0x7f.1`).
///
/// # Errors
/// The reason, as `InvalidFullUriError` displays it.
pub fn full_ok(s: &str) -> Result<(), &'static str> {
    let Some((scheme, host)) = absolute(s) else {
        return Err("URI was invalid");
    };
    if scheme == "https" {
        return Ok(());
    }
    if host.is_empty() {
        return Err("URI did not specify a host");
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(&host);
    let allowed = match bare.parse::<IpAddr>() {
        Ok(ip) => allowed_ip(&ip),
        Err(_) if host.eq_ignore_ascii_case("localhost") => true,
        Err(_) if inet_aton(&host).is_some() => {
            inet_aton(&host).is_some_and(|ip| allowed_ip(&IpAddr::from(ip)))
        }
        Err(_) => return Err("failed to perform DNS lookup while validating URI"),
    };
    if allowed {
        Ok(())
    } else {
        Err("URI did not refer to an allowed IP address")
    }
}

fn allowed_ip(ip: &IpAddr) -> bool {
    ip.is_loopback()
        || *ip == IpAddr::from([169, 254, 170, 2])
        || *ip == IpAddr::from([169, 254, 170, 23])
        || *ip == IpAddr::from([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23])
}

/// glibc `inet_aton`: one to four dot-separated numbers (decimal, `0x` hex, `0` octal), the
/// last filling the remaining bytes.
fn inet_aton(s: &str) -> Option<[u8; 4]> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(4);
    for p in &parts {
        let n = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            if h.is_empty() {
                0
            } else {
                u64::from_str_radix(h, 16).ok()?
            }
        } else if p.len() > 1 && p.starts_with('0') {
            u64::from_str_radix(&p[1..], 8).ok()?
        } else {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse::<u64>().ok()?
        };
        nums.push(n);
    }
    let (last, head) = nums.split_last()?;
    if head.iter().any(|&n| n > 255) {
        return None;
    }
    let room = 8 * (4 - head.len() as u32);
    if room < 64 && *last >= 1u64 << room {
        return None;
    }
    let mut value: u64 = *last;
    for (i, &n) in head.iter().enumerate() {
        value |= n << (24 - 8 * i as u32);
    }
    u32::try_from(value).ok().map(u32::to_be_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_hosts_glibc_reads() {
        assert_eq!(inet_aton("127.0.0.01"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton("127.1"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton("0x7f.1"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton("fake.example"), None);
        assert!(full_ok("http://127.0.0.01/c").is_ok());
        assert!(full_ok("http://169.254.169.254/c").is_err());
        assert!(full_ok("http://[::ffff:127.0.0.1]/c").is_err());
        assert!(full_ok("https://fake.example/c").is_ok());
        assert!(relative_ok("/v2/x?a=b|c"));
        assert!(!relative_ok("/v2/x?a=<"));
        assert!(!relative_ok("\t/x"));
    }
}
