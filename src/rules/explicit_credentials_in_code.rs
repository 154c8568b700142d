//! CL103: an SDK client, session or credentials object built with explicit keys in code.

use super::RuleId;
use crate::finding::{Finding, Level};
use crate::keys::{self, KeyIdShape};
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws.groups.iter().filter(|g| g.kind == GroupKind::Code) {
        let creds: Vec<_> = g
            .settings
            .iter()
            .filter(|s| matches!(s.slot, Slot::KeyId | Slot::Secret))
            .collect();
        if creds.is_empty() {
            continue;
        }
        // Documentation code that shows AWS's example keys (or placeholders) is not a finding.
        let stand_in = |s: &&crate::model::Setting| {
            s.literal_value().is_some_and(|v| {
                keys::is_placeholder(v)
                    || keys::is_example_secret(v)
                    || keys::classify_key_id(v) == KeyIdShape::Example
                    || emulator_value(v)
            })
        };
        if creds.iter().all(stand_in) {
            continue;
        }
        let literal = creds.iter().any(|s| {
            s.literal_value().is_some_and(|v| match s.slot {
                Slot::KeyId => !matches!(
                    keys::classify_key_id(v),
                    KeyIdShape::Placeholder | KeyIdShape::Example
                ),
                _ => !keys::is_placeholder(v) && !keys::is_example_secret(v),
            })
        });
        // `boto3.client(…)`, `a new S3Client`, `aws.Credentials{…}`, `a credentials object`.
        let what = if g.name.contains(' ') {
            format!("a {}", g.name)
        } else if g.name.ends_with('}') {
            g.name.clone()
        } else {
            format!("{}(…)", g.name)
        };
        let (level, msg) = if literal {
            (
                Level::Error,
                format!(
                    "{what} is given credentials written in the code: they are leaked with the source and override every other source"
                ),
            )
        } else {
            (
                Level::Warning,
                format!(
                    "{what} is given credentials explicitly: this bypasses the SDK's credential chain (profiles, SSO, roles)"
                ),
            )
        };
        out.push(
            Finding::new(
                RuleId::ExplicitCredentialsInCode,
                ws.location(g.file, g.anchor),
                msg,
            )
            .level(level),
        );
    }
}

/// A literal too short to be any AWS credential and without a key-id prefix: the `"test"`,
/// `"testing"` or `"minioadmin"` that tests (moto), `LocalStack` and `MinIO` clients are given.
/// It leaks nothing, and pointing a client at an emulator is meant to bypass the chain.
pub(super) fn emulator_value(v: &str) -> bool {
    v.len() < 16
        && !["AKIA", "ASIA", "ABIA", "ACCA"]
            .iter()
            .any(|p| v.starts_with(p))
}
