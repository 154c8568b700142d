//! The messages of the trust-policy rules (`CL5xx`) on every trust fixture: one line each,
//! never an expression's raw source (a `Fn::FindInMap` object as JSON), never an empty name
//! or a placeholder used as a condition key, and intrinsics shown in their short form.

use credlint::discover::{Root, WalkOptions};
use credlint::rules::RuleId;
use credlint::scan::{self, ScanOptions};
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `(path, message)` of every `CL5xx` finding under `dir`.
fn messages(dir: &str) -> Vec<(String, String)> {
    let opts = ScanOptions {
        roots: vec![Root::Named(Path::new(ROOT).join(dir))],
        walk: WalkOptions::default(),
        max_file_size: 10 << 20,
        tests_in_full: true,
    };
    let scan = scan::scan(&opts).expect("scan");
    credlint::check::judge(&scan.workspace, RuleId::ALL)
        .into_iter()
        .filter(|f| f.rule.code().starts_with("CL5"))
        .map(|f| (f.location.path.clone(), f.message.clone()))
        .collect()
}

#[test]
fn trust_messages_are_readable() {
    let mut all = messages("fixtures/rules");
    all.extend(messages("fixtures/trust"));
    assert!(all.len() > 50, "only {} trust findings", all.len());
    for (path, m) in &all {
        assert!(!m.contains('\n'), "{path}: multi-line message {m:?}");
        for bad in [
            "{\"",
            "Fn::",
            "\"Ref\"",
            "``",
            "  ",
            "this identity provider:",
        ] {
            assert!(!m.contains(bad), "{path}: {bad:?} in {m:?}");
        }
        assert!(
            !m.starts_with(':') && !m.contains(" : "),
            "{path}: empty name in {m:?}"
        );
    }
}

#[test]
fn intrinsic_principals_are_named_in_short_form() {
    let all = messages("fixtures/rules/oidc-without-subject/flagged/cfn");
    let find = |needle: &str| all.iter().find(|(_, m)| m.contains(needle));
    let by_ref = find("`!Ref GithubOidc`").expect("the provider as !Ref");
    assert!(by_ref.1.contains("the token's `sub` claim"), "{}", by_ref.1);
    let by_sub = find("`!Sub arn:${AWS::Partition}").expect("the provider as !Sub");
    assert!(by_sub.1.contains("an `aud` condition"), "{}", by_sub.1);
}
