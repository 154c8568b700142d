//! CL102: a literal 40-character secret assigned to a secret-key name.

use super::RuleId;
use crate::finding::Finding;
use crate::keys;
use crate::model::Workspace;
use crate::model::slot::{Slot, is_secret_name};
use crate::parse::Parsed;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    // A secret passed to an SDK call is both a group setting and a loose pair of the
    // code's text: one finding per place.
    let mut seen = std::collections::HashSet::new();
    let mut report = |file: usize, key: &str, span| {
        if !seen.insert((file, span)) {
            return;
        }
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
        let pairs = match &f.parsed {
            Parsed::Text(pairs) => pairs,
            // `AWS_SECRET_KEY = "…"` in code, whether or not it reaches an SDK call.
            Parsed::Code { code, .. } => &code.secret_pairs,
            _ => continue,
        };
        for p in pairs.iter().filter(|p| keys::is_secret_shaped(&p.value)) {
            report(i, &p.key, p.value_span);
        }
    }
}
