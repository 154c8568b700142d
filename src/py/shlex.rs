//! Python's `shlex.split(s)` (posix mode, whitespace splitting, no comments), which botocore
//! uses for `[profile "my name"]` headers and for `credential_process` commands.
//!
//! The `shlex` crate follows the POSIX shell instead: it treats `#` as the start of a
//! comment (`credential_process = #x` would be an empty command, where Python runs `#x`),
//! drops a backslash before any character inside double quotes (Python keeps it unless the
//! next character is `"` or `\`), and splits on a different set of whitespace. Those are
//! exactly the cases where botocore's answer changes, so this is a line-for-line port of
//! `shlex.shlex.read_token` for the settings `split` uses, as in `CPython` 3.11.

/// Why Python's `shlex.split` raises `ValueError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitError {
    NoClosingQuotation,
    NoEscapedCharacter,
}

impl SplitError {
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Self::NoClosingQuotation => "No closing quotation",
            Self::NoEscapedCharacter => "No escaped character",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between words (`' '`).
    Space,
    /// Inside a word (`'a'`).
    Word,
    /// Inside quotes opened by this character.
    Quote(char),
    /// After a backslash; the state to return to.
    Escape(Escaped),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Escaped {
    Word,
    Quote(char),
}

const fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// `shlex.split(s)`: the words, or the `ValueError` Python raises.
///
/// # Errors
/// An unclosed quote, or a backslash at the very end.
pub fn split(s: &str) -> Result<Vec<String>, SplitError> {
    let mut chars = s.chars();
    let mut words = Vec::new();
    loop {
        // One call of read_token.
        let mut state = State::Space;
        let mut token = String::new();
        let mut quoted = false;
        loop {
            let next = chars.next();
            match state {
                State::Space => match next {
                    None => break,
                    Some(c) if is_space(c) => {
                        if !token.is_empty() || quoted {
                            break;
                        }
                    }
                    Some('\\') => state = State::Escape(Escaped::Word),
                    Some(q @ ('\'' | '"')) => state = State::Quote(q),
                    Some(c) => {
                        token.push(c);
                        state = State::Word;
                    }
                },
                State::Quote(q) => {
                    quoted = true;
                    match next {
                        None => return Err(SplitError::NoClosingQuotation),
                        Some(c) if c == q => state = State::Word,
                        Some('\\') if q == '"' => state = State::Escape(Escaped::Quote(q)),
                        Some(c) => token.push(c),
                    }
                }
                State::Escape(back) => {
                    let Some(c) = next else {
                        return Err(SplitError::NoEscapedCharacter);
                    };
                    if let Escaped::Quote(q) = back {
                        if c != '\\' && c != q {
                            token.push('\\');
                        }
                    }
                    token.push(c);
                    state = match back {
                        Escaped::Word => State::Word,
                        Escaped::Quote(q) => State::Quote(q),
                    };
                }
                State::Word => match next {
                    None => break,
                    Some(c) if is_space(c) => {
                        if !token.is_empty() || quoted {
                            break;
                        }
                        state = State::Space;
                    }
                    Some(q @ ('\'' | '"')) => state = State::Quote(q),
                    Some('\\') => state = State::Escape(Escaped::Word),
                    Some(c) => token.push(c),
                },
            }
        }
        if token.is_empty() && !quoted {
            return Ok(words); // Python's eof token
        }
        words.push(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Vec<String> {
        split(s).expect("splits")
    }

    #[test]
    fn like_python() {
        // Expected values printed by CPython 3.11's shlex.split.
        assert_eq!(ok("profile dev"), ["profile", "dev"]);
        assert_eq!(ok("  profile   \"my name\"  "), ["profile", "my name"]);
        assert_eq!(ok("#x"), ["#x"]);
        assert_eq!(ok("a #b"), ["a", "#b"]);
        assert_eq!(ok("''"), [""]);
        assert_eq!(ok("a '' b"), ["a", "", "b"]);
        assert_eq!(ok(r#""a\$b""#), [r"a\$b"]);
        assert_eq!(ok(r#""a\"b\\c""#), [r#"a"b\c"#]);
        assert_eq!(ok(r"a\ b"), ["a b"]);
        assert_eq!(ok(r"'a\b'"), [r"a\b"]);
        assert_eq!(ok("a\rb\u{a0}c"), ["a", "b\u{a0}c"]);
        assert_eq!(ok("x'y'z"), ["xyz"]);
        assert!(ok("").is_empty());
        assert!(ok(" \t\n").is_empty());
        assert_eq!(split("'a"), Err(SplitError::NoClosingQuotation));
        assert_eq!(split("a\\"), Err(SplitError::NoEscapedCharacter));
        assert_eq!(split("\"a\\"), Err(SplitError::NoEscapedCharacter));
    }
}
