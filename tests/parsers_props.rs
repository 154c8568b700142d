//! Property tests for every parser: arbitrary input never panics and every span lies
//! within the input, on character boundaries.

use credlint::parse::{dotenv, ini, shell, text};
use credlint::source::SourceFile;
use proptest::prelude::*;

#[path = "support/spans.rs"]
mod spans;

use spans::check_span;

/// Text that looks enough like the formats to reach deep into the parsers.
fn credentialish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[default]\n".to_owned()),
        Just("[profile dev]\n".to_owned()),
        Just("[DEFAULT]\n".to_owned()),
        Just("aws_access_key_id = AKIAQ3LBZ7WDX5RNTC4M\n".to_owned()),
        Just("export AWS_SECRET_ACCESS_KEY=\"a\\\"b\"\n".to_owned()),
        Just("KEY='x\ny'\n".to_owned()),
        Just("s3 =\n  k = v\n".to_owned()),
        Just("  continued\n".to_owned()),
        Just("# comment\n; other\n".to_owned()),
        Just("X=$(cat <<EOF\nbody\nEOF\n)\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{feff}".to_owned()),
        "[ -~\u{80}-\u{10ffff}]{0,12}",
        "[=:\\[\\]\"'$`\\\\#;{}() \t\n\r]{0,8}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn source_decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let f = SourceFile::from_bytes("x".into(), &bytes);
        for off in 0..=f.text.len() + 2 {
            let p = f.position(off);
            prop_assert!(p.line >= 1 && p.column >= 1);
        }
    }

    #[test]
    fn ini_spans_stay_inside(text in credentialish()) {
        let f = ini::parse(&text, false);
        for s in &f.sections {
            check_span(&text, s.header_span);
            check_span(&text, s.name_span);
            for e in &s.entries {
                check_span(&text, e.key_span);
                check_span(&text, e.value_span);
            }
        }
        for e in &f.defaults {
            check_span(&text, e.key_span);
            check_span(&text, e.value_span);
        }
        for e in &f.errors {
            check_span(&text, e.span);
        }
    }

    #[test]
    fn dotenv_and_shell_spans_stay_inside(text in credentialish()) {
        for f in [dotenv::parse(&text), shell::parse(&text)] {
            for a in &f.assignments {
                check_span(&text, a.key_span);
                check_span(&text, a.value_span);
                prop_assert!(!a.key.is_empty());
            }
            for e in &f.errors {
                check_span(&text, e.span);
            }
        }
    }

    #[test]
    fn loose_pairs_spans_stay_inside(text in credentialish()) {
        for p in text::pairs(&text, |_| true) {
            check_span(&text, p.key_span);
            check_span(&text, p.value_span);
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        let _ = ini::parse(&text, false);
        let _ = dotenv::parse(&text);
        let _ = shell::parse(&text);
        let _ = text::pairs(&text, |_| true);
        let _ = credlint::keys::redact_text(&text);
    }
}
