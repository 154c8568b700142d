//! The dotenv parser on arbitrary bytes: no panic, every span inside the text.
#![no_main]
use credlint::parse::dotenv;
use credlint::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = SourceFile::from_bytes("f".into(), data);
    let parsed = dotenv::parse(&f.text);
    let inside = |s: credlint::source::Span| s.start <= s.end && s.end <= f.text.len() && f.text.is_char_boundary(s.start) && f.text.is_char_boundary(s.end);
    for a in &parsed.assignments {
        assert!(inside(a.key_span) && inside(a.value_span));
    }
    for e in &parsed.errors {
        assert!(inside(e.span));
    }
});
