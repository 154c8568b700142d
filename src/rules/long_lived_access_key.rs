//! CL101: an `AKIA…` key id anywhere in a file credlint reads. One finding per key id and
//! file, at its first occurrence: a key is rotated once, however often a file repeats it
//! (a scanner's test suite repeats one fake key hundreds of times).

use super::RuleId;
use crate::discover::GitStatus;
use crate::finding::{Finding, Level};
use crate::keys::{self, KeyIdShape};
use crate::model::Workspace;
use crate::source::Span;

/// Later occurrences listed as related locations, at most.
const SHOWN_AGAIN: usize = 3;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        let mut seen: Vec<(&str, Vec<Span>)> = Vec::new();
        for (s, e) in keys::find_key_ids(&f.source.text) {
            let id = &f.source.text[s..e];
            if keys::classify_key_id(id) != KeyIdShape::LongLived {
                continue;
            }
            match seen.iter_mut().find(|(k, _)| *k == id) {
                Some((_, spans)) => spans.push(Span::new(s, e)),
                None => seen.push((id, vec![Span::new(s, e)])),
            }
        }
        for (id, spans) in seen {
            let (level, tail) = if f.git == GitStatus::Ignored {
                (
                    Level::Warning,
                    "; git ignores this file, but the key still never expires",
                )
            } else {
                (Level::Error, "")
            };
            let times = if spans.len() > 1 {
                format!(" ({} times)", spans.len())
            } else {
                String::new()
            };
            let msg = format!(
                "long-lived access key {} in {} file{times}{tail}",
                keys::redact_key_id(id),
                f.kind.as_str()
            );
            let mut finding =
                Finding::new(RuleId::LongLivedAccessKey, ws.location(i, spans[0]), msg)
                    .level(level);
            for &again in spans.iter().skip(1).take(SHOWN_AGAIN) {
                finding = finding.related(ws.location(i, again), "the same key again");
            }
            out.push(finding);
        }
    }
}
