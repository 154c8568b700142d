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
    /// Blocks of the same file whose variables this one inherits and overrides (indices
    /// into [`CiFile::env_blocks`], outermost first): a step's `env:` sits inside its
    /// job's, which sits inside the workflow's; GitLab job variables override global ones.
    pub inherits: Vec<usize>,
    /// Compose `env_file:` entries (paths relative to the compose file), loaded under the
    /// block's own `environment:`, which wins.
    pub env_files: Vec<(String, Span)>,
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
    /// `permissions: id-token: write` in force for the job: the job's own `permissions:`
    /// when it has one (it replaces the workflow's), else the workflow's.
    pub id_token_write: bool,
    /// The credential inputs of `with:` (`aws-access-key-id`, `aws-secret-access-key`,
    /// `aws-session-token`, `role-to-assume`), as variables with spans.
    pub inputs: Vec<EnvAssignment>,
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
    /// A parse error (position, message).
    pub error: Option<(usize, String)>,
}

/// Values with `$` are filled in by the CI system, compose or the shell (`${{ secrets.X }}`,
/// `$DEPLOY_KEY`, `${AWS_SECRET:?}`): never a leaked literal.
fn origin(text: &str) -> ValueOrigin {
    if text.contains('$') {
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
    // `KEY:` with no value (or `~`/`null`) passes the variable through from the host in
    // compose, and unsets nothing elsewhere: set, but not knowable.
    if !quoted && matches!(v.as_str(), "" | "~" | "null" | "Null" | "NULL") {
        return Some(EnvAssignment {
            key: k.to_owned(),
            key_span: key.span,
            value: None,
            value_span: value.span,
            origin: ValueOrigin::Reference,
            exported: true,
            command_prefix: false,
        });
    }
    Some(EnvAssignment {
        key: k.to_owned(),
        key_span: key.span,
        origin: origin(&v),
        value: Some(v),
        value_span: value.span,
        exported: true,
        command_prefix: false,
    })
}

/// `environment:` as a map (`KEY: v`) or a list (`- KEY=v`, or `- KEY` to pass it through).
fn env_of(node: &Node) -> Vec<EnvAssignment> {
    match &node.value {
        Yaml::Map(pairs) => pairs.iter().filter_map(|(k, v)| var_from(k, v)).collect(),
        Yaml::Seq(items) => items
            .iter()
            .filter_map(|i| {
                let s = i.as_str()?;
                let Some((k, v)) = s.split_once('=') else {
                    let k = s.trim();
                    return (!k.is_empty()).then(|| EnvAssignment {
                        key: k.to_owned(),
                        key_span: Span::new(i.span.start, i.span.start + k.len()),
                        value: None,
                        value_span: Span::new(i.span.start + k.len(), i.span.start + k.len()),
                        origin: ValueOrigin::Reference,
                        exported: true,
                        command_prefix: false,
                    });
                };
                let value_start = i.span.start + k.len() + 1;
                Some(EnvAssignment {
                    key: k.to_owned(),
                    key_span: Span::new(i.span.start, i.span.start + k.len()),
                    origin: origin(v),
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

/// Whether a `permissions:` value grants `id-token: write`.
fn id_token_write(node: &Node) -> bool {
    node.as_str() == Some("write-all")
        || node.get("id-token").and_then(Node::as_str) == Some("write")
}

fn parse_yaml(text: &str) -> Result<Vec<Node>, Box<CiFile>> {
    yaml::parse(text).map_err(|e| {
        Box::new(CiFile {
            error: Some(e),
            ..CiFile::default()
        })
    })
}

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

/// A docker-compose file: each service's `environment:` with its `env_file:` entries.
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
            let env_files: Vec<(String, Span)> = match service.get("env_file") {
                Some(files) => {
                    let list: Vec<&Node> = match &files.value {
                        Yaml::Seq(items) => {
                            items.iter().map(|i| i.get("path").unwrap_or(i)).collect()
                        }
                        _ => vec![files],
                    };
                    list.into_iter()
                        .filter_map(|f| f.as_str().map(|s| (s.to_owned(), f.span)))
                        .collect()
                }
                None => Vec::new(),
            };
            if let Some(env) = service.get("environment") {
                let mut vars = env_of(env);
                // `- KEY` or `KEY:` passes the host's variable through: `KEY=${KEY}`.
                for v in vars.iter_mut().filter(|v| v.value.is_none()) {
                    v.value = Some(format!("${{{}}}", v.key));
                }
                out.env_blocks.push(EnvBlock {
                    scope: format!("environment of service {service_name}"),
                    anchor: env.span,
                    vars,
                    inherits: Vec::new(),
                    env_files,
                });
            }
        }
    }
    out
}

/// The escape character of a Dockerfile: `\`, or what a leading `# escape=` directive says.
fn dockerfile_escape(text: &str) -> char {
    for line in text.lines() {
        let t = line.trim();
        let Some(directive) = t.strip_prefix('#') else {
            break;
        };
        if let Some((k, v)) = directive.split_once('=')
            && k.trim().eq_ignore_ascii_case("escape")
            && let Some(c) = v.trim().chars().next()
        {
            return c;
        }
    }
    '\\'
}

/// One instruction of a Dockerfile with its continuation lines joined, and where each
/// byte of it is in the file.
struct Instruction {
    text: String,
    map: Vec<usize>,
}

impl Instruction {
    fn span(&self, start: usize, end: usize) -> Span {
        let at = |i: usize| self.map.get(i).copied();
        let s = at(start)
            .or_else(|| self.map.last().map(|l| l + 1))
            .unwrap_or(0);
        let e = if end > start {
            at(end - 1).map_or(s, |l| l + 1)
        } else {
            s
        };
        Span::new(s, e.max(s))
    }
}

fn instructions(text: &str, escape: char) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut cur = Instruction {
        text: String::new(),
        map: Vec::new(),
    };
    let mut continuing = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let t = body.trim_start();
        // Comments, directives and blank lines, also between continuation lines.
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let trimmed = body.trim_end();
        let (content, cont) = match trimmed.strip_suffix(escape) {
            Some(c) => (c, true),
            None => (body, false),
        };
        for (i, ch) in content.char_indices() {
            cur.text.push(ch);
            cur.map.extend((0..ch.len_utf8()).map(|k| start + i + k));
        }
        continuing = cont;
        if !continuing {
            out.push(std::mem::replace(
                &mut cur,
                Instruction {
                    text: String::new(),
                    map: Vec::new(),
                },
            ));
        }
    }
    if continuing && !cur.text.is_empty() {
        out.push(cur);
    }
    out
}

/// A `KEY=value` word: the key's range, the decoded value with its range (inside quotes
/// when the whole value is quoted), and whether it expands a variable.
struct Word {
    key: (usize, usize),
    value: Option<WordValue>,
}

/// A decoded value, its range in the instruction, and whether it expands a variable.
type WordValue = (String, usize, usize, bool);

/// Split `s[from..]` into `KEY=value` words the way the Dockerfile parser does: quotes
/// group, the escape character protects the next character.
fn words(s: &str, from: usize, escape: char) -> Vec<Word> {
    let b: Vec<(usize, char)> = s[from..]
        .char_indices()
        .map(|(i, c)| (i + from, c))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].1.is_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let key_start = b[i].0;
        while i < b.len() && b[i].1 != '=' && !b[i].1.is_whitespace() {
            i += 1;
        }
        let key_end = b.get(i).map_or(s.len(), |x| x.0);
        if i >= b.len() || b[i].1 != '=' {
            out.push(Word {
                key: (key_start, key_end),
                value: None,
            });
            continue;
        }
        i += 1; // '='
        let raw_start = b.get(i).map_or(s.len(), |x| x.0);
        let mut value = String::new();
        let (mut sq, mut dq, mut dollar) = (false, false, false);
        let first_quote = b.get(i).map(|x| x.1).filter(|c| *c == '"' || *c == '\'');
        let mut closed_at = None;
        while i < b.len() {
            let c = b[i].1;
            if !sq && !dq && c.is_whitespace() {
                break;
            }
            if c == escape && !sq && i + 1 < b.len() {
                value.push(b[i + 1].1);
                i += 2;
                continue;
            }
            match c {
                '\'' if !dq => {
                    sq = !sq;
                    if !sq {
                        closed_at = Some(i);
                    }
                }
                '"' if !sq => {
                    dq = !dq;
                    if !dq {
                        closed_at = Some(i);
                    }
                }
                '$' if !sq => {
                    dollar = true;
                    value.push(c);
                }
                _ => value.push(c),
            }
            i += 1;
        }
        let raw_end = b.get(i).map_or(s.len(), |x| x.0);
        // A value quoted as a whole points inside its quotes.
        let (vs, ve) = match (first_quote, closed_at) {
            (Some(_), Some(close)) if b.get(close + 1).is_none_or(|x| x.1.is_whitespace()) => {
                (raw_start + 1, b[close].0)
            }
            _ => (raw_start, raw_end),
        };
        out.push(Word {
            key: (key_start, key_end),
            value: Some((value, vs, ve, dollar)),
        });
    }
    out
}

