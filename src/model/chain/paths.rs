//! Paths as botocore expands them: `os.path.expandvars` then `os.path.expanduser`.

use std::collections::BTreeMap;

/// Python's `os.path.expandvars` then `os.path.expanduser`, against `env`.
#[must_use]
pub fn expand_path(path: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let (name, end) = if b.get(i + 1) == Some(&b'{') {
                match path[i + 2..].find('}') {
                    Some(c) => (&path[i + 2..i + 2 + c], i + 3 + c),
                    None => ("", i + 1),
                }
            } else {
                let n = path[i + 1..]
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    .count();
                (&path[i + 1..i + 1 + n], i + 1 + n)
            };
            if let Some(v) = (!name.is_empty()).then(|| env.get(name)).flatten() {
                out.push_str(v);
                i = end;
                continue;
            }
        }
        let ch = path[i..].chars().next().unwrap_or('$');
        out.push(ch);
        i += ch.len_utf8();
    }
    expand_user(&out, env)
}

pub(super) fn expand_user(path: &str, env: &BTreeMap<String, String>) -> String {
    if path == "~" || path.starts_with("~/") {
        if let Some(home) = env.get("HOME") {
            let home = if home.len() > 1 {
                home.trim_end_matches('/')
            } else {
                home.as_str()
            };
            return format!("{home}{}", &path[1..]);
        }
    }
    path.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_like_python() {
        let env: BTreeMap<String, String> =
            [("HOME".into(), "/h".into()), ("X".into(), "x".into())].into();
        assert_eq!(expand_path("~/.aws/config", &env), "/h/.aws/config");
        assert_eq!(expand_path("$HOME/a/${X}/$NOPE", &env), "/h/a/x/$NOPE");
        assert_eq!(expand_path("", &env), "");
    }
}
