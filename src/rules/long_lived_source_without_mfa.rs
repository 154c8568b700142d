//! CL404: a role chain that ends at long-lived keys with no `mfa_serial`.

use super::RuleId;
use crate::finding::Finding;
use crate::keys::{self, KeyIdShape};
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for v in ws.home_views() {
        for start in v.profile_names() {
            let first = &v.merged[start];
            let Some(arn) = first.get("role_arn") else {
                continue;
            };
            let mut mfa = false;
            let mut current = start.to_owned();
            let mut seen = vec![current.clone()];
            let end = loop {
                let p = &v.merged[&current];
                mfa |= p.has("mfa_serial");
                let Some(next) = p.get("source_profile").map(|s| s.value.clone()) else {
                    break None;
                };
                let Some(np) = v.merged.get(&next) else {
                    break None;
                };
                if let Some(id) = np.get("aws_access_key_id") {
                    break Some((next, id.clone()));
                }
                if seen.contains(&next) {
                    break None;
                }
                seen.push(next.clone());
                current = next;
            };
            let Some((source, id)) = end else { continue };
            if mfa || keys::classify_key_id(&id.value) != KeyIdShape::LongLived {
                continue;
            }
            let Some(at) = ws.location_of(&arn.loc) else {
                continue;
            };
            let mut f = Finding::new(
                RuleId::LongLivedSourceWithoutMfa,
                at,
                format!(
                    "role profile `{start}` is assumed with the long-lived key of profile `{source}` and no mfa_serial: whoever has that key gets the role"
                ),
            );
            if let Some(rel) = ws.location_of(&id.loc) {
                f = f.related(rel, "the long-lived source key");
            }
            out.push(f);
        }
    }
}
