//! CL403: a `role_arn` that is not a well-formed IAM role ARN.

use super::RuleId;
use crate::finding::Finding;
use crate::keys;
use crate::model::Workspace;
use regex::Regex;
use std::sync::LazyLock;

static ROLE_ARN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::\d{12}:role/[A-Za-z0-9_+=,.@/-]{1,512}$").expect("static regex")
});

/// Whether `arn` is a well-formed IAM role ARN.
#[must_use]
pub fn is_role_arn(arn: &str) -> bool {
    ROLE_ARN.is_match(arn)
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for v in ws.home_views() {
        for name in v.profile_names() {
            let Some(arn) = v.merged[name].get("role_arn") else {
                continue;
            };
            if arn.value.is_empty() {
                if let Some(at) = ws.location_of(&arn.loc) {
                    let msg = format!(
                        "role_arn in profile `{name}` is empty (an ARN on the next, unindented line is a key of its own); botocore still assumes the role and the AssumeRole call fails"
                    );
                    out.push(Finding::new(RuleId::InvalidRoleArn, at, msg));
                }
                continue;
            }
            if is_role_arn(&arn.value)
                || keys::is_placeholder(&arn.value)
                || keys::is_template_role_arn(&arn.value)
            {
                continue;
            }
            let Some(at) = ws.location_of(&arn.loc) else {
                continue;
            };
            let msg = format!(
                "role_arn `{}` in profile `{name}` is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>); STS rejects it",
                arn.value
            );
            out.push(Finding::new(RuleId::InvalidRoleArn, at, msg));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_role_arn;

    #[test]
    fn role_arns() {
        assert!(is_role_arn("arn:aws:iam::111122223333:role/dev"));
        assert!(is_role_arn(
            "arn:aws-us-gov:iam::111122223333:role/path/to/Dev_Role+x=y,z.w@v-1"
        ));
        assert!(!is_role_arn("arn:aws:iam::11112222333:role/dev"));
        assert!(!is_role_arn("arn:aws:iam::111122223333:user/dev"));
        assert!(!is_role_arn("arn:aws:sts::111122223333:assumed-role/dev/s"));
        assert!(!is_role_arn("dev"));
    }
}
