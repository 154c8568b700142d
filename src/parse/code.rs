//! Source code, parsed for real with tree-sitter: SDK calls given credentials explicitly
//! (Python boto3/botocore keyword arguments and `set_credentials`, JavaScript/TypeScript
//! credential objects and `new AWS.Credentials`, Go `NewStaticCredentials*` and
//! `aws.Credentials{…}`, Java `AwsBasicCredentials.create`, its builder and
//! `BasicAWSCredentials`), environment variables set from code (`os.environ[...] = …`,
//! `process.env.X = …`, `os.Setenv`), profiles named in code, and `load_dotenv()` calls.
//! Only files that pass the scan's prefilter get here.
//!
//! Values are followed through names: a local variable, parameter-free module constant,
//! Go `const` or Java field assigned exactly once is resolved to what it was assigned (a
//! literal, an environment read, or something unknowable), scope by scope.

use super::env::{EnvAssignment, ValueOrigin};
use crate::source::Span;
use std::cell::RefCell;
use std::collections::HashMap;
use tree_sitter::{Node, Parser, Tree};

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

/// One credential argument of an SDK call, normalised to botocore's names
/// (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`).
#[derive(Clone, Debug)]
pub struct CodeArg {
    pub name: &'static str,
    pub value: ArgValue,
    /// The argument as written at the call.
    pub span: Span,
    /// Where a literal's text is (inside its quotes, possibly at a constant's definition);
    /// the argument itself for other values.
    pub value_span: Span,
}

/// An SDK client, session or credentials object built with explicit credentials.
#[derive(Clone, Debug)]
pub struct CredCall {
    /// What was called, as written (`boto3.client`, `AwsBasicCredentials.create`,
    /// `new S3Client`).
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
    pub profiles: Vec<ProfileRef>,
    pub dotenv_loads: Vec<DotenvLoad>,
    /// The source does not parse cleanly (results may be partial).
    pub has_errors: bool,
}

const KEY_ID: &str = "aws_access_key_id";
const SECRET: &str = "aws_secret_access_key";
const TOKEN: &str = "aws_session_token";

/// The slot of a credential argument or property name in any SDK's spelling.
fn normalise(name: &str) -> Option<&'static str> {
    match name {
        "aws_access_key_id" | "accessKeyId" | "AccessKeyId" | "AccessKeyID" | "access_key_id"
        | "access_key" => Some(KEY_ID),
        "aws_secret_access_key"
        | "secretAccessKey"
        | "SecretAccessKey"
        | "secret_access_key"
        | "secret_key" => Some(SECRET),
        "aws_session_token" | "sessionToken" | "SessionToken" | "session_token" | "token" => {
            Some(TOKEN)
        }
        _ => None,
    }
}

/// Names only some APIs use for credentials (`set_credentials(access_key=…, token=…)`);
/// elsewhere `token=` or `access_key=` mean something else.
fn generic_only(name: &str) -> bool {
    matches!(name, "access_key" | "secret_key" | "token")
}

/// What the walk does at a node kind, as flags per kind id of a grammar.
const SCOPE: u8 = 1;
const BINDING: u8 = 2;
const PARAMS: u8 = 4;
const HANDLER: u8 = 8;

/// The flags of a node kind by name: scopes, simple bindings, parameter lists, and the
/// nodes the language's handler looks at. Everything else is only walked through.
fn kind_flags(lang: Lang, kind: &str) -> u8 {
    match lang {
        Lang::Python => match kind {
            "function_definition" | "lambda" | "class_definition" => SCOPE,
            "assignment" => BINDING | HANDLER,
            "parameters" | "lambda_parameters" => PARAMS,
            "call" => HANDLER,
            _ => 0,
        },
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => match kind {
            "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function" => SCOPE,
            "variable_declarator" => BINDING,
            "assignment_expression" => BINDING | HANDLER,
            "formal_parameters" => PARAMS,
            "object" | "new_expression" => HANDLER,
            _ => 0,
        },
        Lang::Go => match kind {
            "function_declaration" | "method_declaration" | "func_literal" => SCOPE,
            "const_spec" | "var_spec" | "short_var_declaration" | "assignment_statement" => BINDING,
            "parameter_list" => PARAMS,
            "call_expression" | "composite_literal" => HANDLER,
            _ => 0,
        },
        Lang::Java => match kind {
            "method_declaration"
            | "constructor_declaration"
            | "lambda_expression"
            | "class_body"
            | "enum_body"
            | "interface_body" => SCOPE,
            "variable_declarator" => BINDING,
            "assignment_expression" => BINDING | HANDLER,
            "formal_parameters" => PARAMS,
            "method_invocation" | "object_creation_expression" => HANDLER,
            _ => 0,
        },
    }
}

/// Field names the handlers look up on hot paths, resolved to the grammar's field ids once
/// (`child_by_field_name` compares the name with every field name of the grammar).
const FIELD_NAMES: [&str; 9] = [
    "left",
    "right",
    "name",
    "value",
    "key",
    "arguments",
    "function",
    "constructor",
    "object",
];
const F_LEFT: usize = 0;
const F_RIGHT: usize = 1;
const F_NAME: usize = 2;
const F_VALUE: usize = 3;
const F_KEY: usize = 4;
const F_ARGUMENTS: usize = 5;
const F_FUNCTION: usize = 6;
const F_CONSTRUCTOR: usize = 7;
const F_OBJECT: usize = 8;

/// A parser loaded with a grammar, the flags of each of the grammar's node kinds by kind
/// id (comparing ids is far cheaper than comparing kind names at every node), and the ids
/// of [`FIELD_NAMES`].
struct Grammar {
    parser: Parser,
    flags: Vec<u8>,
    fields: [u16; FIELD_NAMES.len()],
}

