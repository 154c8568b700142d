//! Types shared by the dotenv and shell parsers: variable assignments with spans.

use crate::source::Span;

/// Where an assignment's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueOrigin {
    /// Written out in the file.
    Literal,
    /// Refers to other variables (`${VAR}`), resolved when the file is loaded.
    Reference,
    /// Computed by the shell (`$(…)`, backticks, `$VAR`): not knowable offline.
    Derived,
}

#[derive(Clone, Debug)]
pub struct EnvAssignment {
    pub key: String,
    pub key_span: Span,
    /// The decoded value; `None` for a bare `KEY` (dotenv) or `export KEY` (shell).
    pub value: Option<String>,
    /// The value's text in the file, inside any quotes.
    pub value_span: Span,
    pub origin: ValueOrigin,
    /// Written as `export KEY=…`.
    pub exported: bool,
    /// A shell assignment that prefixes a command (`KEY=v cmd`): it sets the variable for
    /// that command only.
    pub command_prefix: bool,
}

#[derive(Clone, Debug)]
pub struct EnvParseError {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct EnvFile {
    pub assignments: Vec<EnvAssignment>,
    pub errors: Vec<EnvParseError>,
    /// Shell scripts: the `aws sts assume-role` (and friends) commands they run.
    pub sts: Vec<StsCommand>,
}

impl EnvFile {
    /// The last assignment of `key` (later lines win when a file is loaded).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&EnvAssignment> {
        self.assignments
            .iter()
            .rev()
            .find(|a| a.key == key && !a.command_prefix)
    }
}

/// An `aws sts` command that returns temporary credentials (`assume-role`,
/// `assume-role-with-web-identity`, `assume-role-with-saml`, `get-session-token`), run
/// directly or inside `$(…)`, backticks or a pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StsCommand {
    /// From `aws` to the operation's name.
    pub span: Span,
    /// The operation (`assume-role`).
    pub operation: String,
    /// The `--role-arn` argument as written, quotes removed (`arn:aws:iam::…`, `$ROLE_ARN`).
    pub role: Option<String>,
    /// The command is inside a `for`/`while`/`until` loop.
    pub in_loop: bool,
    /// `--serial-number` is given: the call is made with an MFA code.
    pub mfa: bool,
}
