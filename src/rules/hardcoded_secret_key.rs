//! CL102: a literal 40-character secret assigned to a secret-key name.

use super::RuleId;
use crate::finding::{Finding, Related};
use crate::keys;
use crate::model::Workspace;
use crate::model::slot::{Slot, is_secret_name};
use crate::parse::Parsed;
use crate::source::Span;

/// Later occurrences listed as related locations, at most.
const SHOWN_AGAIN: usize = 3;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    // Every place a secret-shaped literal is written under a secret name, per file. A
    // secret passed to an SDK call is both a group setting and a loose pair of the code's
    // text: one place.
    let mut places: Vec<(usize, Span, &str, &str)> = Vec::new();
    for g in &ws.groups {
        for s in g
            .settings
            .iter()
            .filter(|s| !s.inherited || g.kind != crate::model::GroupKind::Section)
        {
            let named = s.slot == Slot::Secret || is_secret_name(&s.key);
            if let Some(v) = s
                .literal_value()
                .filter(|v| named && keys::is_secret_shaped(v))
            {
                places.push((g.file, s.value_span, &s.key, v));
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
            places.push((i, p.value_span, &p.key, &p.value));
        }
    }
    places.sort_by_key(|&(file, span, ..)| (file, span.start, span.end));
    places.dedup_by_key(|&mut (file, span, ..)| (file, span));
    // One finding per secret and file, at its first place: a secret is rotated once,
    // however often a file repeats it (a recorded report repeats one secret per entry).
    let mut reported: Vec<(usize, &str, usize)> = Vec::new();
    for &(file, span, key, value) in &places {
        if let Some(&(_, _, at)) = reported.iter().find(|(f, v, _)| *f == file && *v == value) {
            if out[at].related.len() < SHOWN_AGAIN {
                out[at].related.push(Related {
                    location: ws.location(file, span),
                    message: "the same secret again".to_owned(),
                });
            }
            continue;
        }
        reported.push((file, value, out.len()));
        out.push(Finding::new(
            RuleId::HardcodedSecretKey,
            ws.location(file, span),
            format!("secret access key hard-coded in `{key}`"),
        ));
    }
    // Say how often, as CL101 does.
    for &(file, value, at) in &reported {
        let times = places
            .iter()
            .filter(|(f, _, _, v)| *f == file && *v == value)
            .count();
        if times > 1 {
            let message = format!("{} ({times} times)", out[at].message);
            out[at].message = message;
        }
    }
}
