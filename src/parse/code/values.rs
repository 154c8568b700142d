//! Values at a call: the SDKs' credential parameter names, where an argument's value
//! comes from (a literal, an environment read or something else, followed through names),
//! and recording credential calls, profiles and environment writes.

use super::grammar::{
    F_ARGUMENTS, F_CONSTRUCTOR, F_FUNCTION, F_LEFT, F_NAME, F_OBJECT, F_RIGHT, F_VALUE,
};
use super::scope::{MAX_RESOLVE, Walker, span};
use super::types::{ArgValue, CodeArg, CredCall, ProfileRef};
use crate::parse::env::{EnvAssignment, ValueOrigin};
use crate::source::Span;
use tree_sitter::Node;

pub(super) const KEY_ID: &str = "aws_access_key_id";
pub(super) const SECRET: &str = "aws_secret_access_key";
pub(super) const TOKEN: &str = "aws_session_token";

/// The credential parameters of an SDK, in its own spelling and in positional order (key
/// id, secret, token), each with botocore's name for the slot. A name from one SDK means
/// nothing in another: `access_key_id=` is not a boto3 keyword, and `token=` is a
/// credential only for botocore's own setters.
pub(super) type Names = [(&'static str, &'static str); 3];

/// JavaScript v2 and v3 credential objects and `new AWS.Credentials(…)`; Java's
/// `AwsBasicCredentials` builder and `create(accessKeyId, secretAccessKey)`.
pub(super) const CAMEL: Names = [
    ("accessKeyId", KEY_ID),
    ("secretAccessKey", SECRET),
    ("sessionToken", TOKEN),
];

pub(super) fn slot_in(names: &Names, name: &str) -> Option<(&'static str, &'static str)> {
    names.iter().find(|(n, _)| *n == name).copied()
}

impl<'a, 't> Walker<'a, 't> {
    /// Classify a value expression, with the span of a literal's text.
    fn value(&self, n: Node<'t>) -> (ArgValue, Span) {
        self.value_at(n, self.scope, 0)
    }

    pub(super) fn value_at(&self, n: Node<'t>, scope: usize, depth: usize) -> (ArgValue, Span) {
        let here = span(n);
        if let Some((v, s)) = self.string_value(n) {
            return (ArgValue::Literal(v), s);
        }
        let text = self.src(n);
        let variable = || (ArgValue::Variable(text.to_owned()), here);
        match n.kind() {
            // Wrappers that do not change the value.
            "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression"
            | "type_assertion"
            | "await_expression" => n
                .named_child(0)
                .map_or_else(variable, |inner| self.value_at(inner, scope, depth)),
            "identifier" => {
                if depth >= MAX_RESOLVE {
                    return variable();
                }
                match self.lookup(scope, text) {
                    Some(Some((bound, bound_scope))) => {
                        let (v, s) = self.value_at(bound, bound_scope, depth + 1);
                        match v {
                            // Name what the code passes, not what the name holds.
                            ArgValue::Variable(_) => variable(),
                            other => (other, s),
                        }
                    }
                    _ => variable(),
                }
            }
            // `os.getenv("X") or "fallback"`, `process.env.X || "fallback"`, `?? "…"`.
            "boolean_operator" | "binary_expression" => {
                let op = n.child_by_field_name("operator").map_or_else(
                    || {
                        let mut c = n.walk();
                        n.children(&mut c)
                            .find(|ch| !ch.is_named())
                            .map_or("", |ch| self.src(ch))
                    },
                    |o| self.src(o),
                );
                if !matches!(op, "or" | "||" | "??") {
                    return variable();
                }
                let (Some(l), Some(r)) = (self.field(n, F_LEFT), self.field(n, F_RIGHT)) else {
                    return variable();
                };
                let left = self.value_at(l, scope, depth);
                let right = self.value_at(r, scope, depth);
                match (&left.0, &right.0) {
                    (ArgValue::Env(_), ArgValue::Literal(_)) => right,
                    (ArgValue::Literal(_) | ArgValue::Env(_), _) => left,
                    _ => variable(),
                }
            }
            // os.environ["X"]
            "subscript" => {
                let obj = self.field(n, F_VALUE).map_or("", |v| self.src(v));
                if is_python_environ(obj) {
                    let key = n
                        .child_by_field_name("subscript")
                        .and_then(|k| self.string_value(k))
                        .map(|(k, _)| k)
                        .unwrap_or_default();
                    return (ArgValue::Env(key), here);
                }
                variable()
            }
            // process.env.X, import.meta.env.X
            "member_expression" => {
                let obj = self.field(n, F_OBJECT).map_or("", |o| self.src(o));
                if is_js_env(obj) {
                    let key = n
                        .child_by_field_name("property")
                        .map_or("", |p| self.src(p));
                    return (ArgValue::Env(key.to_owned()), here);
                }
                variable()
            }
            // process.env["X"]
            "subscript_expression" => {
                let obj = self.field(n, F_OBJECT).map_or("", |o| self.src(o));
                if is_js_env(obj) {
                    let key = n
                        .child_by_field_name("index")
                        .and_then(|k| self.string_value(k))
                        .map(|(k, _)| k)
                        .unwrap_or_default();
                    return (ArgValue::Env(key), here);
                }
                variable()
            }
            // os.getenv("X", "fallback"), os.environ.get(…), os.Getenv("X"),
            // System.getenv("X"), Deno.env.get("X")
            "call" | "call_expression" | "method_invocation" => {
                let callee = self.callee(n);
                let env_read = callee.ends_with("getenv")
                    || callee.ends_with("environ.get")
                    || callee.ends_with("Getenv")
                    || callee.ends_with("LookupEnv")
                    || callee == "Deno.env.get"
                    || callee == "System.getenv";
                if !env_read {
                    return variable();
                }
                let args = self.args(n);
                let key = args
                    .first()
                    .and_then(|a| self.string_value(*a))
                    .map(|(k, _)| k)
                    .unwrap_or_default();
                // A literal fallback is what runs when the variable is unset.
                let fallback = args.get(1).copied().or_else(|| self.keyword(n, "default"));
                if let Some(f) = fallback {
                    let (v, s) = self.value_at(f, scope, depth);
                    if matches!(v, ArgValue::Literal(_)) {
                        return (v, s);
                    }
                }
                (ArgValue::Env(key), here)
            }
            _ => variable(),
        }
    }

