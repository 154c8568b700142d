//! aws-config's profile files: `aws-runtime` 1.10.2 `env_config` (`source.rs` `load`,
//! `parse.rs` `parse_profile_file`, `normalize.rs` `merge_in`, `section.rs`
//! `EnvConfigSections::parse`), the dialect the Rust SDK reads `~/.aws/config` and
//! `~/.aws/credentials` in.

use std::collections::HashMap;

/// `parse.rs` `WHITESPACE`: only space and tab.
const WS: &[char] = &[' ', '\t'];
const COMMENT: &[char] = &['#', ';'];

/// One profile or `sso-session`: its keys (lower-cased) and values.
pub type Section = HashMap<String, String>;

/// `EnvConfigSections`, the parts credentials need.
#[derive(Debug, Default)]
pub struct ProfileSet {
    pub profiles: HashMap<String, Section>,
    pub sso_sessions: HashMap<String, Section>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Config,
    Credentials,
}

/// `parse.rs` `prepare_line`: trimmed, cut at the first comment character (one that follows
/// white space, when `need_ws`), trimmed again.
fn prepare_line(line: &str, need_ws: bool) -> &str {
    let line = line.trim_matches(WS);
    let mut prev_ws = false;
    let mut cut = None;
    for (i, c) in line.char_indices() {
        if COMMENT.contains(&c) && (prev_ws || !need_ws) {
            cut = Some(i);
            break;
        }
        prev_ws = c.is_whitespace();
    }
    cut.map_or(line, |i| &line[..i]).trim_matches(WS)
}

/// `parse_property_line`: (lower-cased key, value), or the parse error's message.
fn property(line: &str, ctx: &str) -> Result<(String, String), String> {
    let line = prepare_line(line, true);
    let Some((k, v)) = line.split_once('=') else {
        return Err(format!("Expected an '=' sign defining a {ctx}"));
    };
    let k = k.trim_matches(WS);
    if k.is_empty() {
        let mut c = ctx.to_owned();
        if let Some(f) = c.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        return Err(format!("{c} did not have a name"));
    }
    Ok((k.to_ascii_lowercase(), v.trim_matches(WS).to_owned()))
}

/// A raw section's properties, in order.
type Body = Vec<(String, String)>;
/// Raw sections of one file, by the text between the brackets.
type Raw = Vec<(String, Body)>;
/// A section name split into prefix and name.
type Pair<'a> = (Option<&'a str>, &'a str);

/// `parse_profile_file`: `Err` is the message of `EnvConfigParseError` (with its line).
fn parse(text: &str, path: &str) -> Result<Raw, String> {
    let mut data: Raw = Vec::new();
    // (section index, property key, is a sub-property)
    let mut state: Option<(usize, Option<String>, bool)> = None;
    for (n, line) in text.lines().enumerate() {
        let err = |m: &str| format!("error parsing {path} on line {}:\n  {m}", n + 1);
        if line.trim_matches(WS).is_empty() || line.starts_with(COMMENT) {
            continue;
        }
        if line.starts_with('[') {
            let name = prepare_line(line, false)
                .strip_prefix('[')
                .ok_or_else(|| err("Profile definition must start with '['"))?
                .strip_suffix(']')
                .ok_or_else(|| err("Profile definition must end with ']'"))?;
            let idx = data.iter().position(|(n, _)| n == name).unwrap_or_else(|| {
                data.push((name.to_owned(), Vec::new()));
                data.len() - 1
            });
            state = Some((idx, None, false));
        } else if line.starts_with(WS) {
            let Some((idx, prop, sub)) = &state else {
                return Err(err("Expected a profile definition"));
            };
            let Some(prop) = prop else {
                return Err(err("Expected a property definition, found continuation"));
            };
            if *sub && !line.trim_matches(WS).is_empty() {
                property(line, "sub-property").map_err(|m| err(&m))?;
            }
            if let Some((_, v)) = data[*idx].1.iter_mut().find(|(k, _)| k == prop) {
                v.push('\n');
                v.push_str(line.trim_matches(WS));
            }
        } else {
            let Some((idx, _, _)) = state else {
                return Err(err("Expected a profile definition"));
            };
            let (k, v) = property(line, "property").map_err(|m| err(&m))?;
            let section = &mut data[idx].1;
            match section.iter_mut().find(|(key, _)| *key == k) {
                Some((_, old)) => old.clone_from(&v),
                None => section.push((k.clone(), v.clone())),
            }
            state = Some((idx, Some(k), v.is_empty()));
        }
    }
    Ok(data)
}

