//! Start-up files of shells that are not POSIX: fish (`set -gx KEY value`), nushell
//! (`$env.KEY = "value"`) and PowerShell (`$env:KEY = "value"`,
//! `[Environment]::SetEnvironmentVariable("KEY", "value")`). Only the environment
//! assignments are read, into the same [`EnvFile`] the POSIX shell parser fills, so that
//! the model and the rules see them as they see `export KEY=value`.

use super::env::{EnvAssignment, EnvFile, ValueOrigin};
use crate::source::Span;

/// A shell language other than POSIX sh, chosen by file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Fish,
    Nushell,
    PowerShell,
}

impl Dialect {
    /// The dialect of a file by its extension (`.fish`, `.nu`, `.ps1`/`.psm1`), after any
    /// dotfile-manager `.tmpl` suffix.
    #[must_use]
    pub fn of_path(path: &str) -> Option<Self> {
        let lower = path.to_ascii_lowercase();
        let lower = lower.strip_suffix(".tmpl").unwrap_or(&lower);
        let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "fish" => Some(Self::Fish),
            "nu" => Some(Self::Nushell),
            "ps1" | "psm1" => Some(Self::PowerShell),
            _ => None,
        }
    }
}

/// One token: its span in the file, its decoded text and whether it expands anything.
struct Token {
    span: Span,
    /// The span inside the quotes when the token is one quoted string.
    inner: Span,
    text: String,
    derived: bool,
}

#[must_use]
pub fn parse(text: &str, dialect: Dialect) -> EnvFile {
    let mut out = EnvFile::default();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        // Statements separated by `;` (no quote-aware split is needed for the forms read:
        // a `;` inside a quoted value only shortens that value's statement).
        let mut at = 0;
        for stmt in split_statements(body) {
            let s_start = start + at;
            at += stmt.len() + 1;
            let tokens = tokenize(stmt, s_start, dialect);
            let found = match dialect {
                Dialect::Fish => fish(&tokens),
                Dialect::Nushell => nushell(&tokens),
                Dialect::PowerShell => powershell(&tokens),
            };
            out.assignments.extend(found);
        }
    }
    out
}

fn split_statements(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote: Option<char> = None;
    let mut last = 0;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') => {
                parts.push(&line[last..i]);
                return parts;
            }
            (None, ';') => {
                parts.push(&line[last..i]);
                last = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&line[last..]);
    parts
}

/// Split a statement into words: blanks separate, quotes group, `=` `(` `)` `,` and `{` `}`
/// stand alone (PowerShell and nushell syntax), `$` or a command substitution in a word
/// that is not single-quoted makes it derived.
fn tokenize(stmt: &str, base: usize, dialect: Dialect) -> Vec<Token> {
    let b = stmt.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let single_char = |c: u8| match dialect {
        Dialect::Fish => false,
        _ => matches!(c, b'=' | b'(' | b')' | b',' | b'{' | b'}' | b'|'),
    };
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if single_char(c) {
            // `==` (a comparison, or the padding of base64 after a blank) is one token,
            // never an assignment's `=`.
            i += if c == b'=' && b.get(i + 1) == Some(&b'=') {
                2
            } else {
                1
            };
            out.push(Token {
                span: Span::new(base + start, base + i),
                inner: Span::new(base + start, base + i),
                text: stmt[start..i].to_owned(),
                derived: false,
            });
            continue;
        }
        let mut text = String::new();
        let mut derived = false;
        let mut inner = None;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_whitespace() || (single_char(c) && !text.ends_with('$')) {
                // `$env:X` / `$env.X` keep their `:`/`.`; `${` is not split.
                if !(c == b'{' && text.ends_with('$')) {
                    break;
                }
            }
            if c == b'\'' || c == b'"' {
                let q = c;
                let body = i + 1;
                let end = stmt[body..].find(q as char).map_or(b.len(), |e| body + e);
                let content = &stmt[body..end];
                if q == b'"' && (content.contains('$') || content.contains('(')) {
                    derived |= content.contains('$')
                        || (dialect == Dialect::Nushell && content.contains('('));
                }
                text.push_str(content);
                inner.get_or_insert(Span::new(base + body, base + end));
                i = (end + 1).min(b.len());
                continue;
            }
            if c == b'$' || (dialect == Dialect::Fish && c == b'(') {
                derived = true;
            }
            let ch = stmt[i..].chars().next().unwrap_or(' ');
            text.push(ch);
            i += ch.len_utf8();
        }
        let span = Span::new(base + start, base + i);
        // A token that is exactly one quoted string has its value inside the quotes.
        let whole_quoted = matches!(b[start], b'"' | b'\'') && inner.is_some();
        out.push(Token {
            span,
            inner: if whole_quoted {
                inner.unwrap_or(span)
            } else {
                span
            },
            text,
            derived,
        });
    }
    out
}

