//! CL302: one profile with static keys in both the credentials and the config file.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for v in ws.home_views() {
        for (name, creds) in &v.credentials {
            let (Some(config), Some(creds_id)) =
                (v.config.profiles.get(name), creds.get("aws_access_key_id"))
            else {
                continue;
            };
            let Some(config_id) = config.get("aws_access_key_id") else {
                continue;
            };
            let (Some(at), Some(rel)) = (
                ws.location_of(&config_id.loc),
                ws.location_of(&creds_id.loc),
            ) else {
                continue;
            };
            let msg = format!(
                "profile `{name}` has static keys in both files; the credentials file wins, so these config-file keys are never used"
            );
            out.push(
                Finding::new(RuleId::ProfileShadowedAcrossFiles, at, msg)
                    .related(rel, "these keys win"),
            );
        }
    }
}
