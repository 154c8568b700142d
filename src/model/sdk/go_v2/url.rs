//! The part of Go's `net/url.Parse` (Go 1.19) that decides whether a container endpoint
//! parses and which host it names, and `config/local.go` `isLoopbackHost`.

use std::net::IpAddr;

pub struct Parsed {
    /// `URL.Host`: the authority after any user information, port included.
    host: String,
    path: String,
}

/// `net/url.Parse`, the errors only as far as a container endpoint can meet them.
///
/// # Errors
/// The reason Go gives, without its `parse "…": ` prefix.
pub fn parse(raw: &str) -> Result<Parsed, String> {
    // Parse: the fragment is cut first
    let (raw, fragment) = raw.split_once('#').unwrap_or((raw, ""));
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    unescape(fragment, Mode::Other)?;
    // getScheme
    let mut scheme = "";
    let mut rest = raw;
    for (i, c) in raw.char_indices() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if c.is_ascii_digit() || matches!(c, '+' | '-' | '.') {
            if i == 0 {
                break;
            }
            continue;
        }
        if c == ':' {
            if i == 0 {
                return Err("missing protocol scheme".into());
            }
            scheme = &raw[..i];
            rest = &raw[i + 1..];
        }
        break;
    }
    // the query
    let rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
        &rest[..rest.len() - 1]
    } else {
        rest.split_once('?').map_or(rest, |(r, _)| r)
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // opaque: no host
            return Ok(Parsed {
                host: String::new(),
                path: String::new(),
            });
        }
        let segment = rest.split_once('/').map_or(rest, |(s, _)| s);
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    let mut host = String::new();
    let mut path = rest;
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, p) = after
            .find('/')
            .map_or((after, ""), |i| (&after[..i], &after[i..]));
        host = parse_authority(authority)?;
        path = p;
    }
    let path = unescape(path, Mode::Other)?;
    Ok(Parsed { host, path })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Host,
    Other,
}

/// `parseAuthority`.
fn parse_authority(authority: &str) -> Result<String, String> {
    let host_part = match authority.rfind('@') {
        None => authority,
        Some(i) => {
            let userinfo = &authority[..i];
            let valid = userinfo.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        '-' | '.'
                            | '_'
                            | ':'
                            | '~'
                            | '!'
                            | '$'
                            | '&'
                            | '\''
                            | '('
                            | ')'
                            | '*'
                            | '+'
                            | ','
                            | ';'
                            | '='
                            | '%'
                            | '@'
                    )
                    || !c.is_ascii()
            });
            if !valid {
                return Err("net/url: invalid userinfo".into());
            }
            unescape(userinfo, Mode::Other)?;
            &authority[i + 1..]
        }
    };
    parse_host(host_part)
}

/// `validOptionalPort`.
fn valid_optional_port(port: &str) -> bool {
    if port.is_empty() {
        return true;
    }
    port.strip_prefix(':')
        .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// `parseHost`.
fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let colon_port = &host[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {colon_port:?} after host"));
        }
        return unescape(host, Mode::Host);
    }
    if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {colon_port:?} after host"));
        }
    }
    unescape(host, Mode::Host)
}

/// `shouldEscape` for a host: what may not appear unescaped.
fn host_forbids(b: u8) -> bool {
    !(b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
                | b'-'
                | b'_'
                | b'.'
                | b'~'
        ))
}

/// `unescape`: `%XX` escapes must be complete; a host allows only `%25` or an escape of a
/// byte at or above 0x80, and none of the characters `shouldEscape` names.
fn unescape(text: &str, mode: Mode) -> Result<String, String> {
    let (s, b) = (text, text.as_bytes());
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let (Some(high), Some(low)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) else {
                return Err(format!(
                    "invalid URL escape {:?}",
                    &s[i..(i + 3).min(s.len())]
                ));
            };
            if mode == Mode::Host && high < 8 && &s[i..i + 3] != "%25" {
                return Err(format!("invalid URL escape {:?}", &s[i..i + 3]));
            }
            out.push(u8::try_from(high * 16 + low).unwrap_or(0));
            i += 3;
            continue;
        }
        if mode == Mode::Host && b[i] < 0x80 && host_forbids(b[i]) {
            return Err(format!("invalid character {:?} in host name", b[i] as char));
        }
        out.push(b[i]);
        i += 1;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

impl Parsed {
    /// `URL.Hostname`: the host without its port and brackets.
    pub fn hostname(&self) -> String {
        let mut host = self.host.as_str();
        if let Some(i) = host.rfind(':') {
            if valid_optional_port(&host[i..]) {
                host = &host[..i];
            }
        }
        if host.starts_with('[') && host.ends_with(']') && host.len() >= 2 {
            host = &host[1..host.len() - 1];
        }
        host.to_owned()
    }

    /// Whether a request here is one to the instance metadata service, as
    /// `tests/differential/run_sdk.py` `call_method` tells them apart.
    pub fn is_instance_metadata(&self) -> bool {
        let h = self.host.as_str();
        ["169.254.169.254", "[fd00:ec2::254]"]
            .iter()
            .any(|m| h == *m || h.starts_with(&format!("{m}:")))
            || self.path.starts_with("/latest/")
    }
}

/// `isLoopbackHost`: an IP address is looked at; a name is looked up, and offline only
/// `localhost` (from /etc/hosts) resolves.
///
/// # Errors
/// The lookup failure for any other name.
pub fn is_loopback_host(host: &str) -> Result<bool, String> {
    if let Some(ip) = go_parse_ip(host) {
        return Ok(match ip {
            IpAddr::V4(v4) => v4.is_loopback(),
            IpAddr::V6(v6) => v6
                .to_ipv4_mapped()
                .map_or_else(|| v6.is_loopback(), |v4| v4.is_loopback()),
        });
    }
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(true);
    }
    Err(format!("lookup {host}: no such host"))
}

/// `net.ParseIP`: dotted IPv4 (no leading zeros) or IPv6 without a zone.
fn go_parse_ip(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_are_go_s() {
        for bad in [
            "http://[::1",
            " http://localhost/c",
            "http://loc\talhost/",
            "http://localhost:abc/",
            "http://us er@localhost/",
            "http://loc alhost/",
            "http://localhost/%zz",
            ":x",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn hostname_drops_port_and_brackets() {
        let host = |u: &str| parse(u).expect("parses").hostname();
        assert_eq!(host("http://localhost:8080/c"), "localhost");
        assert_eq!(host("http://[::1]:80/c"), "::1");
        assert_eq!(host("http://a@127.0.0.1/c"), "127.0.0.1");
        assert_eq!(host("http:localhost"), "");
        assert_eq!(host("localhost/c"), "");
    }

    #[test]
    fn loopback_hosts() {
        assert_eq!(is_loopback_host("127.1.2.3"), Ok(true));
        assert_eq!(is_loopback_host("::ffff:127.0.0.1"), Ok(true));
        assert_eq!(is_loopback_host("LocalHost"), Ok(true));
        assert_eq!(is_loopback_host("169.254.170.2"), Ok(false));
        assert!(is_loopback_host("example.com").is_err());
    }

    #[test]
    fn metadata_requests_are_told_apart() {
        assert!(
            parse("http://169.254.169.254/x")
                .expect("p")
                .is_instance_metadata()
        );
        assert!(
            parse("http://127.0.0.1/latest/x")
                .expect("p")
                .is_instance_metadata()
        );
        assert!(
            !parse("http://169.254.170.2/v2/x")
                .expect("p")
                .is_instance_metadata()
        );
    }
}
