//! CL405: `duration_seconds` that is not an integer in 900..=43200.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for v in ws.home_views() {
        for name in v.profile_names() {
            let Some(d) = v.merged[name].get("duration_seconds") else {
                continue;
            };
            let msg = match d.value.trim().parse::<i64>() {
                Ok(n) if (900..=43200).contains(&n) => continue,
                Ok(n) => format!(
                    "duration_seconds = {n} in profile `{name}` is outside 900..43200; STS rejects the AssumeRole call"
                ),
                Err(_) => format!(
                    "duration_seconds = {} in profile `{name}` is not an integer; botocore silently drops it and uses the 1-hour default",
                    d.value
                ),
            };
            if let Some(at) = ws.location_of(&d.loc) {
                out.push(Finding::new(RuleId::DurationOutOfRange, at, msg));
            }
        }
    }
}
