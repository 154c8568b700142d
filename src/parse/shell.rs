//! Shell scripts and rc files: the variable assignments a POSIX shell would make
//! (`KEY=…`, `export KEY=…`, `declare -x KEY=…`, `readonly`, `local`). Values built from
//! `$(…)`, backticks or `$VAR` are marked derived; heredoc bodies are skipped.

pub use super::env::StsCommand;
use super::env::{EnvAssignment, EnvFile, EnvParseError, ValueOrigin};
use crate::source::Span;

const DECLARERS: [&str; 5] = ["export", "declare", "typeset", "readonly", "local"];
const KEYWORDS: [&str; 8] = ["then", "do", "else", "{", "(", "!", "time", "elif"];

/// A shell word with its span and decoded literal value.
struct Word {
    span: Span,
    /// The word with quotes removed and escapes decoded, when it is literal.
    text: String,
    derived: bool,
    /// The span of the part after `=` inside quotes, for assignment words.
    inner: Option<Span>,
}

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    errors: Vec<EnvParseError>,
    heredocs: Vec<String>,
}

#[must_use]
pub fn parse(text: &str) -> EnvFile {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lx = Lexer {
        src: text,
        b: text.as_bytes(),
        pos: start,
        errors: Vec::new(),
        heredocs: Vec::new(),
    };
    let mut out = EnvFile::default();
    let mut loops = 0usize;
    while lx.pos < lx.b.len() {
        let words = lx.statement();
        let head = words
            .iter()
            .find(|w| w.derived || !KEYWORDS.contains(&w.text.as_str()))
            .map_or("", |w| w.text.as_str());
        match head {
            "for" | "while" | "until" => loops += 1,
            "done" => loops = loops.saturating_sub(1),
            _ => {}
        }
        if let (Some(first), Some(last)) = (words.first(), words.last()) {
            sts_commands(
                text,
                Span::new(first.span.start, last.span.end),
                loops > 0,
                &mut out.sts,
            );
        }
        assignments_of(text, &words, &mut out.assignments);
    }
    out.errors = lx.errors;
    out
}

/// The `aws … sts <operation>` commands in one statement's text.
fn sts_commands(text: &str, stmt: Span, in_loop: bool, out: &mut Vec<StsCommand>) {
    use std::sync::LazyLock;
    // `aws`, global options (`--profile x`, `--region=y`), `sts`, the operation; line
    // continuations count as blanks.
    static COMMAND: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r#"(?:^|[\s;&|(`$"'])aws(?:\s|\\\r?\n)+(?:--?[A-Za-z][\w-]*(?:=\S+|(?:\s|\\\r?\n)+[^\s-]\S*)?(?:\s|\\\r?\n)+){0,6}sts(?:\s|\\\r?\n)+(assume-role-with-web-identity|assume-role-with-saml|assume-role|get-session-token)\b"#,
        )
        .expect("static pattern")
    });
    static ROLE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r#"--role-arn(?:=|(?:\s|\\\r?\n)+)("[^"]*"|'[^']*'|[^\s;|&)`]+)"#)
            .expect("static pattern")
    });
    let Some(body) = text.get(stmt.start..stmt.end) else {
        return;
    };
    if !body.contains("sts") {
        return;
    }
    let starts: Vec<(usize, usize, String)> = COMMAND
        .captures_iter(body)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let op = c.get(1)?;
            let at = whole.start() + whole.as_str().find("aws")?;
            Some((at, op.end(), op.as_str().to_owned()))
        })
        .collect();
    for (i, (at, end, operation)) in starts.iter().enumerate() {
        // This command's arguments: up to the next command of the statement.
        let upto = starts.get(i + 1).map_or(body.len(), |n| n.0);
        let args = &body[*end..upto];
        let role = ROLE
            .captures(args)
            .and_then(|c| c.get(1))
            // Quotes are the shell's, wherever they are (`arn:"${P}":iam::…`).
            .map(|m| m.as_str().replace(['"', '\''], ""));
        out.push(StsCommand {
            span: Span::new(stmt.start + at, stmt.start + end),
            operation: operation.clone(),
            role,
            in_loop,
            mfa: args.contains("--serial-number"),
        });
    }
}

