//! GitHub Actions workflows: `env:` blocks and `configure-aws-credentials` steps.

use super::common::{AwsStep, CiFile, EnvBlock, env_of, id_token_write, parse_yaml, var_from};
use crate::parse::env::EnvAssignment;
use crate::parse::yaml::Node;

/// The credential inputs of a `configure-aws-credentials` step.
const AWS_INPUTS: [&str; 4] = [
    "aws-access-key-id",
    "aws-secret-access-key",
    "aws-session-token",
    "role-to-assume",
];

/// A GitHub Actions workflow.
#[must_use]
pub fn github_workflow(text: &str) -> CiFile {
    let docs = match parse_yaml(text) {
        Ok(d) => d,
        Err(f) => return *f,
    };
    let mut out = CiFile::default();
    for doc in &docs {
        let workflow_token = doc.get("permissions").is_some_and(id_token_write);
        let workflow_env = doc.get("env").map(|env| {
            out.env_blocks.push(EnvBlock {
                scope: "workflow env".into(),
                anchor: env.span,
                vars: env_of(env),
                inherits: Vec::new(),
                env_files: Vec::new(),
            });
            out.env_blocks.len() - 1
        });
        for (job_name, job) in doc.get("jobs").map(Node::entries).unwrap_or_default() {
            let job_id = job_name.as_str().unwrap_or("?").to_owned();
            // A job's `permissions:` replaces the workflow's entirely.
            let token = job
                .get("permissions")
                .map_or(workflow_token, id_token_write);
            let mut outer: Vec<usize> = workflow_env.into_iter().collect();
            if let Some(env) = job.get("env") {
                out.env_blocks.push(EnvBlock {
                    scope: format!("env of job {job_id}"),
                    anchor: env.span,
                    vars: env_of(env),
                    inherits: outer.clone(),
                    env_files: Vec::new(),
                });
                outer.push(out.env_blocks.len() - 1);
            }
            for (i, step) in job
                .get("steps")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if let Some(env) = step.get("env") {
                    out.env_blocks.push(EnvBlock {
                        scope: format!("env of step {} in job {job_id}", i + 1),
                        anchor: env.span,
                        vars: env_of(env),
                        inherits: outer.clone(),
                        env_files: Vec::new(),
                    });
                }
                let Some(uses) = step.get("uses") else {
                    continue;
                };
                if !uses
                    .as_str()
                    .is_some_and(|u| u.starts_with("aws-actions/configure-aws-credentials"))
                {
                    continue;
                }
                let with = step.get("with");
                let inputs: Vec<EnvAssignment> = with
                    .map(Node::entries)
                    .unwrap_or_default()
                    .iter()
                    .filter(|(k, _)| k.as_str().is_some_and(|k| AWS_INPUTS.contains(&k)))
                    .filter_map(|(k, v)| var_from(k, v))
                    .collect();
                let static_key = inputs
                    .iter()
                    .find(|v| v.key == "aws-access-key-id")
                    .map(|v| v.key_span);
                let role = inputs.iter().any(|v| v.key == "role-to-assume");
                out.aws_steps.push(AwsStep {
                    job: job_id.clone(),
                    span: uses.span,
                    static_key,
                    role_to_assume: role,
                    id_token_write: token,
                    inputs,
                });
            }
        }
    }
    out
}
