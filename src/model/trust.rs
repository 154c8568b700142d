//! Trust policies, normalised: every IAM role trust policy found in IAM policy JSON (plain
//! documents and wrappers such as `aws iam create-role` input), `CloudFormation` templates
//! (JSON or YAML) and Terraform, as statements with principals, actions and conditions, each
//! element with its span. Values that cannot be known offline (`!Ref`, `Fn::Sub`,
//! `${var.x}`) are kept, marked unresolved, and never guessed; `CloudFormation` intrinsics
//! are rendered to a template text (`arn:aws:iam::${AWS::AccountId}:root`) so that the
//! template's own account can still be recognised.
//!
//! Parsers produce a spanned tree ([`Node`]); this module reads the policy out of it. The
//! judgement (which trust is too wide) belongs to the `CL5xx` rules.

use crate::discover::FileKind;
use crate::parse::yaml::{Node, Yaml};
use crate::source::Span;

/// Where a policy was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A standalone policy document or a wrapper (`AssumeRolePolicyDocument` anywhere).
    Iam,
    CloudFormation,
    Terraform,
    /// A Terraform plan in JSON (`terraform show -json`): the planned trust documents.
    TerraformPlan,
}

/// A scalar of the policy: a string as written, or an expression kept as its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// The string, or for an expression its rendering (`${AWS::AccountId}`) or source text.
    pub text: String,
    pub span: Span,
    /// An intrinsic function, reference or interpolation: not known offline.
    pub unresolved: bool,
    /// For a `CloudFormation` intrinsic, its short form as a reader would write it
    /// (`!Ref Principal`, `!FindInMap [Accounts, !Ref Env, Id]`): what messages show.
    pub short: Option<String>,
}

impl Value {
    /// The value as messages show it: an intrinsic in its short form, anything else as it
    /// is written.
    #[must_use]
    pub fn shown(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `Principal: "*"` or `{"AWS": "*"}`: every principal of every account.
    Anyone,
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

#[derive(Clone, Debug)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub value: Value,
}

/// The account an AWS principal belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Account<'a> {
    /// A literal 12-digit account id.
    Literal(&'a str),
    /// The template's or configuration's own account (`${AWS::AccountId}`,
    /// `data.aws_caller_identity.<x>.account_id`).
    Own,
    /// An expression credlint cannot resolve.
    Unknown,
}

impl Principal {
    /// The account of an AWS account principal (`123456789012`, `arn:…:iam::ACCOUNT:root`,
    /// a user or role ARN, an assumed-role session). `None` for other principals (services,
    /// unique ids such as `AROA…`, `*`).
    #[must_use]
    pub fn account(&self) -> Option<Account<'_>> {
        if self.kind != PrincipalKind::Aws {
            return None;
        }
        let v = self.value.text.as_str();
        // Split on the colons outside `${…}` (`${AWS::AccountId}` has two of its own).
        let mut fields = Vec::with_capacity(6);
        let (mut depth, mut from) = (0usize, 0usize);
        for (i, c) in v.char_indices() {
            match c {
                '{' if v[..i].ends_with('$') => depth += 1,
                '}' if depth > 0 => depth -= 1,
                ':' if depth == 0 && fields.len() < 5 => {
                    fields.push(&v[from..i]);
                    from = i + 1;
                }
                _ => {}
            }
        }
        fields.push(&v[from..]);
        let acct = if fields.len() == 6 && fields[0] == "arn" {
            if fields[2] != "iam" && fields[2] != "sts" {
                return None;
            }
            fields[4]
        } else {
            v
        };
        if acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) {
            Some(Account::Literal(acct))
        } else if is_own_account(acct) {
            Some(Account::Own)
        } else if acct.contains("${") || self.value.unresolved {
            Some(Account::Unknown)
        } else {
            None
        }
    }
}

/// An account as a whole: its id or its root ARN (not a user, role or session in it).
#[must_use]
pub fn is_whole_account(principal: &str) -> bool {
    let p = principal.trim();
    (p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()))
        || (p.starts_with("arn:") && p.ends_with(":root"))
        || (p.starts_with("${") && p.ends_with('}') && is_own_account(p))
}

/// `${AWS::AccountId}` or a Terraform `data.aws_caller_identity.<name>.account_id`.
fn is_own_account(s: &str) -> bool {
    let Some(inner) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) else {
        return false;
    };
    let inner = inner.trim();
    inner == "AWS::AccountId"
        || (inner.starts_with("data.aws_caller_identity.") && inner.ends_with(".account_id"))
}

/// `ForAnyValue:` / `ForAllValues:` on a condition operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetQualifier {
    ForAnyValue,
    ForAllValues,
}

#[derive(Clone, Debug)]
pub struct Condition {
    /// The operator as written: `StringEquals`, `ForAnyValue:StringLike`, `BoolIfExists`, …
    pub operator: String,
    pub operator_span: Span,
    pub key: String,
    pub key_span: Span,
    pub values: Vec<Value>,
}

impl Condition {
    #[must_use]
    pub fn set_qualifier(&self) -> Option<SetQualifier> {
        let (q, _) = self.operator.split_once(':')?;
        if q.eq_ignore_ascii_case("ForAnyValue") {
            Some(SetQualifier::ForAnyValue)
        } else if q.eq_ignore_ascii_case("ForAllValues") {
            Some(SetQualifier::ForAllValues)
        } else {
            None
        }
    }

    /// The operator without its set qualifier and `IfExists` suffix (`StringLike`).
    #[must_use]
    pub fn base_operator(&self) -> &str {
        let op = self
            .operator
            .rsplit_once(':')
            .map_or(self.operator.as_str(), |(_, o)| o);
        op.strip_suffix("IfExists").unwrap_or(op)
    }

    /// `…IfExists`: true when the key is absent from the request.
    #[must_use]
    pub fn if_exists(&self) -> bool {
        self.operator.ends_with("IfExists")
    }

    /// `StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …: true for every value but the listed ones.
    #[must_use]
    pub fn negated(&self) -> bool {
        self.base_operator().contains("Not")
    }

    /// Operators in which `*` and `?` are wildcards (`ArnEquals` behaves as `ArnLike`).
    #[must_use]
    pub fn wildcards(&self) -> bool {
        matches!(self.base_operator(), "StringLike" | "ArnLike" | "ArnEquals")
    }

    #[must_use]
    pub fn key_is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }

    /// Whether a value matches anything: empty, or only wildcards under a wildcard operator.
    #[must_use]
    pub fn matches_anything(&self, v: &Value) -> bool {
        if v.unresolved {
            return false;
        }
        v.text.is_empty() || (self.wildcards() && wildcard_only(&v.text))
    }

    /// Whether this condition, in an `Allow` statement, limits the requests that match it:
    /// a positive operator (no `Not`, not `Null`), not `…IfExists` (true when the caller
    /// leaves the key out), not `ForAllValues` (true when the key is absent), with values that
    /// are not all-wildcards. Unresolved values count as restrictions (never guessed).
    #[must_use]
    pub fn restricts(&self) -> bool {
        !self.negated()
            && self.base_operator() != "Null"
            && !self.if_exists()
            && self.set_qualifier() != Some(SetQualifier::ForAllValues)
            && !self.values.is_empty()
            && !self.values.iter().any(|v| self.matches_anything(v))
    }
}

/// A value made of wildcards only (`*`, `?*`), or empty.
#[must_use]
pub fn wildcard_only(value: &str) -> bool {
    value.chars().all(|c| c == '*' || c == '?')
}

