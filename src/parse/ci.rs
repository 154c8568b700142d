//! CI workflows and containers: GitHub Actions, GitLab CI, Dockerfiles and docker-compose
//! files, reduced to the environment they set and the AWS credential steps they run.

use super::env::{EnvAssignment, ValueOrigin};
use super::yaml::{self, Node, Yaml};
use crate::source::Span;

/// A set of variables that act together (a workflow/job/step `env:`, GitLab `variables:`, a
/// compose service's `environment:`, a Dockerfile's `ENV`/`ARG` lines).
#[derive(Clone, Debug)]
pub struct EnvBlock {
    /// `env` of job `build`, `environment` of service `api`, …
    pub scope: String,
    pub anchor: Span,
    pub vars: Vec<EnvAssignment>,
}

/// A GitHub Actions step that configures AWS credentials.
#[derive(Clone, Debug)]
pub struct AwsStep {
    pub job: String,
    /// The `uses:` value.
    pub span: Span,
    /// `aws-access-key-id` in `with:`, if any (its key).
    pub static_key: Option<Span>,
    pub role_to_assume: bool,
    /// `permissions: id-token: write` at the workflow or job level.
    pub id_token_write: bool,
}

/// A Dockerfile `ENV`/`ARG` that sets a variable.
#[derive(Clone, Debug)]
pub struct ImageVar {
    pub instruction: &'static str,
    pub var: EnvAssignment,
}

#[derive(Clone, Debug, Default)]
pub struct CiFile {
    pub env_blocks: Vec<EnvBlock>,
    pub aws_steps: Vec<AwsStep>,
    pub image_vars: Vec<ImageVar>,
    /// `env_file:` entries of compose services.
    pub env_files: Vec<(String, Span)>,
    /// A parse error (position, message).
    pub error: Option<(usize, String)>,
}

fn origin(text: &str, quoted: bool) -> ValueOrigin {
    if text.contains("${{") || text.contains('$') && !quoted || text.contains("${") {
        ValueOrigin::Reference
    } else {
        ValueOrigin::Literal
    }
}

fn var_from(key: &Node, value: &Node) -> Option<EnvAssignment> {
    let k = key.as_str()?;
    let (v, quoted) = match &value.value {
        Yaml::Scalar { text, quoted } => (text.clone(), *quoted),
        _ => return None,
    };
    Some(EnvAssignment {
        key: k.to_owned(),
        key_span: key.span,
        origin: origin(&v, quoted),
        value: Some(v),
        value_span: value.span,
        exported: true,
        command_prefix: false,
    })
}

