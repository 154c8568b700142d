//! credlint's ports of the Python functions botocore's answers depend on agree with the real
//! ones (from the project's venv) on thousands of generated inputs: `shlex.split` (profile
//! headers, `credential_process`), `urllib.parse.urlsplit(..).hostname` and
//! `ipaddress.ip_address` (container and instance-metadata endpoints), and `int()` (the
//! instance-metadata timeout and attempts). The date parser has
//! its own test (`dateutil_agreement.rs`).

#[path = "support/venv.rs"]
mod venv;

use credlint::model::{imds, pyshlex, pyurl};
use serde_json::Value;
use std::net::IpAddr;

/// Runs `python_cases.py KIND 1 COUNT` and compares every line with `port`.
fn agree(kind: &str, count: usize, port: impl Fn(&str) -> Value) {
    let Some(lines) = venv::case_lines("python_cases.py", &[kind, "1", &count.to_string()]) else {
        return;
    };
    let mut disagreements = Vec::new();
    let mut total = 0;
    for line in &lines {
        let (text, want): (String, Value) = serde_json::from_str(line).expect("json line");
        let got = port(&text);
        total += 1;
        // Only the class matters where Python raises; the message is compared for shlex.
        let same = match (&want, &got) {
            (Value::String(w), Value::String(g)) if kind != "shlex" => {
                w.starts_with("ValueError") == g.starts_with("ValueError")
                    && (w.starts_with("ValueError") || w == g)
            }
            _ => want == got,
        };
        if !same {
            disagreements.push(format!("{text:?}: python {want}, credlint {got}"));
        }
    }
    assert!(total >= count, "only {total} {kind} cases");
    venv::assert_agree(&disagreements, total);
}

#[test]
fn shlex_split_agrees_with_python() {
    agree("shlex", 5000, |text| match pyshlex::split(text) {
        Ok(words) => Value::from(words),
        Err(e) => Value::from(format!("ValueError: {}", e.message())),
    });
}

#[test]
fn urlsplit_hostname_agrees_with_python() {
    agree("url", 5000, |text| match pyurl::urlsplit(text) {
        Ok(split) => split.hostname().map_or(Value::Null, Value::from),
        Err(e) => Value::from(format!("ValueError: {e}")),
    });
}

#[test]
fn ip_address_agrees_with_python() {
    agree("ip", 5000, |text| match pyurl::ip_address(text) {
        Some(ip) => Value::from(format!(
            "{}{}",
            if matches!(ip, IpAddr::V4(_)) { 4 } else { 6 },
            if ip.is_loopback() { " loopback" } else { "" }
        )),
        None => Value::from("ValueError"),
    });
}

#[test]
fn int_agrees_with_python() {
    agree("int", 5000, |text| {
        Value::from(if imds::is_int_literal(text) {
            "ok"
        } else {
            "ValueError"
        })
    });
}