impl Grammar {
    fn new(lang: Lang) -> Option<Self> {
        let language: tree_sitter::Language = match lang {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
            Lang::Java => tree_sitter_java::LANGUAGE.into(),
        };
        let flags = (0..language.node_kind_count())
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                match language.node_kind_for_id(id) {
                    Some(name) if language.node_kind_is_named(id) => kind_flags(lang, name),
                    _ => 0,
                }
            })
            .collect();
        let fields = FIELD_NAMES.map(|f| language.field_id_for_name(f).map_or(0, u16::from));
        let mut parser = Parser::new();
        parser.set_language(&language).ok()?;
        Some(Self {
            parser,
            flags,
            fields,
        })
    }
}

thread_local! {
    /// One grammar per language and thread: building a parser and loading a grammar for
    /// every candidate file would be wasted work.
    static GRAMMARS: RefCell<HashMap<Lang, Grammar>> = RefCell::new(HashMap::new());
}

/// Source files bigger than this, or with lines longer than [`MINIFIED_LINE`], are bundles
/// or generated code: building a syntax tree for them would cost more than everything else
/// the scan does, so they get the loose text reading instead (key ids and secret-named
/// pairs are still found).
pub const MAX_TREE_BYTES: usize = 2 * 1024 * 1024;
/// A line this long is minified code.
pub const MINIFIED_LINE: usize = 4096;

/// Whether source code is about AWS at all: SDK imports (`boto3`, `botocore`, `aws-sdk`,
/// `@aws-sdk/…`, `github.com/aws/…`, `software.amazon.awssdk`, `com.amazonaws`), `AWS_…`
/// variables, or a key id. The scan's prefilter also lets through code that only says
/// `withCredentials` or `GoogleCredentials`; such files get the cheap loose reading
/// instead of a syntax tree.
#[must_use]
pub fn mentions_aws(text: &str) -> bool {
    static AWS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new("aws|AWS|Aws|boto|AKIA|ASIA").expect("static literal set")
    });
    AWS.is_match(text)
}

/// Whether a path is inside a tree of third-party packages (`node_modules/`, `vendor/`, a
/// virtualenv's `site-packages/`): the SDKs themselves live there and mention credentials
/// on every page, but no call there is the project's. Such files get the loose reading.
#[must_use]
pub fn vendored(path: &str) -> bool {
    path.split(['/', '\\']).any(|c| {
        matches!(
            c,
            "node_modules" | "vendor" | "site-packages" | "dist-packages" | "bower_components"
        )
    })
}

/// Whether `text` should not get a syntax tree (see [`MAX_TREE_BYTES`]).
#[must_use]
pub fn too_big_for_a_tree(text: &str) -> bool {
    text.len() > MAX_TREE_BYTES
        || text
            .as_bytes()
            .split(|&b| b == b'\n')
            .any(|l| l.len() > MINIFIED_LINE)
}

/// Credential argument and property names in every spelling [`normalise`] accepts outside
/// botocore's own setters (where `access_key`, `secret_key` and `token` count too).
const SINK_NAMES: &str = "aws_access_key_id|accessKeyId|AccessKeyId|AccessKeyID|access_key_id|aws_secret_access_key|secretAccessKey|SecretAccessKey|secret_access_key|aws_session_token|sessionToken|SessionToken|session_token";

/// What the handlers of a language can act on, as text: a file without a match gives an
/// empty [`CodeFile`] from the walk, so it needs no syntax tree. Each pattern must match
/// wherever its language's handler could record something; when a handler learns a new
/// API, its name goes here too (`tests/code_precheck.rs` checks this on every code fixture).
/// ASCII word boundaries and loose gaps (any whitespace, comments) keep the patterns wider
/// than the grammar, never narrower.
fn sink_pattern(lang: Lang) -> &'static regex::bytes::Regex {
    use std::sync::LazyLock;
    // Whitespace, line continuations and comments between tokens.
    const PY_GAP: &str = r"(?:\s|\\|#[^\n]*)*";
    const C_GAP: &str = r"(?:\s|/\*(?s:.)*?\*/|//[^\n]*)*";
    fn build(p: &str) -> regex::bytes::Regex {
        regex::bytes::Regex::new(p).expect("static pattern")
    }
    static PYTHON: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        build(&format!(
            // keyword arguments (credentials, `profile_name=`, `Session(profile=)`), environ
            // writes, python-dotenv, and botocore's own credential setters
            r"(?-u:\b)(?:{SINK_NAMES}|profile_name|profile){PY_GAP}=|environ{PY_GAP}\[|environ\.setdefault|environ\.update|putenv|load_dotenv|set_credentials|botocore\.credentials"
        ))
    });
    static JAVASCRIPT: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        build(&format!(
            // object keys (`accessKeyId: …`, `'profile': …`, shorthand `{{ accessKeyId }}`),
            // `new AWS.Credentials(…)`, `process.env.X = …`
            r#"(?-u:\b)(?:{SINK_NAMES}|profile)["']?{C_GAP}[:,}}]|(?-u:\bnew\b){C_GAP}(?:AWS\.)?Credentials(?-u:\b)|process\.env"#
        ))
    });
    static GO: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        build(&format!(
            r"(?-u:\b)(?:{SINK_NAMES}|Profile)(?-u:\b)|NewStaticCredentials|WithSharedConfigProfile|NewSharedCredentials|os\.Setenv"
        ))
    });
    static JAVA: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        build(&format!(
            r"(?-u:\b)(?:{SINK_NAMES}|profileName)(?-u:\b)|AwsBasicCredentials|AwsSessionCredentials|ProfileCredentialsProvider|BasicAWSCredentials|BasicSessionCredentials"
        ))
    });
    match lang {
        Lang::Python => &PYTHON,
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => &JAVASCRIPT,
        Lang::Go => &GO,
        Lang::Java => &JAVA,
    }
}

/// Whether the walk of `text` could record anything (see [`sink_pattern`]).
#[must_use]
pub fn could_yield(text: &str, lang: Lang) -> bool {
    sink_pattern(lang).is_match(text.as_bytes())
}