/// Whether a value has a `*` or `?` outside `${…}` placeholders.
#[must_use]
pub fn has_wildcard(value: &str) -> bool {
    let mut depth = 0usize;
    let b = value.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b'*' | b'?' if depth == 0 => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// An ARN-shaped condition value whose account is pinned: no wildcard in the account field
/// (ARNs without an account, such as S3's, name a global resource and count as pinned).
#[must_use]
pub fn arn_account_pinned(value: &str) -> bool {
    if !value.starts_with("arn:") {
        return !has_wildcard(value.split([':', '/']).next().unwrap_or(""));
    }
    let fields: Vec<&str> = value.split(':').collect();
    match fields.get(4) {
        Some(&"") => !has_wildcard(fields.get(5).copied().unwrap_or("*")),
        Some(acct) => !has_wildcard(acct),
        None => false,
    }
}

#[derive(Clone, Debug)]
pub struct Statement {
    /// `Effect: Allow` (or an effect credlint cannot read, treated as `Allow`).
    pub allow: bool,
    pub span: Span,
    pub principals: Vec<Principal>,
    /// The `NotPrincipal` key, when the statement has one.
    pub not_principal: Option<Span>,
    /// The principals a `NotPrincipal` element lists (every principal *but* these).
    pub not_principals: Vec<Principal>,
    /// `Action` values; a `NotAction` statement is recorded as `*` at the `NotAction` key.
    pub actions: Vec<Value>,
    /// The `NotAction` key and the actions it lists (the statement covers every other one).
    pub not_action: Option<Span>,
    pub not_actions: Vec<Value>,
    pub conditions: Vec<Condition>,
    /// The statement's principals or conditions are written in a way credlint cannot read
    /// (a Terraform `dynamic` block, `Condition: !If …`, a variable): rules that depend on
    /// what is missing stay silent rather than guess.
    pub opaque: bool,
}

impl Statement {
    /// A statement that lets principals assume the role: an `sts:AssumeRole*` action, `sts:*`,
    /// `*`, an unresolved action, or no action at all.
    #[must_use]
    pub fn assumes(&self) -> bool {
        if !self.not_actions.is_empty() {
            // `NotAction`: every action but the listed ones; assumption is covered unless
            // all three assume actions are listed (exactly or by a pattern).
            let listed = |action: &str| {
                self.not_actions.iter().any(|n| {
                    let p = n.text.to_ascii_lowercase();
                    !n.unresolved
                        && match p.split_once('*') {
                            None => p == action,
                            Some((pre, post)) => {
                                action.starts_with(pre) && action[pre.len()..].ends_with(post)
                            }
                        }
                })
            };
            return [
                "sts:assumerole",
                "sts:assumerolewithwebidentity",
                "sts:assumerolewithsaml",
            ]
            .iter()
            .any(|a| !listed(a));
        }
        self.actions.is_empty()
            || self.actions.iter().any(|a| {
                let t = a.text.to_ascii_lowercase();
                a.unresolved || t == "*" || t == "sts:*" || t.starts_with("sts:assumerole")
            })
    }

    /// Web-identity or SAML assumption only (no plain `sts:AssumeRole`).
    #[must_use]
    pub fn only_saml(&self) -> bool {
        !self.actions.is_empty()
            && self.actions.iter().all(|a| {
                a.text.eq_ignore_ascii_case("sts:AssumeRoleWithSAML") || is_side_action(&a.text)
            })
    }

    pub fn conditions_on<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Condition> + 'a {
        self.conditions.iter().filter(move |c| c.key_is(key))
    }
}

/// STS actions that accompany an assumption but do not grant one on their own.
fn is_side_action(a: &str) -> bool {
    ["sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"]
        .iter()
        .any(|s| a.eq_ignore_ascii_case(s))
}

/// One role's trust policy.
#[derive(Clone, Debug)]
pub struct TrustPolicy {
    /// Index into [`crate::model::Workspace::files`] (set when the workspace is built).
    pub file: usize,
    /// The role: `CloudFormation` logical id, Terraform address, `RoleName`, or a
    /// description of the document.
    pub role: String,
    pub origin: Origin,
    pub statements: Vec<Statement>,
    /// Terraform: the `data.aws_iam_policy_document` this role's policy refers to, when it
    /// was not in the same file (resolved across the module when the workspace is built).
    pub terraform_ref: Option<String>,
    /// Terraform: this policy is the `data "aws_iam_policy_document"` of that name.
    pub terraform_data: Option<String>,
    /// The account that owns the role, when the file says so (the role's `Arn` beside its
    /// policy in `aws iam get-role` output or an account snapshot).
    pub role_account: Option<String>,
    /// A service-linked role (`/aws-service-role/` path): AWS owns its trust policy and
    /// users cannot edit it.
    pub service_linked: bool,
}

impl TrustPolicy {
    /// Keys that a `Deny` statement of this policy enforces for everyone: a `Deny` on `*`
    /// that covers assumption, with a negated condition (`StringNotEquals
    /// aws:PrincipalOrgID o-…`) whose values are specific. Such a guard restricts every
    /// `Allow` of the policy as well as the same condition inside it would. MFA guards
    /// (`BoolIfExists aws:MultiFactorAuthPresent false`, `Null … true`) are reported as
    /// `aws:MultiFactorAuthPresent`.
    #[must_use]
    pub fn deny_guards(&self) -> Vec<String> {
        self.deny_guards_for(None)
    }

    /// [`Self::deny_guards`], counting also the `Deny` statements that name `who`'s account
    /// (`Deny` `arn:aws:iam::A:root` unless `aws:PrincipalArn` is …), and a `Deny` with
    /// `NotPrincipal` that spares only specific principals of that account (reported as
    /// `aws:principalarn`): IAM refuses everyone else of the account.
    #[must_use]
    pub fn deny_guards_for(&self, who: Option<&Principal>) -> Vec<String> {
        let mut out = Vec::new();
        let acct = who.and_then(Principal::account);
        for st in self.statements.iter().filter(|s| !s.allow && s.assumes()) {
            if let (Some(Account::Literal(a)), Some(_)) = (acct, st.not_principal) {
                let spared_here = st.not_principals.iter().any(|np| {
                    np.account() == Some(Account::Literal(a)) && !is_whole_account(&np.value.text)
                });
                let spares_account = st.not_principals.iter().any(|np| {
                    np.kind == PrincipalKind::Anyone
                        || (np.account() == Some(Account::Literal(a))
                            && is_whole_account(&np.value.text))
                });
                if spared_here && !spares_account && st.conditions.is_empty() {
                    out.push("aws:principalarn".to_owned());
                }
            }
            let applies = st.principals.iter().any(|p| {
                p.kind == PrincipalKind::Anyone
                    || (acct.is_some() && is_whole_account(&p.value.text) && p.account() == acct)
            });
            if !applies {
                continue;
            }
            for c in &st.conditions {
                let base = c.base_operator();
                let mfa_false = base == "Bool"
                    && c.key_is("aws:MultiFactorAuthPresent")
                    && c.values
                        .iter()
                        .all(|v| v.text.eq_ignore_ascii_case("false"));
                let mfa_null = base == "Null"
                    && c.key_is("aws:MultiFactorAuthPresent")
                    && c.values.iter().all(|v| v.text.eq_ignore_ascii_case("true"));
                if mfa_false || mfa_null {
                    out.push("aws:multifactorauthpresent".to_owned());
                } else if c.negated()
                    && !c.values.is_empty()
                    && !c.values.iter().any(|v| c.matches_anything(v))
                {
                    out.push(c.key.to_ascii_lowercase());
                }
            }
        }
        out
    }

    /// Whether `st` is restricted by a condition on one of `keys` (in the statement, or as a
    /// deny guard of the policy); `accept` vets each restricting condition further.
    pub fn restricted(
        &self,
        st: &Statement,
        keys: &[&str],
        accept: impl Fn(&Condition) -> bool,
    ) -> bool {
        self.restricted_for(st, None, keys, accept)
    }

