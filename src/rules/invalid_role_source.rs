//! CL401: a role profile with neither or both of `source_profile`/`credential_source`, or an
//! unknown `credential_source`.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;

const SOURCES: [&str; 3] = ["Environment", "EcsContainer", "Ec2InstanceMetadata"];

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for v in ws.home_views() {
        for name in v.profile_names() {
            let p = &v.merged[name];
            let Some(arn) = p.get("role_arn") else {
                continue;
            };
            if p.has("web_identity_token_file") {
                continue;
            }
            let (loc, msg) = match (p.get("source_profile"), p.get("credential_source")) {
                (None, None) => (
                    &arn.loc,
                    format!(
                        "role profile `{name}` has neither source_profile nor credential_source; botocore raises PartialCredentialsError"
                    ),
                ),
                (Some(_), Some(cs)) => (
                    &cs.loc,
                    format!(
                        "role profile `{name}` has both source_profile and credential_source; botocore raises InvalidConfigError"
                    ),
                ),
                (None, Some(cs)) if !SOURCES.contains(&cs.value.as_str()) => (
                    &cs.loc,
                    format!(
                        "credential_source = {} is not one of Environment, EcsContainer, Ec2InstanceMetadata (case-sensitive); botocore raises InvalidConfigError",
                        cs.value
                    ),
                ),
                _ => continue,
            };
            if let Some(at) = ws.location_of(loc) {
                let msg = format!("{msg}{}", super::common::other_sdks(ws, &v.home, name));
                out.push(Finding::new(RuleId::InvalidRoleSource, at, msg));
            }
        }
    }
}
