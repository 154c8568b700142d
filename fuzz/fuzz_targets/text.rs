//! Loose pairs, key-id search and redaction on arbitrary bytes.
#![no_main]
use credlint::{keys, parse::text};
use credlint::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = SourceFile::from_bytes("f".into(), data);
    for p in text::pairs(&f.text, |_| true) {
        assert!(p.value_span.end <= f.text.len());
    }
    for (s, e) in keys::find_key_ids(&f.text) {
        assert!(s < e && e <= f.text.len());
    }
    assert_eq!(keys::redact_text(&f.text).len(), f.text.len());
});
