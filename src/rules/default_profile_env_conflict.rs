//! CL310: `AWS_DEFAULT_PROFILE` and `AWS_PROFILE` set to different values.

use super::RuleId;
use crate::finding::Finding;
use crate::model::sdk::detect::Used;
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

/// Which profile each SDK the tree uses picks (docs/SDK-CHAINS.md, "Profile selection"):
/// botocore reads `AWS_DEFAULT_PROFILE` first; the CLI v2 and Go read `AWS_PROFILE` first; JS
/// v3 and Rust read only `AWS_PROFILE`. With no SDK detected, the tools in general.
fn message(ws: &Workspace, dv: &str, pv: &str) -> String {
    let head = format!("AWS_DEFAULT_PROFILE={dv} and AWS_PROFILE={pv} disagree");
    if ws.sdks.is_empty() {
        return format!(
            "{head}: boto3 and AWS CLI v1 use `{dv}`, AWS CLI v2 and most other SDKs use `{pv}`"
        );
    }
    let picks = |u: Used| if u == Used::Botocore { dv } else { pv };
    let mut parts: Vec<String> = ws
        .sdks
        .iter()
        .map(|(u, shown_by)| {
            format!(
                "{} ({shown_by}) uses `{}`",
                u.in_messages(),
                picks(*u)
            )
        })
        .collect();
    if !ws.sdks.contains_key(&Used::Botocore) {
        parts.push(format!("boto3 and the AWS CLI v1 would use `{dv}`"));
    }
    parts.push(format!("the AWS CLI v2 uses `{pv}`"));
    format!("{head}: {}", parts.join("; "))
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in ws.groups.iter().filter(|g| g.kind == GroupKind::Env) {
        let (Some(d), Some(p)) = (g.get(Slot::DefaultProfile), g.get(Slot::Profile)) else {
            continue;
        };
        let (Some(dv), Some(pv)) = (d.value.as_deref(), p.value.as_deref()) else {
            continue;
        };
        if dv == pv {
            continue;
        }
        let msg = message(ws, dv, pv);
        out.push(
            Finding::new(
                RuleId::DefaultProfileEnvConflict,
                ws.location(g.file, p.key_span),
                msg,
            )
            .related(ws.location(g.file, d.key_span), "botocore uses this one"),
        );
    }
}