    /// [`Self::restricted`] for one principal of `st`: `Deny` statements aimed at its
    /// account count too (see [`Self::deny_guards_for`]).
    pub fn restricted_for(
        &self,
        st: &Statement,
        who: Option<&Principal>,
        keys: &[&str],
        accept: impl Fn(&Condition) -> bool,
    ) -> bool {
        st.conditions
            .iter()
            .any(|c| keys.iter().any(|k| c.key_is(k)) && c.restricts() && accept(c))
            || self
                .deny_guards_for(who)
                .iter()
                .any(|g| keys.iter().any(|k| g.eq_ignore_ascii_case(k)))
    }
}

// ---------------------------------------------------------------------------------------
// Reading policies out of a spanned tree.

/// A `CloudFormation` intrinsic in either form: `(name, argument)` for `!Sub x` or
/// `{"Fn::Sub": x}`.
fn intrinsic(n: &Node) -> Option<(&str, Option<&Node>)> {
    if let Some(tag) = &n.tag {
        let name = tag.trim_start_matches('!');
        return Some((name, None));
    }
    match &n.value {
        Yaml::Map(pairs) if pairs.len() == 1 => {
            let k = pairs[0].0.as_str()?;
            let name = if k == "Ref" {
                "Ref"
            } else {
                k.strip_prefix("Fn::")?
            };
            Some((name, Some(&pairs[0].1)))
        }
        _ => None,
    }
}

/// Render a value to text: strings as they are, `Ref`/`Sub`/`GetAtt`/`Join` as a template
/// with `${…}` placeholders. `None` for anything else (lists, maps, other intrinsics).
fn render(n: &Node, depth: usize) -> Option<(String, bool)> {
    if depth > 16 {
        return None;
    }
    if let Some((name, arg)) = intrinsic(n) {
        // The short form keeps its argument in the node itself (the tag marks it).
        let untagged;
        let arg = if let Some(a) = arg {
            a
        } else {
            untagged = Node {
                value: n.value.clone(),
                span: n.span,
                tag: None,
            };
            &untagged
        };
        return match name {
            "hcl" => Some((hcl_text(arg.as_str()?), true)),
            "Ref" => Some((format!("${{{}}}", arg.as_str()?), true)),
            "Sub" => match &arg.value {
                Yaml::Seq(items) => Some((items.first()?.as_str()?.to_owned(), true)),
                _ => Some((arg.as_str()?.to_owned(), true)),
            },
            "GetAtt" => match &arg.value {
                Yaml::Seq(items) => {
                    let parts: Option<Vec<&str>> = items.iter().map(Node::as_str).collect();
                    Some((format!("${{{}}}", parts?.join(".")), true))
                }
                _ => Some((format!("${{{}}}", arg.as_str()?), true)),
            },
            "Join" => {
                let items = arg.items();
                let sep = items.first()?.as_str()?;
                let mut out = Vec::new();
                for part in items.get(1)?.items() {
                    out.push(render(part, depth + 1).map_or_else(|| "${?}".to_owned(), |(t, _)| t));
                }
                Some((out.join(sep), true))
            }
            _ => None,
        };
    }
    let s = n.as_str()?;
    Some((s.to_owned(), s.contains("${")))
}

/// Longest short form kept for a message; longer ones end in `…`.
const SHORT_MAX: usize = 80;

/// A node in `CloudFormation`'s short YAML form on one line: `!Ref X`, `!Sub 'a-${X}'`,
/// `!FindInMap [Map, !Ref Env, Key]`, `[a, b]`, `{K: v}`.
fn short_form(n: &Node, depth: usize) -> String {
    let mut s = short_inner(n, depth);
    if s.chars().count() > SHORT_MAX {
        s = s.chars().take(SHORT_MAX - 1).collect::<String>() + "…";
    }
    s
}

fn short_inner(n: &Node, depth: usize) -> String {
    if depth > 8 {
        return "…".to_owned();
    }
    let seq = |items: &[Node]| {
        let parts: Vec<String> = items.iter().map(|i| short_inner(i, depth + 1)).collect();
        format!("[{}]", parts.join(", "))
    };
    let scalar = |s: &str| {
        if s.is_empty()
            || s.contains(": ")
            || s.contains(" #")
            || s.contains(", ")
            || s.starts_with(['\'', '"', '!', '&', '*', '@', '`', '[', '{', ']', '}'])
        {
            format!("'{}'", s.replace('\'', "''"))
        } else {
            s.to_owned()
        }
    };
    if let Some((name, arg)) = intrinsic(n) {
        if name == "hcl" {
            return n.as_str().unwrap_or("").to_owned();
        }
        let body = match arg {
            Some(a) => short_inner(a, depth + 1),
            None => match &n.value {
                Yaml::Seq(items) => seq(items),
                Yaml::Map(_) => short_inner(
                    &Node {
                        value: n.value.clone(),
                        span: n.span,
                        tag: None,
                    },
                    depth + 1,
                ),
                _ => n.as_str().map_or_else(String::new, scalar),
            },
        };
        return format!("!{name} {body}");
    }
    match &n.value {
        Yaml::Seq(items) => seq(items),
        Yaml::Map(pairs) => {
            let parts: Vec<String> = pairs
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        short_inner(k, depth + 1),
                        short_inner(v, depth + 1)
                    )
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Yaml::Alias => "*alias".to_owned(),
        Yaml::Scalar { .. } => n.as_str().map_or_else(String::new, scalar),
    }
}

/// Terraform expressions are kept as their source text; bare references become `${…}`.
fn hcl_text(src: &str) -> String {
    if src.contains("${") {
        src.to_owned()
    } else {
        format!("${{{src}}}")
    }
}

/// The alternatives of a `Fn::If` (`!If [cond, a, b]`), without `AWS::NoValue`.
fn if_branches(n: &Node) -> Option<Vec<&Node>> {
    let (name, arg) = intrinsic(n)?;
    if name != "If" {
        return None;
    }
    let items = arg.map_or_else(|| n.items(), Node::items);
    Some(items.iter().skip(1).filter(|b| !is_no_value(b)).collect())
}

fn is_no_value(n: &Node) -> bool {
    matches!(intrinsic(n), Some(("Ref", _)))
        && render(n, 0).is_some_and(|(t, _)| t == "${AWS::NoValue}")
}

/// A scalar or a list of scalars; expressions are rendered or kept as their source text.
fn values(n: &Node, out: &mut Vec<Value>, depth: usize) {
    if depth > 16 {
        return;
    }
    if let Some(branches) = if_branches(n) {
        for b in branches {
            values(b, out, depth + 1);
        }
        return;
    }
    if n.tag.is_none() {
        if let Yaml::Seq(items) = &n.value {
            for i in items {
                values(i, out, depth + 1);
            }
            return;
        }
    }
    let short = intrinsic(n)
        .filter(|(name, _)| *name != "hcl")
        .map(|_| short_form(n, 0));
    match render(n, 0) {
        Some((t, unresolved)) => out.push(Value {
            text: t,
            span: n.span,
            unresolved,
            short,
        }),
        None => out.push(Value {
            // Never the raw source of an expression (a multi-line JSON object in a message):
            // its short form, which names what it depends on.
            text: short.clone().unwrap_or_else(|| short_form(n, 0)),
            span: n.span,
            unresolved: true,
            short,
        }),
    }
}

fn values_of(n: &Node) -> Vec<Value> {
    let mut out = Vec::new();
    values(n, &mut out, 0);
    out
}

/// Whether a node is something other than plain data (an intrinsic, an alias, HCL).
fn is_expression(n: &Node) -> bool {
    intrinsic(n).is_some() || matches!(n.value, Yaml::Alias)
}

