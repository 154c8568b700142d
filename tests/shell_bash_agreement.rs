//! The shell lexer against bash itself: statements that `bash -n` accepts parse without a
//! note, and the assignment after them is still read. Quotes nested inside `$(…)`, `${…}`
//! and backticks start a new quoting context in bash; a lexer that ends the word at the
//! inner quote reports "unterminated quote" on valid scripts and loses what follows.

use credlint::parse::shell::parse;
use std::process::Command;

const NESTED: [&str; 7] = [
    "X=\"$(echo \"a b\")\"",
    "X=\"$(printf \"%s)\" x)\"",
    "X=\"${A:-\"q)\"}\"",
    "X=\"$(echo '(' \"$(echo \")\")\")\"",
    "X=\"$(echo \\) )\"",
    "X=\"`echo \\`x\\``\"",
    "X=$((1 + (2 * 3)))",
];

#[test]
fn quotes_nested_in_expansions() {
    for line in NESTED {
        let text = format!("{line}\nexport AWS_PROFILE=after\n");
        let f = parse(&text);
        assert!(f.errors.is_empty(), "{line}: {:?}", f.errors);
        assert_eq!(
            f.get("AWS_PROFILE").and_then(|a| a.value.as_deref()),
            Some("after"),
            "{line}"
        );
        // bash is on every machine this suite runs on; where it is not, the lexer
        // assertions above still hold.
        if let Ok(out) = Command::new("bash").arg("-n").arg("-c").arg(&text).output() {
            assert!(out.status.success(), "bash -n refuses {line}");
        }
    }
}