    /// The callee of a call as written (`boto3.client`, `AwsBasicCredentials.create`).
    pub(super) fn callee(&self, n: Node<'_>) -> &'a str {
        if n.kind() == "method_invocation" {
            // `object.name` as written, up to the end of the method name.
            let end = n
                .child_by_field_name("name")
                .map_or(n.start_byte(), |x| x.end_byte());
            return self.text.get(n.start_byte()..end).unwrap_or("");
        }
        self.field(n, F_FUNCTION)
            .or_else(|| self.field(n, F_CONSTRUCTOR))
            .map_or("", |f| self.src(f))
    }

    /// Positional arguments of a call (keyword arguments and comments left out).
    pub(super) fn args(&self, n: Node<'t>) -> Vec<Node<'t>> {
        let Some(args) = self.field(n, F_ARGUMENTS) else {
            return Vec::new();
        };
        let mut c = args.walk();
        args.named_children(&mut c)
            .filter(|a| !matches!(a.kind(), "keyword_argument" | "comment"))
            .collect()
    }

    /// A Python keyword argument's value.
    pub(super) fn keyword(&self, n: Node<'t>, name: &str) -> Option<Node<'t>> {
        let args = self.field(n, F_ARGUMENTS)?;
        let mut c = args.walk();
        args.named_children(&mut c)
            .filter(|a| a.kind() == "keyword_argument")
            .find(|a| self.field(*a, F_NAME).is_some_and(|k| self.src(k) == name))
            .and_then(|a| self.field(a, F_VALUE))
    }

    pub(super) fn arg(
        &self,
        (written, name): (&str, &'static str),
        value: Node<'t>,
    ) -> Option<CodeArg> {
        if self.is_nothing(value) {
            return None;
        }
        let (v, value_span) = self.value(value);
        Some(CodeArg {
            name,
            written: written.to_owned(),
            value: v,
            span: span(value),
            value_span,
            sts: self.sts_origin(value, self.scope, 0),
        })
    }

    pub(super) fn literal(&self, n: Node<'t>) -> Option<(String, Span)> {
        match self.value(n) {
            (ArgValue::Literal(v), s) => Some((v, s)),
            _ => None,
        }
    }

    pub(super) fn push_call(
        &mut self,
        api: &str,
        at: Node<'_>,
        args: Vec<CodeArg>,
        unseen_args: bool,
    ) {
        if !args.is_empty() {
            self.out.calls.push(CredCall {
                api: api.to_owned(),
                span: span(at),
                args,
                unseen_args,
            });
        }
    }

    pub(super) fn push_profile(&mut self, value: Node<'t>) {
        if let Some((name, s)) = self.literal(value) {
            let via = (value.kind() == "identifier").then(|| self.src(value));
            self.out.profiles.push(ProfileRef {
                written_by_code: writes_profile(self.text, &name, via),
                name,
                span: s,
            });
        }
    }

    /// Credentials passed by position (key id, secret, token, named as in `names`), up to
    /// the first spread argument (`*args`, `...rest`, `args...`), whose values are unseen;
    /// and whether there was one.
    pub(super) fn positional_args(&self, call: Node<'t>, names: &Names) -> (Vec<CodeArg>, bool) {
        let args = self.args(call);
        let spread = args.iter().any(|a| is_spread(*a));
        let found = args
            .into_iter()
            .take_while(|a| !is_spread(*a))
            .zip(names.iter().copied())
            .filter_map(|(value, name)| self.arg(name, value))
            .collect();
        (found, spread)
    }

    pub(super) fn positional(&mut self, call: Node<'t>, api: &str, names: &Names) {
        let (found, spread) = self.positional_args(call, names);
        self.push_call(api, call, found, spread);
    }

    pub(super) fn push_env(&mut self, key: &str, key_span: Span, value: Node<'t>) {
        let (value_text, value_span, origin) = match self.value(value) {
            (ArgValue::Literal(v), s) => (v, s, ValueOrigin::Literal),
            _ => (
                self.src(value).to_owned(),
                span(value),
                ValueOrigin::Derived,
            ),
        };
        self.out.env.push(EnvAssignment {
            key: key.to_owned(),
            key_span,
            value: Some(value_text),
            value_span,
            origin,
            exported: true,
            command_prefix: false,
        });
        let scope = self.function_scope(self.scope);
        self.out.env_scope.push(scope);
    }
}

/// Whether source text writes the profile `name` itself: an ini text with a `[profile
/// NAME]` or `[NAME]` header (a test's temporary config file), a `"profile NAME"` section
/// name (configparser), or a mapping from the quoted name, or from the variable `via`
/// holding it, to a mapping (`{"NAME": {…}}`, `{"NAME": config}`, `{profile: {…}}`: botocore's
/// in-memory `profiles` config).
fn writes_profile(text: &str, name: &str, via: Option<&str>) -> bool {
    if text.contains(&format!("[profile {name}]"))
        || text.contains(&format!("[{name}]"))
        || text.contains(&format!("\"profile {name}\""))
        || text.contains(&format!("'profile {name}'"))
    {
        return true;
    }
    // A quoted key may map to a mapping or to a name holding one; a bare variable as a key
    // only to a mapping written in place (`name: str` is a type annotation).
    let keyed = |key: &str, to_name: bool| {
        text.match_indices(key).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            if !to_name && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                return false;
            }
            let Some(r) = text[i + key.len()..].trim_start().strip_prefix(':') else {
                return false;
            };
            let r = r.trim_start();
            r.starts_with('{')
                || r.starts_with("dict(")
                || (to_name && r.starts_with(|c: char| c.is_alphabetic() || c == '_'))
        })
    };
    ['"', '\'']
        .iter()
        .any(|q| keyed(&format!("{q}{name}{q}"), true))
        || via.is_some_and(|v| keyed(v, false))
}

/// An argument whose values are spread into the call (`*args`, `**kwargs`, `...rest`,
/// Go's `args...`).
pub(super) fn is_spread(n: Node<'_>) -> bool {
    matches!(
        n.kind(),
        "list_splat" | "dictionary_splat" | "spread_element" | "variadic_argument"
    )
}

pub(super) fn is_python_environ(obj: &str) -> bool {
    matches!(obj, "os.environ" | "environ" | "_os.environ")
}

fn is_js_env(obj: &str) -> bool {
    matches!(obj, "process.env" | "import.meta.env" | "Bun.env")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_the_code_writes_itself() {
        assert!(writes_profile(
            "cfg.write('[profile dev]\\nregion=x')",
            "dev",
            None
        ));
        assert!(writes_profile(
            "config = {'profiles': {'dev': {'region': 'x'}}}",
            "dev",
            None
        ));
        assert!(writes_profile(
            "c = {'profiles': {'dev': profile_config}}",
            "dev",
            None
        ));
        assert!(writes_profile("parser['profile dev'] = {}", "dev", None));
        assert!(writes_profile(
            "c = {'profiles': {name: {'region': 'x'}}}",
            "dev",
            Some("name")
        ));
        assert!(!writes_profile(
            "def f(name: str): pass",
            "dev",
            Some("name")
        ));
        assert!(!writes_profile(
            "boto3.Session(profile_name='dev')",
            "dev",
            None
        ));
        assert!(!writes_profile("x = {'dev': 1}", "dev", None));
    }
}