fn principals(n: &Node, opaque: &mut bool) -> Vec<Principal> {
    if let Some(s) = n.as_str().filter(|_| n.tag.is_none()) {
        let kind = if s == "*" {
            PrincipalKind::Anyone
        } else {
            PrincipalKind::Aws
        };
        return vec![Principal {
            kind,
            value: Value {
                text: s.to_owned(),
                span: n.span,
                unresolved: false,
                short: None,
            },
        }];
    }
    if is_expression(n) && if_branches(n).is_none() {
        *opaque = true;
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut maps = vec![n];
    if let Some(branches) = if_branches(n) {
        maps = branches;
    }
    for m in maps {
        for (k, v) in m.entries() {
            let kind = match k.as_str() {
                Some("AWS") => PrincipalKind::Aws,
                Some("Service") => PrincipalKind::Service,
                Some("Federated") => PrincipalKind::Federated,
                Some("CanonicalUser") => PrincipalKind::CanonicalUser,
                _ => {
                    *opaque = true;
                    continue;
                }
            };
            for value in values_of(v) {
                let kind = if kind == PrincipalKind::Aws && value.text == "*" && !value.unresolved {
                    PrincipalKind::Anyone
                } else {
                    kind
                };
                out.push(Principal { kind, value });
            }
        }
    }
    out
}

fn conditions(n: &Node, opaque: &mut bool) -> Vec<Condition> {
    if is_expression(n) || !matches!(n.value, Yaml::Map(_)) {
        *opaque = true;
        return Vec::new();
    }
    let mut out = Vec::new();
    for (op, body) in n.entries() {
        let Some(operator) = op.as_str().filter(|_| op.tag.is_none()) else {
            *opaque = true;
            continue;
        };
        if is_expression(body) || !matches!(body.value, Yaml::Map(_)) {
            *opaque = true;
            continue;
        }
        for (k, v) in body.entries() {
            let Some((key, _)) = render(k, 0) else {
                *opaque = true;
                continue;
            };
            out.push(Condition {
                operator: operator.to_owned(),
                operator_span: op.span,
                key,
                key_span: k.span,
                values: values_of(v),
            });
        }
    }
    out
}

fn statement(n: &Node) -> Statement {
    let mut opaque = false;
    let allow = match n.get("Effect") {
        None => true,
        Some(e) => e
            .as_str()
            .filter(|_| e.tag.is_none())
            .is_none_or(|e| !e.eq_ignore_ascii_case("deny")),
    };
    let mut actions = n.get("Action").map(values_of).unwrap_or_default();
    let mut not_action = None;
    let mut not_actions = Vec::new();
    if let Some((k, v)) = n
        .entries()
        .iter()
        .find(|(k, _)| k.as_str() == Some("NotAction"))
    {
        not_action = Some(k.span);
        not_actions = values_of(v);
        actions.push(Value {
            text: "*".to_owned(),
            span: k.span,
            unresolved: false,
            short: None,
        });
    }
    let principal_list = n
        .get("Principal")
        .map(|p| principals(p, &mut opaque))
        .unwrap_or_default();
    let conditions = n
        .get("Condition")
        .map(|c| conditions(c, &mut opaque))
        .unwrap_or_default();
    let not_principal_entry = n
        .entries()
        .iter()
        .find(|(k, _)| k.as_str() == Some("NotPrincipal"));
    let not_principal = not_principal_entry.map(|(k, _)| k.span);
    let not_principals = not_principal_entry
        .map(|(_, v)| principals(v, &mut false))
        .unwrap_or_default();
    Statement {
        allow,
        span: n.span,
        principals: principal_list,
        not_principal,
        not_principals,
        actions,
        not_action,
        not_actions,
        conditions,
        opaque: opaque || n.tag.as_deref() == Some("!opaque"),
    }
}

/// The statement nodes of a document: a list, a single statement, `Fn::If` branches.
fn statement_nodes<'a>(n: &'a Node, out: &mut Vec<&'a Node>, depth: usize) {
    if depth > 16 {
        return;
    }
    if let Some(branches) = if_branches(n) {
        for b in branches {
            statement_nodes(b, out, depth + 1);
        }
        return;
    }
    match &n.value {
        Yaml::Seq(items) if n.tag.is_none() => {
            for i in items {
                statement_nodes(i, out, depth + 1);
            }
        }
        Yaml::Map(_) if intrinsic(n).is_none() => out.push(n),
        _ => {}
    }
}

/// Normalise a policy document node (`{"Version": …, "Statement": …}`).
#[must_use]
pub fn policy(role: String, origin: Origin, doc: &Node) -> TrustPolicy {
    let mut nodes = Vec::new();
    if let Some(s) = doc.get("Statement") {
        statement_nodes(s, &mut nodes, 0);
    }
    TrustPolicy {
        file: 0,
        role,
        origin,
        statements: nodes.into_iter().map(statement).collect(),
        terraform_ref: None,
        terraform_data: None,
        role_account: None,
        service_linked: false,
    }
}

/// Whether a standalone document reads as a trust policy: a statement with a principal
/// and an STS action (`sts:AssumeRole*`, `sts:TagSession`, `sts:*`, …), or, when the file's
/// name says so (`trust`, `assume`), any action.
fn is_trust_document(doc: &Node, named_as_trust: bool) -> bool {
    let mut nodes = Vec::new();
    match doc.get("Statement") {
        Some(s) => statement_nodes(s, &mut nodes, 0),
        None => return false,
    }
    nodes.iter().any(|s| {
        let has_principal = s.get("Principal").is_some() || s.get("NotPrincipal").is_some();
        let sts = s.get("Action").is_some_and(|a| {
            let mut vals = Vec::new();
            values(a, &mut vals, 0);
            vals.iter().any(|v| {
                let t = v.text.to_ascii_lowercase();
                t.starts_with("sts:") || (named_as_trust && t == "*")
            })
        }) || (named_as_trust && s.get("NotAction").is_some());
        has_principal && sts
    })
}

/// Keys whose value is a role's trust policy, in wrappers of any shape.
const WRAPPER_KEYS: [&str; 2] = ["AssumeRolePolicyDocument", "assume_role_policy"];

/// Trust policies in a JSON or YAML document tree: `CloudFormation` resources with an
/// `AssumeRolePolicyDocument` property (`AWS::IAM::Role`, SAM functions), wrappers
/// anywhere (`aws iam create-role` / `get-role` output, Terraform JSON), also when the
/// document is given as a JSON string, and standalone trust policy documents.
#[must_use]
pub fn from_tree(docs: &[Node], text: &str, named_as_trust: bool) -> Vec<TrustPolicy> {
    let mut out = Vec::new();
    for doc in docs {
        if let Some(plan) = terraform_plan(doc, text) {
            out.extend(plan);
            continue;
        }
        if let Some(resources) = doc
            .get("Resources")
            .filter(|r| matches!(r.value, Yaml::Map(_)))
        {
            for (id, res) in resources.entries() {
                let Some(p) = res
                    .get("Properties")
                    .and_then(|p| p.get("AssumeRolePolicyDocument"))
                else {
                    continue;
                };
                let role = id.as_str().unwrap_or("role").to_owned();
                if let Some(d) = document(p, text) {
                    let mut pol = policy(role, Origin::CloudFormation, &d);
                    pol.service_linked = res
                        .get("Properties")
                        .and_then(|p| p.get("Path"))
                        .and_then(Node::as_str)
                        .is_some_and(is_service_linked_path);
                    out.push(pol);
                }
            }
            continue;
        }
        if is_trust_document(doc, named_as_trust) {
            out.push(policy("trust policy".into(), Origin::Iam, doc));
            continue;
        }
        // Wrappers, breadth-first with a bound on the work.
        let mut queue = std::collections::VecDeque::from([doc]);
        let mut visited = 0usize;
        while let Some(n) = queue.pop_front() {
            visited += 1;
            if visited > 100_000 {
                break;
            }
            for (k, v) in n.entries() {
                if k.as_str().is_some_and(|k| WRAPPER_KEYS.contains(&k)) {
                    if let Some(d) = document(v, text) {
                        out.push(wrapped(n, &d));
                    }
                } else {
                    queue.push_back(v);
                }
            }
            queue.extend(n.items());
        }
    }
    out
}

