//! What every CI format reduces to ([`CiFile`]: blocks of variables, AWS credential
//! steps, image variables) and the YAML helpers the workflow, GitLab and compose readers
//! share.

use crate::parse::env::{EnvAssignment, ValueOrigin};
use crate::parse::yaml::{self, Node, Yaml};
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
pub(super) fn origin(text: &str) -> ValueOrigin {
    if text.contains('$') {
        ValueOrigin::Reference
    } else {
        ValueOrigin::Literal
    }
}

pub(super) fn var_from(key: &Node, value: &Node) -> Option<EnvAssignment> {
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
pub(super) fn env_of(node: &Node) -> Vec<EnvAssignment> {
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
pub(super) fn id_token_write(node: &Node) -> bool {
    node.as_str() == Some("write-all")
        || node.get("id-token").and_then(Node::as_str) == Some("write")
}

pub(super) fn parse_yaml(text: &str) -> Result<Vec<Node>, Box<CiFile>> {
    yaml::parse(text).map_err(|e| {
        Box::new(CiFile {
            error: Some(e),
            ..CiFile::default()
        })
    })
}
