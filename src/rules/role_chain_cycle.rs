//! CL402: a `source_profile` cycle.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for v in ws.home_views() {
        for start in v.profile_names() {
            let mut path = vec![start.to_owned()];
            let mut current = start.to_owned();
            let cycle = loop {
                let p = &v.merged[&current];
                if !p.has("role_arn")
                    || p.has("web_identity_token_file")
                    || p.has("credential_source")
                {
                    break false;
                }
                let Some(next) = p.get("source_profile").map(|s| s.value.clone()) else {
                    break false;
                };
                let Some(np) = v.merged.get(&next) else {
                    break false;
                };
                let has_static = np.has("aws_access_key_id") || np.has("aws_secret_access_key");
                if next == current && has_static {
                    break false; // a profile may source its own static keys
                }
                if path.contains(&next) {
                    break next == start;
                }
                if has_static {
                    break false; // the chain ends at the source's static keys
                }
                path.push(next.clone());
                current = next;
            };
            if !cycle {
                continue;
            }
            let Some(sp) = v.merged[start].get("source_profile") else {
                continue;
            };
            let Some(at) = ws.location_of(&sp.loc) else {
                continue;
            };
            path.push(start.to_owned());
            let msg = format!(
                "source_profile cycle {}; botocore raises InfiniteLoopConfigError{}",
                path.join(" -> "),
                super::common::other_sdks(ws, &v.home, start)
            );
            out.push(Finding::new(RuleId::RoleChainCycle, at, msg));
        }
    }
}
