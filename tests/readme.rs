//! The README stays true: its rule table is generated from `rules/*.toml`, its first block
//! holds the two commands, and its `resolve` example is what the binary prints.

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

#[test]
fn readme_rule_table_is_current() {
    let readme = readme();
    let start = readme.find("<!-- rules:begin").expect("rules:begin marker");
    let start = start + readme[start..].find('\n').expect("marker line") + 1;
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    let expected = credlint::report::rules_table_markdown();
    assert!(
        readme[start..end] == expected,
        "README rule table is stale: regenerate it with `cargo run -- rules --markdown`\n--- expected ---\n{expected}"
    );
}

#[test]
fn readme_opens_with_the_two_commands() {
    let readme = readme();
    let block: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("```"))
        .skip(1)
        .take(2)
        .collect();
    assert!(
        block[0].starts_with("cargo run --release -- fixtures/demo"),
        "{block:?}"
    );
    assert!(block[1].starts_with("bash scripts/test.sh"), "{block:?}");
    let ci =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).expect(".ci/run");
    assert!(
        ci.contains("bash scripts/test.sh"),
        ".ci/run must run the README's test command"
    );
}

/// The README's `credlint resolve` example is real output: the tree it describes (a role
/// profile selected by `AWS_PROFILE`, and a `.env` that also sets access keys), run through
/// the binary, gives exactly the lines the README shows (rows 6 to 11 are elided there).
#[test]
fn readme_resolve_example_is_real_output() {
    let readme = readme();
    let shown: Vec<&str> = readme
        .lines()
        .skip_while(|l| *l != "$ credlint resolve --env-file .env")
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect();
    assert!(!shown.is_empty(), "README has no resolve example");

    // Fake keys; the README shows them redacted.
    let dir = tempfile::tempdir().expect("tempdir");
    let files = [
        (
            "home/.aws/config",
            "[default]\nregion = eu-west-1\n\n[profile dev]\n\
             role_arn = arn:aws:iam::111122223333:role/developer\nsource_profile = default\n",
        ),
        (
            "home/.aws/credentials",
            "[default]\naws_access_key_id = AKIAUJZDEGXDNCF3ABCD\n\
             aws_secret_access_key = 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\n",
        ),
        (
            ".env",
            "AWS_PROFILE=dev\nAWS_ACCESS_KEY_ID=AKIAUJZDEGXDNCF32EPF\n\
             AWS_SECRET_ACCESS_KEY=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\n",
        ),
    ];
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
        // As `aws configure` leaves them (owner only): no CL601 warning under the table.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_credlint"))
        .args(["resolve", "--no-process-env", "--home", "home"])
        .args(["--env-file", ".env"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run credlint");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut real: Vec<&str> = Vec::new();
    for line in text.lines() {
        let row: Option<u32> = line.split_whitespace().next().and_then(|n| n.parse().ok());
        match row {
            Some(6) => real.push("  …"),
            Some(7..=11) => {}
            _ => real.push(line),
        }
    }
    assert_eq!(
        shown.iter().map(|l| l.trim_end()).collect::<Vec<_>>(),
        real.iter().map(|l| l.trim_end()).collect::<Vec<_>>(),
        "the README's resolve example is not what credlint prints"
    );
}
