//! CL309: a key id in one file and its secret in the other: botocore does not merge them.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for v in ws.home_views() {
        for (name, creds) in &v.credentials {
            let Some(config) = v.config.profiles.get(name) else {
                continue;
            };
            let pairs = [
                (creds, config, "credentials", "config"),
                (config, creds, "config", "credentials"),
            ];
            for (with_id, other, id_file, other_file) in pairs {
                let Some(id) = with_id.get("aws_access_key_id") else {
                    continue;
                };
                if with_id.has("aws_secret_access_key") {
                    continue;
                }
                let Some(secret) = other.get("aws_secret_access_key") else {
                    continue;
                };
                let (Some(at), Some(rel)) = (ws.location_of(&id.loc), ws.location_of(&secret.loc))
                else {
                    continue;
                };
                let msg = format!(
                    "profile `{name}` has its key id in the {id_file} file and its secret in the {other_file} file; botocore reads each file alone and raises PartialCredentialsError"
                );
                out.push(
                    Finding::new(RuleId::SplitKeyPair, at, msg)
                        .related(rel, "the secret botocore does not pair with it"),
                );
            }
        }
    }
}
