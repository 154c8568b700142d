//! The rules. Each rule is one module here (a pure function of the workspace), one row
//! in the registry table (`rules/registry.rs`, which also generates the module's `mod`
//! line), one TOML file in `rules/` (code, name, level, documentation) and a fixture tree
//! in `fixtures/rules/<name>/` with files it flags and files it leaves clean. Helpers
//! two rules share live in `rules/common.rs`; a rule module never imports another.

mod common;
mod registry;

pub use registry::{Category, Docs, FixSafety, Precision, RuleId, RuleMeta, TestCode};

use crate::finding::Finding;
use crate::model::Workspace;

macro_rules! rule_modules {
    ($($variant:ident = $code:literal, $name:literal, $module:ident;)*) => {
        $(mod $module;)*

        /// Run one rule over the workspace, adding its findings to `out`.
        fn check(rule: RuleId, ws: &Workspace, out: &mut Vec<Finding>) {
            match rule { $(RuleId::$variant => $module::check(ws, out)),* }
        }
    };
}

registry::rule_table!(rule_modules);

/// Run `rules` over the workspace; findings come back sorted and de-duplicated, before
/// suppressions (the check pipeline applies them: `crate::check::judge`).
#[must_use]
pub fn run(ws: &Workspace, rules: &[RuleId]) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in rules.iter().filter(|r| **r != RuleId::UnusedSuppression) {
        check(*r, ws, &mut out);
    }
    // CL603 reads the other rules' findings (a suppression is used when it covers one),
    // so it runs after them.
    if rules.contains(&RuleId::UnusedSuppression) {
        check(RuleId::UnusedSuppression, ws, &mut out);
    }
    name_notebook_cells(ws, &mut out);
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup_by(|a, b| a.rule == b.rule && a.location == b.location && a.message == b.message);
    out
}

/// A finding in a notebook says which cell it is in: its line is the notebook file's line
/// (inside the cell's JSON), which is not what a notebook editor shows.
fn name_notebook_cells(ws: &Workspace, out: &mut [Finding]) {
    use std::fmt::Write as _;
    for f in out {
        let Ok(i) = ws
            .files
            .binary_search_by(|x| x.source.path.as_str().cmp(&f.location.path))
        else {
            continue;
        };
        let crate::parse::Parsed::Code { cells, .. } = &ws.files[i].parsed else {
            continue;
        };
        let at = f.location.span.start;
        if let Some((_, n)) = cells.iter().find(|(s, _)| s.start <= at && at <= s.end) {
            let _ = write!(f.message, " (notebook cell {n})");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn rules_are_listed_in_code_order() {
        let codes: Vec<&str> = RuleId::ALL.iter().map(|r| r.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn codes_and_names_are_unique_and_match_their_toml() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for r in RuleId::ALL {
            assert!(codes.insert(r.code()), "duplicate code {}", r.code());
            assert!(names.insert(r.name()), "duplicate name {}", r.name());
            let m = r.meta();
            assert_eq!(m.code, r.code());
            assert_eq!(m.name, r.name());
            for (section, text) in [
                ("what", &m.docs.what),
                ("why", &m.docs.why),
                ("example", &m.docs.example),
                ("use_instead", &m.docs.use_instead),
            ] {
                assert!(
                    text.trim().len() > 20,
                    "{}: docs.{section} is too thin",
                    r.code()
                );
            }
            assert!(!m.summary.is_empty() && !m.help.is_empty());
            assert!(
                m.security_severity
                    .is_none_or(|s| (0.1..=10.0).contains(&s)),
                "{}: GitHub's security-severity bands start at 0.1",
                r.code()
            );
        }
    }
}
