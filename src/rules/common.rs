//! Helpers shared by several rules. A rule module never imports another rule module: what
//! two rules share lives here.

use crate::keys::{self, KeyIdShape};
use crate::model::sdk::detect::Used;
use crate::model::slot::Slot;
use crate::model::{Group, GroupKind, Setting, Workspace, homes};

/// Where a group is, for a message: `" in [dev]"`, `" in boto3.client(…)"`, `" in .env"`
/// (CL201, CL202, CL203).
pub fn where_(g: &Group) -> String {
    match g.kind {
        GroupKind::Env if g.name.is_empty() => String::new(),
        GroupKind::Env => format!(" in {}", g.name),
        GroupKind::Code if g.name.contains(' ') => format!(" in a {}", g.name),
        GroupKind::Code if g.name.ends_with('}') => format!(" in {}", g.name),
        GroupKind::Code => format!(" in {}(…)", g.name),
        GroupKind::StepInputs => format!(" in the inputs of {}", g.name),
        GroupKind::Cache => String::new(),
        GroupKind::Section | GroupKind::Defaults => format!(" in [{}]", g.name),
    }
}

/// A literal key id, secret or session token that is not a placeholder (CL104, CL601).
pub fn holds_credential(s: &Setting) -> bool {
    let Some(v) = s.literal_value() else {
        return false;
    };
    match s.slot {
        Slot::KeyId => matches!(
            keys::classify_key_id(v),
            KeyIdShape::LongLived | KeyIdShape::Temporary | KeyIdShape::Special
        ),
        Slot::Secret => keys::is_secret_shaped(v),
        Slot::Token => !keys::is_placeholder(v) && v.len() >= 100,
        _ => false,
    }
}

/// Whether a literal in a credential slot of code cannot be a credential: a placeholder or
/// one of AWS's example keys, or a value without the shape of one. A key id must start
/// with an IAM id prefix (`AKIA`, `ASIA`, `AIDA`, … in any case) or be 20 letters and
/// digits; a secret must be at least 30 characters of base64. `"test"`, `"testing"`,
/// `"foo"`, `"akid"`, `"access_key"` and `"minioadmin"`, which SDK tests, moto, `LocalStack`
/// and `MinIO` clients are given, leak nothing and are stand-ins.
pub fn stand_in(slot: Slot, v: &str) -> bool {
    match slot {
        Slot::KeyId => {
            matches!(
                keys::classify_key_id(v),
                KeyIdShape::Placeholder | KeyIdShape::Example
            ) || !key_id_like(v)
        }
        Slot::Secret => {
            keys::is_placeholder(v)
                || keys::is_example_secret(v)
                || says_fake(v)
                || v.len() < 30
                || !v
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'+' | b'='))
        }
        _ => false,
    }
}

/// Whether a value was meant as an access key id (possibly a broken one): inside any quotes
/// it starts with the prefix of an IAM identifier (in any case), or is 20 upper-case letters
/// and digits starting with `A` like an IAM identifier with a mistyped prefix (`AKAI…`), and
/// it does not say it is made up. `foo`, `testing`, `ACCESS_KEY_1` and `fakeAccessKeyId` are
/// stand-ins, not broken key ids.
pub fn key_id_like(v: &str) -> bool {
    const PREFIXES: [&str; 11] = [
        "AKIA", "ASIA", "ABIA", "ACCA", "AIDA", "AROA", "AGPA", "ANPA", "AIPA", "APKA", "ASCA",
    ];
    let v = v.trim().trim_matches(['"', '\'']);
    let head = v.get(..4).unwrap_or("").to_ascii_uppercase();
    let id_shaped = v.len() == 20
        && v.starts_with('A')
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    !says_fake(v) && (PREFIXES.contains(&head.as_str()) || id_shaped)
}

/// Whether a value says it is made up (`AKIAFAKE…`, `AKIATESTKEY…`, `mock-secret`): words
/// that random key material contains about once in 100,000 values.
fn says_fake(v: &str) -> bool {
    let upper = v.to_ascii_uppercase();
    ["FAKE", "TEST", "MOCK", "DUMMY", "SAMPLE"]
        .iter()
        .any(|w| upper.contains(w))
}

/// An SDK the tree uses (`ws.sdks`), with the file that shows it.
#[derive(Clone, Copy)]
pub struct TreeSdk<'a> {
    pub used: Used,
    pub shown_by: &'a str,
}

