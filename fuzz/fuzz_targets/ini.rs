//! The AWS ini parser on arbitrary bytes: no panic, every span inside the text.
#![no_main]
use credlint::parse::ini;
use credlint::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = SourceFile::from_bytes("f".into(), data);
    let parsed = ini::parse(&f.text, false);
    let inside = |s: credlint::source::Span| s.start <= s.end && s.end <= f.text.len() && f.text.is_char_boundary(s.start) && f.text.is_char_boundary(s.end);
    for s in &parsed.sections {
        assert!(inside(s.header_span) && inside(s.name_span));
        for e in &s.entries {
            assert!(inside(e.key_span) && inside(e.value_span));
        }
    }
    for e in &parsed.errors {
        assert!(inside(e.span));
    }
});
