//! The Go SDK's ini dialect: `internal/ini` of aws-sdk-go-v2 (the version Debian packages
//! with `config` 1.17.10), ported function by function. Go reads a shared file as runes
//! (`bytes.Runes`), lexes them into tokens (`ini_lexer.go` `tokenize`), runs its table
//! parser (`ini_parser.go` `parse`, `parseTable`) and walks the statements
//! (`visitor.go` `DefaultVisitor`). Facts this dialect decides, each measured against the
//! real package (tests/differential/sdk-regressions/go-ini-*.json):
//!
//! - a value is cut at ` #`/` ;` (a comment token after white space) and at a comma (the
//!   whole key is then dropped: `ASTKindExprStatement` + `TokenComma` is `SkipState`);
//! - `key =` followed by a line break starts a skipped block: every following line that
//!   begins with white space is ignored (`skipper.go`);
//! - an error in the lexer (an unterminated `"`, a number such as `-1`) makes the whole file
//!   empty, silently (`countTokens` returns 0);
//! - a parse error (`[]`, a byte-order mark before `[`, a comment right after `key =`, ...)
//!   fails the whole load with `SharedConfigLoadError`.

use std::collections::HashMap;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tt {
    None,
    Lit,
    Sep,
    Comma,
    Op,
    Ws,
    Nl,
    Comment,
}

/// `ValueType`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Vt {
    None,
    Decimal,
    Integer,
    Str,
    Quoted,
    Bool,
}

#[derive(Clone, Debug)]
struct Tok {
    t: Tt,
    vt: Vt,
    base: u32,
    raw: Vec<char>,
}

const EMPTY: Tok = Tok {
    t: Tt::None,
    vt: Vt::None,
    base: 0,
    raw: Vec::new(),
};

fn tok(t: Tt, raw: &[char], vt: Vt) -> Tok {
    Tok {
        t,
        vt,
        base: 0,
        raw: raw.to_vec(),
    }
}

