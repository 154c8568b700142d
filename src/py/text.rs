//! Python's character and line rules, as `CPython` 3.11 (Unicode 14.0) has them:
//! `str.isspace()`, `unicodedata.decimal()`, and the line breaks of `open()` with
//! universal newlines followed by `str.splitlines()`. Used by the ports of configparser
//! (`parse/ini.rs`), python-dotenv, dateutil and botocore's own checks.

/// Where `str.splitlines()` breaks a line beyond configparser's `\n` and `\r`.
#[must_use]
pub fn is_extra_line_break(c: char) -> bool {
    matches!(
        c,
        '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Python's `str.isspace()`, which is what `str.strip()` and `\s` (python-dotenv's
/// patterns) use.
#[must_use]
pub fn py_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\x1c'..='\x1f' | ' ' | '\u{85}' | '\u{a0}'
    ) || matches!(
        c,
        '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{2028}' | '\u{2029}'
    ) || matches!(c, '\u{202f}' | '\u{205f}' | '\u{3000}')
}

/// The zero of every run of Unicode decimal digits (category Nd, ten in a row), as
/// `CPython` 3.11's `unicodedata` (Unicode 14.0) lists them.
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// `unicodedata.decimal(c)`: the value of a decimal digit of any script.
#[must_use]
pub fn py_decimal(c: char) -> Option<u32> {
    let c = u32::from(c);
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= c).checked_sub(1)?;
    let v = c - DECIMAL_ZEROS[i];
    (v < 10).then_some(v)
}

/// A text file's lines as Python sees them: `open()` turns `\r\n` and `\r` into `\n`,
/// then `str.splitlines()` also breaks at \v, \f, \x1c-\x1e, \x85, U+2028 and U+2029.
#[must_use]
pub fn python_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c == '\n' || c == '\r' || is_extra_line_break(c) {
            out.push(&text[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r' && it.peek().is_some_and(|&(_, n)| n == '\n') {
                it.next();
                end += 1;
            }
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rust's `char::is_whitespace` (Unicode `White_Space`) and `\x1c`–`\x1f` are exactly
    /// `str.isspace()`: python-dotenv's `\s` and configparser's `strip()` see one set.
    #[test]
    fn isspace_is_white_space_and_the_separators() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            assert_eq!(
                py_space(c),
                c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
}
