//! Source code, parsed for real with tree-sitter: SDK calls given credentials explicitly
//! (Python boto3/botocore keyword arguments, JavaScript/TypeScript credential objects and
//! `new AWS.Credentials`, Go `NewStaticCredentials*`, Java `AwsBasicCredentials.create` and
//! `BasicAWSCredentials`), `os.environ[...] = …` assignments, and profiles named in code.
//! Only files that pass the scan's prefilter get here.

use super::env::{EnvAssignment, ValueOrigin};
use crate::source::Span;
use std::collections::HashMap;
use tree_sitter::{Node, Parser};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// A string written in the code (directly or through a module constant).
    Literal(String),
    /// Read from the environment (`os.environ[...]`, `process.env.X`, `os.Getenv`, …).
    Env(String),
    /// Anything else: a variable, a call, a computation.
    Variable(String),
}

/// One credential argument of an SDK call, normalised to botocore's names
/// (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`).
#[derive(Clone, Debug)]
pub struct CodeArg {
    pub name: &'static str,
    pub value: ArgValue,
    pub span: Span,
}

/// An SDK client, session or credentials object built with explicit credentials.
#[derive(Clone, Debug)]
pub struct CredCall {
    /// What was called, as written (`boto3.client`, `AwsBasicCredentials.create`).
    pub api: String,
    pub span: Span,
    pub args: Vec<CodeArg>,
}

/// A profile named in code (`Session(profile_name='dev')`, `fromIni({ profile: 'dev' })`).
#[derive(Clone, Debug)]
pub struct ProfileRef {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct CodeFile {
    pub calls: Vec<CredCall>,
    /// `os.environ["AWS_…"] = "…"` and the like.
    pub env: Vec<EnvAssignment>,
    pub profiles: Vec<ProfileRef>,
    /// The source does not parse cleanly (results may be partial).
    pub has_errors: bool,
}

const KEY_ID: &str = "aws_access_key_id";
const SECRET: &str = "aws_secret_access_key";
const TOKEN: &str = "aws_session_token";

fn normalise(name: &str) -> Option<&'static str> {
    match name {
        "aws_access_key_id" | "accessKeyId" | "AccessKeyId" | "access_key_id" => Some(KEY_ID),
        "aws_secret_access_key" | "secretAccessKey" | "SecretAccessKey" | "secret_access_key" => {
            Some(SECRET)
        }
        "aws_session_token" | "sessionToken" | "SessionToken" | "session_token" => Some(TOKEN),
        _ => None,
    }
}

/// Parse `text` as `lang`. `None` if the grammar cannot be loaded (never expected).
#[must_use]
pub fn parse(text: &str, lang: Lang) -> CodeFile {
    let language: tree_sitter::Language = match lang {
        Lang::Python => tree_sitter_python::LANGUAGE.into(),
        Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Lang::Go => tree_sitter_go::LANGUAGE.into(),
        Lang::Java => tree_sitter_java::LANGUAGE.into(),
    };
    let mut parser = Parser::new();
    if parser.set_language(&language).is_err() {
        return CodeFile {
            has_errors: true,
            ..CodeFile::default()
        };
    }
    let Some(tree) = parser.parse(text, None) else {
        return CodeFile {
            has_errors: true,
            ..CodeFile::default()
        };
    };
    let root = tree.root_node();
    let mut w = Walker {
        text,
        lang,
        constants: HashMap::new(),
        out: CodeFile {
            has_errors: root.has_error(),
            ..CodeFile::default()
        },
    };
    w.collect_constants(root);
    w.visit(root);
    w.out
}

struct Walker<'a> {
    text: &'a str,
    lang: Lang,
    /// Top-level `NAME = "literal"` constants, for values passed through a name.
    constants: HashMap<String, String>,
    out: CodeFile,
}