/// The SDKs the tree uses, in a fixed order (boto3 first).
pub fn tree_sdks(ws: &Workspace) -> Vec<TreeSdk<'_>> {
    ws.sdks
        .iter()
        .map(|(&used, shown_by)| TreeSdk {
            used,
            shown_by: shown_by.as_str(),
        })
        .collect()
}

/// The JavaScript v3, Go v2 and Rust SDKs the tree uses, in a fixed order.
pub fn other_modelled_sdks(ws: &Workspace) -> Vec<TreeSdk<'_>> {
    let mut sdks = tree_sdks(ws);
    sdks.retain(|s| s.used != Used::Botocore);
    sdks
}

/// What the other SDKs the tree uses ([`other_modelled_sdks`]) do with profile `profile` of
/// `home` selected by `AWS_PROFILE`, from the same models as `resolve --sdk`, for a message
/// that says what botocore does (CL401, CL402, CL407): empty when the tree shows none of
/// them (botocore and the CLI then speak for the tree). Each SDK is named with the file
/// that shows it; when it also raises, "too"; otherwise what it does instead.
pub fn other_sdks(ws: &Workspace, home: &homes::Home, profile: &str) -> String {
    let others = other_modelled_sdks(ws);
    if others.is_empty() {
        return String::new();
    }
    let env = std::collections::BTreeMap::from([("AWS_PROFILE".to_owned(), profile.to_owned())]);
    let verdicts = homes::resolve_sdks(&ws.files, home, &env);
    let parts: Vec<String> = others
        .iter()
        .filter_map(|o| {
            let (sdk, name, shown_by) = (o.used.sdk(), o.used.in_messages(), o.shown_by);
            let v = verdicts.iter().find(|v| v.sdk == sdk)?;
            let does = match (&v.error, v.method) {
                // Go's `OperationError` is a request that failed because credlint makes none
                // (instance metadata, STS): on a machine it would be sent.
                (Some(e), _) if sdk == "go-v2" && e == "OperationError" => format!(
                    "does not stop there: it sends a request ({}) that credlint does not make",
                    v.decided_by.as_deref().unwrap_or("to AWS")
                ),
                (Some(e), _) => {
                    let class = match e.as_str() {
                        "error" => "a plain error",
                        // aws-config panics on some values (a line break in a key id).
                        "panic" => "a panic",
                        other => other,
                    };
                    match v.decided_by.as_deref() {
                        Some(p) => format!("raises too ({class}, in {p})"),
                        None => format!("raises too ({class})"),
                    }
                }
                (None, Some(m)) => match &v.access_key {
                    Some(k) => format!("does not raise: it uses {m} credentials ({k})"),
                    None => format!("does not raise: it goes on with {m}"),
                },
                (None, None) => "does not raise, and finds no credentials".to_owned(),
            };
            Some(format!("{name} this tree uses ({shown_by}) {does}"))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("; {}", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_and_credentials() {
        for v in [
            "test",
            "testing",
            "foo",
            "akid",
            "access_key",
            "AKID",
            "minioadmin",
            "AKIAFAKEKEY",
            "AKIATESTTESTTESTTEST",
        ] {
            assert!(stand_in(Slot::KeyId, v), "{v}");
        }
        for v in [
            "AKIAQ3EGRV7ZL4N2XJ5B",
            "AKIA1234",
            "akiaq3egrv7zl4n2xj5b",
            "AROAQ3EGRV7ZL4N2XJ5B",
        ] {
            assert!(!stand_in(Slot::KeyId, v), "{v}");
        }
        for v in [
            "secret",
            "testing",
            "a-secret-value-for-tests",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ] {
            assert!(stand_in(Slot::Secret, v), "{v}");
        }
        assert!(!stand_in(
            Slot::Secret,
            "q8Vt3nR0bLk2ZyXw9PmA7sD4fGh1JcE6uI5oTr0a"
        ));
        // Meant as key ids, broken or not: quoted, mistyped prefix, truncated.
        for v in [
            "\"AKIAQ3EGRV7ZL4N2XJ5B\"",
            "AKAIQ3EGRV7ZL4N2XJ5B",
            "AKIA1234",
        ] {
            assert!(key_id_like(v), "{v}");
        }
        for v in [
            "ACCESS_KEY_SHARED",
            "fakeAccessKeyId",
            "44CF9590006BF252F7",
            "test",
        ] {
            assert!(!key_id_like(v), "{v}");
        }
    }
}
