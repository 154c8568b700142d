//! Shared by the property tests of the parsers: a span must lie within its text, on
//! character boundaries.

use credlint::source::Span;

/// # Panics
/// When `s` reaches past `text` or splits a character.
pub fn check_span(text: &str, s: Span) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "span {s:?} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "span {s:?} splits a character"
    );
}