fn assignments_of(text: &str, words: &[Word], out: &mut Vec<EnvAssignment>) {
    let mut i = 0;
    while i < words.len() && KEYWORDS.contains(&words[i].text.as_str()) && !words[i].derived {
        i += 1;
    }
    let mut exported = false;
    let mut declared = false;
    if i < words.len() && DECLARERS.contains(&words[i].text.as_str()) {
        exported = words[i].text == "export";
        declared = true;
        i += 1;
        // Options such as `declare -x`.
        while i < words.len() && words[i].text.starts_with('-') {
            exported |= words[i].text.contains('x');
            i += 1;
        }
    }
    let first_assignment = out.len();
    let mut j = i;
    while j < words.len() {
        let w = &words[j];
        let raw = &text[w.span.start..w.span.end];
        let name_len = raw
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let is_name = name_len > 0 && !raw.as_bytes()[0].is_ascii_digit();
        if is_name && raw.as_bytes().get(name_len) == Some(&b'=') {
            let key_span = Span::new(w.span.start, w.span.start + name_len);
            let value_text = w.text.get(name_len + 1..).unwrap_or("").to_owned();
            let value_span = w.inner.unwrap_or(Span::new(key_span.end + 1, w.span.end));
            out.push(EnvAssignment {
                key: raw[..name_len].to_owned(),
                key_span,
                value: Some(value_text),
                value_span,
                origin: if w.derived {
                    ValueOrigin::Derived
                } else {
                    ValueOrigin::Literal
                },
                exported,
                command_prefix: false,
            });
        } else if declared && is_name && name_len == raw.len() {
            // `export KEY`: marks an existing variable for export.
            out.push(EnvAssignment {
                key: raw.to_owned(),
                key_span: w.span,
                value: None,
                value_span: Span::new(w.span.end, w.span.end),
                origin: ValueOrigin::Literal,
                exported,
                command_prefix: false,
            });
        } else if declared {
            // `export` arguments that are not names are ignored by the shell with an error.
        } else {
            // A command follows: the assignments before it apply to that command only.
            for a in &mut out[first_assignment..] {
                a.command_prefix = true;
            }
            return;
        }
        j += 1;
    }
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// Read the words of one simple command, up to a separator.
    fn statement(&mut self) -> Vec<Word> {
        let mut words = Vec::new();
        loop {
            while matches!(self.peek(), Some(b' ' | b'\t')) {
                self.pos += 1;
            }
            if self.peek() == Some(b'\\') && matches!(self.b.get(self.pos + 1), Some(b'\n')) {
                self.pos += 2;
                continue;
            }
            match self.peek() {
                None => return words,
                Some(b'#') => {
                    while !matches!(self.peek(), None | Some(b'\n')) {
                        self.pos += 1;
                    }
                }
                Some(b'\n') => {
                    self.pos += 1;
                    self.skip_heredocs();
                    return words;
                }
                Some(b';' | b'&' | b'|' | b'(' | b')' | b'\r') => {
                    self.pos += 1;
                    if !words.is_empty() {
                        return words;
                    }
                }
                Some(b'<') if self.b.get(self.pos + 1) == Some(&b'<') => {
                    self.heredoc_start();
                }
                Some(_) => words.push(self.word()),
            }
        }
    }

    fn heredoc_start(&mut self) {
        self.pos += 2;
        if self.peek() == Some(b'<') {
            self.pos += 1; // here-string `<<<`
            return;
        }
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        let w = self.word();
        if !w.text.is_empty() {
            self.heredocs.push(w.text);
        }
    }

    fn skip_heredocs(&mut self) {
        for delim in std::mem::take(&mut self.heredocs) {
            loop {
                if self.pos >= self.b.len() {
                    return;
                }
                let end = memchr::memchr(b'\n', &self.b[self.pos..])
                    .map_or(self.b.len(), |i| self.pos + i);
                let line = self.src[self.pos..end].trim_end_matches('\r');
                self.pos = (end + 1).min(self.b.len());
                if line.trim_start_matches('\t') == delim {
                    break;
                }
            }
        }
    }

    /// One word: unquoted text, quotes, escapes and expansions up to a blank or operator.
    fn word(&mut self) -> Word {
        let start = self.pos;
        let mut text = String::new();
        let mut derived = false;
        let mut inner: Option<Span> = None;
        let mut seen_eq = false;
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'<' | b'>' | b')' => break,
                b'(' if !seen_eq => break,
                b'\'' => {
                    let q = self.pos;
                    self.pos += 1;
                    let end = memchr::memchr(b'\'', &self.b[self.pos..]).map(|i| self.pos + i);
                    let Some(end) = end else {
                        self.unterminated(q, "unterminated single quote");
                        break;
                    };
                    text.push_str(&self.src[self.pos..end]);
                    if seen_eq && inner.is_none() {
                        inner = Some(Span::new(self.pos, end));
                    }
                    self.pos = end + 1;
                }
                b'"' => {
                    let q = self.pos;
                    self.pos += 1;
                    let body = self.pos;
                    loop {
                        match self.peek() {
                            None => {
                                self.unterminated(q, "unterminated double quote");
                                break;
                            }
                            Some(b'"') => break,
                            Some(b'\\') => {
                                let next = self.b.get(self.pos + 1).copied();
                                if matches!(next, Some(b'"' | b'\\' | b'$' | b'`')) {
                                    text.push(next.map_or('\\', char::from));
                                    self.pos += 2;
                                } else if next == Some(b'\n') {
                                    self.pos += 2;
                                } else {
                                    text.push('\\');
                                    self.pos += 1;
                                }
                            }
                            Some(b'$' | b'`') => {
                                derived = true;
                                self.expansion(&mut text);
                            }
                            Some(_) => self.push_char(&mut text),
                        }
                    }
                    if seen_eq && inner.is_none() {
                        inner = Some(Span::new(body, self.pos));
                    }
                    if self.peek() == Some(b'"') {
                        self.pos += 1;
                    }
                }
                b'\\' => {
                    self.pos += 1;
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    } else if self.peek().is_some() {
                        self.push_char(&mut text);
                    }
                }
                b'$' | b'`' => {
                    derived = true;
                    self.expansion(&mut text);
                }
                b'=' => {
                    seen_eq = true;
                    text.push('=');
                    self.pos += 1;
                }
                _ => self.push_char(&mut text),
            }
        }
        if self.pos == start {
            // An operator character the caller did not consume: step over it.
            self.pos += 1;
        }
        Word {
            span: Span::new(start, self.pos),
            text,
            derived,
            inner,
        }
    }

    fn push_char(&mut self, text: &mut String) {
        let ch = self.src[self.pos..].chars().next().unwrap_or('\u{fffd}');
        text.push(ch);
        self.pos += ch.len_utf8().max(1);
    }

    /// Skip over `$(…)`, `${…}`, `$NAME`, `$((…))` or a backtick command, keeping its text.
    fn expansion(&mut self, text: &mut String) {
        let start = self.pos;
        if self.peek() == Some(b'`') {
            self.skip_backticks();
        } else {
            self.pos += 1;
            match self.peek() {
                Some(open @ (b'(' | b'{')) => {
                    self.pos += 1;
                    self.skip_group(open, 0);
                }
                _ => {
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                    {
                        self.pos += 1;
                    }
                }
            }
        }
        text.push_str(&self.src[start..self.pos.min(self.b.len())]);
    }

    /// Skip a backtick command from its opening backtick to past its closing one.
    fn skip_backticks(&mut self) {
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'\\' {
                self.pos = (self.pos + 1).min(self.b.len());
            } else if c == b'`' {
                return;
            }
        }
    }

    /// Skip the body of `$(…)` or `${…}` after its opening bracket, up to and including
    /// the bracket that closes it. Quotes, escapes and nested expansions inside are
    /// honoured as bash does, so `"$(printf "%s)" x)"` is one word. Nesting deeper than
    /// `MAX_NESTING` is read flat rather than recursed into.
    fn skip_group(&mut self, open: u8, nesting: usize) {
        const MAX_NESTING: usize = 64;
        let close = if open == b'(' { b')' } else { b'}' };
        let mut depth = 1usize;
        while let Some(c) = self.peek() {
            match c {
                b'\\' => self.pos = (self.pos + 2).min(self.b.len()),
                b'\'' if open == b'(' => {
                    self.pos += 1;
                    self.pos = memchr::memchr(b'\'', &self.b[self.pos..])
                        .map_or(self.b.len(), |i| self.pos + i + 1);
                }
                b'"' if nesting < MAX_NESTING => {
                    self.pos += 1;
                    self.skip_double_quoted(nesting + 1);
                }
                b'`' => self.skip_backticks(),
                b'$' if nesting < MAX_NESTING
                    && matches!(self.b.get(self.pos + 1), Some(b'(' | b'{')) =>
                {
                    let inner = self.b[self.pos + 1];
                    self.pos += 2;
                    self.skip_group(inner, nesting + 1);
                }
                _ => {
                    self.pos += 1;
                    if c == open {
                        depth += 1;
                    } else if c == close {
                        depth -= 1;
                        if depth == 0 {
                            return;
                        }
                    }
                }
            }
        }
    }

    /// Skip a double-quoted string inside an expansion, after its opening quote.
    fn skip_double_quoted(&mut self, nesting: usize) {
        while let Some(c) = self.peek() {
            match c {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' => self.pos = (self.pos + 2).min(self.b.len()),
                b'`' => self.skip_backticks(),
                b'$' if matches!(self.b.get(self.pos + 1), Some(b'(' | b'{')) => {
                    let inner = self.b[self.pos + 1];
                    self.pos += 2;
                    self.skip_group(inner, nesting);
                }
                _ => self.pos += 1,
            }
        }
    }

    fn unterminated(&mut self, at: usize, message: &str) {
        self.errors.push(EnvParseError {
            span: Span::new(at, self.b.len()),
            message: message.into(),
        });
        self.pos = self.b.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(text: &str) -> Vec<(String, Option<String>, ValueOrigin, bool)> {
        parse(text)
            .assignments
            .into_iter()
            .map(|a| (a.key, a.value, a.origin, a.command_prefix))
            .collect()
    }

    #[test]
    fn assignments_and_exports() {
        let got =
            kv("#!/bin/sh\nexport A=1 B='two'\nC=\"x $HOME\"\nD=$(cat f)\nif x; then E=5; fi\n");
        assert_eq!(
            got[0],
            ("A".into(), Some("1".into()), ValueOrigin::Literal, false)
        );
        assert_eq!(
            got[1],
            ("B".into(), Some("two".into()), ValueOrigin::Literal, false)
        );
        assert_eq!(got[2].2, ValueOrigin::Derived);
        assert_eq!(got[3].2, ValueOrigin::Derived);
        assert_eq!(got[4].0, "E");
    }

    #[test]
    fn command_prefix_and_heredoc() {
        let got = kv("K=v aws s3 ls\ncat <<EOF > f\nX=1\nEOF\nY=2\n");
        assert_eq!(got.len(), 2);
        assert!(got[0].3);
        assert_eq!(got[1].0, "Y");
    }

    #[test]
    fn sts_commands_with_role_and_loop() {
        let text = "R=$(aws --profile base sts assume-role \\\n  --role-arn \"$ROLE_ARN\" --role-session-name x)\nfor a in $L; do\n  aws sts assume-role --role-arn arn:\"$P\":iam::\"$a\":role/r --role-session-name y\ndone\naws sts get-caller-identity\naws sts get-session-token --serial-number m --token-code 1\n";
        let f = parse(text);
        let got: Vec<(&str, Option<&str>, bool, bool)> = f
            .sts
            .iter()
            .map(|c| (c.operation.as_str(), c.role.as_deref(), c.in_loop, c.mfa))
            .collect();
        assert_eq!(
            got,
            vec![
                ("assume-role", Some("$ROLE_ARN"), false, false),
                ("assume-role", Some("arn:$P:iam::$a:role/r"), true, false),
                ("get-session-token", None, false, true),
            ]
        );
        assert_eq!(
            &text[f.sts[0].span.start..f.sts[0].span.end],
            "aws --profile base sts assume-role"
        );
    }

    #[test]
    fn value_span_is_inside_quotes() {
        let text = "export K=\"abc\"\n";
        let f = parse(text);
        let a = &f.assignments[0];
        assert_eq!(&text[a.value_span.start..a.value_span.end], "abc");
        assert_eq!(&text[a.key_span.start..a.key_span.end], "K");
    }

    #[test]
    fn unterminated_expansion_is_not_a_panic() {
        for text in ["X=\"$(echo \"", "X=$(", "X=\"${", "X=`", &"$(".repeat(500)] {
            let _ = parse(text);
        }
    }
}
