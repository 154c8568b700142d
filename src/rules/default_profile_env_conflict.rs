//! CL310: `AWS_DEFAULT_PROFILE` and `AWS_PROFILE` set to different values.

use super::RuleId;
use crate::finding::Finding;
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

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
        let msg = format!(
            "AWS_DEFAULT_PROFILE={dv} and AWS_PROFILE={pv} disagree: boto3 and AWS CLI v1 use `{dv}`, AWS CLI v2 and most other SDKs use `{pv}`"
        );
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