/// `ws_token.go` `isWhitespace`: `unicode.IsSpace` but line breaks.
fn is_ws(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// `newline_token.go` `isNewline`: `\n` or `\r\n` (a lone `\r` is part of a literal).
fn is_newline(b: &[char]) -> bool {
    matches!(b, ['\n', ..] | ['\r', '\n', ..])
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Nf {
    None,
    Binary,
    Octal,
    Decimal,
    Hex,
    Exponent,
}

/// `number_helper.go` `numberHelper`.
struct Helper {
    format: Nf,
    negative: bool,
    negative_exponent: bool,
}

impl Helper {
    const fn new() -> Self {
        Self {
            format: Nf::None,
            negative: false,
            negative_exponent: false,
        }
    }

    const fn is_negative(&self) -> bool {
        self.negative || self.negative_exponent
    }

    /// `Determine`: an error when a format is already set or `c` names none.
    fn determine(&mut self, c: char) -> Result<(), ()> {
        if self.format != Nf::None {
            return Err(());
        }
        match c {
            'b' => self.format = Nf::Binary,
            'o' => self.format = Nf::Octal,
            'x' => self.format = Nf::Hex,
            'e' | 'E' => self.format = Nf::Exponent,
            '-' => {
                if self.format == Nf::Exponent {
                    self.negative_exponent = true;
                } else {
                    self.negative = true;
                }
            }
            '.' => self.format = Nf::Decimal,
            _ => return Err(()),
        }
        Ok(())
    }

    fn correct_byte(&self, c: char) -> bool {
        match self.format {
            Nf::Binary => matches!(c, '0' | '1'),
            Nf::Octal => matches!(c, '0'..='7'),
            Nf::Hex => c.is_ascii_hexdigit(),
            _ => is_digit(c),
        }
    }

    const fn base(&self) -> u32 {
        match self.format {
            Nf::Binary => 2,
            Nf::Octal => 8,
            Nf::Hex => 16,
            _ => 10,
        }
    }
}

/// `literal_tokens.go` `isNumberValue`.
fn is_number_value(b: &[char]) -> bool {
    let mut negative_index = 0;
    let mut helper = Helper::new();
    let mut need_digit = false;
    for i in 0..b.len() {
        negative_index += 1;
        match b[i] {
            '-' => {
                if helper.is_negative() || negative_index != 1 {
                    return false;
                }
                let _ = helper.determine('-');
                need_digit = true;
                continue;
            }
            'e' | 'E' => {
                if helper.determine(b[i]).is_err() {
                    return false;
                }
                negative_index = 0;
                need_digit = true;
                continue;
            }
            'b' if helper.format == Nf::Hex => {}
            'b' | 'o' | 'x' | '.' => {
                if b[i] != '.' && i == 0 {
                    return false;
                }
                if helper.determine(b[i]).is_err() {
                    return false;
                }
                need_digit = true;
                continue;
            }
            _ => {}
        }
        if i > 0 && (is_newline(&b[i..]) || is_ws(b[i])) {
            return !need_digit;
        }
        if !helper.correct_byte(b[i]) {
            return false;
        }
        need_digit = false;
    }
    !need_digit
}

/// `value_util.go` `getNumericalValue`: (base, length).
fn numerical_value(b: &[char]) -> Result<(u32, usize), ()> {
    if !is_digit(b[0]) {
        return Err(());
    }
    let mut i = 0;
    let mut helper = Helper::new();
    let mut negative_index = 0;
    while i < b.len() {
        negative_index += 1;
        let c = b[i];
        if !is_digit(c) {
            match c {
                '-' => {
                    if helper.is_negative() || negative_index != 1 {
                        return Err(());
                    }
                    let n = negative_number(&b[i..]);
                    i += n - 1;
                    let _ = helper.determine(b[i]);
                    i += 1;
                    continue;
                }
                '.' => helper.determine(c)?,
                'e' | 'E' => {
                    helper.determine(c)?;
                    negative_index = 0;
                }
                'b' if helper.format == Nf::Hex => {}
                'b' | 'o' | 'x' => {
                    if i != 1 {
                        return Err(());
                    }
                    helper.determine(c)?;
                }
                _ => {
                    if is_ws(c) || is_newline(&b[i..]) {
                        break;
                    }
                    if !(helper.format == Nf::Hex && c.is_ascii_hexdigit()) {
                        return Err(());
                    }
                }
            }
        }
        i += 1;
    }
    Ok((helper.base(), i))
}

/// `getNegativeNumber`.
fn negative_number(b: &[char]) -> usize {
    if b[0] != '-' {
        return 0;
    }
    let mut i = 1;
    while i < b.len() && is_digit(b[i]) {
        i += 1;
    }
    i
}

/// `isEscaped`.
fn is_escaped(before: &[char], c: char) -> bool {
    if before.is_empty() || !matches!(c, '\'' | '"' | 'n' | 't' | '\\') {
        return false;
    }
    before[before.len() - 1] == '\\'
}

/// `getStringValue`: the length of a quoted string with its quotes.
fn string_value(b: &[char]) -> Result<usize, ()> {
    let mut i = 1;
    while i < b.len() {
        if b[i] == '"' && !is_escaped(&b[..i], b[i]) {
            return Ok(i + 1);
        }
        i += 1;
    }
    Err(())
}

/// `unicode.ToLower` for one rune (a rune whose lower case is several stays as it is).
fn go_lower(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// `isCaselessLitValue` for `true`/`false` at the start of `b`.
fn bool_prefix(b: &[char]) -> Option<usize> {
    let mut n = None;
    for lit in ["true", "false"] {
        let want: Vec<char> = lit.chars().collect();
        if b.len() >= want.len() && want.iter().zip(b).all(|(w, h)| *w == go_lower(*h)) {
            n = Some(want.len());
        }
    }
    n
}

/// `getValue`: a plain literal ends at a line break, `=`, `:`, `[`, `]` or a space (a tab,
/// `#`, `;` and `,` inside it are kept).
fn plain_value(b: &[char]) -> usize {
    let mut i = 0;
    while i < b.len() {
        if is_newline(&b[i..]) || matches!(b[i], '=' | ':' | '[' | ']' | ' ' | '\n') {
            break;
        }
        i += 1;
    }
    i
}

/// `newLitToken`.
fn lit_token(b: &[char]) -> Result<(Tok, usize), ()> {
    if b[0] == '"' {
        let n = string_value(b)?;
        return Ok((tok(Tt::Lit, &b[..n], Vt::Quoted), n));
    }
    if is_number_value(b) {
        let (base, n) = numerical_value(b)?;
        let value = &b[..n];
        let vt = if value.iter().any(|c| matches!(c, '.' | 'e' | 'E')) {
            Vt::Decimal
        } else {
            Vt::Integer
        };
        let mut t = tok(Tt::Lit, value, vt);
        t.base = base;
        return Ok((t, n));
    }
    if let Some(n) = bool_prefix(b) {
        return Ok((tok(Tt::Lit, &b[..n], Vt::Bool), n));
    }
    let n = plain_value(b);
    Ok((tok(Tt::Lit, &b[..n], Vt::Str), n))
}

/// `iniLexer.tokenize`; any error gives no tokens at all (`countTokens` returns 0).
fn tokenize(b: &[char]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = b;
    while !rest.is_empty() {
        let c = rest[0];
        let (t, n) = if is_ws(c) {
            let n = rest.iter().take_while(|c| is_ws(**c)).count();
            (tok(Tt::Ws, &rest[..n], Vt::None), n)
        } else if c == ',' {
            (tok(Tt::Comma, &rest[..1], Vt::None), 1)
        } else if c == ';' || c == '#' {
            // newCommentToken: up to `\n`, or `\r\n` with more than two runes left
            let mut i = 0;
            while i < rest.len() {
                if rest[i] == '\n' || (rest.len() - i > 2 && rest[i] == '\r' && rest[i + 1] == '\n')
                {
                    break;
                }
                i += 1;
            }
            (tok(Tt::Comment, &rest[..i], Vt::None), i)
        } else if is_newline(rest) {
            let n = if c == '\r' { 2 } else { 1 };
            (tok(Tt::Nl, &rest[..n], Vt::None), n)
        } else if c == '[' || c == ']' {
            (tok(Tt::Sep, &rest[..1], Vt::None), 1)
        } else if c == '=' || c == ':' {
            (tok(Tt::Op, &rest[..1], Vt::None), 1)
        } else {
            match lit_token(rest) {
                Ok(x) => x,
                Err(()) => return Vec::new(),
            }
        };
        out.push(t);
        rest = &rest[n..];
    }
    out
}

// ----------------------------------------------------------------------------- parser

#[derive(Clone, Debug)]
enum Node {
    Start,
    Comment,
    Expr(Vec<char>),
    EqualExpr(Vec<char>),
    ExprStmt {
        key: Vec<char>,
        rhs: Tok,
    },
    Stmt,
    Section(Vec<char>),
    /// `ASTKindCompletedSectionStatement`; `None` when its child is a bare statement (`[]`).
    Completed(Option<Vec<char>>),
    Skip,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum St {
    Invalid,
    Statement,
    StatementPrime,
    Value,
    OpenScope,
    Section,
    CloseScope,
    Skip,
    SkipToken,
    Comment,
    MarkComplete,
    Terminal,
}

/// `parseTable`; a missing entry is `InvalidState`.
fn step(n: &Node, t: Tt) -> St {
    use St::{
        CloseScope, Comment, Invalid, MarkComplete, OpenScope, Section, Skip, SkipToken, Statement,
        StatementPrime, Terminal, Value,
    };
    match (n, t) {
        (Node::Start | Node::Comment | Node::Skip | Node::Completed(_), Tt::Lit) => Statement,
        (
            Node::Start | Node::Comment | Node::Skip | Node::Completed(_) | Node::Expr(_),
            Tt::Sep,
        ) => OpenScope,
        (
            Node::Start | Node::Comment | Node::Skip | Node::Completed(_) | Node::Stmt,
            Tt::Ws | Tt::Nl,
        )
        | (Node::EqualExpr(_), Tt::Ws)
        | (Node::Section(_), Tt::Nl) => SkipToken,
        (
            Node::Start
            | Node::Comment
            | Node::Skip
            | Node::Completed(_)
            | Node::Expr(_)
            | Node::Stmt
            | Node::ExprStmt { .. },
            Tt::Comment,
        ) => Comment,
        (Node::Start | Node::Skip | Node::ExprStmt { .. }, Tt::None) => Terminal,
        (Node::Comment | Node::Expr(_) | Node::Stmt | Node::Completed(_), Tt::None)
        | (Node::ExprStmt { .. }, Tt::Nl) => MarkComplete,
        (Node::Expr(_), Tt::Op) => StatementPrime,
        (Node::Expr(_), Tt::Lit | Tt::Ws)
        | (Node::EqualExpr(_), Tt::Lit | Tt::Sep | Tt::Op)
        | (Node::ExprStmt { .. }, Tt::Lit | Tt::Sep | Tt::Op | Tt::Ws) => Value,
        (Node::Expr(_) | Node::EqualExpr(_), Tt::Nl) | (Node::ExprStmt { .. }, Tt::Comma) => Skip,
        (Node::Stmt, Tt::Lit) | (Node::Section(_), Tt::Lit | Tt::Op | Tt::Ws) => Section,
        (Node::Stmt | Node::Section(_), Tt::Sep) => CloseScope,
        _ => Invalid,
    }
}

/// `trimSpaces`: white space (not line breaks) off both ends.
fn trim_ws(raw: &[char]) -> Vec<char> {
    let start = raw.iter().position(|c| !is_ws(*c)).unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|c| !is_ws(*c))
        .map_or(start, |e| e + 1);
    raw[start..end.max(start)].to_vec()
}

/// `parse`: the completed statements, or the parse error's message.
fn parse(tokens: &[Tok]) -> Result<Vec<Node>, String> {
    let mut stack = vec![Node::Start];
    let mut done = Vec::new();
    // skipper.go
    let (mut should_skip, mut prev) = (false, Tt::None);
    let mut i = 0;
    while let Some(k) = stack.pop() {
        let tok = tokens.get(i).cloned().unwrap_or(EMPTY);
        let mut st = step(&k, tok.t);
        let skipping = if should_skip && prev == Tt::Nl && tok.t != Tt::Ws {
            should_skip = false;
            prev = Tt::None;
            false
        } else {
            prev = tok.t;
            should_skip
        };
        if skipping {
            if i >= tokens.len() {
                break;
            }
            st = St::SkipToken;
        }
        let start = matches!(k, Node::Start);
        match st {
            St::Terminal => {
                if !start {
                    done.push(k);
                }
                break;
            }
            St::SkipToken => stack.push(k),
            St::Statement => {
                if !start {
                    done.push(k);
                }
                stack.push(Node::Expr(tok.raw));
            }
            St::StatementPrime => match k {
                Node::Expr(raw) => stack.push(Node::EqualExpr(trim_ws(&raw))),
                _ => return Err("invalid expression: expected Expr type".into()),
            },
            St::Value => match k {
                Node::EqualExpr(key) => stack.push(Node::ExprStmt { key, rhs: tok }),
                Node::Expr(mut raw) => {
                    raw.extend(tok.raw);
                    stack.push(Node::Expr(raw));
                }
                Node::ExprStmt { key, mut rhs } => {
                    if rhs.vt != Vt::Quoted {
                        rhs.vt = Vt::Str;
                        rhs.raw.extend(tok.raw);
                    }
                    stack.push(Node::ExprStmt { key, rhs });
                }
                _ => {}
            },
            St::OpenScope => {
                if tok.raw != ['['] {
                    return Err("expected '['".into());
                }
                if !start {
                    done.push(k);
                }
                stack.push(Node::Stmt);
            }
            St::CloseScope => {
                if tok.raw != [']'] {
                    return Err("expected ']'".into());
                }
                stack.push(Node::Completed(match k {
                    Node::Section(raw) => Some(trim_ws(&raw)),
                    _ => None,
                }));
            }
            St::Section => match k {
                Node::Stmt => stack.push(Node::Section(tok.raw)),
                Node::Section(mut raw) => {
                    raw.extend(tok.raw);
                    stack.push(Node::Section(raw));
                }
                _ => return Err("invalid statement: expected statement".into()),
            },
            St::MarkComplete => {
                if !start {
                    done.push(k);
                }
                if stack.is_empty() {
                    stack.push(Node::Start);
                }
            }
            St::Skip => {
                stack.push(Node::Skip);
                should_skip = true;
            }
            St::Comment => {
                if start {
                    stack.push(k);
                } else {
                    done.push(k);
                }
                stack.push(Node::Comment);
            }
            St::Invalid => {
                return Err(format!("invalid state with token {:?}", tok.t));
            }
        }
        if i < tokens.len() {
            i += 1;
        }
    }
    if stack.len() > 1 {
        return Err("incomplete ini expression".into());
    }
    Ok(done)
}

// ----------------------------------------------------------------------------- values

/// A value as `ini.Value` keeps it: its type and its raw runes.
#[derive(Clone, Debug)]
pub struct Value {
    vt: Vt,
    raw: Vec<char>,
    integer: i64,
}

impl Value {
    /// `NewStringValue`.
    #[must_use]
    pub fn string(s: &str) -> Self {
        Self {
            vt: Vt::Str,
            raw: s.chars().collect(),
            integer: 0,
        }
    }

    /// `NewIntValue`.
    #[must_use]
    pub fn int(i: i64) -> Self {
        Self {
            vt: Vt::Integer,
            raw: i.to_string().chars().collect(),
            integer: i,
        }
    }

    /// `newValue`: an integer out of range becomes a string; any other failure of
    /// `strconv` is an error.
    fn new(vt: Vt, base: u32, raw: Vec<char>) -> Result<Self, String> {
        let mut v = Self {
            vt,
            raw,
            integer: 0,
        };
        match vt {
            Vt::Integer => {
                let digits: String = if base == 10 {
                    v.raw.iter().collect()
                } else {
                    v.raw.iter().skip(2).collect()
                };
                match i64::from_str_radix(&digits, base) {
                    Ok(i) => v.integer = i,
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::num::IntErrorKind::PosOverflow
                                | std::num::IntErrorKind::NegOverflow
                        ) =>
                    {
                        v.vt = Vt::Str;
                    }
                    Err(_) => return Err(format!("strconv.ParseInt: parsing {digits:?}")),
                }
            }
            Vt::Decimal => {
                let s: String = v.raw.iter().collect();
                if s.parse::<f64>().is_err() {
                    return Err(format!("strconv.ParseFloat: parsing {s:?}"));
                }
            }
            _ => {}
        }
        Ok(v)
    }

    /// `Value.StringValue`: a quoted string without its quotes and escapes, anything else
    /// with spaces and line feeds (only those) trimmed off both ends.
    #[must_use]
    pub fn text(&self) -> String {
        if self.vt == Vt::Quoted {
            let inner = &self.raw[1..self.raw.len().saturating_sub(1).max(1)];
            return remove_escapes(inner.to_vec()).into_iter().collect();
        }
        let s: String = self.raw.iter().collect();
        s.trim_matches([' ', '\n']).to_owned()
    }

    /// `Value.IntValue`: 0 unless the value is an integer.
    #[must_use]
    pub const fn int_value(&self) -> i64 {
        if matches!(self.vt, Vt::Integer) {
            self.integer
        } else {
            0
        }
    }

    #[must_use]
    pub fn is_integer(&self) -> bool {
        self.vt == Vt::Integer
    }
}

/// `removeEscapedCharacters`.
fn remove_escapes(mut b: Vec<char>) -> Vec<char> {
    let mut i = 0;
    while i < b.len() {
        if is_escaped(&b[..i], b[i]) {
            b[i - 1] = match b[i] {
                'n' => '\n',
                't' => '\t',
                c => c,
            };
            b.remove(i);
            continue;
        }
        i += 1;
    }
    b
}

/// `ini.Section`.
#[derive(Clone, Debug, Default)]
pub struct Section {
    pub name: String,
    pub values: HashMap<String, Value>,
    pub errors: Vec<String>,
}

impl Section {
    #[must_use]
    pub fn has(&self, k: &str) -> bool {
        self.values.contains_key(k)
    }

    /// `Section.String`: "" when absent.
    #[must_use]
    pub fn string(&self, k: &str) -> String {
        self.values.get(k).map(Value::text).unwrap_or_default()
    }
}

/// `ini.Sections`: by name, as the file spells it after `VisitStatement`'s clean-up.
pub type Sections = HashMap<String, Section>;

/// `ini.Parse`: the sections of one file, or the parse error.
///
/// # Errors
/// The message of the `ini.ParseError` (or `strconv` error) Go returns.
pub fn parse_file(bytes: &[u8]) -> Result<Sections, String> {
    let runes: Vec<char> = String::from_utf8_lossy(bytes).chars().collect();
    let tree = parse(&tokenize(&runes))?;
    let mut sections = Sections::new();
    let mut scope = String::new();
    for node in tree {
        match node {
            Node::Expr(_) => return Err("unsupported expression".into()),
            Node::Stmt | Node::Completed(None) => return Err("unsupported statement".into()),
            Node::Completed(Some(raw)) => {
                // VisitStatement
                let mut name = raw.iter().collect::<String>().trim().to_owned();
                if let Some(rest) = name.strip_prefix("profile ") {
                    name = format!("profile {}", rest.trim_start_matches(' '));
                }
                sections.entry(name.clone()).or_insert_with(|| Section {
                    name: name.clone(),
                    ..Section::default()
                });
                scope = name;
            }
            Node::ExprStmt { key, rhs } => {
                // VisitExpr
                let value = Value::new(rhs.vt, rhs.base, rhs.raw)?;
                let k = key.iter().collect::<String>().to_lowercase();
                sections
                    .entry(scope.clone())
                    .or_default()
                    .values
                    .insert(k, value);
            }
            _ => {}
        }
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, section: &str, key: &str) -> Option<String> {
        let sections = parse_file(text.as_bytes()).expect("parses");
        sections.get(section)?.values.get(key).map(Value::text)
    }

    #[test]
    fn comment_after_white_space_ends_a_value_a_tab_does_not() {
        assert_eq!(value("[a]\nk = v # c\n", "a", "k").as_deref(), Some("v"));
        assert_eq!(
            value("[a]\nk = v\t# c\n", "a", "k").as_deref(),
            Some("v\t# c")
        );
        assert_eq!(value("[a]\nk = v;c\n", "a", "k").as_deref(), Some("v;c"));
    }

    #[test]
    fn a_comma_token_drops_the_key_a_comma_inside_a_literal_does_not() {
        assert_eq!(value("[a]\nk = v ,w\nj = 1\n", "a", "k"), None);
        assert_eq!(
            value("[a]\nk = v ,w\nj = 1\n", "a", "j").as_deref(),
            Some("1")
        );
        assert_eq!(value("[a]\nk = v,w\n", "a", "k").as_deref(), Some("v,w"));
    }

    #[test]
    fn an_empty_value_skips_the_indented_lines_below() {
        let text = "[a]\nk =\n  x = 1\n  y\nj = 2\n";
        assert_eq!(value(text, "a", "k"), None);
        assert_eq!(value(text, "a", "x"), None);
        assert_eq!(value(text, "a", "j").as_deref(), Some("2"));
    }

    #[test]
    fn lexer_errors_empty_the_file() {
        for text in ["[a]\nk = v\nq = \"open\n", "[a]\nk = v\nn = -1\n"] {
            assert!(
                parse_file(text.as_bytes()).expect("no error").is_empty(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn parse_errors_fail_the_file() {
        for text in [
            "[]\n",
            "\u{feff}[a]\nk = v\n",
            "[a]\nk = # c\n",
            "[a]\nk =",
            "[a] junk [b]\n",
            "[a # c]\n",
        ] {
            assert!(parse_file(text.as_bytes()).is_err(), "{text:?}");
        }
    }

    #[test]
    fn quoted_values_lose_quotes_and_escapes_plain_ones_keep_tabs() {
        assert_eq!(
            value("[a]\nk = \"x\\\"y\"\n", "a", "k").as_deref(),
            Some("x\"y")
        );
        assert_eq!(value("[a]\nk = v \t\n", "a", "k").as_deref(), Some("v \t"));
        assert_eq!(value("[a]\nK : v\n", "a", "k").as_deref(), Some("v"));
    }

    #[test]
    fn section_names_are_trimmed_and_the_profile_prefix_is_tidied() {
        let sections = parse_file(b"[  profile   x ]\nk = v\n[a]\n[a]\nj = 1\n").expect("parses");
        assert!(sections.contains_key("profile x"));
        assert_eq!(sections["a"].values.len(), 1);
    }

    #[test]
    fn numbers_are_typed_and_out_of_range_integers_become_strings() {
        let sections =
            parse_file(b"[a]\nd = 3600\nh = 0x1F\nbig = 99999999999999999999\n").expect("parses");
        assert_eq!(sections["a"].values["d"].int_value(), 3600);
        assert_eq!(sections["a"].values["h"].int_value(), 31);
        assert!(!sections["a"].values["big"].is_integer());
    }
}
