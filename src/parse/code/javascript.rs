//! JavaScript and TypeScript: credential objects handed to the AWS SDK (v2 and v3) and
//! `new AWS.Credentials`, `{ profile }` given to a shared-file provider, and
//! `process.env` writes.

use super::grammar::{F_KEY, F_LEFT, F_NAME, F_OBJECT, F_RIGHT, F_VALUE};
use super::scope::{Walker, span};
use super::types::{ArgValue, CodeArg};
use super::values::{CAMEL, slot_in};
use tree_sitter::Node;

impl<'t> Walker<'_, 't> {
    /// Collect the names a JavaScript/TypeScript module imports or requires from the AWS
    /// SDK at its top level.
    pub(super) fn js_imports(&mut self, root: Node<'t>) {
        let mut c = root.walk();
        let top: Vec<Node<'t>> = root.named_children(&mut c).collect();
        for n in top {
            match n.kind() {
                "import_statement" => {
                    let from = n
                        .child_by_field_name("source")
                        .and_then(|s| self.string_body(s))
                        .map_or("", |(m, _)| m);
                    if !is_aws_module(from) {
                        continue;
                    }
                    let mut cc = n.walk();
                    let clauses: Vec<Node<'t>> = n
                        .named_children(&mut cc)
                        .filter(|k| k.kind() == "import_clause")
                        .collect();
                    for clause in clauses {
                        self.js_names_under(clause);
                    }
                }
                "lexical_declaration" | "variable_declaration" => {
                    let mut cc = n.walk();
                    let decls: Vec<Node<'t>> = n
                        .named_children(&mut cc)
                        .filter(|k| k.kind() == "variable_declarator")
                        .collect();
                    for d in decls {
                        let (Some(name), Some(value)) =
                            (self.field(d, F_NAME), self.field(d, F_VALUE))
                        else {
                            continue;
                        };
                        // require("aws-sdk"), require("@aws-sdk/client-s3").S3Client
                        let mut call = value;
                        while call.kind() == "member_expression" {
                            let Some(o) = self.field(call, F_OBJECT) else {
                                break;
                            };
                            call = o;
                        }
                        if call.kind() == "call_expression"
                            && self.callee(call) == "require"
                            && self
                                .args(call)
                                .first()
                                .and_then(|a| self.string_body(*a))
                                .is_some_and(|(m, _)| is_aws_module(m))
                        {
                            self.js_names_under(name);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Every name a binding pattern or import clause introduces.
    fn js_names_under(&mut self, n: Node<'t>) {
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if matches!(
                x.kind(),
                "identifier" | "shorthand_property_identifier_pattern"
            ) {
                self.aws_imports.insert(self.src(x));
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
    }

    /// Whether a JavaScript callee or constructor (`S3Client`, `AWS.S3`,
    /// `AWS.config.update`) comes from the AWS SDK: its first name is imported or required
    /// from `aws-sdk…` or `@aws-sdk/…`, or is v2's global `AWS`.
    fn js_from_sdk(&self, callee: &str) -> bool {
        let root = callee.split(['.', '<', '(']).next().unwrap_or("").trim();
        root == "AWS" || self.aws_imports.contains(root)
    }

    /// The SDK call an object literal is handed to, when it is one that takes credentials:
    /// the object itself or its `credentials:` value is an argument of `new` on an SDK
    /// class (`new S3Client({…})`, `new AWS.S3({…})`, `new AWS.Credentials({…})`) or of
    /// `AWS.config.update(…)`. The call's description for messages, and the call node.
    fn js_sink_of(&self, object: Node<'t>) -> Option<(String, Node<'t>)> {
        let mut cur = object;
        let mut via_credentials = false;
        for _ in 0..6 {
            let p = cur.parent()?;
            match p.kind() {
                "parenthesized_expression"
                | "as_expression"
                | "satisfies_expression"
                | "non_null_expression"
                | "type_assertion" => cur = p,
                // `credentials: { … }` inside the client's configuration.
                "pair" if !via_credentials => {
                    let key = self.field(p, F_KEY).map_or("", |k| self.src(k));
                    if key.trim_matches(['"', '\'']) != "credentials" {
                        return None;
                    }
                    via_credentials = true;
                    cur = p.parent().filter(|o| o.kind() == "object")?;
                }
                "arguments" => {
                    let call = p.parent()?;
                    return self.js_sink_call(call);
                }
                _ => return None,
            }
        }
        None
    }

    /// A `new` or call node that takes credentials (see [`Self::js_sink_of`]).
    fn js_sink_call(&self, call: Node<'t>) -> Option<(String, Node<'t>)> {
        let callee = self.callee(call);
        if !self.js_from_sdk(callee) {
            return None;
        }
        let shown: String = callee.chars().take(60).collect();
        match call.kind() {
            "new_expression" => Some((format!("new {shown}"), call)),
            "call_expression" if callee.ends_with("config.update") => Some((shown, call)),
            _ => None,
        }
    }

    pub(super) fn javascript(&mut self, n: Node<'t>) {
        match n.kind() {
            "object" => self.js_object(n),
            "new_expression" => {
                let ctor = n
                    .child_by_field_name("constructor")
                    .map_or("", |c| self.src(c));
                let args = self.args(n);
                // v2: new AWS.Credentials(id, secret, token); the other form takes one
                // options object (written in place, or a name bound to one).
                if matches!(ctor, "AWS.Credentials" | "Credentials")
                    && self.js_from_sdk(ctor)
                    && args.first().is_some_and(|a| {
                        a.kind() != "object" && (args.len() > 1 || a.kind() != "identifier")
                    })
                {
                    self.positional(n, ctor, &CAMEL);
                    return;
                }
                // new S3Client(config) / new S3Client({ credentials }) with the object
                // bound to a name: the object where it is written.
                if let Some((api, call)) = self.js_sink_call(n) {
                    for a in self.args(n) {
                        self.js_bound_object(a, &api, call, true);
                    }
                }
            }
            "assignment_expression" => {
                // process.env.AWS_X = "v" / process.env["AWS_X"] = "v"
                let (Some(left), Some(right)) = (self.field(n, F_LEFT), self.field(n, F_RIGHT))
                else {
                    return;
                };
                let obj = left
                    .child_by_field_name("object")
                    .map_or("", |o| self.src(o));
                if obj != "process.env" {
                    return;
                }
                let key = match left.kind() {
                    "member_expression" => left
                        .child_by_field_name("property")
                        .map(|p| (self.src(p).to_owned(), span(p))),
                    "subscript_expression" => left
                        .child_by_field_name("index")
                        .and_then(|i| self.string_value(i)),
                    _ => None,
                };
                if let Some((key, ks)) = key {
                    self.push_env(&key, ks, right);
                }
            }
            _ => {}
        }
    }

    /// `{ profile: "dev" }` given to a provider that reads the shared files: `fromIni`,
    /// `fromSSO`, `fromProcess`, `fromNodeProviderChain`, `new AWS.SharedIniFileCredentials`.
    fn js_profile(&mut self, object: Node<'t>) {
        let ctx = object
            .parent()
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| a.parent())
            .map_or("", |call| self.callee(call));
        if !(ctx.ends_with("fromIni")
            || ctx.ends_with("SharedIniFileCredentials")
            || ctx.ends_with("fromSSO")
            || ctx.ends_with("fromProcess")
            || ctx.ends_with("fromNodeProviderChain"))
        {
            return;
        }
        let mut c = object.walk();
        let pairs: Vec<Node<'t>> = object
            .named_children(&mut c)
            .filter(|p| p.kind() == "pair")
            .collect();
        for pair in pairs {
            let key = self.field(pair, F_KEY).map_or("", |k| self.src(k));
            if key.trim_matches(['"', '\'']) == "profile"
                && let Some(v) = self.field(pair, F_VALUE)
            {
                self.push_profile(v);
            }
        }
    }

    /// An argument of an SDK call that is a name bound to an object literal: the object's
    /// credentials (at the top when `top`, or under `credentials:`) count for the call.
    fn js_bound_object(&mut self, arg: Node<'t>, api: &str, call: Node<'t>, top: bool) {
        let object = if arg.kind() == "identifier" {
            match self.lookup(self.scope, self.src(arg)) {
                Some(Some((bound, _))) if bound.kind() == "object" => bound,
                _ => return,
            }
        } else if arg.kind() == "object" && top {
            // Written in place: its own credentials are the object handler's; follow a
            // `credentials: name` inside it.
            let mut c = arg.walk();
            let pairs: Vec<Node<'t>> = arg
                .named_children(&mut c)
                .filter(|p| p.kind() == "pair")
                .collect();
            for p in pairs {
                let key = self.field(p, F_KEY).map_or("", |k| self.src(k));
                if key.trim_matches(['"', '\'']) == "credentials"
                    && let Some(v) = self.field(p, F_VALUE)
                    && v.kind() == "identifier"
                {
                    self.js_bound_object(v, api, call, false);
                }
            }
            return;
        } else {
            return;
        };
        let (found, spread) = self.js_credentials(object);
        self.push_call(api, call, found, spread);
        if top {
            let mut c = object.walk();
            let pairs: Vec<Node<'t>> = object
                .named_children(&mut c)
                .filter(|p| p.kind() == "pair")
                .collect();
            for p in pairs {
                let key = self.field(p, F_KEY).map_or("", |k| self.src(k));
                if key.trim_matches(['"', '\'']) == "credentials"
                    && let Some(v) = self.field(p, F_VALUE)
                    && matches!(v.kind(), "identifier" | "object")
                {
                    if v.kind() == "object" {
                        let (found, spread) = self.js_credentials(v);
                        self.push_call(api, call, found, spread);
                    } else {
                        self.js_bound_object(v, api, call, false);
                    }
                }
            }
        }
    }

    /// The credential properties of an object literal, and whether it spreads another
    /// object (`{ ...base, accessKeyId }`) whose properties are unseen.
    fn js_credentials(&self, n: Node<'t>) -> (Vec<CodeArg>, bool) {
        let mut found = Vec::new();
        let mut spread = false;
        let mut c = n.walk();
        let children: Vec<Node<'t>> = n.named_children(&mut c).collect();
        for pair in children {
            let (key, value) = match pair.kind() {
                "pair" => (self.field(pair, F_KEY), self.field(pair, F_VALUE)),
                // { accessKeyId } shorthand: the value is the variable of that name.
                "shorthand_property_identifier" => (Some(pair), Some(pair)),
                "spread_element" => {
                    spread = true;
                    (None, None)
                }
                _ => (None, None),
            };
            let (Some(key), Some(value)) = (key, value) else {
                continue;
            };
            let name = self
                .string_value(key)
                .map_or_else(|| self.src(key).to_owned(), |(v, _)| v);
            let Some(slot) = slot_in(&CAMEL, &name) else {
                continue;
            };
            // Nested objects, functions and numbers are schemas or config, not keys.
            if matches!(
                value.kind(),
                "object" | "array" | "arrow_function" | "function_expression" | "number"
            ) {
                continue;
            }
            let a = if pair.kind() == "shorthand_property_identifier" {
                let sts = match self.lookup(self.scope, &name) {
                    Some(Some((bound, bound_scope))) => self.sts_origin(bound, bound_scope, 0),
                    _ => None,
                };
                let (v, s) = match self.lookup(self.scope, &name) {
                    Some(Some((bound, bound_scope))) => {
                        let (v, s) = self.value_at(bound, bound_scope, 0);
                        match v {
                            ArgValue::Variable(_) => (ArgValue::Variable(name.clone()), span(pair)),
                            other => (other, s),
                        }
                    }
                    _ => (ArgValue::Variable(name.clone()), span(pair)),
                };
                Some(CodeArg {
                    name: slot.1,
                    written: slot.0.to_owned(),
                    value: v,
                    span: span(pair),
                    value_span: s,
                    sts,
                })
            } else {
                self.arg(slot, value)
            };
            found.extend(a);
        }
        (found, spread)
    }

    fn js_object(&mut self, n: Node<'t>) {
        self.js_profile(n);
        let (found, spread) = self.js_credentials(n);
        if found.is_empty() {
            return;
        }
        // Only an object handed to the SDK is a credential: the same properties in a
        // mock's resolved value, an assertion's expected value, a provider's return value
        // or a helper's argument are data.
        if let Some((api, _)) = self.js_sink_of(n) {
            self.push_call(&api, n, found, spread);
        }
    }
}

/// Whether a JavaScript module specifier is the AWS SDK (v2 `aws-sdk`, v3 `@aws-sdk/…`).
fn is_aws_module(m: &str) -> bool {
    m == "aws-sdk" || m.starts_with("aws-sdk/") || m.starts_with("@aws-sdk/")
}

#[cfg(test)]
mod tests {
    use super::super::tests::lits;
    use super::super::values::{KEY_ID, SECRET};
    use crate::parse::code::{ArgValue, Lang, parse};

    #[test]
    fn javascript_typescript() {
        let js = "const { S3Client } = require('@aws-sdk/client-s3');\nconst c = new S3Client({ credentials: { accessKeyId: 'AKIAJS', secretAccessKey: process.env.SECRET } });\nconst p = fromIni({ profile: 'dev' });\nnew AWS.Credentials('AKIA2', 'sec');\nAWS.config.update({ accessKeyId: process.env['K'] || 'AKIAFB', region: 'x' });\nconst schema = { accessKeyId: { type: 'string' } };\nprocess.env.AWS_PROFILE = 'ops';\n";
        let f = parse(js, Lang::JavaScript);
        let v = lits(&f);
        assert_eq!(v[0], (KEY_ID, ArgValue::Literal("AKIAJS".into())));
        assert_eq!(v[1], (SECRET, ArgValue::Env("SECRET".into())));
        assert_eq!(v[4], (KEY_ID, ArgValue::Literal("AKIAFB".into())));
        assert_eq!(f.calls.len(), 3, "{:?}", f.calls);
        assert_eq!(f.calls[0].api, "new S3Client");
        assert_eq!(f.calls[1].api, "AWS.Credentials");
        assert_eq!(f.calls[2].api, "AWS.config.update");
        assert_eq!(f.profiles[0].name, "dev");
        assert_eq!(f.env[0].key, "AWS_PROFILE");
        let ts = "import { S3Client, S3 } from '@aws-sdk/client-s3';\nfunction f(secret: string) {\n  const id = 'AKIATS';\n  return new S3Client({ credentials: { accessKeyId: id, secretAccessKey: secret } as Creds });\n}\nconst { accessKeyId } = x;\nnew S3({ credentials: { accessKeyId, secretAccessKey: process.env.S! } });\n";
        let f = parse(ts, Lang::TypeScript);
        let v = lits(&f);
        assert_eq!(v[0], (KEY_ID, ArgValue::Literal("AKIATS".into())));
        assert_eq!(v[1], (SECRET, ArgValue::Variable("secret".into())));
        assert_eq!(v[2], (KEY_ID, ArgValue::Variable("accessKeyId".into())));
        assert_eq!(v[3], (SECRET, ArgValue::Env("S".into())));
    }
}
