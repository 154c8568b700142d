//! CL103: an SDK client, session or credentials object built with credentials written in
//! the code.

use super::RuleId;
use super::common::stand_in;
use crate::finding::{Finding, Level};
use crate::keys::{self, KeyIdShape};
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws.groups.iter().filter(|g| g.kind == GroupKind::Code) {
        // Keys from parameters, variables or the environment are how SDK code, tests and
        // the assume-role pattern pass credentials on: only literals are leaked with the
        // source, and only those that could be credentials at all.
        // A literal key id must be one that can sign (a broken one is CL204's finding and
        // leaks no working pair); without one, a literal secret is the leak.
        let literal = match g.get(Slot::KeyId).and_then(|s| s.literal_value()) {
            Some(id) => {
                matches!(
                    keys::classify_key_id(id),
                    KeyIdShape::LongLived | KeyIdShape::Temporary | KeyIdShape::Special
                ) && !stand_in(Slot::KeyId, id)
            }
            None => g
                .get(Slot::Secret)
                .and_then(|s| s.literal_value())
                .is_some_and(|v| !stand_in(Slot::Secret, v)),
        };
        if !literal {
            continue;
        }
        // `boto3.client(…)`, `a new S3Client`, `credentials.StaticCredentialsProvider{…}`.
        let what = if g.name.contains(' ') {
            format!("a {}", g.name)
        } else if g.name.ends_with('}') {
            g.name.clone()
        } else {
            format!("{}(…)", g.name)
        };
        out.push(
            Finding::new(
                RuleId::ExplicitCredentialsInCode,
                ws.location(g.file, g.anchor),
                format!(
                    "{what} is given credentials written in the code: they are leaked with the source and override every other source"
                ),
            )
            .level(Level::Error),
        );
    }
}
