//! CL603: a `credlint:ignore` comment that suppresses nothing, or names an unknown rule.
//! This rule also applies the suppressions: it runs after every other rule.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::suppress;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let suppressions = suppress::find(ws);
    for s in suppress::apply(ws, out, &suppressions) {
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