/// Parse `text` as `lang`: code that cannot hold a credential call, environment write,
/// profile or dotenv load ([`could_yield`]) gets an empty result without a syntax tree.
#[must_use]
pub fn parse(text: &str, lang: Lang) -> CodeFile {
    if !could_yield(text, lang) {
        return CodeFile::default();
    }
    parse_tree(text, lang)
}

/// Parse `text` as `lang` with a syntax tree, whatever it holds. A file the grammar cannot
/// load gives an empty result with `has_errors` set (never expected: the grammars are
/// compiled in).
#[must_use]
pub fn parse_tree(text: &str, lang: Lang) -> CodeFile {
    GRAMMARS.with(|cell| {
        let mut grammars = cell.borrow_mut();
        let grammar = match grammars.entry(lang) {
            std::collections::hash_map::Entry::Occupied(o) => Some(o.into_mut()),
            std::collections::hash_map::Entry::Vacant(v) => Grammar::new(lang).map(|g| v.insert(g)),
        };
        let Some(grammar) = grammar else {
            return CodeFile {
                has_errors: true,
                ..CodeFile::default()
            };
        };
        // Nothing of a previous file is reused.
        grammar.parser.reset();
        let Some(tree) = grammar.parser.parse(text, None) else {
            return CodeFile {
                has_errors: true,
                ..CodeFile::default()
            };
        };
        walk_tree(text, lang, &tree, &grammar.flags, grammar.fields)
    })
}

fn walk_tree(
    text: &str,
    lang: Lang,
    tree: &Tree,
    flags: &[u8],
    fields: [u16; FIELD_NAMES.len()],
) -> CodeFile {
    let root = tree.root_node();
    let mut w = Walker {
        text,
        fields,
        root_id: root.id(),
        bindings: HashMap::new(),
        parents: HashMap::new(),
        scope: root.id(),
        mentions_botocore_credentials: lang == Lang::Python
            && text.contains("botocore.credentials"),
        out: CodeFile {
            has_errors: root.has_error(),
            ..CodeFile::default()
        },
    };
    let handlers = w.walk(root, flags);
    for (n, scope) in handlers {
        w.scope = scope;
        match lang {
            Lang::Python => w.python(n),
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => w.javascript(n),
            Lang::Go => w.go(n),
            Lang::Java => w.java(n),
        }
    }
    w.out.calls.sort_by_key(|c| c.span.start);
    w.out.env.sort_by_key(|e| e.key_span.start);
    w.out.profiles.sort_by_key(|p| p.span.start);
    w.out.dotenv_loads.sort_by_key(|d| d.span.start);
    w.out
}

/// What a name was bound to in one scope: a single value with the scope it is evaluated
/// in, or `None` when it is bound more than once, declared without a value, or a parameter
/// (unknowable).
type Binding<'t> = Option<(Node<'t>, usize)>;

struct Walker<'a, 't> {
    text: &'a str,
    fields: [u16; FIELD_NAMES.len()],
    root_id: usize,
    bindings: HashMap<(usize, &'a str), Binding<'t>>,
    /// Each scope's enclosing scope (by node id), and whether it is a Python class body,
    /// whose names the functions inside it do not see.
    parents: HashMap<usize, (usize, bool)>,
    /// The scope of the node being visited.
    scope: usize,
    mentions_botocore_credentials: bool,
    out: CodeFile,
}

fn span(n: Node<'_>) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

/// How deep a chain of names is followed (`a = b`, `b = c`, …): bounds cycles.
const MAX_RESOLVE: usize = 8;

impl<'a, 't> Walker<'a, 't> {
    /// A child by one of [`FIELD_NAMES`] (`F_LEFT`, …).
    fn field<'x>(&self, n: Node<'x>, f: usize) -> Option<Node<'x>> {
        match self.fields[f] {
            0 => None,
            id => n.child_by_field_id(id),
        }
    }

    fn src(&self, n: Node<'_>) -> &'a str {
        self.text.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }

    /// The text of a string literal inside its quotes, when it has no interpolation.
    fn string_value(&self, n: Node<'_>) -> Option<(String, Span)> {
        self.string_body(n).map(|(v, s)| (v.to_owned(), s))
    }

    /// [`Self::string_value`] without copying the text.
    fn string_body(&self, n: Node<'_>) -> Option<(&'a str, Span)> {
        let kind = n.kind();
        if !matches!(
            kind,
            "string"
                | "interpreted_string_literal"
                | "raw_string_literal"
                | "string_literal"
                | "template_string"
        ) {
            return None;
        }
        let mut c = n.walk();
        let interpolated = n.children(&mut c).any(|ch| {
            matches!(
                ch.kind(),
                "interpolation" | "template_substitution" | "string_interpolation"
            )
        });
        let raw = self.src(n);
        let prefix_len = raw.len()
            - raw
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        let prefix = &raw[..prefix_len];
        if interpolated || prefix.contains(['f', 'F']) {
            return None;
        }
        let quoted = &raw[prefix_len..];
        let q_len = if quoted.starts_with("\"\"\"") || quoted.starts_with("'''") {
            3
        } else {
            quoted.chars().next()?.len_utf8()
        };
        if quoted.len() < 2 * q_len {
            return None;
        }
        let start = n.start_byte() + prefix_len + q_len;
        let end = n.end_byte() - q_len;
        Some((self.text.get(start..end)?, Span::new(start, end)))
    }

    /// A node that stands for "no value": passing it is passing nothing.
    fn is_nothing(&self, n: Node<'_>) -> bool {
        match n.kind() {
            "none" | "null" | "undefined" | "nil" | "null_literal" => true,
            "identifier" => matches!(self.src(n), "undefined" | "nil" | "None"),
            _ => self.string_value(n).is_some_and(|(v, _)| v.is_empty()),
        }
    }

    // ---- scopes and bindings -------------------------------------------------------

    /// Open the scope of `n` (a scope node inside `scope`); its id.
    fn enter(&mut self, n: Node<'t>, scope: usize) -> usize {
        let id = n.id();
        let parent = match self.parents.get(&scope) {
            // A Python function inside a class body sees the class's enclosing scope.
            Some(&(outer, true)) => outer,
            _ => scope,
        };
        self.parents
            .entry(id)
            .or_insert((parent, n.kind() == "class_definition"));
        id
    }

    /// `scope` and the scopes around it, innermost first, ending with the file.
    fn chain(&self, scope: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(scope), move |s| {
            (*s != self.root_id).then(|| self.parents.get(s).map_or(self.root_id, |p| p.0))
        })
        .take(1024)
    }