/// The trust documents of a Terraform plan (`terraform show -json`): each role's planned
/// `assume_role_policy` (a JSON string, positions mapped into the plan file), named by its
/// resource address. `resource_changes` is read when present (roles being deleted have no
/// planned document); otherwise the `planned_values` modules. `prior_state` and
/// `configuration` are not read, so each role is reported once. `None` for other documents.
fn terraform_plan(doc: &Node, text: &str) -> Option<Vec<TrustPolicy>> {
    doc.get("format_version")?;
    let changes = doc.get("resource_changes");
    let planned = doc.get("planned_values");
    if changes.is_none() && planned.is_none() {
        return None;
    }
    let mut out = Vec::new();
    let mut role = |address: &str, values: &Node| {
        let d = match values.get("assume_role_policy") {
            Some(v) => document(v, text),
            // A `data "aws_iam_policy_document"` read at apply time: its statements, in
            // Terraform's attribute shape, with the roles that use it still unknown.
            None => plan_policy_document(values),
        };
        let Some(d) = d else {
            return;
        };
        let mut p = policy(address.to_owned(), Origin::TerraformPlan, &d);
        p.service_linked = values
            .get("path")
            .and_then(Node::as_str)
            .is_some_and(is_service_linked_path);
        out.push(p);
    };
    if let Some(changes) = changes {
        for rc in changes.items() {
            let (Some(address), Some(after)) = (
                rc.get("address").and_then(Node::as_str),
                rc.get("change").and_then(|c| c.get("after")),
            ) else {
                continue;
            };
            role(address, after);
        }
    } else if let Some(root) = planned.and_then(|p| p.get("root_module")) {
        let mut modules = vec![root];
        let mut seen = 0usize;
        while let Some(m) = modules.pop() {
            seen += 1;
            if seen > 10_000 {
                break;
            }
            for r in m.get("resources").map(Node::items).unwrap_or_default() {
                if let (Some(address), Some(values)) =
                    (r.get("address").and_then(Node::as_str), r.get("values"))
                {
                    role(address, values);
                }
            }
            modules.extend(m.get("child_modules").map(Node::items).unwrap_or_default());
        }
    }
    Some(out)
}

/// An `aws_iam_policy_document` data source's planned values (`statement` objects with
/// `actions`, `effect`, `principals`, `condition`, …) as an IAM policy document, every node
/// keeping its span in the plan. Only documents that let a principal assume a role count:
/// an `sts:` action and a principal.
fn plan_policy_document(values: &Node) -> Option<Node> {
    let statements = values.get("statement")?.items();
    let name = |n: &Node, k: &str| Node {
        value: Yaml::Scalar {
            text: k.to_owned(),
            quoted: true,
        },
        span: n.span,
        tag: None,
    };
    let list = |v: &Node| matches!(&v.value, Yaml::Seq(items) if !items.is_empty());
    // A value known only after apply is `null` in the plan: an expression, never a name.
    let known = |v: &Node| -> Node {
        let mut v = v.clone();
        let unknown = |n: &mut Node| {
            if matches!(&n.value, Yaml::Scalar { text, quoted: false } if text == "null") {
                n.value = Yaml::Scalar {
                    text: "(known after apply)".to_owned(),
                    quoted: false,
                };
                n.tag = Some("!hcl".to_owned());
            }
        };
        if let Yaml::Seq(items) = &mut v.value {
            items.iter_mut().for_each(unknown);
        } else {
            unknown(&mut v);
        }
        v
    };
    let mut out = Vec::new();
    let mut trust = false;
    for st in statements {
        let mut pairs = Vec::new();
        if let Some(e) = st.get("effect").filter(|e| e.as_str().is_some()) {
            pairs.push((name(e, "Effect"), e.clone()));
        }
        for (tf, iam) in [("actions", "Action"), ("not_actions", "NotAction")] {
            if let Some(a) = st.get(tf).filter(|a| list(a)) {
                trust |= a.items().iter().any(|i| {
                    i.as_str()
                        .is_some_and(|t| t.to_ascii_lowercase().starts_with("sts:"))
                });
                pairs.push((name(a, iam), a.clone()));
            }
        }
        for (tf, iam) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let Some(ps) = st.get(tf).filter(|p| list(p)) else {
                continue;
            };
            let mut by_type: Vec<(Node, Node)> = Vec::new();
            for p in ps.items() {
                if let (Some(t), Some(ids)) = (p.get("type"), p.get("identifiers")) {
                    let kind = if t.as_str() == Some("*") {
                        "AWS"
                    } else {
                        t.as_str().unwrap_or("")
                    };
                    by_type.push((name(t, kind), known(ids)));
                }
            }
            trust |= tf == "principals" && !by_type.is_empty();
            pairs.push((
                name(ps, iam),
                Node {
                    value: Yaml::Map(by_type),
                    span: ps.span,
                    tag: None,
                },
            ));
        }
        if let Some(cs) = st.get("condition").filter(|c| list(c)) {
            let mut ops: Vec<(Node, Node)> = Vec::new();
            for c in cs.items() {
                let (Some(test), Some(var), Some(vals)) =
                    (c.get("test"), c.get("variable"), c.get("values"))
                else {
                    continue;
                };
                ops.push((
                    test.clone(),
                    Node {
                        value: Yaml::Map(vec![(known(var), known(vals))]),
                        span: c.span,
                        tag: None,
                    },
                ));
            }
            pairs.push((
                name(cs, "Condition"),
                Node {
                    value: Yaml::Map(ops),
                    span: cs.span,
                    tag: None,
                },
            ));
        }
        out.push(Node {
            value: Yaml::Map(pairs),
            span: st.span,
            tag: None,
        });
    }
    trust.then(|| Node {
        value: Yaml::Map(vec![(
            name(values, "Statement"),
            Node {
                value: Yaml::Seq(out),
                span: values.span,
                tag: None,
            },
        )]),
        span: values.span,
        tag: None,
    })
}

/// `/aws-service-role/…`: the path IAM reserves for service-linked roles.
fn is_service_linked_path(path: &str) -> bool {
    path.starts_with("/aws-service-role/")
}

/// A policy found under a wrapper key of `n`: named by the role's `RoleName` (IAM JSON)
/// or its `address` (a Terraform plan's resource), owned by the account of its `Arn`.
fn wrapped(n: &Node, doc: &Node) -> TrustPolicy {
    let role = n
        .get("RoleName")
        .or_else(|| n.get("name"))
        .and_then(Node::as_str)
        .map_or_else(|| "role".to_owned(), str::to_owned);
    let mut p = policy(role, Origin::Iam, doc);
    let arn = n.get("Arn").or_else(|| n.get("arn")).and_then(Node::as_str);
    if let Some(arn) = arn {
        // The resource part may hold colons of its own (`role/<resource:1>` in recorded
        // snapshots): an ARN has six fields, the last one whatever follows.
        let fields: Vec<&str> = arn.splitn(6, ':').collect();
        if fields.len() == 6 && fields[0] == "arn" && fields[2] == "iam" {
            let acct = fields[4];
            if acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) {
                p.role_account = Some(acct.to_owned());
            }
            p.service_linked = fields[5].starts_with("role/aws-service-role/");
        }
    }
    let path = n
        .get("Path")
        .or_else(|| n.get("path"))
        .and_then(Node::as_str);
    p.service_linked |= path.is_some_and(is_service_linked_path);
    p
}

