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

/// The README's table of how the SDKs' chains differ: the botocore, CLI v2, JavaScript v3
/// and Go v2 columns are what `credlint resolve --sdk all` says on each case of
/// `tests/differential/sdk-facts/`, and must equal the verdict the real SDK gave there
/// (the file's `expect_sdk`, which `run_sdk.py --table` checks against the SDKs); the Rust
/// column is the measured verdict (credlint does not model it yet).
#[test]
fn readme_sdk_table_is_credlints_output() {
    let readme = readme();
    let start = readme
        .find("<!-- sdk-table:begin")
        .expect("sdk-table:begin marker");
    let start = start + readme[start..].find('\n').expect("marker line") + 1;
    let end = readme
        .find("<!-- sdk-table:end -->")
        .expect("sdk-table:end marker");
    let expected = sdk_table();
    assert!(
        readme[start..end] == expected,
        "README SDK table is stale\n--- expected ---\n{expected}"
    );
}

fn cell(method: &serde_json::Value, key: &serde_json::Value, error: &serde_json::Value) -> String {
    match (error.as_str(), method.as_str(), key.as_str()) {
        (Some(e), _, _) => format!("raises {e}"),
        (None, Some(m), Some(k)) => format!("{m} `{}`", &k[k.len() - 4..]),
        (None, Some(m), None) => m.to_owned(),
        (None, None, _) => "nothing".to_owned(),
    }
}

fn sdk_table() -> String {
    let facts = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/differential/sdk-facts");
    let mut paths: Vec<_> = std::fs::read_dir(facts)
        .expect("sdk-facts")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let mut table = String::from(
        "| case | botocore | cli-v2 | js-v3 | go-v2 | rust |\n|---|---|---|---|---|---|\n",
    );
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("read");
        let case: serde_json::Value = serde_json::from_str(&text).expect("json");
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        std::fs::create_dir_all(dir.path().join("root")).expect("root");
        for (rel, body) in case["files"].as_object().expect("files") {
            let file = dir.path().join(rel);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(file, body.as_str().expect("text")).expect("write");
        }
        let mut args: Vec<String> = [
            "resolve",
            "--sdk",
            "all",
            "--no-process-env",
            "--home",
            "home",
            "--root",
            "root",
            "--format",
            "json",
            "--env=AWS_EC2_METADATA_DISABLED=true",
        ]
        .map(str::to_owned)
        .into();
        for (k, v) in case["env"].as_object().expect("env") {
            args.push(format!("--env={k}={}", v.as_str().expect("value")));
        }
        if let Some(p) = case["profile"].as_str() {
            args.push(format!("--profile={p}"));
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_credlint"))
            .args(&args)
            .current_dir(dir.path())
            .env_clear()
            .output()
            .expect("run credlint");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("resolve json");
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let mut row = format!("| {name} |");
        for (i, (sdk, measured)) in [
            ("botocore", "botocore"),
            ("cli-v2", "cli"),
            ("js-v3", "js-v3"),
            ("go-v2", "go-v2"),
            ("rust", "rust"),
        ]
        .into_iter()
        .enumerate()
        {
            let got = &v["sdks"][i];
            assert_eq!(got["sdk"], sdk);
            let ours = cell(&got["method"], &got["access_key"], &got["error"]);
            let real = &case["expect_sdk"][measured];
            let theirs = cell(&real["method"], &real["access_key"], &real["error"]);
            assert_eq!(
                ours, theirs,
                "{name}: credlint's {sdk} against the real SDK"
            );
            row = row + " " + &ours + " |";
        }
        table.push_str(&row);
        table.push('\n');
    }
    table
}