    fn bind(&mut self, scope: usize, name: Node<'t>, value: Option<Node<'t>>) {
        if name.kind() != "identifier" {
            return;
        }
        let key = (scope, self.src(name));
        self.bindings
            .entry(key)
            .and_modify(|b| *b = None)
            .or_insert(value.map(|v| (v, scope)));
    }

    /// Parameter names of a parameter list, bound as unknowable in the function's scope.
    fn bind_params(&mut self, params: Node<'t>, scope: usize) {
        let mut c = params.walk();
        let children: Vec<Node<'t>> = params.named_children(&mut c).collect();
        for p in children {
            let mut names = Vec::new();
            if p.kind() == "identifier" {
                names.push(p);
            }
            for field in ["name", "pattern", "left"] {
                let mut cc = p.walk();
                names.extend(p.children_by_field_name(field, &mut cc));
            }
            if names.is_empty() {
                // `*args`, `...rest`, `{ a, b }`: the identifiers inside.
                let mut cc = p.walk();
                names.extend(p.named_children(&mut cc).filter(|x| {
                    matches!(
                        x.kind(),
                        "identifier" | "shorthand_property_identifier_pattern"
                    )
                }));
            }
            for name in names {
                let key = (scope, self.src(name));
                self.bindings.insert(key, None);
            }
        }
    }

