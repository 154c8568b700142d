//! CL503: a service principal of a service for which AWS documents confused-deputy
//! protection in the role's trust policy, without `aws:SourceAccount`/`aws:SourceArn`/
//! `aws:SourceOrgID` (or `aws:SourceOrgPaths`).
//!
//! Not every service principal is a deputy. Compute services that assume their own
//! execution role for the code a customer runs (EC2, Lambda, ECS tasks, …) take the role
//! only through `iam:PassRole`, which never crosses accounts, and service-linked roles
//! belong to AWS. The services below are the ones whose documentation tells customers to
//! put the source keys in the role's trust policy; the list is kept in step with the rule's
//! documentation (`rules/CL503-service-without-source-condition.toml`).

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::trust::{PrincipalKind, arn_account_pinned};

pub const SOURCE_KEYS: [&str; 4] = [
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

/// Services (the first label of `NAME.amazonaws.com`) whose guides document
/// `aws:SourceArn`/`aws:SourceAccount` in the trust policy of the roles they assume.
pub const DEPUTY_SERVICES: [&str; 20] = [
    "appstream",
    "appsync",
    "bedrock",
    "codebuild",
    "codepipeline",
    "config",
    "datasync",
    "dms",
    "events",
    "frauddetector",
    "greengrass",
    "iot",
    "logs",
    "monitoring",
    "personalize",
    "scheduler",
    "ssm",
    "states",
    "transfer",
    "vpc-flow-logs",
];

/// The service of a principal: `states` for `states.amazonaws.com`, `monitoring` for
/// `monitoring.rds.amazonaws.com`,
/// `states.${AWS::Region}.amazonaws.com` or `logs.eu-west-1.amazonaws.com.cn`.
#[must_use]
pub fn service_name(principal: &str) -> Option<&str> {
    let (name, rest) = principal.split_once('.')?;
    (rest.ends_with("amazonaws.com")
        || rest.ends_with("amazonaws.com.cn")
        || rest.ends_with("${AWS::URLSuffix}"))
    .then_some(name)
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for p in ws.trust_policies.iter().filter(|p| !p.service_linked) {
        for st in p
            .statements
            .iter()
            .filter(|s| s.allow && s.assumes() && !s.opaque)
        {
            if p.restricted(st, &SOURCE_KEYS, |c| {
                c.values
                    .iter()
                    .all(|v| v.unresolved || arn_account_pinned(&v.text))
            }) {
                continue;
            }
            for pr in st.principals.iter().filter(|pr| {
                pr.kind == PrincipalKind::Service
                    && service_name(&pr.value.text)
                        .is_some_and(|s| DEPUTY_SERVICES.contains(&s.to_ascii_lowercase().as_str()))
            }) {
                let msg = format!(
                    "{}: the service {} can be made to assume this role on behalf of another account (no aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition)",
                    p.role,
                    pr.value.shown()
                );
                out.push(Finding::new(
                    RuleId::ServiceWithoutSourceCondition,
                    ws.location(p.file, pr.value.span),
                    msg,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_by_principal() {
        assert_eq!(service_name("states.amazonaws.com"), Some("states"));
        assert_eq!(
            service_name("states.${AWS::Region}.amazonaws.com"),
            Some("states")
        );
        assert_eq!(
            service_name("logs.cn-north-1.amazonaws.com.cn"),
            Some("logs")
        );
        assert_eq!(service_name("${ServicePrincipal}"), None);
        assert!(!DEPUTY_SERVICES.contains(&"ec2"));
        assert!(!DEPUTY_SERVICES.contains(&"lambda"));
        assert!(!DEPUTY_SERVICES.contains(&"ecs-tasks"));
        let mut sorted = DEPUTY_SERVICES;
        sorted.sort_unstable();
        assert_eq!(sorted, DEPUTY_SERVICES, "kept sorted");
    }
}
