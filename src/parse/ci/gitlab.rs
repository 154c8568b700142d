//! `.gitlab-ci.yml`: global and job `variables:`.

use super::common::{CiFile, EnvBlock, parse_yaml, var_from};
use crate::parse::env::EnvAssignment;
use crate::parse::yaml::{Node, Yaml};

/// A `.gitlab-ci.yml`: global and job `variables:`.
#[must_use]
pub fn gitlab_ci(text: &str) -> CiFile {
    let docs = match parse_yaml(text) {
        Ok(d) => d,
        Err(f) => return *f,
    };
    let mut out = CiFile::default();
    for doc in &docs {
        let global = doc.get("variables").map(|v| {
            out.env_blocks.push(EnvBlock {
                scope: "global variables".into(),
                anchor: v.span,
                vars: gitlab_vars(v),
                inherits: Vec::new(),
                env_files: Vec::new(),
            });
            out.env_blocks.len() - 1
        });
        for (name, job) in doc.entries() {
            if name.as_str() == Some("variables") {
                continue;
            }
            if let Some(v) = job.get("variables") {
                // `inherit: variables: false` cuts the global variables off.
                let inherits = job
                    .get("inherit")
                    .and_then(|i| i.get("variables"))
                    .and_then(Node::as_str)
                    != Some("false");
                let scope = format!("variables of job {}", name.as_str().unwrap_or("?"));
                out.env_blocks.push(EnvBlock {
                    scope,
                    anchor: v.span,
                    vars: gitlab_vars(v),
                    inherits: global.filter(|_| inherits).into_iter().collect(),
                    env_files: Vec::new(),
                });
            }
        }
    }
    out
}

/// GitLab variables are `KEY: value` or `KEY: { value: …, description: … }`.
fn gitlab_vars(node: &Node) -> Vec<EnvAssignment> {
    node.entries()
        .iter()
        .filter_map(|(k, v)| match &v.value {
            Yaml::Map(_) => v.get("value").and_then(|inner| var_from(k, inner)),
            _ => var_from(k, v),
        })
        .collect()
}
