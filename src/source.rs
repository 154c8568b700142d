//! One scanned file's decoded text, its byte spans and their line/column positions.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// A half-open byte range `[start, end)` into a [`SourceFile`]'s text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    #[must_use]
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// Shift a span found in a slice that starts at `offset` of the whole text.
    #[must_use]
    pub const fn offset(self, offset: usize) -> Self {
        Self::new(self.start + offset, self.end + offset)
    }
}

/// A 1-based line and 1-based column counted in Unicode scalar values
/// (SARIF's `unicodeCodePoints` column kind).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// How the bytes on disk became the text credlint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    /// UTF-8 with a byte order mark. The BOM stays in the text, because botocore's
    /// configparser sees it too (and refuses the file).
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8: invalid sequences were replaced with U+FFFD.
    Lossy,
}

/// A decoded file with a line index for position lookups.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the scan root, with forward slashes.
    pub path: String,
    pub text: String,
    pub encoding: Encoding,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Decode raw bytes. UTF-16 files (recognised by their BOM) are transcoded, invalid
    /// UTF-8 is replaced lossily; the caller learns which through [`SourceFile::encoding`].
    #[must_use]
    pub fn from_bytes(path: String, bytes: &[u8]) -> Self {
        let (text, encoding) = decode(Cow::Borrowed(bytes));
        Self::new(path, text, encoding)
    }

    /// [`Self::from_bytes`] taking the bytes: UTF-8 text becomes the file's text without a
    /// copy (a big file is then held once, not twice).
    #[must_use]
    pub fn from_vec(path: String, bytes: Vec<u8>) -> Self {
        let (text, encoding) = decode(Cow::Owned(bytes));
        Self::new(path, text, encoding)
    }

    #[must_use]
    pub fn new(path: String, text: String, encoding: Encoding) -> Self {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        // A line ends at `\n`, or at a `\r` not followed by `\n` (old Mac endings).
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i + 1);
            }
        }
        Self {
            path,
            text,
            encoding,
            line_starts,
        }
    }

    /// The position of a byte offset (clamped to the text and to a char boundary). Columns
    /// count characters; a leading byte order mark does not count.
    #[must_use]
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.line_starts[line];
        // A UTF-8 byte order mark is not a column: editors hide it, and the UTF-16 decoding
        // above drops its BOM too.
        if line == 0 && offset >= 3 && self.text.starts_with('\u{feff}') {
            start = 3;
        }
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line as u32 + 1,
            column: column as u32,
        }
    }

    /// The text of a 1-based line without its line terminator.
    #[must_use]
    pub fn line_text(&self, line: u32) -> &str {
        let idx = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// The text of `bytes` and how it was encoded; owned UTF-8 bytes become the text as they
/// are, borrowed ones are copied once.
fn decode(bytes: Cow<'_, [u8]>) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (decode_utf16(rest, u16::from_le_bytes), Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (decode_utf16(rest, u16::from_be_bytes), Encoding::Utf16Be);
    }
    match String::from_utf8(bytes.into_owned()) {
        Ok(s) if s.starts_with('\u{feff}') => (s, Encoding::Utf8Bom),
        Ok(s) => (s, Encoding::Utf8),
        Err(e) => (
            String::from_utf8_lossy(e.as_bytes()).into_owned(),
            Encoding::Lossy,
        ),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_follow_every_ending() {
        let naive = |t: &str| {
            let b = t.as_bytes();
            let mut out = vec![0];
            for i in 0..b.len() {
                if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                    out.push(i + 1);
                }
            }
            out
        };
        for t in [
            "",
            "a",
            "\n",
            "\r",
            "\r\n",
            "\n\r",
            "a\r\r\nb\n\nc\r",
            "é\r\né\rx\n",
        ] {
            let f = SourceFile::new("t".into(), t.into(), Encoding::Utf8);
            assert_eq!(f.line_starts, naive(t), "{t:?}");
        }
    }

    #[test]
    fn positions_count_lines_and_chars() {
        let f = SourceFile::new("a".into(), "ab\r\ncé=x\rz".into(), Encoding::Utf8);
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(4), Position { line: 2, column: 1 });
        assert_eq!(f.position(7), Position { line: 2, column: 3 });
        assert_eq!(f.position(10), Position { line: 3, column: 1 });
        let bom = SourceFile::new("b".into(), "\u{feff}k=v\nx".into(), Encoding::Utf8Bom);
        assert_eq!(bom.position(0), Position { line: 1, column: 1 });
        assert_eq!(bom.position(3), Position { line: 1, column: 1 });
        assert_eq!(bom.position(5), Position { line: 1, column: 3 });
        assert_eq!(bom.position(7), Position { line: 2, column: 1 });
        assert_eq!(f.line_text(2), "cé=x");
    }

    #[test]
    fn decodes_utf16_and_flags_lossy() {
        let bytes = [0xFF, 0xFE, b'A', 0, b'=', 0, b'1', 0];
        let f = SourceFile::from_bytes("x".into(), &bytes);
        assert_eq!(f.text, "A=1");
        assert_eq!(f.encoding, Encoding::Utf16Le);
        let f = SourceFile::from_bytes("x".into(), b"a\xffb");
        assert_eq!(f.encoding, Encoding::Lossy);
        // Taking the bytes decodes the same way.
        for bytes in [
            &bytes[..],
            b"a\xffb",
            "\u{feff}k=v".as_bytes(),
            b"k=v\r\n",
            &[0xFE, 0xFF, 0, b'A'],
        ] {
            let (a, b) = (
                SourceFile::from_bytes("x".into(), bytes),
                SourceFile::from_vec("x".into(), bytes.to_vec()),
            );
            assert_eq!((a.text, a.encoding), (b.text, b.encoding));
        }
    }
}