/// A policy document given as a tree, or as a JSON string (positions mapped into the
/// file). `Fn::Sub` around a JSON string is unwrapped (its `${…}` stay as they are).
fn document(n: &Node, text: &str) -> Option<Node> {
    let string = match intrinsic(n) {
        Some(("Sub", arg)) => {
            let a = arg.unwrap_or(n);
            match &a.value {
                Yaml::Seq(items) => items.first()?,
                _ => a,
            }
        }
        Some(_) => return None,
        None => n,
    };
    match &string.value {
        Yaml::Map(_) => Some(string.clone()),
        Yaml::Scalar { text: s, quoted } => {
            // The source of the string: for a quoted scalar, include its quotes.
            let q = usize::from(*quoted);
            let start = string.span.start.saturating_sub(q);
            let end = (string.span.end + q).min(text.len());
            let raw = text.get(start..end).unwrap_or("");
            crate::parse::json::embedded(s, raw, start)
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Per file (in the parallel scan) and per workspace (linking Terraform modules).

/// Whether a file's text is worth reading for trust policies (one literal search each).
#[must_use]
pub fn is_candidate(kind: FileKind, text: &str) -> bool {
    match kind {
        FileKind::Terraform => {
            text.contains("assume_role_policy") || text.contains("aws_iam_policy_document")
        }
        // A trust statement has a `Principal` (or `NotPrincipal`; `principals` in a
        // Terraform plan) and an STS action.
        FileKind::Json | FileKind::Yaml => {
            (text.contains("Principal") || text.contains("principal"))
                && (text.contains("AssumeRole")
                    || text.contains("assume_role_policy")
                    || text.contains("sts:"))
        }
        _ => false,
    }
}

/// The trust policies of one file; `Err` carries a note for a file that does not parse
/// (offset, message). Files that are not candidates yield nothing.
pub fn extract(
    kind: FileKind,
    path: &str,
    text: &str,
) -> Result<Vec<TrustPolicy>, (usize, String)> {
    if !is_candidate(kind, text) {
        return Ok(Vec::new());
    }
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let named_as_trust = name.contains("trust") || name.contains("assume");
    match kind {
        FileKind::Terraform => {
            let tf = crate::parse::hcl::parse(text).map_err(|e| {
                (
                    0,
                    format!(
                        "Terraform does not parse: {}",
                        e.lines().next().unwrap_or("")
                    ),
                )
            })?;
            Ok(from_terraform(tf))
        }
        FileKind::Json => match crate::parse::json::parse(text) {
            Ok(Some(doc)) => Ok(from_tree(&[doc], text, named_as_trust)),
            Ok(None) => Ok(Vec::new()),
            Err((at, e)) => templated(kind, text, named_as_trust)
                .ok_or_else(|| (at, format!("not valid JSON: {e}"))),
        },
        FileKind::Yaml => match crate::parse::yaml::parse(text) {
            Ok(docs) => Ok(from_tree(&docs, text, named_as_trust)),
            Err((at, e)) => templated(kind, text, named_as_trust)
                .ok_or_else(|| (at, format!("not valid YAML: {e}"))),
        },
        _ => Ok(Vec::new()),
    }
}

// ---------------------------------------------------------------------------------------
// Templates: JSON or YAML with templating placeholders (Jinja, Go templates, ERB,
// `${…}` substitutions) that make the file invalid until it is rendered.

/// Opening and closing delimiters of template tags, tried in this order.
const TAGS: [(&str, &str); 5] = [
    ("{{", "}}"),
    ("{%", "%}"),
    ("{#", "#}"),
    ("<%", "%>"),
    ("%{", "}"),
];

/// Go-template actions that produce no value (`{{ if … }}`, `{{- end }}`).
const GO_CONTROL: [&str; 9] = [
    "if ",
    "else",
    "end",
    "range ",
    "with ",
    "define ",
    "template ",
    "block ",
    "/*",
];

/// The byte ranges of template tags in `text`, each with whether it stands alone on its
/// line. In JSON, `${…}` outside strings is a tag too (inside strings it is
/// `CloudFormation`'s own `Fn::Sub` syntax and valid JSON).
fn template_tags(text: &str, json: bool) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut in_string) = (0, false);
    while i < b.len() {
        let rest = &text[i..];
        let tag = TAGS
            .iter()
            .chain(json.then_some(&("${", "}")).filter(|_| !in_string))
            .find(|(open, _)| rest.starts_with(open));
        if let Some((open, close)) = tag {
            if let Some(end) = rest[open.len()..].find(close) {
                let end = i + open.len() + end + close.len();
                out.push((i, end));
                i = end;
                continue;
            }
        }
        match b[i] {
            b'\\' if json && in_string => i += 1,
            b'"' if json => in_string = !in_string,
            b'\n' => in_string = false,
            _ => {}
        }
        i += 1;
    }
    out
}

/// The text with every template tag replaced by bytes of the same length, so that every
/// position stays where it was: a tag alone on its line (control flow, or a whole injected
/// block) becomes spaces; a tag inside a JSON string or a YAML value becomes `_`s; a tag
/// in JSON value position becomes a string `"___"`. `None` when there is no tag.
fn blank_templates(text: &str, json: bool) -> Option<(String, Vec<Span>)> {
    let tags = template_tags(text, json);
    if tags.is_empty() {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut in_string_at = vec![false; bytes.len() + 1];
    if json {
        let (mut i, mut in_string, mut t) = (0, false, 0);
        while i < bytes.len() {
            if t < tags.len() && tags[t].0 == i {
                for flag in &mut in_string_at[tags[t].0..tags[t].1] {
                    *flag = in_string;
                }
                i = tags[t].1;
                t += 1;
                continue;
            }
            in_string_at[i] = in_string;
            match bytes[i] {
                b'\\' if in_string => i += 1,
                b'"' => in_string = !in_string,
                b'\n' => in_string = false,
                _ => {}
            }
            i += 1;
        }
    }
    let mut spans = Vec::new();
    for &(start, end) in &tags {
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n);
        let alone = text[line_start..start].trim().is_empty()
            && (text[end..line_end].trim().is_empty() || text[end..line_end].trim() == ",");
        let inner = text[start + 2..end].trim_start_matches(['-', ' ']);
        let tag = &text[start..end];
        let control = tag.starts_with("{%")
            || tag.starts_with("{#")
            || tag.starts_with("%{")
            || (tag.starts_with("<%") && !tag.starts_with("<%="))
            || (tag.starts_with("{{") && GO_CONTROL.iter().any(|c| inner.starts_with(c)));
        let keep_newlines = |bytes: &mut [u8], with: u8| {
            for c in &mut bytes[start..end] {
                if *c != b'\n' {
                    *c = with;
                }
            }
        };
        if alone && (control || json) || text[start..end].contains('\n') {
            keep_newlines(&mut bytes, b' ');
            continue;
        }
        if control {
            keep_newlines(&mut bytes, b' ');
            continue;
        }
        keep_newlines(&mut bytes, b'_');
        if json && !in_string_at[start] {
            bytes[start] = b'"';
            bytes[end - 1] = b'"';
        }
        spans.push(Span::new(start, end));
    }
    String::from_utf8(bytes).ok().map(|t| (t, spans))
}

/// A template that does not parse as it is, read with its tags blanked: every value that
/// a tag touches is unresolved (shown as written), and a statement whose condition keys or
/// principal types come from a tag is not judged.
fn templated(kind: FileKind, text: &str, named_as_trust: bool) -> Option<Vec<TrustPolicy>> {
    let json = kind == FileKind::Json;
    let (blank, tags) = blank_templates(text, json)?;
    let docs = if json {
        vec![crate::parse::json::parse(&blank).ok()??]
    } else {
        crate::parse::yaml::parse(&blank).ok()?
    };
    let mut policies = from_tree(&docs, &blank, named_as_trust);
    let touched = |s: Span| tags.iter().any(|t| t.start < s.end && s.start < t.end);
    let mark = |v: &mut Value| {
        if touched(v.span) {
            // Shown as written, the whole tag included (a tag in value position became a
            // quoted string whose content is the tag without its first and last bytes).
            let (mut start, mut end) = (v.span.start, v.span.end);
            for t in &tags {
                if t.start < v.span.end && v.span.start < t.end {
                    start = start.min(t.start);
                    end = end.max(t.end);
                }
            }
            v.unresolved = true;
            v.short = text.get(start..end).map(str::to_owned);
        }
    };
    for p in &mut policies {
        for st in &mut p.statements {
            for pr in st.principals.iter_mut().chain(st.not_principals.iter_mut()) {
                mark(&mut pr.value);
            }
            st.actions.iter_mut().for_each(mark);
            for c in &mut st.conditions {
                c.values.iter_mut().for_each(mark);
                if touched(c.key_span) || touched(c.operator_span) {
                    st.opaque = true;
                }
            }
        }
    }
    Some(policies)
}

fn from_terraform(tf: crate::parse::hcl::TerraformFile) -> Vec<TrustPolicy> {
    use crate::parse::hcl::PolicySource;
    let mut out = Vec::new();
    for r in tf.roles {
        match r.policy {
            PolicySource::Inline(doc) => out.push(policy(r.role, Origin::Terraform, &doc)),
            PolicySource::Data(name) => out.push(TrustPolicy {
                file: 0,
                role: r.role,
                origin: Origin::Terraform,
                statements: Vec::new(),
                terraform_ref: Some(name),
                terraform_data: None,
                role_account: None,
                service_linked: false,
            }),
        }
    }
    for (name, doc) in tf.documents {
        let mut p = policy(
            format!("data.aws_iam_policy_document.{name}"),
            Origin::Terraform,
            &doc,
        );
        p.terraform_data = Some(name);
        out.push(p);
    }
    out
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Every trust policy of the workspace, each with its file index. A Terraform role that
/// refers to `data.aws_iam_policy_document.NAME` is linked to that document in any file of
/// the same directory (a module): the document is reported under the role's name, where its
/// principals and conditions are written. A policy document that no role uses is a trust
/// policy only if it names principals; a reference to a document outside the module stays
/// unresolved and yields nothing.
#[must_use]
pub fn collect(files: &[super::ScannedFile]) -> Vec<TrustPolicy> {
    use std::collections::BTreeMap;
    let mut users: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for f in files {
        for p in &f.trust {
            if let Some(name) = &p.terraform_ref {
                users
                    .entry((parent_dir(f.path()), name.as_str()))
                    .or_default()
                    .push(p.role.as_str());
            }
        }
    }
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        for p in &f.trust {
            if p.terraform_ref.is_some() {
                continue;
            }
            let mut p = p.clone();
            p.file = i;
            if let Some(name) = &p.terraform_data {
                match users.get(&(parent_dir(f.path()), name.as_str())) {
                    Some(roles) => p.role = roles.join(", "),
                    None => {
                        if !p
                            .statements
                            .iter()
                            .any(|s| !s.principals.is_empty() || s.not_principal.is_some())
                        {
                            continue;
                        }
                    }
                }
            }
            out.push(p);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// OIDC issuers.

/// An OIDC issuer credlint knows, by the host in the provider ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Issuer {
    GithubActions,
    Gitlab,
    TerraformCloud,
    Bitbucket,
    CircleCi,
    Eks,
    Google,
    Cognito,
    Other,
}

impl Issuer {
    #[must_use]
    pub const fn display(self) -> &'static str {
        match self {
            Self::GithubActions => "GitHub Actions",
            Self::Gitlab => "GitLab",
            Self::TerraformCloud => "Terraform Cloud",
            Self::Bitbucket => "Bitbucket Pipelines",
            Self::CircleCi => "CircleCI",
            Self::Eks => "EKS",
            Self::Google => "Google",
            Self::Cognito => "Cognito",
            Self::Other => "this identity provider",
        }
    }
}

/// The issuer host of a federated principal (`arn:…:oidc-provider/HOST` or `HOST`); `None`
/// for SAML providers.
#[must_use]
pub fn issuer_host(principal: &str) -> Option<&str> {
    if principal.contains(":saml-provider/") {
        return None;
    }
    Some(
        principal
            .rsplit_once(":oidc-provider/")
            .map_or(principal, |(_, h)| h)
            .trim_start_matches("https://"),
    )
}

#[must_use]
pub fn issuer(host: &str) -> Issuer {
    let h = host.to_ascii_lowercase();
    if h == "token.actions.githubusercontent.com"
        || h.starts_with("token.actions.githubusercontent.com/")
    {
        Issuer::GithubActions
    } else if h == "gitlab.com" || h.starts_with("gitlab.") || h.contains("gitlab") {
        Issuer::Gitlab
    } else if h == "app.terraform.io" || h.starts_with("app.terraform.io/") {
        Issuer::TerraformCloud
    } else if h.starts_with("api.bitbucket.org/") || h.contains("bitbucket") {
        Issuer::Bitbucket
    } else if h.starts_with("oidc.circleci.com") {
        Issuer::CircleCi
    } else if h.starts_with("oidc.eks.") {
        Issuer::Eks
    } else if h == "accounts.google.com" {
        Issuer::Google
    } else if h == "cognito-identity.amazonaws.com" {
        Issuer::Cognito
    } else {
        Issuer::Other
    }
}

/// Hosts named by a statement's condition keys (`HOST:claim`), for a federated principal
/// written as a reference (`aws_iam_openid_connect_provider.github.arn`).
#[must_use]
pub fn condition_hosts(st: &Statement) -> Vec<String> {
    let mut hosts: Vec<String> = st
        .conditions
        .iter()
        .filter_map(|c| {
            let (host, _) = c.key.rsplit_once(':')?;
            let lower = host.to_ascii_lowercase();
            (!lower.starts_with("aws") && lower != "sts" && lower != "saml" && !host.contains("${"))
                .then_some(lower)
        })
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{json, yaml};

    fn yaml_policies(text: &str) -> Vec<TrustPolicy> {
        from_tree(&yaml::parse(text).expect("yaml"), text, false)
    }

    #[test]
    fn cloudformation_yaml_with_intrinsics() {
        let cfn = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'\n            Action: sts:AssumeRole\n          - Effect: Allow\n            Principal: '*'\n            Action: ['sts:AssumeRole']\n            Condition:\n              StringEquals:\n                aws:PrincipalOrgID: o-abc\n          - !If [Prod, {Effect: Allow, Principal: {AWS: !Join ['', ['arn:aws:iam::', !Ref AWS::AccountId, ':root']]}, Action: sts:AssumeRole}, !Ref AWS::NoValue]\n";
        let p = yaml_policies(cfn);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].role, "Role");
        let s = &p[0].statements;
        assert_eq!(s.len(), 3);
        assert!(s[0].principals[0].value.unresolved);
        assert_eq!(s[0].principals[0].account(), Some(Account::Own));
        assert_eq!(s[1].principals[0].kind, PrincipalKind::Anyone);
        assert_eq!(s[1].conditions_on("aws:principalorgid").count(), 1);
        assert!(s[1].conditions[0].restricts());
        assert_eq!(s[2].principals[0].account(), Some(Account::Own));
    }

    #[test]
    fn standalone_and_cli_input() {
        let json = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let doc = json::parse(json).expect("json").expect("doc");
        let p = from_tree(&[doc], json, false);
        assert_eq!(
            p[0].statements[0].principals[0].kind,
            PrincipalKind::Service
        );
        let cli = r#"{"RoleName": "r", "AssumeRolePolicyDocument": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}"}"#;
        let doc = json::parse(cli).expect("json").expect("doc");
        let p = from_tree(&[doc], cli, false);
        assert_eq!(p[0].role, "r");
        let star = &p[0].statements[0].principals[0];
        assert_eq!(star.kind, PrincipalKind::Anyone);
        assert_eq!(&cli[star.value.span.start..star.value.span.end], "*");
        let doc = json::parse("{\"a\": 1}").expect("json").expect("doc");
        assert!(from_tree(&[doc], "{\"a\": 1}", false).is_empty());
        // A resource policy (no STS action) is not a trust policy unless the name says so.
        let s3 = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}"#;
        let doc = json::parse(s3).expect("json").expect("doc");
        assert!(from_tree(std::slice::from_ref(&doc), s3, false).is_empty());
        assert_eq!(from_tree(&[doc], s3, true).len(), 1);
    }

    #[test]
    fn operators() {
        let c = |op: &str, v: &str| Condition {
            operator: op.into(),
            operator_span: Span::default(),
            key: "aws:PrincipalOrgID".into(),
            key_span: Span::default(),
            values: vec![Value {
                text: v.into(),
                span: Span::default(),
                unresolved: false,
                short: None,
            }],
        };
        assert!(c("StringEquals", "o-1").restricts());
        assert!(
            c("StringEquals", "*").restricts(),
            "StringEquals has no wildcards"
        );
        assert!(!c("StringLike", "*").restricts());
        assert!(!c("StringEqualsIfExists", "o-1").restricts());
        assert!(!c("StringNotEquals", "o-1").restricts());
        assert!(!c("ForAllValues:StringLike", "o-1/*").restricts());
        assert!(c("ForAnyValue:StringLike", "o-1/*").restricts());
        assert_eq!(
            c("ForAnyValue:StringLikeIfExists", "x").base_operator(),
            "StringLike"
        );
        assert_eq!(
            c("ForAnyValue:StringLike", "x").set_qualifier(),
            Some(SetQualifier::ForAnyValue)
        );
    }

    #[test]
    fn hostile_input_gives_notes_not_panics() {
        use std::fmt::Write as _;
        let start = std::time::Instant::now();
        // An alias bomb: never expanded.
        let mut bomb = String::from("a: &a [\"sts:AssumeRole\", \"sts:AssumeRole\"]\n");
        for i in 0..30 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            };
            let _ = writeln!(bomb, "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}]");
        }
        assert!(extract(FileKind::Yaml, "bomb.yaml", &bomb).is_ok());
        let deep_yaml = format!(
            "# Principal\nsts: {}1{}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert!(extract(FileKind::Yaml, "deep.yaml", &deep_yaml).is_err());
        let deep_json = format!(
            "{{\"Principal\": 1, \"sts:\": {}1{}}}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert!(extract(FileKind::Json, "deep.json", &deep_json).is_err());
        let deep_tf = format!(
            "resource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = {}1{}\n}}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert!(extract(FileKind::Terraform, "deep.tf", &deep_tf).is_err());
        // Truncated and malformed documents.
        for text in [
            "{\"Statement\": [{\"Principal\": ",
            "Resources: {Role: {Properties: {AssumeRolePolicyDocument: !Sub",
            "{\"AssumeRolePolicyDocument\": \"{\\\"Statement\\\": [\"}",
            "{\"Statement\": {\"Principal\": {\"AWS\": {\"Fn::If\": [1]}}, \"Action\": \"sts:AssumeRole\"}}",
        ] {
            let _ = extract(FileKind::Json, "x.json", text);
            let _ = extract(FileKind::Yaml, "x.yaml", text);
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn intrinsics_are_shown_in_short_form() {
        let cfn = "Resources:\n  R:\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: !FindInMap [Accounts, !Ref Env, Trusted]\n              Service: !Sub 'states.${AWS::Region}.amazonaws.com'\n            Action: sts:AssumeRole\n";
        let p = yaml_policies(cfn);
        let pr = &p[0].statements[0].principals;
        assert_eq!(
            pr[0].value.shown(),
            "!FindInMap [Accounts, !Ref Env, Trusted]"
        );
        assert!(pr[0].value.unresolved);
        assert_eq!(pr[0].account(), Some(Account::Unknown));
        assert_eq!(pr[1].value.text, "states.${AWS::Region}.amazonaws.com");
        assert_eq!(
            pr[1].value.shown(),
            "!Sub states.${AWS::Region}.amazonaws.com"
        );
        let json = r#"{"Resources": {"R": {"Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::FindInMap": ["Accounts", {"Ref": "Env"}, "Trusted"]}}, "Action": "sts:AssumeRole"}]}}}}}"#;
        let doc = json::parse(json).expect("json").expect("doc");
        let p = from_tree(&[doc], json, false);
        let v = &p[0].statements[0].principals[0].value;
        assert_eq!(v.shown(), "!FindInMap [Accounts, !Ref Env, Trusted]");
        assert!(!v.text.contains('\n') && !v.text.contains('{'));
    }

    #[test]
    fn templates_are_read_with_their_tags_blanked() {
        let text = "{\n  \"Statement\": [\n    {% for a in accounts %}\n    {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": {{ a | tojson }}}, \"Action\": \"sts:AssumeRole\"},\n    {% endfor %}\n    {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::{{ acct }}:root\"}, \"Action\": \"sts:AssumeRole\"},\n    {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"}\n  ]\n}\n";
        assert!(json::parse(text).is_err());
        let p = extract(FileKind::Json, "trust.json", text).expect("read through the fallback");
        let st = &p[0].statements;
        assert_eq!(st.len(), 3);
        assert!(st[0].principals[0].value.unresolved);
        assert_eq!(st[0].principals[0].value.shown(), "{{ a | tojson }}");
        assert_eq!(st[1].principals[0].account(), Some(Account::Unknown));
        let star = &st[2].principals[0];
        assert_eq!(star.kind, PrincipalKind::Anyone);
        assert_eq!(&text[star.value.span.start..star.value.span.end], "*");
        // Without any tag the parse error stays a note.
        assert!(extract(FileKind::Json, "trust.json", "{\"Principal\": [sts:").is_err());
    }

    #[test]
    fn terraform_plans_give_each_planned_role_once() {
        let doc = r#"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}"#;
        let plan = format!(
            r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[{{"address":"aws_iam_role.r","values":{{"assume_role_policy":"{doc}"}}}}]}}}},"resource_changes":[{{"address":"aws_iam_role.r","change":{{"actions":["create"],"after":{{"assume_role_policy":"{doc}"}}}}}},{{"address":"aws_iam_role.gone","change":{{"actions":["delete"],"before":{{"assume_role_policy":"{doc}"}},"after":null}}}}]}}"#
        );
        let p = extract(FileKind::Json, "plan.json", &plan).expect("plan");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].role, "aws_iam_role.r");
        assert_eq!(p[0].origin, Origin::TerraformPlan);
        let star = &p[0].statements[0].principals[0];
        assert_eq!(star.kind, PrincipalKind::Anyone);
        // The position is the `*` inside the escaped string of resource_changes.
        let at = plan.find("resource_changes").expect("changes");
        assert!(star.value.span.start > at);
        assert_eq!(&plan[star.value.span.start..star.value.span.end], "*");
    }

    #[test]
    fn issuers() {
        assert_eq!(
            issuer("token.actions.githubusercontent.com"),
            Issuer::GithubActions
        );
        assert_eq!(
            issuer("token.actions.githubusercontent.com/my-ent"),
            Issuer::GithubActions
        );
        assert_eq!(
            issuer("oidc.eks.eu-west-1.amazonaws.com/id/ABC"),
            Issuer::Eks
        );
        assert_eq!(issuer("app.terraform.io"), Issuer::TerraformCloud);
        assert_eq!(
            issuer_host("arn:aws:iam::111122223333:oidc-provider/gitlab.com"),
            Some("gitlab.com")
        );
        assert_eq!(
            issuer_host("arn:aws:iam::111122223333:saml-provider/okta"),
            None
        );
    }
}