    /// One walk over the whole tree with a cursor: scopes are opened, every simple
    /// `name = value` and parameter is bound in its scope, and the nodes the language's
    /// handler looks at are returned (in document order, with their scope) for after the
    /// walk, when every binding of the file is known.
    fn walk(&mut self, root: Node<'t>, flags: &[u8]) -> Vec<(Node<'t>, usize)> {
        let mut handlers = Vec::new();
        let mut cursor = root.walk();
        // Open scopes: (depth of the scope node, scope id).
        let mut open: Vec<(usize, usize)> = Vec::new();
        let mut depth = 0usize;
        loop {
            while open.last().is_some_and(|(d, _)| *d >= depth) {
                open.pop();
            }
            let n = cursor.node();
            let f = flags.get(usize::from(n.kind_id())).copied().unwrap_or(0);
            if f != 0 {
                let scope = open.last().map_or(self.root_id, |s| s.1);
                if f & BINDING != 0 {
                    self.binding(n, scope);
                }
                if f & PARAMS != 0 {
                    self.bind_params(n, scope);
                }
                if f & HANDLER != 0 {
                    handlers.push((n, scope));
                }
                if f & SCOPE != 0 {
                    let id = self.enter(n, scope);
                    open.push((depth, id));
                }
            }
            if cursor.goto_first_child() {
                depth += 1;
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return handlers;
                }
                depth -= 1;
            }
        }
    }

    /// Record the simple bindings a node makes in `scope`.
    fn binding(&mut self, n: Node<'t>, scope: usize) {
        match n.kind() {
            // Python `x = …`, JavaScript/Java `x = …` (expressions).
            "assignment" | "assignment_expression" => {
                if let (Some(l), Some(r)) = (self.field(n, F_LEFT), self.field(n, F_RIGHT)) {
                    self.bind(scope, l, Some(r));
                }
            }
            // JavaScript/TypeScript and Java declarations.
            "variable_declarator" => {
                if let Some(name) = self.field(n, F_NAME) {
                    self.bind(scope, name, self.field(n, F_VALUE));
                }
            }
            // Go `const`/`var` specs and `a, b := x, y` / `a = x`.
            "const_spec" | "var_spec" => {
                let mut c = n.walk();
                let names: Vec<Node<'t>> = n.children_by_field_name("name", &mut c).collect();
                let values: Vec<Node<'t>> = n
                    .child_by_field_name("value")
                    .map(|v| {
                        let mut vc = v.walk();
                        v.named_children(&mut vc).collect()
                    })
                    .unwrap_or_default();
                for (i, name) in names.into_iter().enumerate() {
                    self.bind(scope, name, values.get(i).copied());
                }
            }
            "short_var_declaration" | "assignment_statement" => {
                let list = |f: &str| -> Vec<Node<'t>> {
                    n.child_by_field_name(f)
                        .map(|l| {
                            let mut lc = l.walk();
                            l.named_children(&mut lc).collect()
                        })
                        .unwrap_or_default()
                };
                let (left, right) = (list("left"), list("right"));
                for (i, name) in left.into_iter().enumerate() {
                    self.bind(scope, name, right.get(i).copied());
                }
            }
            _ => {}
        }
    }

    /// What a name used in `scope` is bound to, searching outwards through the scopes.
    fn lookup(&self, scope: usize, name: &str) -> Option<Binding<'t>> {
        self.chain(scope)
            .find_map(|s| self.bindings.get(&(s, name)).copied())
    }

    // ---- values ---------------------------------------------------------------------

    /// Classify a value expression, with the span of a literal's text.
    fn value(&self, n: Node<'t>) -> (ArgValue, Span) {
        self.value_at(n, self.scope, 0)
    }

    fn value_at(&self, n: Node<'t>, scope: usize, depth: usize) -> (ArgValue, Span) {
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
    fn callee(&self, n: Node<'_>) -> &'a str {
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
    fn args(&self, n: Node<'t>) -> Vec<Node<'t>> {
        let Some(args) = self.field(n, F_ARGUMENTS) else {
            return Vec::new();
        };
        let mut c = args.walk();
        args.named_children(&mut c)
            .filter(|a| !matches!(a.kind(), "keyword_argument" | "comment"))
            .collect()
    }

    /// A Python keyword argument's value.
    fn keyword(&self, n: Node<'t>, name: &str) -> Option<Node<'t>> {
        let args = self.field(n, F_ARGUMENTS)?;
        let mut c = args.walk();
        args.named_children(&mut c)
            .filter(|a| a.kind() == "keyword_argument")
            .find(|a| self.field(*a, F_NAME).is_some_and(|k| self.src(k) == name))
            .and_then(|a| self.field(a, F_VALUE))
    }

    fn arg(&self, name: &'static str, value: Node<'t>) -> Option<CodeArg> {
        if self.is_nothing(value) {
            return None;
        }
        let (v, value_span) = self.value(value);
        Some(CodeArg {
            name,
            value: v,
            span: span(value),
            value_span,
        })
    }

    fn literal(&self, n: Node<'t>) -> Option<(String, Span)> {
        match self.value(n) {
            (ArgValue::Literal(v), s) => Some((v, s)),
            _ => None,
        }
    }

    fn push_call(&mut self, api: &str, at: Node<'_>, args: Vec<CodeArg>) {
        if !args.is_empty() {
            self.out.calls.push(CredCall {
                api: api.to_owned(),
                span: span(at),
                args,
            });
        }
    }

    fn push_profile(&mut self, value: Node<'t>) {
        if let Some((name, s)) = self.literal(value) {
            self.out.profiles.push(ProfileRef { name, span: s });
        }
    }

    /// Credentials passed by position: key id, secret, token.
    fn positional(&mut self, call: Node<'t>, api: &str) {
        let found: Vec<CodeArg> = self
            .args(call)
            .into_iter()
            .zip([KEY_ID, SECRET, TOKEN])
            .filter_map(|(value, slot)| self.arg(slot, value))
            .collect();
        self.push_call(api, call, found);
    }

    fn push_env(&mut self, key: &str, key_span: Span, value: Node<'t>) {
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
    }

    // ---- the walk -----------------------------------------------------------------

    fn python(&mut self, n: Node<'t>) {
        match n.kind() {
            "call" => self.python_call(n),
            "assignment" => {
                // os.environ["AWS_X"] = "v"
                let (Some(left), Some(right)) = (self.field(n, F_LEFT), self.field(n, F_RIGHT))
                else {
                    return;
                };
                if left.kind() != "subscript" {
                    return;
                }
                let obj = left
                    .child_by_field_name("value")
                    .map_or("", |v| self.src(v));
                if !is_python_environ(obj) {
                    return;
                }
                if let Some((key, ks)) = left
                    .child_by_field_name("subscript")
                    .and_then(|s| self.string_value(s))
                {
                    self.push_env(&key, ks, right);
                }
            }
            _ => {}
        }
    }

    fn python_call(&mut self, n: Node<'t>) {
        let Some(args) = self.field(n, F_ARGUMENTS) else {
            return;
        };
        let callee = self.callee(n);
        let short = callee.rsplit('.').next().unwrap_or("");
        // botocore's own credential setters take `access_key`, `secret_key`, `token`.
        let botocore_creds = short == "set_credentials"
            || callee == "botocore.credentials.Credentials"
            || (callee == "Credentials" && self.mentions_botocore_credentials);
        let mut found = Vec::new();
        let mut c = args.walk();
        for kw in args
            .named_children(&mut c)
            .filter(|a| a.kind() == "keyword_argument")
        {
            let (Some(name), Some(value)) = (self.field(kw, F_NAME), self.field(kw, F_VALUE))
            else {
                continue;
            };
            let name_text = self.src(name);
            if name_text == "profile_name" || (name_text == "profile" && short == "Session") {
                self.push_profile(value);
            } else if let Some(slot) = normalise(name_text)
                && (!generic_only(name_text) || botocore_creds)
                && let Some(a) = self.arg(slot, value)
            {
                found.push(a);
            }
        }
        if botocore_creds {
            let positional: Vec<CodeArg> = self
                .args(n)
                .into_iter()
                .zip([KEY_ID, SECRET, TOKEN])
                .filter_map(|(v, slot)| self.arg(slot, v))
                .collect();
            found.extend(positional);
            found.sort_by_key(|a| a.span.start);
        }
        match short {
            // os.environ.setdefault("AWS_X", "v") / os.putenv("AWS_X", "v")
            "setdefault" | "putenv"
                if callee.ends_with("environ.setdefault") || callee.ends_with("putenv") =>
            {
                let positional = self.args(n);
                if let (Some(k), Some(v)) = (positional.first(), positional.get(1))
                    && let Some((key, ks)) = self.string_value(*k)
                {
                    self.push_env(&key, ks, *v);
                }
            }
            // os.environ.update({"AWS_X": "v"}, AWS_Y="w")
            "update" if is_python_environ(callee.trim_end_matches(".update")) => {
                let mut c = args.walk();
                let items: Vec<Node<'t>> = args.named_children(&mut c).collect();
                for item in items {
                    match item.kind() {
                        "dictionary" => {
                            let mut dc = item.walk();
                            let pairs: Vec<Node<'t>> = item
                                .named_children(&mut dc)
                                .filter(|p| p.kind() == "pair")
                                .collect();
                            for p in pairs {
                                if let (Some(k), Some(v)) =
                                    (self.field(p, F_KEY), self.field(p, F_VALUE))
                                    && let Some((key, ks)) = self.string_value(k)
                                {
                                    self.push_env(&key, ks, v);
                                }
                            }
                        }
                        "keyword_argument" => {
                            if let (Some(k), Some(v)) =
                                (self.field(item, F_NAME), self.field(item, F_VALUE))
                            {
                                let key = self.src(k).to_owned();
                                self.push_env(&key, span(k), v);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "load_dotenv" => {
                let path_arg = self
                    .args(n)
                    .first()
                    .copied()
                    .or_else(|| self.keyword(n, "dotenv_path"));
                let path = path_arg.and_then(|p| self.literal(p)).map(|(p, _)| p);
                let overrides = self
                    .keyword(n, "override")
                    .is_some_and(|v| self.src(v) == "True");
                self.out.dotenv_loads.push(DotenvLoad {
                    path,
                    overrides,
                    span: span(n),
                });
            }
            _ => {}
        }
        self.push_call(callee, n, found);
    }

    fn javascript(&mut self, n: Node<'t>) {
        match n.kind() {
            "object" => self.js_object(n),
            "new_expression" => {
                let ctor = n
                    .child_by_field_name("constructor")
                    .map_or("", |c| self.src(c));
                // v2: new AWS.Credentials(id, secret, token); the object form is an object.
                let first_is_object = self.args(n).first().is_some_and(|a| a.kind() == "object");
                if matches!(ctor, "AWS.Credentials" | "Credentials") && !first_is_object {
                    self.positional(n, ctor);
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

    /// What an object literal with credentials is handed to, for messages:
    /// `AWS.config.update`, `new S3Client`, or a plain credentials object.
    fn js_api(&self, object: Node<'t>) -> String {
        let mut cur = object;
        // Up through `credentials: { … }` and the enclosing object, at most twice.
        for _ in 0..3 {
            let Some(p) = cur.parent() else { break };
            match p.kind() {
                "arguments" => {
                    let Some(call) = p.parent() else { break };
                    let callee = self.callee(call);
                    let callee: String = callee.chars().take(60).collect();
                    return if call.kind() == "new_expression" {
                        format!("new {callee}")
                    } else {
                        callee
                    };
                }
                "pair" | "object" | "parenthesized_expression" => cur = p,
                _ => break,
            }
        }
        "credentials object".into()
    }

    fn js_object(&mut self, n: Node<'t>) {
        let mut found = Vec::new();
        let mut profile = None;
        let mut c = n.walk();
        let children: Vec<Node<'t>> = n.named_children(&mut c).collect();
        for pair in children {
            let (key, value) = match pair.kind() {
                "pair" => (self.field(pair, F_KEY), self.field(pair, F_VALUE)),
                // { accessKeyId } shorthand: the value is the variable of that name.
                "shorthand_property_identifier" => (Some(pair), Some(pair)),
                _ => (None, None),
            };
            let (Some(key), Some(value)) = (key, value) else {
                continue;
            };
            let name = self
                .string_value(key)
                .map_or_else(|| self.src(key).to_owned(), |(v, _)| v);
            if let Some(slot) = normalise(&name).filter(|_| !generic_only(&name)) {
                // Nested objects, functions and numbers are schemas or config, not keys.
                if matches!(
                    value.kind(),
                    "object" | "array" | "arrow_function" | "function_expression" | "number"
                ) {
                    continue;
                }
                let a = if pair.kind() == "shorthand_property_identifier" {
                    match self.lookup(self.scope, &name) {
                        Some(Some((bound, bound_scope))) => {
                            let (v, s) = self.value_at(bound, bound_scope, 0);
                            let v = match v {
                                ArgValue::Variable(_) => ArgValue::Variable(name.clone()),
                                other => other,
                            };
                            Some(CodeArg {
                                name: slot,
                                value: v,
                                span: span(pair),
                                value_span: s,
                            })
                        }
                        _ => Some(CodeArg {
                            name: slot,
                            value: ArgValue::Variable(name.clone()),
                            span: span(pair),
                            value_span: span(pair),
                        }),
                    }
                } else {
                    self.arg(slot, value)
                };
                found.extend(a);
            } else if name == "profile" {
                profile = Some(value);
            }
        }
        if !found.is_empty() {
            let api = self.js_api(n);
            self.push_call(&api, n, found);
        }
        // fromIni({ profile }), new AWS.SharedIniFileCredentials({ profile }), fromSSO, …
        if let Some(p) = profile {
            let ctx = n
                .parent()
                .and_then(|a| a.parent())
                .map_or("", |call| self.callee(call));
            if ctx.ends_with("fromIni")
                || ctx.ends_with("SharedIniFileCredentials")
                || ctx.ends_with("fromSSO")
                || ctx.ends_with("fromProcess")
                || ctx.ends_with("fromNodeProviderChain")
            {
                self.push_profile(p);
            }
        }
    }

    fn go(&mut self, n: Node<'t>) {
        match n.kind() {
            "call_expression" => {
                let callee = self.callee(n);
                let short = callee.rsplit('.').next().unwrap_or("");
                match short {
                    "NewStaticCredentialsProvider" | "NewStaticCredentials" => {
                        self.positional(n, callee);
                    }
                    "WithSharedConfigProfile" => {
                        if let Some(p) = self.args(n).first().copied() {
                            self.push_profile(p);
                        }
                    }
                    // v1 credentials.NewSharedCredentials(filename, profile)
                    "NewSharedCredentials" => {
                        if let Some(p) = self.args(n).get(1).copied() {
                            self.push_profile(p);
                        }
                    }
                    "Setenv" if callee == "os.Setenv" => {
                        let a = self.args(n);
                        if let (Some(k), Some(v)) = (a.first(), a.get(1))
                            && let Some((key, ks)) = self.string_value(*k)
                        {
                            self.push_env(&key, ks, *v);
                        }
                    }
                    _ => {}
                }
            }
            // aws.Credentials{AccessKeyID: …}, credentials.Value{…}, session.Options{Profile: …}
            "composite_literal" => {
                let ty = n.child_by_field_name("type").map_or("", |t| self.src(t));
                let Some(body) = n.child_by_field_name("body") else {
                    return;
                };
                let mut c = body.walk();
                let elems: Vec<Node<'t>> = body
                    .named_children(&mut c)
                    .filter(|e| e.kind() == "keyed_element")
                    .collect();
                let mut found = Vec::new();
                for e in elems {
                    let key = e
                        .child_by_field_name("key")
                        .map_or("", |k| self.src(k).trim());
                    let Some(value) = e
                        .child_by_field_name("value")
                        .map(|v| v.named_child(0).unwrap_or(v))
                    else {
                        continue;
                    };
                    if key == "Profile" && ty.ends_with("Options") {
                        self.push_profile(value);
                    } else if let Some(slot) = normalise(key).filter(|_| !generic_only(key)) {
                        found.extend(self.arg(slot, value));
                    }
                }
                let api = format!("{ty}{{…}}");
                self.push_call(&api, n, found);
            }
            _ => {}
        }
    }

    fn java(&mut self, n: Node<'t>) {
        match n.kind() {
            "method_invocation" => {
                let object = self.field(n, F_OBJECT).map_or("", |o| self.src(o));
                let name = self.field(n, F_NAME).map_or("", |o| self.src(o));
                match name {
                    "create"
                        if matches!(object, "AwsBasicCredentials" | "AwsSessionCredentials") =>
                    {
                        self.positional(n, &format!("{object}.create"));
                    }
                    "create" if object == "ProfileCredentialsProvider" => {
                        if let Some(p) = self.args(n).first().copied() {
                            self.push_profile(p);
                        }
                    }
                    "profileName" => {
                        if let Some(p) = self.args(n).first().copied() {
                            self.push_profile(p);
                        }
                    }
                    // AwsBasicCredentials.builder().accessKeyId(…).secretAccessKey(…).build()
                    "build" => self.java_builder(n),
                    _ => {}
                }
            }
            "object_creation_expression" => {
                let ty = n.child_by_field_name("type").map_or("", |o| self.src(o));
                match ty {
                    "BasicAWSCredentials" | "BasicSessionCredentials" => {
                        self.positional(n, &format!("new {ty}"));
                    }
                    "ProfileCredentialsProvider" => {
                        if let Some(p) = self.args(n).first().copied() {
                            self.push_profile(p);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn java_builder(&mut self, build: Node<'t>) {
        let mut found = Vec::new();
        let mut cur = self.field(build, F_OBJECT);
        let mut root = String::new();
        let mut hops = 0;
        while let Some(m) = cur.filter(|m| m.kind() == "method_invocation") {
            hops += 1;
            if hops > 64 {
                break;
            }
            let name = self.field(m, F_NAME).map_or("", |x| self.src(x));
            if let Some(slot) = normalise(name).filter(|_| !generic_only(name))
                && let Some(v) = self.args(m).first().copied()
            {
                found.extend(self.arg(slot, v));
            }
            if name == "builder" {
                root = m
                    .child_by_field_name("object")
                    .map_or(String::new(), |o| self.src(o).to_owned());
            }
            cur = self.field(m, F_OBJECT);
        }
        if !root.contains("Credentials") {
            return;
        }
        found.sort_by_key(|a| a.span.start);
        self.push_call(&format!("{root}.builder"), build, found);
    }
}

fn is_python_environ(obj: &str) -> bool {
    matches!(obj, "os.environ" | "environ" | "_os.environ")
}

fn is_js_env(obj: &str) -> bool {
    matches!(obj, "process.env" | "import.meta.env" | "Bun.env")
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

    fn at(src: &str, s: Span) -> &str {
        &src[s.start..s.end]
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
        // The constant's literal is where the key is written; the argument is at the call.
        let a = &f.calls[0].args[0];
        assert_eq!(at(src, a.value_span), "AKIAXX");
        assert_eq!(at(src, a.span), "KEY");
        assert_eq!(f.profiles[0].name, "dev");
        assert_eq!(at(src, f.profiles[0].span), "dev");
        assert_eq!(f.env[0].key, "AWS_PROFILE");
        assert_eq!(f.env[0].value.as_deref(), Some("prod"));
    }

    #[test]
    fn python_scopes_parameters_and_reassignment() {
        let src = "import boto3, os\nkey = 'AKIAMODULE'\ndef a():\n    key = 'AKIALOCAL'\n    return boto3.client('s3', aws_access_key_id=key)\ndef b(key):\n    return boto3.client('s3', aws_access_key_id=key)\ndef c():\n    k = os.environ['K']\n    s = os.getenv('S') or 'fallback'\n    return boto3.client('s3', aws_access_key_id=k, aws_secret_access_key=s)\ndef d():\n    k = 'x'\n    k = k.strip()\n    return boto3.client('s3', aws_access_key_id=k, aws_secret_access_key=None)\n";
        let f = parse(src, Lang::Python);
        let v = lits(&f);
        assert_eq!(v[0], (KEY_ID, ArgValue::Literal("AKIALOCAL".into())));
        assert_eq!(v[1], (KEY_ID, ArgValue::Variable("key".into())));
        assert_eq!(v[2], (KEY_ID, ArgValue::Env("K".into())));
        assert_eq!(v[3], (SECRET, ArgValue::Literal("fallback".into())));
        assert_eq!(v[4], (KEY_ID, ArgValue::Variable("k".into())));
        assert_eq!(v.len(), 5, "None is passing nothing");
    }

    #[test]
    fn python_methods_do_not_see_class_names() {
        let src = "class Store:\n    KEY = 'AKIACLASS'\n    client = boto3.client('s3', aws_access_key_id=KEY)\n\n    def make(self):\n        return boto3.client('s3', aws_access_key_id=KEY)\n";
        let f = parse(src, Lang::Python);
        let v = lits(&f);
        assert_eq!(v[0], (KEY_ID, ArgValue::Literal("AKIACLASS".into())));
        assert_eq!(v[1], (KEY_ID, ArgValue::Variable("KEY".into())));
    }

    #[test]
    fn python_botocore_dotenv_and_environ_forms() {
        let src = "import botocore.session\nfrom dotenv import load_dotenv, find_dotenv\nload_dotenv()\nload_dotenv('config/app.env', override=True)\nload_dotenv(find_dotenv())\ns = botocore.session.get_session()\ns.set_credentials('AKIABC', 'secret', token=None)\nt = botocore.session.Session(profile='ops')\nos.environ.update({'AWS_PROFILE': 'dev'}, AWS_REGION='eu-west-1')\nos.environ.setdefault('AWS_DEFAULT_PROFILE', 'x')\nf(token='t', access_key='a')\n";
        let f = parse(src, Lang::Python);
        assert_eq!(f.dotenv_loads.len(), 3);
        assert_eq!(f.dotenv_loads[0].path, None);
        assert_eq!(f.dotenv_loads[1].path.as_deref(), Some("config/app.env"));
        assert!(f.dotenv_loads[1].overrides);
        assert_eq!(f.dotenv_loads[2].path, None);
        assert_eq!(f.calls.len(), 1, "only set_credentials: {:?}", f.calls);
        assert_eq!(
            lits(&f),
            vec![
                (KEY_ID, ArgValue::Literal("AKIABC".into())),
                (SECRET, ArgValue::Literal("secret".into())),
            ]
        );
        assert_eq!(f.profiles[0].name, "ops");
        let keys: Vec<&str> = f.env.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_PROFILE"]);
    }

    #[test]
    fn javascript_typescript() {
        let js = "const c = new S3Client({ credentials: { accessKeyId: 'AKIAJS', secretAccessKey: process.env.SECRET } });\nconst p = fromIni({ profile: 'dev' });\nnew AWS.Credentials('AKIA2', 'sec');\nAWS.config.update({ accessKeyId: process.env['K'] || 'AKIAFB', region: 'x' });\nconst schema = { accessKeyId: { type: 'string' } };\nprocess.env.AWS_PROFILE = 'ops';\n";
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
        let ts = "function f(secret: string) {\n  const id = 'AKIATS';\n  return new S3Client({ credentials: { accessKeyId: id, secretAccessKey: secret } as Creds });\n}\nconst { accessKeyId } = x;\nnew S3({ credentials: { accessKeyId, secretAccessKey: process.env.S! } });\n";
        let f = parse(ts, Lang::TypeScript);
        let v = lits(&f);
        assert_eq!(v[0], (KEY_ID, ArgValue::Literal("AKIATS".into())));
        assert_eq!(v[1], (SECRET, ArgValue::Variable("secret".into())));
        assert_eq!(v[2], (KEY_ID, ArgValue::Variable("accessKeyId".into())));
        assert_eq!(v[3], (SECRET, ArgValue::Env("S".into())));
    }

    #[test]
    fn go_and_java() {
        let go = "package main\nconst secret = \"SECRETGO\"\nfunc f() {\n  p := credentials.NewStaticCredentialsProvider(\"AKIAGO\", os.Getenv(\"S\"), \"\")\n  c := aws.Credentials{AccessKeyID: \"AKIAGO2\", SecretAccessKey: secret}\n  config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(\"dev\"))\n  os.Setenv(\"AWS_PROFILE\", \"ops\")\n}\n";
        let f = parse(go, Lang::Go);
        let v = lits(&f);
        assert_eq!(v[0], (KEY_ID, ArgValue::Literal("AKIAGO".into())));
        assert_eq!(v[1], (SECRET, ArgValue::Env("S".into())));
        assert_eq!(v.len(), 4, "an empty token is no token: {v:?}");
        assert_eq!(v[3], (SECRET, ArgValue::Literal("SECRETGO".into())));
        assert_eq!(at(go, f.calls[1].args[1].value_span), "SECRETGO");
        assert_eq!(f.profiles[0].name, "dev");
        assert_eq!(f.env[0].key, "AWS_PROFILE");
        let java = "class A {\n  static final String SECRET = \"SJ\";\n  void f(String k) {\n    var c = AwsBasicCredentials.create(\"AKIAJV\", SECRET);\n    var d = new BasicAWSCredentials(k, System.getenv(\"S\"));\n    var e = AwsBasicCredentials.builder().accessKeyId(\"AKIAB\").secretAccessKey(k).build();\n    var p = ProfileCredentialsProvider.create(\"dev\");\n  }\n}\n";
        let f = parse(java, Lang::Java);
        assert_eq!(f.calls.len(), 3, "{:?}", f.calls);
        let v = lits(&f);
        assert_eq!(v[0], (KEY_ID, ArgValue::Literal("AKIAJV".into())));
        assert_eq!(v[1], (SECRET, ArgValue::Literal("SJ".into())));
        assert_eq!(v[2], (KEY_ID, ArgValue::Variable("k".into())));
        assert_eq!(v[3], (SECRET, ArgValue::Env("S".into())));
        assert_eq!(v[4], (KEY_ID, ArgValue::Literal("AKIAB".into())));
        assert_eq!(f.calls[2].api, "AwsBasicCredentials.builder");
        assert_eq!(f.profiles[0].name, "dev");
    }

    #[test]
    fn only_code_about_aws_gets_a_tree() {
        assert!(mentions_aws("import boto3\n"));
        assert!(mentions_aws("import software.amazon.awssdk.core.*;"));
        assert!(mentions_aws("k = 'AKIAQWB5PDKHX6PYGPAN'"));
        assert!(!mentions_aws("xhr.withCredentials = true;\n"));
        assert!(!mentions_aws("creds := insecure.NewCredentials()\n"));
        assert!(vendored("node_modules/aws-sdk/lib/credentials.js"));
        assert!(vendored(
            "app/.venv/lib/python3.12/site-packages/botocore/session.py"
        ));
        assert!(!vendored("src/vendors.py"));
        assert!(too_big_for_a_tree(&"x".repeat(MINIFIED_LINE + 1)));
        assert!(!too_big_for_a_tree("a = 1\nb = 2\n"));
    }

    #[test]
    fn broken_code_still_gives_what_parses() {
        let f = parse(
            "def f(:\n    pass\nboto3.client('s3', aws_access_key_id='AKIAX')\n",
            Lang::Python,
        );
        assert!(f.has_errors);
        assert_eq!(f.calls.len(), 1);
    }
}
