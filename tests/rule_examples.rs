//! The documentation's examples are fixtures too: for every rule, the fenced blocks of
//! `docs.example` in `rules/<code>-<name>.toml` are written into a scratch tree that the
//! rule must flag, and those of `docs.use_instead` into one it must leave clean.
//!
//! A section runs when each of its blocks names its file and none elides a value:
//! - a block's file is the path its first line names as a comment (`# .env`,
//!   `# ~/.aws/credentials: …`; `~/` is the tree's root), else the one its language
//!   implies (`dotenv` → `.env`, `dockerfile` → `Dockerfile`, `python` → `app.py`, `ini` → `.aws/config` when it opens with `[profile …]`, else
//!   `.aws/credentials`);
//! - a section holding `…` or `...` (a value left out for the reader) does not run, nor
//!   one with a block of another language (a shell session, a policy fragment).
//!
//! Sections that do not run are listed when the test fails; write an example as a whole
//! file to have it checked.

use credlint::discover::{Root, WalkOptions};
use credlint::rules::RuleId;
use credlint::scan::{self, ScanOptions};
use std::fs;
use std::path::Path;

/// Each block of a section as (file, text), or why the section cannot run.
fn files(section: &str) -> Result<Vec<(String, String)>, String> {
    if section.contains('…') || section.contains("...") {
        return Err("elides a value".into());
    }
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let nl = after.find('\n').ok_or("unclosed block")?;
        let lang = after[..nl].trim();
        let body_start = &after[nl + 1..];
        let close = body_start.find("```").ok_or("unclosed block")?;
        let body = &body_start[..close];
        rest = &body_start[close + 3..];
        let first = body.lines().next().unwrap_or("");
        let named = first
            .strip_prefix("# ")
            .map(|p| p.split([':', ' ']).next().unwrap_or("").trim())
            .filter(|p| p.starts_with('.') || p.starts_with("~/") || p.contains('/'))
            .map(|p| p.trim_start_matches("~/").to_owned());
        let file = match (named, lang) {
            (Some(p), _) => p,
            (None, "dotenv") => ".env".into(),
            (None, "dockerfile") => "Dockerfile".into(),
            (None, "python") => "app.py".into(),
            (None, "ini") if first.starts_with("[profile ") => ".aws/config".into(),
            (None, "ini") => ".aws/credentials".into(),
            (None, other) => return Err(format!("a `{other}` block names no file")),
        };
        match out.iter_mut().find(|(f, _)| *f == file) {
            Some((_, text)) => text.push_str(body),
            None => out.push((file, body.to_owned())),
        }
    }
    if out.is_empty() {
        return Err("no block".into());
    }
    Ok(out)
}

/// How many findings `rule` reports on a tree made of `files`.
fn findings_of(rule: RuleId, files: &[(String, String)]) -> usize {
    let tmp = tempfile::tempdir().expect("tempdir");
    let work = tmp.path().join("repo");
    fs::create_dir_all(work.join(".git")).expect(".git");
    for (path, text) in files {
        let p = work.join(path);
        fs::create_dir_all(p.parent().unwrap_or(Path::new("."))).expect("folder");
        fs::write(&p, text).expect("write");
    }
    let opts = ScanOptions {
        roots: vec![Root::Named(work)],
        walk: WalkOptions::default(),
        max_file_size: 10 << 20,
        tests_in_full: true,
    };
    let scan = scan::scan(&opts).expect("scan");
    credlint::check::judge(&scan.workspace, RuleId::ALL)
        .iter()
        .filter(|f| f.rule == rule)
        .count()
}

/// How many example sections ran when this test was written.
const RUNNABLE_FLOOR: usize = 27;

#[test]
fn rule_examples_flag_and_their_fixes_do_not() {
    let mut wrong = Vec::new();
    let mut skipped = Vec::new();
    let mut ran = 0;
    for r in RuleId::ALL {
        let docs = &r.meta().docs;
        for (section, text, must_flag) in [
            ("example", &docs.example, true),
            ("use_instead", &docs.use_instead, false),
        ] {
            match files(text) {
                Ok(files) => {
                    ran += 1;
                    let n = findings_of(*r, &files);
                    if must_flag && n == 0 {
                        wrong.push(format!("{} docs.{section}: not flagged", r.code()));
                    } else if !must_flag && n > 0 {
                        wrong.push(format!("{} docs.{section}: flagged {n} time(s)", r.code()));
                    }
                }
                Err(why) => skipped.push(format!("{} docs.{section}: {why}", r.code())),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "examples that disagree with their rule:\n{}\n\nnot run:\n{}",
        wrong.join("\n"),
        skipped.join("\n")
    );
    // The runner must keep running examples: fewer sections than today means a change to
    // its conventions (or to the examples) stopped checking some. Raise the floor when you
    // make more examples runnable.
    assert!(
        ran >= RUNNABLE_FLOOR,
        "only {ran} example sections ran; not run:\n{}",
        skipped.join("\n")
    );
}

#[test]
fn the_example_reader_names_files() {
    let s = "x\n```dotenv\n# .env.local: kept out of git\nA=1\n```\n\n```ini\n[profile a]\nregion = x\n```\n";
    let f = files(s).expect("runs");
    assert_eq!(f[0].0, ".env.local");
    assert_eq!(f[1].0, ".aws/config");
    assert!(files("```dotenv\nA=AKIA…\n```").is_err());
    assert!(files("```text\n$ ls\n```").is_err());
}