fn span(n: Node<'_>) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

impl<'a> Walker<'a> {
    fn src(&self, n: Node<'_>) -> &'a str {
        self.text.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }

    /// The text of a string literal without quotes, when it has no interpolation.
    fn string_value(&self, n: Node<'_>) -> Option<(String, Span)> {
        let kind = n.kind();
        let is_string = matches!(
            kind,
            "string"
                | "interpreted_string_literal"
                | "raw_string_literal"
                | "string_literal"
                | "template_string"
        );
        if !is_string {
            return None;
        }
        let mut c = n.walk();
        let interpolated = n.children(&mut c).any(|ch| {
            matches!(
                ch.kind(),
                "interpolation" | "template_substitution" | "escape_sequence"
            )
        });
        let raw = self.src(n);
        if interpolated || raw.starts_with(['f', 'F']) {
            return None;
        }
        let trimmed = raw.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let q = trimmed.chars().next()?;
        let q_len = if trimmed.starts_with("\"\"\"") || trimmed.starts_with("'''") {
            3
        } else {
            q.len_utf8()
        };
        if trimmed.len() < 2 * q_len {
            return None;
        }
        let start = n.start_byte() + (raw.len() - trimmed.len()) + q_len;
        let end = n.end_byte() - q_len;
        Some((self.text.get(start..end)?.to_owned(), Span::new(start, end)))
    }

    fn collect_constants(&mut self, root: Node<'_>) {
        let mut c = root.walk();
        for top in root.children(&mut c) {
            let mut stack = vec![top];
            while let Some(n) = stack.pop() {
                // Look a little way into top-level statements (declarations, exports).
                if matches!(
                    n.kind(),
                    "function_definition"
                        | "class_definition"
                        | "function_declaration"
                        | "method_declaration"
                        | "class_declaration"
                        | "class_body"
                ) {
                    continue;
                }
                let (name, value) = match n.kind() {
                    "assignment" => (
                        n.child_by_field_name("left"),
                        n.child_by_field_name("right"),
                    ),
                    "variable_declarator" => (
                        n.child_by_field_name("name"),
                        n.child_by_field_name("value"),
                    ),
                    "const_spec" | "var_spec" => (
                        n.child_by_field_name("name"),
                        n.child_by_field_name("value")
                            .and_then(|v| v.named_child(0)),
                    ),
                    _ => (None, None),
                };
                if let (Some(name), Some(value)) = (name, value)
                    && matches!(name.kind(), "identifier")
                    && let Some((v, _)) = self.string_value(value)
                {
                    self.constants.insert(self.src(name).to_owned(), v);
                }
                let mut cc = n.walk();
                if n.child_count() < 64 {
                    stack.extend(n.children(&mut cc));
                }
            }
        }
    }

    /// Classify a value expression.
    fn value(&self, n: Node<'_>) -> ArgValue {
        if let Some((v, _)) = self.string_value(n) {
            return ArgValue::Literal(v);
        }
        let text = self.src(n);
        match n.kind() {
            "identifier" => match self.constants.get(text) {
                Some(v) => ArgValue::Literal(v.clone()),
                None => ArgValue::Variable(text.to_owned()),
            },
            // os.environ["X"]
            "subscript" if text.starts_with("os.environ") => {
                ArgValue::Env(self.first_string(n).unwrap_or_default())
            }
            // os.getenv("X", "fallback"), os.environ.get(...), os.Getenv("X"), System.getenv("X")
            "call" | "call_expression" | "method_invocation" => {
                let callee = n
                    .child_by_field_name("function")
                    .or_else(|| n.child_by_field_name("name"))
                    .map_or("", |f| self.src(f));
                let env_read = ["getenv", "environ.get", "Getenv", "LookupEnv"]
                    .iter()
                    .any(|s| callee.ends_with(s))
                    || text.starts_with("System.getenv");
                if env_read {
                    // A literal fallback is a literal: it is what runs when the variable is unset.
                    let args = n.child_by_field_name("arguments");
                    let strings: Vec<String> = args.map(|a| self.strings_in(a)).unwrap_or_default();
                    if let Some(fallback) = strings.get(1) {
                        return ArgValue::Literal(fallback.clone());
                    }
                    return ArgValue::Env(strings.first().cloned().unwrap_or_default());
                }
                ArgValue::Variable(text.to_owned())
            }
            // process.env.X
            "member_expression" if text.starts_with("process.env") => {
                ArgValue::Env(text.rsplit('.').next().unwrap_or("").to_owned())
            }
            _ => ArgValue::Variable(text.to_owned()),
        }
    }

    fn strings_in(&self, n: Node<'_>) -> Vec<String> {
        let mut c = n.walk();
        n.named_children(&mut c)
            .filter_map(|ch| self.string_value(ch).map(|(v, _)| v))
            .collect()
    }

    fn first_string(&self, n: Node<'_>) -> Option<String> {
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if let Some((v, _)) = self.string_value(x) {
                return Some(v);
            }
            let mut c = x.walk();
            stack.extend(x.children(&mut c).collect::<Vec<_>>().into_iter().rev());
        }
        None
    }

    fn visit(&mut self, root: Node<'_>) {
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            match self.lang {
                Lang::Python => self.python(n),
                Lang::JavaScript | Lang::TypeScript | Lang::Tsx => self.javascript(n),
                Lang::Go => self.go(n),
                Lang::Java => self.java(n),
            }
            cursor.reset(n);
            if cursor.goto_first_child() {
                loop {
                    stack.push(cursor.node());
                    if !cursor.goto_next_sibling() {
                        break;
                    }
                }
            }
        }
        self.out.calls.sort_by_key(|c| c.span.start);
        self.out.env.sort_by_key(|e| e.key_span.start);
        self.out.profiles.sort_by_key(|p| p.span.start);
    }

    fn push_env(&mut self, key: &str, key_span: Span, value: Node<'_>) {
        let (value_text, value_span, origin) = match self.string_value(value) {
            Some((v, s)) => (v, s, ValueOrigin::Literal),
            None => (
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
    }

    fn python(&mut self, n: Node<'_>) {
        match n.kind() {
            "call" => {
                let Some(args) = n.child_by_field_name("arguments") else {
                    return;
                };
                let callee = n
                    .child_by_field_name("function")
                    .map_or("", |f| self.src(f))
                    .to_owned();
                let mut found = Vec::new();
                let mut c = args.walk();
                for kw in args
                    .named_children(&mut c)
                    .filter(|a| a.kind() == "keyword_argument")
                {
                    let (Some(name), Some(value)) = (
                        kw.child_by_field_name("name"),
                        kw.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    let name_text = self.src(name);
                    if name_text == "profile_name" {
                        if let ArgValue::Literal(p) = self.value(value) {
                            self.out.profiles.push(ProfileRef {
                                name: p,
                                span: self.string_value(value).map_or(span(value), |(_, s)| s),
                            });
                        }
                    } else if let Some(slot) = normalise(name_text) {
                        found.push(CodeArg {
                            name: slot,
                            value: self.value(value),
                            span: self.string_value(value).map_or(span(value), |(_, s)| s),
                        });
                    }
                }
                // os.environ.setdefault("AWS_X", "v") / os.putenv("AWS_X", "v")
                if (callee.ends_with("environ.setdefault") || callee.ends_with("putenv"))
                    && let (Some(k), Some(v)) = (args.named_child(0), args.named_child(1))
                    && let Some((key, ks)) = self.string_value(k)
                {
                    self.push_env(&key, ks, v);
                }
                if !found.is_empty() {
                    self.out.calls.push(CredCall {
                        api: callee,
                        span: span(n),
                        args: found,
                    });
                }
            }
            "assignment" => {
                // os.environ["AWS_X"] = "v"
                let (Some(left), Some(right)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return;
                };
                if left.kind() == "subscript" && self.src(left).starts_with("os.environ") {
                    let Some(sub) = left.child_by_field_name("subscript") else {
                        return;
                    };
                    if let Some((key, ks)) = self.string_value(sub) {
                        self.push_env(&key, ks, right);
                    }
                }
            }
            _ => {}
        }
    }

    fn javascript(&mut self, n: Node<'_>) {
        match n.kind() {
            "object" => {
                let mut found = Vec::new();
                let mut profile = None;
                let mut c = n.walk();
                for pair in n.named_children(&mut c) {
                    let (key, value) = match pair.kind() {
                        "pair" => (
                            pair.child_by_field_name("key"),
                            pair.child_by_field_name("value"),
                        ),
                        // { accessKeyId } shorthand
                        "shorthand_property_identifier" => (Some(pair), Some(pair)),
                        _ => (None, None),
                    };
                    let (Some(key), Some(value)) = (key, value) else {
                        continue;
                    };
                    let name = self
                        .string_value(key)
                        .map_or_else(|| self.src(key).to_owned(), |(v, _)| v);
                    if let Some(slot) = normalise(&name) {
                        let v = if pair.kind() == "shorthand_property_identifier" {
                            ArgValue::Variable(name.clone())
                        } else {
                            self.value(value)
                        };
                        found.push(CodeArg {
                            name: slot,
                            value: v,
                            span: self.string_value(value).map_or(span(value), |(_, s)| s),
                        });
                    } else if name == "profile" {
                        if let ArgValue::Literal(p) = self.value(value) {
                            profile = Some(ProfileRef {
                                name: p,
                                span: self.string_value(value).map_or(span(value), |(_, s)| s),
                            });
                        }
                    }
                }
                if !found.is_empty() {
                    self.out.calls.push(CredCall {
                        api: "credentials object".into(),
                        span: span(n),
                        args: found,
                    });
                }
                // fromIni({ profile }), new AWS.SharedIniFileCredentials({ profile })
                if let Some(p) = profile {
                    let ctx = n
                        .parent()
                        .and_then(|a| a.parent())
                        .map_or("", |c| self.src(c));
                    if ctx.contains("fromIni")
                        || ctx.contains("SharedIniFileCredentials")
                        || ctx.contains("fromSSO")
                        || ctx.contains("fromProcess")
                    {
                        self.out.profiles.push(p);
                    }
                }
            }
            "new_expression" => {
                let ctor = n
                    .child_by_field_name("constructor")
                    .map_or("", |c| self.src(c));
                if ctor == "AWS.Credentials" || ctor == "Credentials" {
                    self.positional(n, ctor.to_owned(), n.child_by_field_name("arguments"));
                }
            }
            _ => {}
        }
    }

    fn positional(&mut self, call: Node<'_>, api: String, args: Option<Node<'_>>) {
        let Some(args) = args else { return };
        let mut c = args.walk();
        let values: Vec<Node<'_>> = args
            .named_children(&mut c)
            .filter(|a| a.kind() != "comment")
            .collect();
        let mut found = Vec::new();
        for (value, slot) in values.into_iter().zip([KEY_ID, SECRET, TOKEN]) {
            found.push(CodeArg {
                name: slot,
                value: self.value(value),
                span: self.string_value(value).map_or(span(value), |(_, s)| s),
            });
        }
        if !found.is_empty() {
            self.out.calls.push(CredCall {
                api,
                span: span(call),
                args: found,
            });
        }
    }

    fn go(&mut self, n: Node<'_>) {
        if n.kind() != "call_expression" {
            return;
        }
        let callee = n
            .child_by_field_name("function")
            .map_or("", |f| self.src(f))
            .to_owned();
        if callee.ends_with("NewStaticCredentialsProvider")
            || callee.ends_with("NewStaticCredentials")
        {
            self.positional(n, callee, n.child_by_field_name("arguments"));
        }
    }

    fn java(&mut self, n: Node<'_>) {
        match n.kind() {
            "method_invocation" => {
                let object = n.child_by_field_name("object").map_or("", |o| self.src(o));
                let name = n.child_by_field_name("name").map_or("", |o| self.src(o));
                if name == "create"
                    && matches!(object, "AwsBasicCredentials" | "AwsSessionCredentials")
                {
                    self.positional(
                        n,
                        format!("{object}.create"),
                        n.child_by_field_name("arguments"),
                    );
                }
            }
            "object_creation_expression" => {
                let ty = n.child_by_field_name("type").map_or("", |o| self.src(o));
                if matches!(ty, "BasicAWSCredentials" | "BasicSessionCredentials") {
                    self.positional(n, format!("new {ty}"), n.child_by_field_name("arguments"));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(f: &CodeFile) -> Vec<(&'static str, ArgValue)> {
        f.calls
            .iter()
            .flat_map(|c| c.args.iter().map(|a| (a.name, a.value.clone())))
            .collect()
    }

    #[test]
    fn python_kwargs_constants_env_and_profiles() {
        let src = "import os, boto3\nKEY = 'AKIAXX'\ns3 = boto3.client('s3', aws_access_key_id=KEY, aws_secret_access_key=os.environ['S'], aws_session_token=os.getenv('T', 'tok'))\nsession = boto3.Session(profile_name='dev')\nos.environ['AWS_PROFILE'] = 'prod'\nc = boto3.client('s3')\n";
        let f = parse(src, Lang::Python);
        assert_eq!(f.calls.len(), 1);
        assert_eq!(f.calls[0].api, "boto3.client");
        assert_eq!(
            lits(&f),
            vec![
                (KEY_ID, ArgValue::Literal("AKIAXX".into())),
                (SECRET, ArgValue::Env("S".into())),
                (TOKEN, ArgValue::Literal("tok".into())),
            ]
        );
        assert_eq!(f.profiles[0].name, "dev");
        assert_eq!(
            &src[f.profiles[0].span.start..f.profiles[0].span.end],
            "dev"
        );
        assert_eq!(f.env[0].key, "AWS_PROFILE");
        assert_eq!(f.env[0].value.as_deref(), Some("prod"));
    }

    #[test]
    fn javascript_go_java() {
        let js = "const c = new S3Client({ credentials: { accessKeyId: 'AKIAJS', secretAccessKey: process.env.SECRET } });\nconst p = fromIni({ profile: 'dev' });\nnew AWS.Credentials('AKIA2', 'sec');\n";
        let f = parse(js, Lang::JavaScript);
        assert_eq!(lits(&f)[0], (KEY_ID, ArgValue::Literal("AKIAJS".into())));
        assert_eq!(lits(&f)[1], (SECRET, ArgValue::Env("SECRET".into())));
        assert_eq!(f.profiles[0].name, "dev");
        assert_eq!(f.calls.len(), 2);
        let f = parse(js, Lang::TypeScript);
        assert_eq!(f.calls.len(), 2);
        let go = "package main\nfunc f() { p := credentials.NewStaticCredentialsProvider(\"AKIAGO\", os.Getenv(\"S\"), \"\") }\n";
        let f = parse(go, Lang::Go);
        assert_eq!(lits(&f)[0], (KEY_ID, ArgValue::Literal("AKIAGO".into())));
        assert_eq!(lits(&f)[1], (SECRET, ArgValue::Env("S".into())));
        let java = "class A { void f() { var c = AwsBasicCredentials.create(\"AKIAJV\", System.getenv(\"S\")); var d = new BasicAWSCredentials(k, s); } }\n";
        let f = parse(java, Lang::Java);
        assert_eq!(f.calls.len(), 2);
        assert_eq!(lits(&f)[0], (KEY_ID, ArgValue::Literal("AKIAJV".into())));
        assert_eq!(lits(&f)[2], (KEY_ID, ArgValue::Variable("k".into())));
    }
}
