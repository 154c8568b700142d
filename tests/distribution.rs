//! What packagers install beside the binary: shell completions and the man page, both
//! generated from the clap definitions.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_credlint");

fn credlint(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run credlint")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

/// Runs `script` in bash with the completion script loaded; returns its stdout.
fn bash_with_completions(script: &str) -> String {
    let completions = stdout(&credlint(&["completions", "bash"]));
    let mut child = Command::new("bash")
        .arg("-s")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    let mut stdin = child.stdin.take().expect("stdin");
    write!(stdin, "{completions}\n{script}\n").expect("write");
    drop(stdin);
    let o = child.wait_with_output().expect("bash");
    stdout(&o)
}

#[test]
fn bash_completion_parses_and_completes_subcommands_and_values() {
    let completions = stdout(&credlint(&["completions", "bash"]));
    let o = Command::new("bash")
        .args(["-n", "-c", &completions])
        .output()
        .expect("bash");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = bash_with_completions(
        r#"COMP_WORDS=(credlint re); COMP_CWORD=1; _credlint credlint re credlint; echo "${COMPREPLY[*]}"
COMP_WORDS=(credlint --fail-level ""); COMP_CWORD=2; _credlint credlint "" --fail-level; echo "${COMPREPLY[*]}""#,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines, ["resolve", "info warning error never"], "{out}");
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_one_is_a_usage_error() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let text = stdout(&credlint(&["completions", shell]));
        assert!(
            text.contains("credlint") && text.contains("resolve") && text.contains("fail-level"),
            "{shell}: {text}"
        );
    }
    let o = credlint(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("possible values"));
}

#[test]
fn man_page_is_roff_for_section_1_with_every_subcommand() {
    let page = stdout(&credlint(&["man"]));
    assert!(
        page.lines().any(|l| l.starts_with(".TH credlint 1 ")),
        "{page}"
    );
    for section in ["NAME", "SYNOPSIS", "OPTIONS", "SUBCOMMANDS"] {
        assert!(page.contains(&format!("\n.SH {section}\n")), "{section}");
    }
    for sub in [
        "check",
        "baseline",
        "files",
        "rules",
        "resolve",
        "explain",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("credlint\\-{sub}(1)")),
            "{sub}:\n{page}"
        );
    }
    // groff, where installed, reads it without a warning.
    let Ok(mut child) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return;
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("write");
    let o = child.wait_with_output().expect("groff");
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