/// `normalize.rs` `validate_identifier`.
fn identifier(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

/// `SectionPair::parse`: (prefix, name).
fn section_pair(raw: &str) -> (Option<&str>, &str) {
    let s = raw.trim_matches(WS);
    match s.find(WS) {
        Some(i) => (Some(s[..i].trim()), s[i + 1..].trim()),
        None => (None, s.trim()),
    }
}

/// `normalize.rs` `merge_in`: one file's sections into the set.
fn merge_in(set: &mut ProfileSet, raw: &Raw, kind: Kind) {
    let valid: Vec<(Pair<'_>, &Body)> = raw
        .iter()
        .map(|(name, body)| (section_pair(name), body))
        .filter(|((prefix, name), _)| match (kind, prefix) {
            (Kind::Config, None) => *name == "default",
            (Kind::Credentials, Some(_)) => false,
            (Kind::Config, Some(_)) | (Kind::Credentials, None) => identifier(name),
        })
        .collect();
    let prefixed_default = valid
        .iter()
        .any(|((p, n), _)| *p == Some("profile") && *n == "default");
    for ((prefix, name), body) in valid {
        if prefixed_default && prefix.is_none() && name == "default" {
            continue;
        }
        let target = match prefix {
            None | Some("profile") => set.profiles.entry(name.to_owned()).or_default(),
            Some("sso-session") => set.sso_sessions.entry(name.to_owned()).or_default(),
            Some(_) => continue,
        };
        for (k, v) in body {
            if identifier(k) {
                target.insert(k.clone(), v.clone());
            }
        }
    }
}

/// `source.rs` `expand_home`: a first path component `~` becomes the home directory.
fn expand_home(path: &str, home: Option<&str>) -> String {
    let mut parts = path.split('/').filter(|p| !p.is_empty() && *p != ".");
    let absolute = path.starts_with('/');
    match parts.next() {
        Some("~") if !absolute => {
            let mut out = home.unwrap_or("~").to_owned();
            for p in parts {
                if !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(p);
            }
            out
        }
        _ => path.to_owned(),
    }
}

/// Where a file is read from: the override variable (even empty) or `~/.aws/<name>`.
pub fn path(env: &dyn Fn(&str) -> Option<String>, kind: Kind) -> String {
    let (var, default) = match kind {
        Kind::Config => ("AWS_CONFIG_FILE", "~/.aws/config"),
        Kind::Credentials => ("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
    };
    let raw = env(var).unwrap_or_else(|| default.to_owned());
    expand_home(&raw, env("HOME").as_deref())
}

/// `source::load` then `EnvConfigSections::parse`: the config file, then the credentials
/// file over it key by key. A file that cannot be read, or is not UTF-8, is empty.
///
/// # Errors
/// The parse error of the first file that does not parse.
pub fn load(
    env: &dyn Fn(&str) -> Option<String>,
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<ProfileSet, String> {
    let mut set = ProfileSet::default();
    for kind in [Kind::Config, Kind::Credentials] {
        let p = path(env, kind);
        let text = read(&p)
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        merge_in(&mut set, &parse(&text, &p)?, kind);
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, kind: Kind) -> Result<ProfileSet, String> {
        let mut set = ProfileSet::default();
        merge_in(&mut set, &parse(text, "f")?, kind);
        Ok(set)
    }

    #[test]
    fn config_needs_the_profile_prefix_and_credentials_refuse_it() {
        let set = one("[dev]\na = 1\n[profile  prod]\nb = 2\n", Kind::Config).expect("parses");
        assert!(!set.profiles.contains_key("dev"));
        assert_eq!(set.profiles["prod"]["b"], "2");
        let set = one("[profile dev]\na = 1\n[prod]\nB = 2\n", Kind::Credentials).expect("parses");
        assert!(!set.profiles.contains_key("dev"));
        assert_eq!(set.profiles["prod"]["b"], "2");
    }

    #[test]
    fn indented_comment_continues_the_value_and_colon_fails() {
        let set = one("[a]\nk = v\n  # note\n", Kind::Credentials).expect("parses");
        assert_eq!(set.profiles["a"]["k"], "v\n# note");
        assert!(one("[a]\nk: v\n", Kind::Credentials).is_err());
        assert!(one("  # before\n[a]\n", Kind::Credentials).is_err());
    }

    #[test]
    fn empty_values_are_kept_and_comments_need_white_space() {
        let set = one("[a]\nk =\nj = x#y ;z\n", Kind::Credentials).expect("parses");
        assert_eq!(set.profiles["a"]["k"], "");
        assert_eq!(set.profiles["a"]["j"], "x#y");
    }

    #[test]
    fn home_expansion_only_for_a_leading_tilde() {
        assert_eq!(expand_home("~/x/y", Some("/h")), "/h/x/y");
        assert_eq!(expand_home("$HOME/x", Some("/h")), "$HOME/x");
        assert_eq!(expand_home("", Some("/h")), "");
    }
}