fn assignment(
    key: &Token,
    key_text: &str,
    key_start: usize,
    value: Option<&[Token]>,
) -> EnvAssignment {
    let key_span = Span::new(key_start, key_start + key_text.len());
    let (value, value_span, derived) = match value {
        Some([one]) => (Some(one.text.clone()), one.inner, one.derived),
        Some(many @ [first, .., last]) => (
            Some(
                many.iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Span::new(first.span.start, last.span.end),
            many.iter().any(|t| t.derived),
        ),
        _ => (
            Some(String::new()),
            Span::new(key.span.end, key.span.end),
            false,
        ),
    };
    EnvAssignment {
        key: key_text.to_owned(),
        key_span,
        value,
        value_span,
        origin: if derived {
            ValueOrigin::Derived
        } else {
            ValueOrigin::Literal
        },
        exported: true,
        command_prefix: false,
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.as_bytes()[0].is_ascii_digit()
        && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// fish: `set [-g] -x NAME value…` (also `--export`, `-gx`, `-Ux`); unexported `set` does
/// not reach child processes, so only exported ones are read; `export NAME=value` too.
fn fish(tokens: &[Token]) -> Vec<EnvAssignment> {
    let mut i = 0;
    while i < tokens.len()
        && matches!(
            tokens[i].text.as_str(),
            "and" | "or" | "not" | "begin" | "else" | "if" | "command" | "builtin"
        )
    {
        i += 1;
    }
    let Some(cmd) = tokens.get(i) else {
        return Vec::new();
    };
    if cmd.text == "export" {
        return tokens[i + 1..]
            .iter()
            .filter_map(|t| {
                let raw_key = t.text.split_once('=')?.0;
                is_name(raw_key).then(|| {
                    let value = t.text[raw_key.len() + 1..].to_owned();
                    let mut a = assignment(t, raw_key, t.span.start, None);
                    a.value_span = Span::new(t.span.start + raw_key.len() + 1, t.span.end);
                    a.value = Some(value.trim_matches(['"', '\'']).to_owned());
                    if t.derived {
                        a.origin = ValueOrigin::Derived;
                    }
                    a
                })
            })
            .collect();
    }
    if cmd.text != "set" {
        return Vec::new();
    }
    let mut exported = false;
    let mut j = i + 1;
    while let Some(t) = tokens.get(j) {
        let s = t.text.as_str();
        if let Some(long) = s.strip_prefix("--") {
            match long {
                "export" => exported = true,
                "erase" | "query" | "names" | "show" | "unexport" => return Vec::new(),
                _ => {}
            }
        } else if let Some(short) = s.strip_prefix('-') {
            if short.contains(['e', 'q', 'n', 'S', 'u']) {
                return Vec::new();
            }
            exported |= short.contains('x');
        } else {
            break;
        }
        j += 1;
    }
    let Some(name) = tokens.get(j) else {
        return Vec::new();
    };
    if !exported || !is_name(&name.text) || name.derived {
        return Vec::new();
    }
    let rest = &tokens[j + 1..];
    vec![assignment(name, &name.text, name.span.start, Some(rest))]
}

/// nushell: `$env.NAME = value` (also `$env."NAME"`); `$env` is the environment of the
/// shell and its children.
fn nushell(tokens: &[Token]) -> Vec<EnvAssignment> {
    let mut i = 0;
    if tokens
        .first()
        .is_some_and(|t| t.text == "export-env" || t.text == "{")
    {
        i += 1;
    }
    while tokens.get(i).is_some_and(|t| t.text == "{") {
        i += 1;
    }
    let Some(target) = tokens.get(i) else {
        return Vec::new();
    };
    let Some(name) = target.text.strip_prefix("$env.") else {
        return Vec::new();
    };
    if !is_name(name) || tokens.get(i + 1).is_none_or(|t| t.text != "=") {
        return Vec::new();
    }
    let key_start = target.span.start + "$env.".len() + usize::from(text_quoted_tail(target));
    let mut rest: Vec<&Token> = tokens[i + 2..]
        .iter()
        .take_while(|t| t.text != "}")
        .collect();
    if rest.len() > 1 {
        // A pipeline or expression: its value is computed.
        rest.truncate(1);
        let mut a = assignment(target, name, key_start, Some(std::slice::from_ref(rest[0])));
        a.origin = ValueOrigin::Derived;
        return vec![a];
    }
    let value: Vec<Token> = rest
        .into_iter()
        .map(|t| Token {
            span: t.span,
            inner: t.inner,
            text: t.text.clone(),
            derived: t.derived || t.text.starts_with('(') || t.text.starts_with('$'),
        })
        .collect();
    vec![assignment(target, name, key_start, Some(&value))]
}

/// Whether a `$env."NAME"` token ended with a closing quote (its key span excludes it).
fn text_quoted_tail(t: &Token) -> bool {
    t.span.end - t.span.start > t.text.len()
}

/// PowerShell: `$env:NAME = value`, `[Environment]::SetEnvironmentVariable("NAME", value
/// [, target])` and `Set-Item [-Path] Env:NAME [-Value] value`. Double-quoted strings
/// with `$` expand; single-quoted ones are literal.
fn powershell(tokens: &[Token]) -> Vec<EnvAssignment> {
    let lower = |t: &Token| t.text.to_ascii_lowercase();
    if let Some(first) = tokens.first() {
        let l = lower(first);
        if let Some(name) = l.strip_prefix("$env:") {
            let name = &first.text[first.text.len() - name.len()..];
            if is_name(name) && tokens.get(1).is_some_and(|t| t.text == "=") {
                let rest = &tokens[2..];
                let rest = if rest.len() > 1 { &rest[..1] } else { rest };
                let mut a = assignment(first, name, first.span.end - name.len(), Some(rest));
                if tokens.len() > 3 {
                    a.origin = ValueOrigin::Derived;
                }
                return vec![a];
            }
        }
        if l.starts_with("[environment]::setenvironmentvariable")
            || l.starts_with("[system.environment]::setenvironmentvariable")
        {
            // Arguments: `(`, name, `,`, value, …
            let args: Vec<&Token> = tokens[1..]
                .iter()
                .filter(|t| !matches!(t.text.as_str(), "(" | ")" | ","))
                .collect();
            if let [name, value, ..] = args.as_slice()
                && is_name(&name.text)
                && !name.derived
            {
                let a = assignment(
                    name,
                    &name.text,
                    name.inner.start,
                    Some(std::slice::from_ref(*value)),
                );
                return vec![a];
            }
            return Vec::new();
        }
        if l == "set-item" || l == "si" {
            let args: Vec<&Token> = tokens[1..]
                .iter()
                .filter(|t| !t.text.starts_with('-'))
                .collect();
            if let [path, value, ..] = args.as_slice() {
                let pl = lower(path);
                if let Some(name) = pl.strip_prefix("env:") {
                    let name = &path.text[path.text.len() - name.len()..];
                    if is_name(name) {
                        let key_start = path.inner.start + 4;
                        return vec![assignment(
                            path,
                            name,
                            key_start,
                            Some(std::slice::from_ref(*value)),
                        )];
                    }
                }
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(text: &str, d: Dialect) -> Vec<(String, Option<String>, ValueOrigin)> {
        parse(text, d)
            .assignments
            .into_iter()
            .map(|a| (a.key, a.value, a.origin))
            .collect()
    }

    fn lit(k: &str, v: &str) -> (String, Option<String>, ValueOrigin) {
        (k.into(), Some(v.into()), ValueOrigin::Literal)
    }

    #[test]
    fn every_operator_and_odd_byte_moves_on() {
        // `==` after a blank (base64 padding in rendered user data, a comparison) once sent
        // the tokenizer round the same byte for ever, allocating until the machine ran out.
        let text = "& $f -CA LS0tQ== -X y\nif ($a == $b) { x }; $env:AWS_PROFILE = \"dev\"\n== = ( ) , { } |\n$env:K = 'v=='\n";
        for d in [Dialect::Fish, Dialect::Nushell, Dialect::PowerShell] {
            let got = kv(text, d);
            if d == Dialect::PowerShell {
                assert!(got.contains(&lit("AWS_PROFILE", "dev")), "{got:?}");
                assert!(got.contains(&lit("K", "v==")), "{got:?}");
            }
        }
        for n in 0..=text.len() {
            if text.is_char_boundary(n) {
                for d in [Dialect::Fish, Dialect::Nushell, Dialect::PowerShell] {
                    let _ = parse(&text[..n], d);
                }
            }
        }
    }

    #[test]
    fn fish_exports_only() {
        let got = kv(
            "set -gx AWS_PROFILE dev\nset -x AWS_REGION 'eu-west-1'\nset --export A \"b c\"\nset -g LOCAL x\nset -e AWS_X\nset -gx D (cat f)\nexport E=5\n",
            Dialect::Fish,
        );
        assert_eq!(got[0], lit("AWS_PROFILE", "dev"));
        assert_eq!(got[1], lit("AWS_REGION", "eu-west-1"));
        assert_eq!(got[2], lit("A", "b c"));
        assert_eq!(got[3].0, "D");
        assert_eq!(got[3].2, ValueOrigin::Derived);
        assert_eq!(got[4], lit("E", "5"));
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn nushell_env() {
        let text = "$env.AWS_PROFILE = \"dev\"\n$env.X = ($env.HOME | path join a)\nlet y = 1\n";
        let got = kv(text, Dialect::Nushell);
        assert_eq!(got[0], lit("AWS_PROFILE", "dev"));
        assert_eq!(got[1].2, ValueOrigin::Derived);
        assert_eq!(got.len(), 2);
        let a = &parse(text, Dialect::Nushell).assignments[0];
        assert_eq!(&text[a.key_span.start..a.key_span.end], "AWS_PROFILE");
        assert_eq!(&text[a.value_span.start..a.value_span.end], "dev");
    }

    #[test]
    fn powershell_forms() {
        let text = "$env:AWS_PROFILE = \"dev\"\n$Env:AWS_REGION='us-east-1'\n[Environment]::SetEnvironmentVariable(\"AWS_DEFAULT_PROFILE\", \"ops\", \"User\")\nSet-Item -Path Env:AWS_X -Value y\n$env:P = \"$HOME\\x\"\n$x = 1\n";
        let got = kv(text, Dialect::PowerShell);
        assert_eq!(got[0], lit("AWS_PROFILE", "dev"));
        assert_eq!(got[1], lit("AWS_REGION", "us-east-1"));
        assert_eq!(got[2], lit("AWS_DEFAULT_PROFILE", "ops"));
        assert_eq!(got[3], lit("AWS_X", "y"));
        assert_eq!(got[4].2, ValueOrigin::Derived);
        assert_eq!(got.len(), 5);
        for a in parse(text, Dialect::PowerShell).assignments {
            assert_eq!(&text[a.key_span.start..a.key_span.end], a.key);
        }
    }

    #[test]
    fn dialect_by_name() {
        assert_eq!(Dialect::of_path("a/config.fish"), Some(Dialect::Fish));
        assert_eq!(
            Dialect::of_path("dot_config/fish/config.fish.tmpl"),
            Some(Dialect::Fish)
        );
        assert_eq!(Dialect::of_path("env.nu"), Some(Dialect::Nushell));
        assert_eq!(
            Dialect::of_path("Microsoft.PowerShell_profile.ps1"),
            Some(Dialect::PowerShell)
        );
        assert_eq!(Dialect::of_path("a.sh"), None);
    }
}
