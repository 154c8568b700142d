//! The AWS ini parser agrees with Python's configparser (as botocore configures it) on
//! thousands of generated inputs, checked against the real configparser in the venv.

#[path = "support/venv.rs"]
mod venv;

use credlint::parse::ini::{self, IniErrorKind};
use std::fmt::Write as _;
use std::process::Command;

/// `SplitMix64`: a tiny deterministic generator, so failures reproduce from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// Lines configparser accepts (in the right place).
const GOOD: &[&str] = &[
    "[default]",
    "[profile dev]",
    "[Default]",
    "[DEFAULT]",
    "[a]b]",
    " [indented]",
    "[x] trailing",
    "[profile \"my dev\"]",
    "aws_access_key_id = AKIA",
    "AWS_Access_Key_ID=AKIB",
    "key: value",
    "key :value: more",
    "k =",
    "k=",
    "region = eu-west-1 # not a comment",
    "  continued line",
    "\tcontinued with tab",
    "    deeper",
    "# comment",
    "; comment",
    "   # indented comment",
    "",
    "   ",
    "s3 =",
    "  max = 10",
    "x\u{a0}= nbsp",
    "\u{c}formfeed = 1",
    "role_arn=arn:aws:iam::1:role/r",
    "a=b=c",
    "  k2 = v2",
    "output = json",
    "K3 = v3",
];
/// Lines that often make configparser refuse the file.
const BAD: &[&str] = &[
    "[]",
    "= novalue",
    "no separator here",
    "KEY = dup",
    "key = dup",
    "[default]",
    "[profile dev]",
];

fn generate(rng: &mut Rng) -> String {
    let n = 1 + rng.next() % 12;
    let mut s = String::new();
    if rng.next() % 40 == 0 {
        s.push('\u{feff}');
    }
    let eol = match rng.next() % 10 {
        0 => "\r\n",
        1 => "\r",
        _ => "\n",
    };
    if rng.next() % 10 != 0 {
        let _ = write!(
            s,
            "[{}]{eol}",
            rng.pick(&["default", "profile dev", "x", "DEFAULT", "Credentials"])
        );
    }
    for _ in 0..n {
        let line = if rng.next() % 12 == 0 {
            rng.pick(BAD)
        } else {
            rng.pick(GOOD)
        };
        let _ = write!(s, "{line}{eol}");
    }
    if rng.next() % 5 == 0 {
        s.truncate(s.trim_end_matches(['\n', '\r']).len());
    }
    s
}

#[derive(Debug, PartialEq)]
struct View {
    error: bool,
    sections: Vec<(String, Vec<(String, String)>)>,
    defaults: Vec<(String, String)>,
}

fn ours(text: &str) -> View {
    let f = ini::parse(text, false);
    let error = f
        .errors
        .iter()
        .any(|e| e.kind != IniErrorKind::NestedNoSeparator);
    let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for s in &f.sections {
        let entries = s
            .entries
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect();
        sections.push((s.name.clone(), entries));
    }
    let defaults = f
        .defaults
        .iter()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect();
    View {
        error,
        sections,
        defaults,
    }
}

fn theirs(v: &serde_json::Value) -> View {
    let pairs = |x: &serde_json::Value| -> Vec<(String, String)> {
        x.as_array()
            .expect("pairs")
            .iter()
            .map(|p| {
                (
                    p[0].as_str().expect("k").to_owned(),
                    p[1].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    View {
        error: !v["error"].is_null(),
        sections: v["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .map(|s| (s[0].as_str().expect("name").to_owned(), pairs(&s[1])))
            .collect(),
        defaults: pairs(&v["defaults"]),
    }
}

#[test]
fn ini_parser_agrees_with_configparser() {
    let Some(python) = venv::tool("python") else {
        return;
    };
    let seed: u64 = std::env::var("CREDLINT_INI_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED);
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs: Vec<String> = (0..3000).map(|_| generate(&mut rng)).collect();
    for (i, text) in inputs.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i:05}.ini")), text).expect("write");
    }
    let out = Command::new(python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/tools/configparser_dump.py"
        ))
        .arg(dir.path())
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut disagreements = Vec::new();
    let mut refused = 0usize;
    for (line, text) in String::from_utf8_lossy(&out.stdout).lines().zip(&inputs) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        let (a, b) = (ours(text), theirs(&v));
        refused += usize::from(b.error);
        // When configparser raises, its partial state is not comparable; only the verdict is.
        let same = if b.error { a.error } else { a == b };
        if !same {
            disagreements.push(format!(
                "{text:?}\n  credlint:     {a:?}\n  configparser: {b:?}"
            ));
        }
    }
    // Both verdicts must be well represented, or the comparison proves little.
    assert!(
        (600..=2400).contains(&refused),
        "configparser refused {refused} of 3000 inputs"
    );
    assert!(
        disagreements.is_empty(),
        "seed {seed}: {} disagreements, first:\n{}",
        disagreements.len(),
        disagreements[0]
    );
}
