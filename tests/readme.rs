//! The README's rule table is generated from `rules/*.toml`; this test keeps it current.

#[test]
fn readme_rule_table_is_current() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
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
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
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
