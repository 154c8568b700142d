//! CL603: a `credlint:ignore` comment that suppresses nothing, or names an unknown rule.
//! It reads the other rules' findings, so the registry runs it after them; the check
//! pipeline, not this rule, removes the findings suppressions cover.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::suppress;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let suppressions = suppress::find(ws);
    for s in suppress::unused(ws, out, &suppressions) {
        let msg = if s.unknown.is_empty() {
            "this credlint:ignore comment suppresses nothing".to_owned()
        } else {
            format!(
                "credlint:ignore names unknown rule(s): {}",
                s.unknown.join(", ")
            )
        };
        out.push(Finding::new(
            RuleId::UnusedSuppression,
            ws.location(s.file, s.span),
            msg,
        ));
    }
}
