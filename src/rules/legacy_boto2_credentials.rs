//! CL602: credentials in a boto2 config, a source botocore keeps only for compatibility.

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws.groups.iter().filter(|g| g.kind != GroupKind::Defaults) {
        if ws.files[g.file].kind != FileKind::Boto2 || g.name != "Credentials" {
            continue;
        }
        let Some(id) = g.get(Slot::KeyId) else {
            continue;
        };
        let msg = "credentials in a boto2 config: botocore reads them only after every other file source, and boto2 itself is retired";
        out.push(Finding::new(
            RuleId::LegacyBoto2Credentials,
            ws.location(g.file, id.key_span),
            msg,
        ));
    }
}
