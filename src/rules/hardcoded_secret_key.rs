//! CL102: a literal 40-character secret assigned to a secret-key name.

use super::RuleId;
use crate::finding::Finding;
use crate::keys;
use crate::model::Workspace;
use crate::model::slot::{Slot, is_secret_name};
use crate::parse::Parsed;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let mut report = |file: usize, key: &str, span| {
        let msg = format!("secret access key hard-coded in `{key}`");
        out.push(Finding::new(
            RuleId::HardcodedSecretKey,
            ws.location(file, span),
            msg,
        ));
    };
    for g in &ws.groups {
        for s in g
            .settings
            .iter()
            .filter(|s| !s.inherited || g.kind != crate::model::GroupKind::Section)
        {
            let named = s.slot == Slot::Secret || is_secret_name(&s.key);
            if named && s.literal_value().is_some_and(keys::is_secret_shaped) {
                report(g.file, &s.key, s.value_span);
            }
        }
    }
    for (i, f) in ws.files.iter().enumerate() {
        if let Parsed::Text(pairs) = &f.parsed {
            for p in pairs.iter().filter(|p| keys::is_secret_shaped(&p.value)) {
                report(i, &p.key, p.value_span);
            }
        }
    }
}