/// A Dockerfile: `ENV KEY=value …`, `ENV KEY value`, `ARG KEY[=default] …`, with
/// continuation lines, quotes and the escape directive.
#[must_use]
pub fn dockerfile(text: &str) -> CiFile {
    let escape = dockerfile_escape(text);
    let mut out = CiFile::default();
    for ins in instructions(text, escape) {
        let s = ins.text.as_str();
        let lead = s.len() - s.trim_start().len();
        let word_end = s[lead..]
            .find(char::is_whitespace)
            .map_or(s.len(), |i| i + lead);
        let instruction = match s[lead..word_end].to_ascii_uppercase().as_str() {
            "ENV" => "ENV",
            "ARG" => "ARG",
            _ => continue,
        };
        let rest_start = word_end + (s[word_end..].len() - s[word_end..].trim_start().len());
        let first = s[rest_start..].split_whitespace().next().unwrap_or("");
        let mut items: Vec<(String, Word)> = Vec::new();
        if instruction == "ENV" && !first.is_empty() && !first.contains('=') {
            // Legacy `ENV KEY value with spaces`: the rest of the line is the value.
            let key_end = rest_start + first.len();
            let after = &s[key_end..];
            let v_start = key_end + (after.len() - after.trim_start().len());
            let raw = s[v_start..].trim_end();
            let (vs, ve) = if raw.len() >= 2
                && ((raw.starts_with('"') && raw.ends_with('"'))
                    || (raw.starts_with('\'') && raw.ends_with('\'')))
            {
                (v_start + 1, v_start + raw.len() - 1)
            } else {
                (v_start, v_start + raw.len())
            };
            let value = s[vs..ve].to_owned();
            let dollar = value.contains('$') && !raw.starts_with('\'');
            items.push((
                first.to_owned(),
                Word {
                    key: (rest_start, key_end),
                    value: Some((value, vs, ve, dollar)),
                },
            ));
        } else {
            for w in words(s, rest_start, escape) {
                items.push((s[w.key.0..w.key.1].to_owned(), w));
            }
        }
        for (key, w) in items {
            if key.is_empty() {
                continue;
            }
            let key_span = ins.span(w.key.0, w.key.1);
            let (value, value_span, origin) = match w.value {
                Some((v, vs, ve, dollar)) => (
                    Some(v),
                    ins.span(vs, ve),
                    if dollar {
                        ValueOrigin::Reference
                    } else {
                        ValueOrigin::Literal
                    },
                ),
                None => (
                    None,
                    Span::new(key_span.end, key_span.end),
                    ValueOrigin::Literal,
                ),
            };
            out.image_vars.push(ImageVar {
                instruction,
                var: EnvAssignment {
                    key,
                    key_span,
                    value,
                    value_span,
                    origin,
                    exported: true,
                    command_prefix: false,
                },
            });
        }
    }
    if !out.image_vars.is_empty() {
        let vars = out.image_vars.iter().map(|i| i.var.clone()).collect();
        out.env_blocks.push(EnvBlock {
            scope: "image environment".into(),
            anchor: Span::new(0, 0),
            vars,
            inherits: Vec::new(),
            env_files: Vec::new(),
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
        assert_eq!(f.env_blocks[0].env_files[0].0, ".env");
        let c = "services:\n  app:\n    env_file: [{path: ./a.env, required: false}, b.env]\n    environment:\n      - AWS_PROFILE\n";
        let f = compose(c);
        assert_eq!(
            f.env_blocks[0].vars[0].value.as_deref(),
            Some("${AWS_PROFILE}")
        );
        let files: Vec<&str> = f.env_blocks[0]
            .env_files
            .iter()
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(files, ["./a.env", "b.env"]);
    }

    #[test]
    fn dockerfile_quotes_continuations_and_escape_directive() {
        let d = "FROM x\nENV A=\"two words\" \\\n    # a comment inside\n    AWS_SECRET_ACCESS_KEY='s3cr/t' C=$HOME\nARG X Y=1\n";
        let f = dockerfile(d);
        let got: Vec<(&str, Option<&str>, &str, ValueOrigin)> = f
            .image_vars
            .iter()
            .map(|i| {
                (
                    i.var.key.as_str(),
                    i.var.value.as_deref(),
                    &d[i.var.value_span.start..i.var.value_span.end],
                    i.var.origin,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("A", Some("two words"), "two words", ValueOrigin::Literal),
                (
                    "AWS_SECRET_ACCESS_KEY",
                    Some("s3cr/t"),
                    "s3cr/t",
                    ValueOrigin::Literal
                ),
                ("C", Some("$HOME"), "$HOME", ValueOrigin::Reference),
                ("X", None, "", ValueOrigin::Literal),
                ("Y", Some("1"), "1", ValueOrigin::Literal),
            ]
        );
        let k = &f.image_vars[1].var.key_span;
        assert_eq!(&d[k.start..k.end], "AWS_SECRET_ACCESS_KEY");
        let d = "# escape=`\nFROM x\nENV A=1 `\n  B=2\n";
        let keys: Vec<String> = dockerfile(d)
            .image_vars
            .into_iter()
            .map(|i| i.var.key)
            .collect();
        assert_eq!(keys, ["A", "B"]);
    }

    #[test]
    fn workflow_job_permissions_replace_the_workflows() {
        let w = "permissions:\n  id-token: write\nenv:\n  AWS_PROFILE: ci\njobs:\n  a:\n    permissions:\n      contents: read\n    env:\n      X: '1'\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/r\n        env:\n          AWS_ACCESS_KEY_ID: ${{ secrets.K }}\n  b:\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/r\n";
        let f = github_workflow(w);
        assert!(!f.aws_steps[0].id_token_write);
        assert!(f.aws_steps[1].id_token_write);
        assert_eq!(f.aws_steps[0].inputs[0].key, "role-to-assume");
        let step = f.env_blocks.last().expect("step env");
        assert_eq!(step.inherits, vec![0, 1]);
        assert_eq!(step.vars[0].origin, ValueOrigin::Reference);
    }
}
