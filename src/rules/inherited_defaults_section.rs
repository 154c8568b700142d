//! CL311: a `[DEFAULT]` section whose keys leak into every profile of the file.

use super::RuleId;
use crate::finding::Finding;
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Defaults && !g.settings.is_empty())
    {
        let sections = ws
            .groups
            .iter()
            .filter(|o| o.file == g.file && o.kind == GroupKind::Section)
            .count();
        let keys: Vec<&str> = g.settings.iter().map(|s| s.key.as_str()).collect();
        let creds = g.settings.iter().any(|s| {
            matches!(
                s.slot,
                Slot::KeyId | Slot::Secret | Slot::Token | Slot::RoleArn | Slot::CredentialProcess
            )
        });
        let msg = format!(
            "[DEFAULT] is not a profile: its keys ({}) are inherited by all {sections} section(s) of this file{}",
            keys.join(", "),
            if creds {
                ", so every profile gets these credentials"
            } else {
                ""
            }
        );
        out.push(Finding::new(
            RuleId::InheritedDefaultsSection,
            ws.location(g.file, g.anchor),
            msg,
        ));
    }
}