/// `environment:` as a map (`KEY: v`) or a list (`- KEY=v`).
fn env_of(node: &Node) -> Vec<EnvAssignment> {
    match &node.value {
        Yaml::Map(pairs) => pairs.iter().filter_map(|(k, v)| var_from(k, v)).collect(),
        Yaml::Seq(items) => items
            .iter()
            .filter_map(|i| {
                let s = i.as_str()?;
                let (k, v) = s.split_once('=')?;
                let value_start = i.span.start + k.len() + 1;
                Some(EnvAssignment {
                    key: k.to_owned(),
                    key_span: Span::new(i.span.start, i.span.start + k.len()),
                    origin: origin(v, false),
                    value: Some(v.to_owned()),
                    value_span: Span::new(value_start, value_start + v.len()),
                    exported: true,
                    command_prefix: false,
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn id_token_write(node: Option<&Node>) -> bool {
    node.is_some_and(|p| {
        p.as_str() == Some("write-all") || p.get("id-token").and_then(Node::as_str) == Some("write")
    })
}

fn parse_yaml(text: &str) -> Result<Vec<Node>, Box<CiFile>> {
    yaml::parse(text).map_err(|e| {
        Box::new(CiFile {
            error: Some(e),
            ..CiFile::default()
        })
    })
}

/// A GitHub Actions workflow.
#[must_use]
pub fn github_workflow(text: &str) -> CiFile {
    let docs = match parse_yaml(text) {
        Ok(d) => d,
        Err(f) => return *f,
    };
    let mut out = CiFile::default();
    for doc in &docs {
        let workflow_token = id_token_write(doc.get("permissions"));
        if let Some(env) = doc.get("env") {
            out.env_blocks.push(EnvBlock {
                scope: "workflow env".into(),
                anchor: env.span,
                vars: env_of(env),
            });
        }
        for (job_name, job) in doc.get("jobs").map(Node::entries).unwrap_or_default() {
            let job_id = job_name.as_str().unwrap_or("?").to_owned();
            let token = workflow_token || id_token_write(job.get("permissions"));
            if let Some(env) = job.get("env") {
                out.env_blocks.push(EnvBlock {
                    scope: format!("env of job {job_id}"),
                    anchor: env.span,
                    vars: env_of(env),
                });
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
                let static_key = with.and_then(|w| {
                    w.entries()
                        .iter()
                        .find(|(k, _)| k.as_str() == Some("aws-access-key-id"))
                        .map(|(k, _)| k.span)
                });
                let role = with.and_then(|w| w.get("role-to-assume")).is_some();
                out.aws_steps.push(AwsStep {
                    job: job_id.clone(),
                    span: uses.span,
                    static_key,
                    role_to_assume: role,
                    id_token_write: token,
                });
            }
        }
    }
    out
}

/// A `.gitlab-ci.yml`: global and job `variables:`.
#[must_use]
pub fn gitlab_ci(text: &str) -> CiFile {
    let docs = match parse_yaml(text) {
        Ok(d) => d,
        Err(f) => return *f,
    };
    let mut out = CiFile::default();
    for doc in &docs {
        if let Some(v) = doc.get("variables") {
            out.env_blocks.push(EnvBlock {
                scope: "global variables".into(),
                anchor: v.span,
                vars: gitlab_vars(v),
            });
        }
        for (name, job) in doc.entries() {
            if let Some(v) = job.get("variables") {
                let scope = format!("variables of job {}", name.as_str().unwrap_or("?"));
                out.env_blocks.push(EnvBlock {
                    scope,
                    anchor: v.span,
                    vars: gitlab_vars(v),
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

/// A docker-compose file: each service's `environment:` and `env_file:`.
#[must_use]
pub fn compose(text: &str) -> CiFile {
    let docs = match parse_yaml(text) {
        Ok(d) => d,
        Err(f) => return *f,
    };
    let mut out = CiFile::default();
    for doc in &docs {
        for (name, service) in doc.get("services").map(Node::entries).unwrap_or_default() {
            let service_name = name.as_str().unwrap_or("?");
            if let Some(env) = service.get("environment") {
                out.env_blocks.push(EnvBlock {
                    scope: format!("environment of service {service_name}"),
                    anchor: env.span,
                    vars: env_of(env),
                });
            }
            if let Some(files) = service.get("env_file") {
                let list: Vec<&Node> = match &files.value {
                    Yaml::Seq(items) => items.iter().map(|i| i.get("path").unwrap_or(i)).collect(),
                    _ => vec![files],
                };
                out.env_files.extend(
                    list.into_iter()
                        .filter_map(|f| f.as_str().map(|s| (s.to_owned(), f.span))),
                );
            }
        }
    }
    out
}

/// A Dockerfile: `ENV KEY=value`, `ENV KEY value`, `ARG KEY[=default]`, with line
/// continuations.
#[must_use]
pub fn dockerfile(text: &str) -> CiFile {
    let mut out = CiFile::default();
    let mut offset = 0;
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let (start, mut acc) = pending.take().unwrap_or((offset, String::new()));
        if acc.is_empty() {
            acc.push_str(body);
        } else {
            acc.push(' ');
            acc.push_str(body.trim_start());
        }
        if let Some(stripped) = acc.strip_suffix('\\') {
            pending = Some((start, stripped.to_owned()));
        } else {
            logical.push((start, acc));
        }
        offset += line.len();
    }
    if let Some(p) = pending {
        logical.push(p);
    }
    for (start, line) in logical {
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let mut words = trimmed.splitn(2, char::is_whitespace);
        let instruction = match words.next().map(str::to_ascii_uppercase).as_deref() {
            Some("ENV") => "ENV",
            Some("ARG") => "ARG",
            _ => continue,
        };
        let rest = words.next().unwrap_or("");
        let rest_start =
            start + lead + instruction.len() + (trimmed.len() - instruction.len() - rest.len());
        // Positions are exact on the first physical line of an instruction.
        let items: Vec<(String, Option<String>, usize)> = if instruction == "ENV"
            && !rest.split_whitespace().next().unwrap_or("").contains('=')
        {
            let mut kv = rest.splitn(2, char::is_whitespace);
            let k = kv.next().unwrap_or("").to_owned();
            let v = kv.next().map(|v| v.trim().trim_matches('"').to_owned());
            vec![(k, v, rest_start)]
        } else {
            let mut pos = rest_start;
            let mut v = Vec::new();
            for w in rest.split(' ') {
                if !w.is_empty() {
                    let (k, val) = match w.split_once('=') {
                        Some((k, val)) => (k.to_owned(), Some(val.trim_matches('"').to_owned())),
                        None => (w.to_owned(), None),
                    };
                    v.push((k, val, pos));
                }
                pos += w.len() + 1;
            }
            v
        };
        for (key, value, at) in items {
            if key.is_empty() {
                continue;
            }
            let key_span = Span::new(at, (at + key.len()).min(text.len()));
            let value_start = (key_span.end + 1).min(text.len());
            let value_len = value.as_ref().map_or(0, String::len);
            let value_span = Span::new(value_start, (value_start + value_len).min(text.len()));
            let origin = value
                .as_deref()
                .map_or(ValueOrigin::Literal, |v| origin(v, false));
            let var = EnvAssignment {
                key,
                key_span,
                value,
                value_span,
                origin,
                exported: true,
                command_prefix: false,
            };
            out.image_vars.push(ImageVar { instruction, var });
        }
    }
    if !out.image_vars.is_empty() {
        let vars = out.image_vars.iter().map(|i| i.var.clone()).collect();
        out.env_blocks.push(EnvBlock {
            scope: "image environment".into(),
            anchor: Span::new(0, 0),
            vars,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_steps_and_env() {
        let w = "permissions:\n  contents: read\njobs:\n  deploy:\n    env:\n      AWS_REGION: eu-west-1\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.KEY }}\n          aws-secret-access-key: ${{ secrets.SECRET }}\n";
        let f = github_workflow(w);
        assert_eq!(f.aws_steps.len(), 1);
        assert!(f.aws_steps[0].static_key.is_some() && !f.aws_steps[0].id_token_write);
        assert_eq!(f.env_blocks[0].vars[0].key, "AWS_REGION");
    }

    #[test]
    fn dockerfile_env_and_arg() {
        let d = "FROM python:3\nARG AWS_SECRET_ACCESS_KEY\nENV AWS_ACCESS_KEY_ID=AKIAX REGION=x\nENV OLD value with spaces\n";
        let f = dockerfile(d);
        let keys: Vec<&str> = f.image_vars.iter().map(|v| v.var.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "AWS_SECRET_ACCESS_KEY",
                "AWS_ACCESS_KEY_ID",
                "REGION",
                "OLD"
            ]
        );
        let v = &f.image_vars[1].var;
        assert_eq!(&d[v.key_span.start..v.key_span.end], "AWS_ACCESS_KEY_ID");
        assert_eq!(&d[v.value_span.start..v.value_span.end], "AKIAX");
    }

    #[test]
    fn compose_environment_forms() {
        let c = "services:\n  api:\n    environment:\n      - AWS_PROFILE=dev\n    env_file: .env\n  worker:\n    environment:\n      AWS_ACCESS_KEY_ID: \"AKIAY\"\n";
        let f = compose(c);
        assert_eq!(f.env_blocks.len(), 2);
        let v = &f.env_blocks[0].vars[0];
        assert_eq!(&c[v.value_span.start..v.value_span.end], "dev");
        assert_eq!(f.env_files[0].0, ".env");
    }
}
