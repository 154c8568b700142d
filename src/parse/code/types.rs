//! What a parse of source code finds: the language, the credential calls with their
//! arguments and where each value comes from, environment writes, profiles and dotenv
//! loads ([`CodeFile`]).

use crate::parse::env::EnvAssignment;
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
    Java,
}

/// Where an argument's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgValue {
    /// A string written in the code (directly, through a variable or a constant, or as the
    /// fallback of an environment read, which is what runs when the variable is unset).
    Literal(String),
    /// Read from the environment (`os.environ[...]`, `process.env.X`, `os.Getenv`, …): the
    /// name of the variable.
    Env(String),
    /// Anything else: a parameter, a call, an attribute, a computation (its text).
    Variable(String),
}

/// One credential argument of an SDK call.
#[derive(Clone, Debug)]
pub struct CodeArg {
    /// Which credential it is, as botocore's name (`aws_access_key_id`,
    /// `aws_secret_access_key`, `aws_session_token`).
    pub name: &'static str,
    /// The argument's name in the SDK called (`accessKeyId`, `AccessKeyID`, `access_key`),
    /// or for positional arguments the SDK's name of that parameter.
    pub written: String,
    pub value: ArgValue,
    /// The argument as written at the call.
    pub span: Span,
    /// Where a literal's text is (inside its quotes, possibly at a constant's definition);
    /// the argument itself for other values.
    pub value_span: Span,
    /// The value is part of the `Credentials` an STS call in this file returned (followed
    /// through names, fields, getters and dereferences).
    pub sts: Option<StsSource>,
}

/// An STS call whose returned credentials are handed on by the code itself
/// (`sts.assume_role(…)`, `client.send(new AssumeRoleCommand(…))`, `svc.AssumeRole(ctx, …)`,
/// `sts.assumeRole(request)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StsSource {
    /// The call as written, up to its arguments (`sts.assume_role`, `new AssumeRoleCommand`).
    pub api: String,
    /// The STS operation in the CLI's spelling (`assume-role`, `get-session-token`).
    pub operation: &'static str,
    pub span: Span,
    /// The `RoleArn` given, when one is seen.
    pub role: Option<ArgValue>,
    /// The call is repeated over accounts or roles: inside a loop, or the ARN is built from
    /// a parameter or loop variable (`f"arn:aws:iam::{account}:role/x"`).
    pub per_account: bool,
    /// The call is inside a credential provider's own code (a class or method named like a
    /// provider, fetcher, `refresh` or `Retrieve`), which is how SDKs assume roles.
    pub provider: bool,
    /// `SerialNumber` / `serialNumber(…)` is given: the call is made with an MFA code.
    pub mfa: bool,
}

/// An SDK client, session or credentials object built with explicit credentials.
#[derive(Clone, Debug)]
pub struct CredCall {
    /// What was called, as written (`boto3.client`, `AwsBasicCredentials.create`,
    /// `new S3Client`).
    pub api: String,
    pub span: Span,
    pub args: Vec<CodeArg>,
    /// Some arguments are spread into the call (`**kwargs`, `*args`, `...rest`): more
    /// credentials may be passed than the ones seen.
    pub unseen_args: bool,
}

/// A profile named in code (`Session(profile_name='dev')`, `fromIni({ profile: 'dev' })`).
#[derive(Clone, Debug)]
pub struct ProfileRef {
    pub name: String,
    pub span: Span,
    /// The same file writes this profile itself (an ini text with `[profile NAME]` or
    /// `[NAME]`, or a mapping keyed by the name holding a mapping, as tests that build a
    /// config file or botocore's in-memory config do): it is not expected on disk.
    pub written_by_code: bool,
}

/// A python-dotenv `load_dotenv(…)` call: the program's environment includes a dotenv file.
#[derive(Clone, Debug)]
pub struct DotenvLoad {
    /// A literal path argument; `None` for `load_dotenv()` / `load_dotenv(find_dotenv())`,
    /// which search upwards from the calling file's folder for `.env`.
    pub path: Option<String>,
    /// `override=True`: the file's values replace variables already set.
    pub overrides: bool,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct CodeFile {
    pub calls: Vec<CredCall>,
    /// `os.environ["AWS_…"] = "…"` and the like, in source order.
    pub env: Vec<EnvAssignment>,
    /// For each entry of `env`, the index into `scopes` of the function it runs in.
    pub env_scope: Vec<usize>,
    /// The functions that set environment variables, as the index of the function they
    /// are nested in: entry 0 is the module (its own parent), which runs first (at import),
    /// before any of its functions. Class bodies run with their enclosing scope.
    pub scopes: Vec<usize>,
    /// `name = "…"` pairs whose name says AWS secret key (`AWS_SECRET_KEY = "…"`, a dict's
    /// `"aws_secret_access_key": "…"`), read loosely from the text like any other file.
    pub secret_pairs: Vec<crate::parse::text::LoosePair>,
    pub profiles: Vec<ProfileRef>,
    pub dotenv_loads: Vec<DotenvLoad>,
    /// The source does not parse cleanly (results may be partial).
    pub has_errors: bool,
}
