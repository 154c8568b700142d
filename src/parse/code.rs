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
    pub secret_pairs: Vec<super::text::LoosePair>,
    pub profiles: Vec<ProfileRef>,
    pub dotenv_loads: Vec<DotenvLoad>,
    /// The source does not parse cleanly (results may be partial).
    pub has_errors: bool,
}

const KEY_ID: &str = "aws_access_key_id";
const SECRET: &str = "aws_secret_access_key";
const TOKEN: &str = "aws_session_token";

/// The credential parameters of an SDK, in its own spelling and in positional order (key
/// id, secret, token), each with botocore's name for the slot. A name from one SDK means
/// nothing in another: `access_key_id=` is not a boto3 keyword, and `token=` is a
/// credential only for botocore's own setters.
type Names = [(&'static str, &'static str); 3];

/// boto3 and botocore clients, resources and sessions (`aws_access_key_id=`, …).
const BOTO3: Names = [
    ("aws_access_key_id", KEY_ID),
    ("aws_secret_access_key", SECRET),
    ("aws_session_token", TOKEN),
];
/// botocore's `Session.set_credentials(access_key, secret_key, token)` and
/// `botocore.credentials.Credentials(…)`.
const BOTOCORE: Names = [
    ("access_key", KEY_ID),
    ("secret_key", SECRET),
    ("token", TOKEN),
];
/// JavaScript v2 and v3 credential objects and `new AWS.Credentials(…)`; Java's
/// `AwsBasicCredentials` builder and `create(accessKeyId, secretAccessKey)`.
const CAMEL: Names = [
    ("accessKeyId", KEY_ID),
    ("secretAccessKey", SECRET),
    ("sessionToken", TOKEN),
];
/// Go v2 `aws.Credentials{…}` and v1 `credentials.Value{…}` fields.
const GO_FIELDS: Names = [
    ("AccessKeyID", KEY_ID),
    ("SecretAccessKey", SECRET),
    ("SessionToken", TOKEN),
];
/// Go `credentials.NewStaticCredentials(Provider)(key, secret, session)`.
const GO_PARAMS: Names = [("key", KEY_ID), ("secret", SECRET), ("session", TOKEN)];

fn slot_in(names: &Names, name: &str) -> Option<(&'static str, &'static str)> {
    names.iter().find(|(n, _)| *n == name).copied()
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

/// Whether a path is a TypeScript declaration file (`.d.ts`, `.d.mts`, `.d.cts`): types
/// only, no statement runs, so no call, environment write or profile can be in it (a
/// secret or key id still can: the loose reading sees those).
#[must_use]
pub fn declarations_only(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".d.ts", ".d.mts", ".d.cts"]
        .iter()
        .any(|e| lower.ends_with(e))
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

/// Whitespace, line continuations and comments between tokens, in the prechecks' patterns.
const PY_GAP: &str = r"(?:\s|\\|#[^\n]*)*";
const C_GAP: &str = r"(?:\s|/\*(?s:.)*?\*/|//[^\n]*)*";

/// What the handlers of a language can act on, as text: a file without a match gives an
/// empty [`CodeFile`] from the walk, so it needs no syntax tree. Each pattern must match
/// wherever its language's handler could record something; when a handler learns a new
/// API, its name goes here too (`tests/code_precheck.rs` checks this on every code fixture).
/// ASCII word boundaries and loose gaps (any whitespace, comments) keep the patterns wider
/// than the grammar, never narrower.
fn sink_pattern(lang: Lang) -> &'static regex::bytes::Regex {
    use std::sync::LazyLock;
    fn build(p: &str) -> regex::bytes::Regex {
        regex::bytes::Regex::new(p).expect("static pattern")
    }
    static PYTHON: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        build(&format!(
            // keyword arguments (credentials, `profile_name=`, `Session(profile=)`: after
            // `(` or `,`, an `=` that is not `==`), environ writes under a literal name
            // (`os.environ["X"] = …`, not reads), python-dotenv, and botocore's own
            // credential setters; `botocore.credentials` is [`PY_BOTOCORE`]'s
            r#"[(,]{PY_GAP}(?:{SINK_NAMES}|profile_name|profile){PY_GAP}=(?:[^=]|$)|environ{PY_GAP}\[{PY_GAP}[A-Za-z]*["'][^"'\n]*["']{PY_GAP}\]{PY_GAP}=(?:[^=]|$)|environ\.setdefault|environ\.update|putenv|load_dotenv|set_credentials"#
        ))
    });
    static JAVASCRIPT: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        build(&format!(
            // object keys (`accessKeyId: …`, shorthand `{{ accessKeyId }}`), `new
            // AWS.Credentials(…)`, `process.env.X = …`; `profile:` is [`JS_PROFILE`]'s
            r#"(?-u:\b)(?:{SINK_NAMES})["']?{C_GAP}[:,}}]|(?-u:\bnew\b){C_GAP}(?:AWS\.)?Credentials(?-u:\b)|process\.env"#
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

/// Whether the walk of `text` could record anything: a credential sink of the language
/// (see [`sink_pattern`]), or a secret written under a secret name (`AWS_SECRET_KEY =
/// "…"`, kept in [`CodeFile::secret_pairs`]), which needs the word `secret` and a string
/// literal of 40 characters with the shape of a secret key (the only values CL102 reports).
#[must_use]
pub fn could_yield(text: &str, lang: Lang) -> bool {
    use std::sync::LazyLock;
    static SECRET_WORD: LazyLock<regex::bytes::Regex> =
        LazyLock::new(|| regex::bytes::Regex::new(r"(?i)secret").expect("static pattern"));
    static SECRET_LITERAL: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r#"["'`][A-Za-z0-9/+]{40}"#).expect("static pattern")
    });
    // `{ profile: … }` counts only as an argument of a provider that reads the shared files
    // (`Walker::js_profile`): the word `profile` alone is in every SDK client's code.
    static JS_PROFILE: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(&format!(r#"(?-u:\b)profile["']?{C_GAP}:"#))
            .expect("static pattern")
    });
    static JS_PROFILE_PROVIDERS: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(
            r"fromIni|SharedIniFileCredentials|fromSSO|fromProcess|fromNodeProviderChain",
        )
        .expect("static pattern")
    });
    // botocore's `Credentials(…)` is a sink only in a file that imports botocore.credentials
    // (`Walker::python_sink`).
    static PY_BOTOCORE: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(&format!(r"(?-u:\b)Credentials{PY_GAP}\("))
            .expect("static pattern")
    });
    let bytes = text.as_bytes();
    let js = matches!(lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx);
    sink_pattern(lang).is_match(bytes)
        || (js && JS_PROFILE_PROVIDERS.is_match(bytes) && JS_PROFILE.is_match(bytes))
        || (lang == Lang::Python
            && memchr::memmem::find(bytes, b"botocore.credentials").is_some()
            && PY_BOTOCORE.is_match(bytes))
        || (SECRET_WORD.is_match(bytes)
            && SECRET_LITERAL.find_iter(bytes).any(|m| {
                // The closing quote is checked here rather than matched, so that it can open
                // the next literal (`"…""…"`); ASCII, so char boundaries.
                matches!(bytes.get(m.end()), Some(b'"' | b'\'' | b'`'))
                    && text
                        .get(m.start() + 1..m.end())
                        .is_some_and(crate::keys::is_secret_shaped)
            }))
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
        class_scopes: std::collections::HashSet::new(),
        fn_index: HashMap::new(),
        aws_imports: std::collections::HashSet::new(),
        python_defs: HashMap::new(),
        mentions_botocore_credentials: lang == Lang::Python
            && text.contains("botocore.credentials"),
        out: CodeFile {
            has_errors: root.has_error(),
            scopes: vec![0],
            secret_pairs: super::text::secret_pairs(text),
            ..CodeFile::default()
        },
    };
    // Pairs of the loose reading that sit inside a string are text the code handles (a
    // scanner's test input, a shell line), not names of the code.
    let pairs = std::mem::take(&mut w.out.secret_pairs);
    w.out.secret_pairs = pairs
        .into_iter()
        .filter(|p| w.names_code(root, p.key_span))
        .collect();
    let handlers = w.walk(root, flags);
    if matches!(lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx) {
        w.js_imports(root);
    }
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
    let mut env: Vec<(EnvAssignment, usize)> = std::mem::take(&mut w.out.env)
        .into_iter()
        .zip(std::mem::take(&mut w.out.env_scope))
        .collect();
    env.sort_by_key(|(e, _)| e.key_span.start);
    (w.out.env, w.out.env_scope) = env.into_iter().unzip();
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
    /// Scopes that are class bodies: they run with the code around them.
    class_scopes: std::collections::HashSet<usize>,
    /// Function scopes (by node id) that set environment variables: their index in
    /// `out.scopes`.
    fn_index: HashMap<usize, usize>,
    /// JavaScript names imported or required from the AWS SDK (`S3Client`, `AWS`).
    aws_imports: std::collections::HashSet<&'a str>,
    /// Python functions defined once at module level, by name.
    python_defs: HashMap<&'a str, Option<Node<'t>>>,
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

    /// Whether the name at `key` is code: an identifier, or a string that is exactly that
    /// name (a quoted dict or object key), rather than part of a longer string.
    fn names_code(&self, root: Node<'_>, key: Span) -> bool {
        let Some(mut n) = root.descendant_for_byte_range(key.start, key.end) else {
            return true;
        };
        for _ in 0..3 {
            if let Some((body, _)) = self.string_body(n) {
                return body.len() == key.end - key.start;
            }
            match n.parent() {
                Some(p) => n = p,
                None => break,
            }
        }
        true
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
        let kind = n.kind();
        self.parents
            .entry(id)
            .or_insert((parent, kind == "class_definition"));
        if matches!(
            kind,
            "class_definition" | "class_body" | "enum_body" | "interface_body"
        ) {
            self.class_scopes.insert(id);
        }
        // Module-level Python functions, for calls of a project's own wrappers.
        if kind == "function_definition"
            && scope == self.root_id
            && let Some(name) = self.field(n, F_NAME)
        {
            self.python_defs
                .entry(self.src(name))
                .and_modify(|d| *d = None)
                .or_insert(Some(n));
        }
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
        // `AWS_SECRET_KEY: str = "…"`, `const awsSecretKey: string = "…"`: a typed
        // declaration the loose reading of the text does not see as a pair.
        if let Some(v) = value
            && crate::vocab::is_secret_name(key.1)
            && let Some((text, value_span)) = self.string_value(v)
            && !self
                .out
                .secret_pairs
                .iter()
                .any(|p| p.value_span == value_span)
        {
            self.out.secret_pairs.push(super::text::LoosePair {
                key: key.1.to_owned(),
                key_span: span(name),
                value: text,
                value_span,
            });
        }
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
                    if name.kind() == "object_pattern" {
                        self.bind_pattern(scope, name, self.field(n, F_VALUE));
                    } else {
                        self.bind(scope, name, self.field(n, F_VALUE));
                    }
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

    /// `const { Credentials } = await sts.send(…)`, `const { Credentials: c } = …`: each
    /// name of a JavaScript object pattern is bound to the whole value it destructures,
    /// which is enough to follow a value back to the call that returned it (a literal
    /// object is never a literal string, so no credential value changes).
    fn bind_pattern(&mut self, scope: usize, pattern: Node<'t>, value: Option<Node<'t>>) {
        let mut c = pattern.walk();
        let parts: Vec<Node<'t>> = pattern.named_children(&mut c).collect();
        for p in parts {
            let name = match p.kind() {
                "shorthand_property_identifier_pattern" => Some(p),
                "pair_pattern" => self.field(p, F_VALUE).filter(|v| v.kind() == "identifier"),
                _ => None,
            };
            if let Some(name) = name {
                self.bindings
                    .entry((scope, self.src(name)))
                    .and_modify(|b| *b = None)
                    .or_insert(value.map(|v| (v, scope)));
            }
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

    fn arg(&self, (written, name): (&str, &'static str), value: Node<'t>) -> Option<CodeArg> {
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

    fn literal(&self, n: Node<'t>) -> Option<(String, Span)> {
        match self.value(n) {
            (ArgValue::Literal(v), s) => Some((v, s)),
            _ => None,
        }
    }

    fn push_call(&mut self, api: &str, at: Node<'_>, args: Vec<CodeArg>, unseen_args: bool) {
        if !args.is_empty() {
            self.out.calls.push(CredCall {
                api: api.to_owned(),
                span: span(at),
                args,
                unseen_args,
            });
        }
    }

    fn push_profile(&mut self, value: Node<'t>) {
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
    fn positional_args(&self, call: Node<'t>, names: &Names) -> (Vec<CodeArg>, bool) {
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

    fn positional(&mut self, call: Node<'t>, api: &str, names: &Names) {
        let (found, spread) = self.positional_args(call, names);
        self.push_call(api, call, found, spread);
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
        let scope = self.function_scope(self.scope);
        self.out.env_scope.push(scope);
    }

    /// The index in `out.scopes` of the function that code in `scope` runs in (0: the
    /// module), registering it and the functions around it on first use.
    fn function_scope(&mut self, scope: usize) -> usize {
        let functions: Vec<usize> = self
            .chain(scope)
            .filter(|s| *s != self.root_id && !self.class_scopes.contains(s))
            .collect();
        // Outermost first, so that each function's parent is registered before it.
        let mut parent = 0;
        for id in functions.into_iter().rev() {
            parent = if let Some(&i) = self.fn_index.get(&id) {
                i
            } else {
                self.out.scopes.push(parent);
                let i = self.out.scopes.len() - 1;
                self.fn_index.insert(id, i);
                i
            };
        }
        parent
    }

    // ---- credentials an STS call returned ---------------------------------------------

    /// The STS call whose returned credentials `n` (evaluated in `scope`) is part of:
    /// followed through names, fields and subscripts (`creds['AccessKeyId']`,
    /// `r.Credentials.AccessKeyId`, `*out.Credentials.AccessKeyId`), getters
    /// (`c.accessKeyId()`, `resp.get("Credentials")`), awaits and one-argument converters
    /// (`aws.ToString(…)`, `str(…)`).
    fn sts_origin(&self, n: Node<'t>, scope: usize, depth: usize) -> Option<StsSource> {
        if depth > 2 * MAX_RESOLVE {
            return None;
        }
        let next = depth + 1;
        match n.kind() {
            "identifier" | "shorthand_property_identifier" => match self.lookup(scope, self.src(n))
            {
                Some(Some((bound, bound_scope))) => self.sts_origin(bound, bound_scope, next),
                _ => None,
            },
            "call" | "call_expression" | "method_invocation" | "new_expression" => {
                if let Some(s) = self.sts_call(n, scope) {
                    return Some(s);
                }
                let object = if n.kind() == "method_invocation" {
                    self.field(n, F_OBJECT)
                } else {
                    self.field(n, F_FUNCTION).and_then(|f| {
                        matches!(
                            f.kind(),
                            "attribute" | "member_expression" | "selector_expression"
                        )
                        .then(|| f.named_child(0))
                        .flatten()
                    })
                };
                if let Some(o) = object
                    && let Some(s) = self.sts_origin(o, scope, next)
                {
                    return Some(s);
                }
                match self.args(n).as_slice() {
                    [only] => self.sts_origin(*only, scope, next),
                    _ => None,
                }
            }
            "attribute"
            | "member_expression"
            | "field_access"
            | "selector_expression"
            | "subscript"
            | "subscript_expression"
            | "index_expression"
            | "await_expression"
            | "await"
            | "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "unary_expression"
            | "type_assertion_expression" => self.sts_origin(n.named_child(0)?, scope, next),
            "cast_expression" => self.sts_origin(n.child_by_field_name("value")?, scope, next),
            _ => None,
        }
    }

    /// `n` itself as an STS call that returns credentials.
    fn sts_call(&self, n: Node<'t>, scope: usize) -> Option<StsSource> {
        let callee = self.callee(n);
        let (object, short) = callee.rsplit_once('.')?;
        let operation = |name: &str| -> Option<&'static str> {
            let flat: String = name
                .trim_end_matches("WithContext")
                .chars()
                .filter(|c| *c != '_')
                .collect::<String>()
                .to_ascii_lowercase();
            match flat.as_str() {
                "assumerole" => Some("assume-role"),
                "assumerolewithwebidentity" => Some("assume-role-with-web-identity"),
                "assumerolewithsaml" => Some("assume-role-with-saml"),
                "getsessiontoken" => Some("get-session-token"),
                _ => None,
            }
        };
        let (op, api, request) = if short == "send" {
            // v3 `client.send(new AssumeRoleCommand({…}))`, or a name bound to the command.
            let mut cmd = *self.args(n).first()?;
            let mut cmd_scope = scope;
            for _ in 0..MAX_RESOLVE {
                if cmd.kind() != "identifier" {
                    break;
                }
                let (b, bs) = self.lookup(cmd_scope, self.src(cmd))??;
                (cmd, cmd_scope) = (b, bs);
            }
            if cmd.kind() != "new_expression" {
                return None;
            }
            let ctor = self.callee(cmd);
            let op = operation(ctor.rsplit('.').next()?.strip_suffix("Command")?)?;
            (op, format!("new {ctor}"), cmd)
        } else {
            // `sts.assume_role(…)`, `svc.AssumeRole(ctx, …)`, `sts.assumeRole(req)`: a
            // client's method (a project's own `assume_role(…)` function is not STS).
            // Nor is a class's own method (`AwsProvider.assume_role(…)`): STS clients are
            // instances (`sts`, `client`, `sts.NewFromConfig(cfg)`).
            let receiver = object.rsplit('.').next().unwrap_or(object);
            if object.is_empty()
                || receiver.starts_with(|c: char| c.is_ascii_uppercase())
                    && receiver
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                || object.to_ascii_lowercase().contains("provider")
            {
                return None;
            }
            (operation(short)?, callee.to_owned(), n)
        };
        let role = self.sts_param(request, scope, &["RoleArn", "roleArn", "withRoleArn"], 0);
        let mfa = self
            .sts_param(
                request,
                scope,
                &["SerialNumber", "serialNumber", "withSerialNumber"],
                0,
            )
            .is_some();
        let role_value = role.map(|(r, rs)| {
            // Go's `aws.String(x)`.
            let r = if matches!(r.kind(), "call_expression")
                && self.callee(r).ends_with(".String")
                && let [only] = self.args(r).as_slice()
            {
                *only
            } else {
                r
            };
            (r, rs)
        });
        let per_account = self.repeated(n)
            || role_value.is_some_and(|(r, rs)| self.depends_on_parameter(r, rs, 0));
        Some(StsSource {
            api: api.chars().take(60).collect(),
            operation: op,
            // The callee (`sts.assume_role`), not the whole call with its arguments.
            span: Span::new(n.start_byte(), n.start_byte() + callee.len().max(1)),
            role: role_value.map(|(r, rs)| self.value_at(r, rs, 0).0),
            per_account,
            provider: self.in_provider(n),
            mfa,
        })
    }

    /// The value of a request parameter (`RoleArn=`, `RoleArn:`, `.roleArn(…)`) under the
    /// arguments of `call`, following names to what they are bound to.
    fn sts_param(
        &self,
        call: Node<'t>,
        scope: usize,
        names: &[&str],
        depth: usize,
    ) -> Option<(Node<'t>, usize)> {
        if depth > MAX_RESOLVE {
            return None;
        }
        let args = if call.kind() == "arguments" || call.kind() == "argument_list" {
            call
        } else {
            self.field(call, F_ARGUMENTS)?
        };
        let mut stack = vec![args];
        let mut budget = 512usize;
        while let Some(x) = stack.pop() {
            budget = budget.checked_sub(1)?;
            if let Some(named) = self.sts_named(x, names) {
                return named.ok().map(|v| (v, scope));
            }
            if x.kind() == "identifier"
                && let Some(Some((b, bs))) = self.lookup(scope, self.src(x))
            {
                if let Some(found) = self.sts_param_in(b, bs, names, depth + 1) {
                    return Some(found);
                }
                continue;
            }
            let mut c = x.walk();
            let kids: Vec<Node<'t>> = x.named_children(&mut c).collect();
            stack.extend(kids.into_iter().rev());
        }
        None
    }

    /// Whether `x` is the parameter `names` of an STS request: a keyword argument, a dict or
    /// object entry, or a builder call (`.roleArn(…)`); it may have no value to follow (`Some(Err(()))`).
    fn sts_named(&self, x: Node<'t>, names: &[&str]) -> Option<Result<Node<'t>, ()>> {
        let key = match x.kind() {
            "keyword_argument" => self.field(x, F_NAME),
            "pair" | "keyed_element" => self.field(x, F_KEY).or_else(|| x.named_child(0)),
            _ => None,
        };
        if let Some(k) = key {
            let k_text = self
                .string_value(k)
                .map_or_else(|| self.src(k).trim().to_owned(), |(v, _)| v);
            if names.contains(&k_text.as_str()) {
                return Some(
                    self.field(x, F_VALUE)
                        .or_else(|| x.named_child(1))
                        .map(|v| {
                            if v.kind() == "literal_element" {
                                v.named_child(0).unwrap_or(v)
                            } else {
                                v
                            }
                        })
                        .ok_or(()),
                );
            }
        }
        if x.kind() == "method_invocation"
            && self
                .field(x, F_NAME)
                .is_some_and(|m| names.contains(&self.src(m)))
            && let Some(v) = self.args(x).first()
        {
            return Some(Ok(*v));
        }
        None
    }

    /// [`Self::sts_param`] in a bound value (a request object, dict or builder chain).
    fn sts_param_in(
        &self,
        n: Node<'t>,
        scope: usize,
        names: &[&str],
        depth: usize,
    ) -> Option<(Node<'t>, usize)> {
        if depth > MAX_RESOLVE {
            return None;
        }
        // Search the value as if it were the arguments of a call.
        let mut stack = vec![n];
        let mut budget = 512usize;
        while let Some(x) = stack.pop() {
            budget = budget.checked_sub(1)?;
            if matches!(x.kind(), "arguments" | "argument_list") {
                if let Some(found) = self.sts_param(x, scope, names, depth) {
                    return Some(found);
                }
                continue;
            }
            if let Some(named) = self.sts_named(x, names) {
                return named.ok().map(|v| (v, scope));
            }
            let mut c = x.walk();
            let kids: Vec<Node<'t>> = x.named_children(&mut c).collect();
            stack.extend(kids.into_iter().rev());
        }
        None
    }

    /// Whether `n` runs once per item: inside a loop or comprehension of its function, or
    /// in a callback given to `map`/`forEach`.
    fn repeated(&self, n: Node<'t>) -> bool {
        let mut cur = n;
        while let Some(p) = cur.parent() {
            match p.kind() {
                "for_statement"
                | "for_in_statement"
                | "for_of_statement"
                | "while_statement"
                | "do_statement"
                | "enhanced_for_statement"
                | "list_comprehension"
                | "generator_expression"
                | "set_comprehension"
                | "dictionary_comprehension" => {
                    return true;
                }
                "arrow_function" | "function_expression" => {
                    let callee = p
                        .parent()
                        .filter(|a| a.kind() == "arguments")
                        .and_then(|a| a.parent())
                        .map_or("", |c| self.callee(c));
                    let short = callee.rsplit('.').next().unwrap_or("");
                    return matches!(short, "map" | "forEach" | "flatMap" | "all" | "allSettled");
                }
                "function_definition"
                | "function_declaration"
                | "method_declaration"
                | "method_definition"
                | "func_literal"
                | "lambda"
                | "lambda_expression" => {
                    return false;
                }
                _ => cur = p,
            }
        }
        false
    }

    /// Whether the value of `n` depends on a parameter of the function it is in (the role
    /// is the caller's choice: `def session_for(account): … f"arn:…:{account}:role/x"`).
    fn depends_on_parameter(&self, n: Node<'t>, scope: usize, depth: usize) -> bool {
        if depth > MAX_RESOLVE {
            return false;
        }
        let mut stack = vec![n];
        let mut budget = 256usize;
        while let Some(x) = stack.pop() {
            let Some(b) = budget.checked_sub(1) else {
                return false;
            };
            budget = b;
            if x.kind() == "identifier" {
                // The callee of a call (`fmt.Sprintf`) or a field name is no value.
                let is_callee = x
                    .parent()
                    .is_some_and(|p| self.field(p, F_FUNCTION).is_some_and(|f| f.id() == x.id()));
                if !is_callee {
                    match self.lookup(scope, self.src(x)) {
                        Some(None) => return true,
                        Some(Some((b, bs))) if self.depends_on_parameter(b, bs, depth + 1) => {
                            return true;
                        }
                        _ => {}
                    }
                }
                continue;
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        false
    }

    /// Whether `n` is inside a credential provider's code: a class or function named like
    /// a provider, fetcher, refresher or `Retrieve`, or a class implementing one.
    fn in_provider(&self, n: Node<'t>) -> bool {
        fn providerish(s: &str) -> bool {
            let l = s.to_ascii_lowercase();
            [
                "provider",
                "fetcher",
                "refresh",
                "retriev",
                "resolvecredentials",
                "credentialsource",
                "credential_source",
            ]
            .iter()
            .any(|w| l.contains(w))
        }
        let mut cur = n;
        while let Some(p) = cur.parent() {
            match p.kind() {
                "class_definition" | "class_declaration" | "class" => {
                    // The header: name, bases and interfaces.
                    let end = p
                        .child_by_field_name("body")
                        .map_or(p.end_byte(), |b| b.start_byte());
                    if providerish(self.text.get(p.start_byte()..end).unwrap_or("")) {
                        return true;
                    }
                }
                "function_definition"
                | "function_declaration"
                | "method_declaration"
                | "method_definition" => {
                    let name = self.field(p, F_NAME).map_or("", |x| self.src(x));
                    let receiver = p
                        .child_by_field_name("receiver")
                        .map_or("", |x| self.src(x));
                    if providerish(name) || providerish(receiver) {
                        return true;
                    }
                }
                _ => {}
            }
            cur = p;
        }
        false
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

    /// The credential parameters a Python call takes, when it is an SDK call that takes
    /// credentials: boto3's and botocore's clients, resources and sessions, botocore's
    /// credential setters, boto2's connections. Mocks and assertions
    /// (`m.assert_called_with(aws_access_key_id=…)`), AWS API calls whose parameters are
    /// named like credentials (`iam.delete_access_key(AccessKeyId=…)`) and a project's own
    /// functions are not.
    fn python_sink(&self, callee: &str) -> Option<&'static Names> {
        let short = callee.rsplit('.').next().unwrap_or("");
        if short == "set_credentials"
            || callee == "botocore.credentials.Credentials"
            || (callee == "Credentials" && self.mentions_botocore_credentials)
        {
            return Some(&BOTOCORE);
        }
        // boto3.client/resource/Session, session.client(…), boto3.session.Session,
        // botocore's session.create_client, aioboto3/aiobotocore the same.
        if matches!(short, "client" | "resource" | "Session" | "create_client") {
            return Some(&BOTO3);
        }
        // boto2: boto.connect_s3(…), boto.ec2.connect_to_region(…), boto.s3.connection.S3Connection(…)
        if callee.starts_with("boto.")
            && (short.starts_with("connect") || short.ends_with("Connection"))
        {
            return Some(&BOTO3);
        }
        None
    }

    /// The parameters of a module-level function `name` that it passes on, unchanged, as
    /// credentials to an SDK call: (parameter, its position when it can be passed by
    /// position, botocore's name of the slot).
    fn python_wrapper(&self, name: &str) -> Vec<(&'a str, Option<usize>, &'static str)> {
        let Some(Some(def)) = self.python_defs.get(name).copied() else {
            return Vec::new();
        };
        let Some(params) = def.child_by_field_name("parameters") else {
            return Vec::new();
        };
        let mut c = params.walk();
        let mut positional = true;
        let mut names: Vec<(&'a str, Option<usize>)> = Vec::new();
        for (i, p) in params.named_children(&mut c).enumerate() {
            let id = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" | "typed_parameter" => {
                    self.field(p, F_NAME).or_else(|| p.named_child(0))
                }
                _ => {
                    // `*args`, `*`: what follows is keyword-only.
                    positional = false;
                    None
                }
            };
            if let Some(id) = id.filter(|x| x.kind() == "identifier") {
                names.push((self.src(id), positional.then_some(i)));
            }
        }
        let mut out = Vec::new();
        let Some(body) = def.child_by_field_name("body") else {
            return out;
        };
        let mut stack = vec![body];
        let mut visited = 0;
        while let Some(x) = stack.pop() {
            visited += 1;
            if visited > 20_000 {
                break;
            }
            if x.kind() == "call"
                && let Some(names_of) = self.python_sink(self.callee(x))
                && let Some(args) = self.field(x, F_ARGUMENTS)
            {
                let mut ac = args.walk();
                for kw in args
                    .named_children(&mut ac)
                    .filter(|a| a.kind() == "keyword_argument")
                {
                    let (Some(k), Some(v)) = (self.field(kw, F_NAME), self.field(kw, F_VALUE))
                    else {
                        continue;
                    };
                    if let Some((_, slot)) = slot_in(names_of, self.src(k))
                        && v.kind() == "identifier"
                        && let Some(&(p, at)) = names.iter().find(|(p, _)| *p == self.src(v))
                    {
                        out.push((p, at, slot));
                    }
                }
            }
            let mut cc = x.walk();
            stack.extend(x.named_children(&mut cc));
        }
        out
    }

    fn python_call(&mut self, n: Node<'t>) {
        let Some(args) = self.field(n, F_ARGUMENTS) else {
            return;
        };
        let callee = self.callee(n);
        let short = callee.rsplit('.').next().unwrap_or("");
        let sink = self.python_sink(callee);
        // A function of this file that hands its own parameters to a sink is one too.
        let wrapper = if sink.is_none() && !callee.contains('.') {
            self.python_wrapper(callee)
        } else {
            Vec::new()
        };
        let mut found = Vec::new();
        let mut unseen = false;
        let mut c = args.walk();
        let kids: Vec<Node<'t>> = args.named_children(&mut c).collect();
        for kw in kids {
            if kw.kind() == "dictionary_splat" {
                unseen = true;
            }
            if kw.kind() != "keyword_argument" {
                continue;
            }
            let (Some(name), Some(value)) = (self.field(kw, F_NAME), self.field(kw, F_VALUE))
            else {
                continue;
            };
            let name_text = self.src(name);
            if name_text == "profile_name" || (name_text == "profile" && short == "Session") {
                self.push_profile(value);
            } else if let Some(names) = sink
                && let Some(slot) = slot_in(names, name_text)
                && let Some(a) = self.arg(slot, value)
            {
                found.push(a);
            } else if let Some(&(_, _, slot)) = wrapper.iter().find(|(p, _, _)| *p == name_text)
                && let Some(a) = self.arg((name_text, slot), value)
            {
                found.push(a);
            }
        }
        if !wrapper.is_empty() {
            let positional = self.args(n);
            let spread = positional.iter().any(|a| is_spread(*a));
            for (i, value) in positional.into_iter().enumerate() {
                if spread {
                    break;
                }
                if let Some(&(p, _, slot)) = wrapper.iter().find(|(_, at, _)| *at == Some(i))
                    && let Some(a) = self.arg((p, slot), value)
                {
                    found.push(a);
                }
            }
            unseen |= spread;
            found.sort_by_key(|a| a.span.start);
        }
        if sink == Some(&BOTOCORE) {
            let (positional, spread) = self.positional_args(n, &BOTOCORE);
            unseen |= spread;
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
        self.push_call(callee, n, found, unseen);
    }

    /// Collect the names a JavaScript/TypeScript module imports or requires from the AWS
    /// SDK at its top level.
    fn js_imports(&mut self, root: Node<'t>) {
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

    fn javascript(&mut self, n: Node<'t>) {
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

    fn go(&mut self, n: Node<'t>) {
        match n.kind() {
            "call_expression" => {
                let callee = self.callee(n);
                let short = callee.rsplit('.').next().unwrap_or("");
                match short {
                    "NewStaticCredentialsProvider" | "NewStaticCredentials" => {
                        self.positional(n, callee, &GO_PARAMS);
                    }
                    // v1 credentials.NewStaticCredentialsFromCreds(credentials.Value{…})
                    "NewStaticCredentialsFromCreds" => {
                        if let Some(v) = self.args(n).first().copied() {
                            self.go_value(v, callee, n);
                        }
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
            // credentials.StaticCredentialsProvider{Value: aws.Credentials{…}} (v2),
            // &credentials.StaticProvider{Value: credentials.Value{…}} (v1),
            // session.Options{Profile: …}. An `aws.Credentials{…}` on its own is a value
            // (a provider's Retrieve returns one), and `iam.DeleteAccessKeyInput{…}` is an
            // API call's input: neither is handed to the SDK as credentials.
            "composite_literal" => {
                let ty = n.child_by_field_name("type").map_or("", |t| self.src(t));
                let short = ty.rsplit('.').next().unwrap_or("");
                let Some(body) = n.child_by_field_name("body") else {
                    return;
                };
                let mut c = body.walk();
                let elems: Vec<Node<'t>> = body
                    .named_children(&mut c)
                    .filter(|e| e.kind() == "keyed_element")
                    .collect();
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
                    } else if key == "Value"
                        && matches!(short, "StaticCredentialsProvider" | "StaticProvider")
                    {
                        self.go_value(value, &format!("{ty}{{…}}"), n);
                    }
                }
            }
            _ => {}
        }
    }

    /// The credentials struct handed to a Go static provider: a composite literal,
    /// possibly behind `&` or a name bound to one.
    fn go_value(&mut self, v: Node<'t>, api: &str, sink: Node<'t>) {
        let mut cur = v;
        for _ in 0..MAX_RESOLVE {
            match cur.kind() {
                "unary_expression" | "parenthesized_expression" => {
                    let Some(inner) = cur.named_child(0) else {
                        return;
                    };
                    cur = inner;
                }
                "identifier" => match self.lookup(self.scope, self.src(cur)) {
                    Some(Some((bound, _))) => cur = bound,
                    _ => return,
                },
                "composite_literal" => break,
                _ => return,
            }
        }
        if cur.kind() != "composite_literal" {
            return;
        }
        let Some(body) = cur.child_by_field_name("body") else {
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
            if let Some(slot) = slot_in(&GO_FIELDS, key) {
                found.extend(self.arg(slot, value));
            }
        }
        self.push_call(api, sink, found, false);
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
                        self.positional(n, &format!("{object}.create"), &CAMEL);
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
                    // v1 BasicAWSCredentials(String accessKey, String secretKey)
                    "BasicAWSCredentials" | "BasicSessionCredentials" => {
                        self.positional(
                            n,
                            &format!("new {ty}"),
                            &[
                                ("accessKey", KEY_ID),
                                ("secretKey", SECRET),
                                ("sessionToken", TOKEN),
                            ],
                        );
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
            if let Some(slot) = slot_in(&CAMEL, name)
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
        self.push_call(&format!("{root}.builder"), build, found, false);
    }
}

/// Whether a JavaScript module specifier is the AWS SDK (v2 `aws-sdk`, v3 `@aws-sdk/…`).
fn is_aws_module(m: &str) -> bool {
    m == "aws-sdk" || m.starts_with("aws-sdk/") || m.starts_with("@aws-sdk/")
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
fn is_spread(n: Node<'_>) -> bool {
    matches!(
        n.kind(),
        "list_splat" | "dictionary_splat" | "spread_element" | "variadic_argument"
    )
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

    /// The STS origins of a file's credential arguments, by argument.
    fn sts_of(text: &str, lang: Lang) -> Vec<Option<StsSource>> {
        parse(text, lang)
            .calls
            .iter()
            .flat_map(|c| c.args.iter().map(|a| a.sts.clone()))
            .collect()
    }

    #[test]
    fn credentials_followed_back_to_the_sts_call() {
        let py = "import boto3, os\nsts = boto3.client('sts')\nr = sts.assume_role(RoleArn=os.environ['ROLE_ARN'], RoleSessionName='x')\nc = r['Credentials']\ns = boto3.Session(aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c.get('SecretAccessKey'))\n";
        let got = sts_of(py, Lang::Python);
        assert_eq!(got.len(), 2);
        for s in &got {
            let s = s.as_ref().expect("followed");
            assert_eq!(s.api, "sts.assume_role");
            assert_eq!(s.operation, "assume-role");
            assert_eq!(s.role, Some(ArgValue::Env("ROLE_ARN".into())));
            assert!(!s.per_account && !s.provider);
            assert_eq!(at(py, s.span), "sts.assume_role");
        }
        // Not from STS: keys from the environment, or a class's own `assume_role`.
        let plain = "import boto3, os\nboto3.client('s3', aws_access_key_id=os.environ['K'])\nc = AwsProvider.assume_role(x)\nboto3.Session(aws_access_key_id=c.access_key)\n";
        assert!(sts_of(plain, Lang::Python).iter().all(Option::is_none));
        // Per account: in a loop, or the ARN built from a parameter.
        let looped = "import boto3\nfor a in accts:\n    c = sts.assume_role(RoleArn='arn:aws:iam::1:role/x')['Credentials']\n    boto3.client('s3', aws_access_key_id=c['AccessKeyId'])\n";
        assert!(
            sts_of(looped, Lang::Python)[0]
                .as_ref()
                .is_some_and(|s| s.per_account)
        );
        let param = "import boto3\ndef f(acct):\n    c = sts.assume_role(RoleArn=f'arn:aws:iam::{acct}:role/x')['Credentials']\n    return boto3.client('s3', aws_access_key_id=c['AccessKeyId'])\n";
        assert!(
            sts_of(param, Lang::Python)[0]
                .as_ref()
                .is_some_and(|s| s.per_account)
        );
    }

    #[test]
    fn sts_in_javascript_go_and_java() {
        let js = "import { S3Client } from '@aws-sdk/client-s3';\nconst { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r' }));\nnew S3Client({ credentials: { accessKeyId: Credentials.AccessKeyId } });\n";
        let s = sts_of(js, Lang::JavaScript);
        let s = s[0].as_ref().expect("js");
        assert_eq!(s.api, "new AssumeRoleCommand");
        assert_eq!(
            s.role,
            Some(ArgValue::Literal("arn:aws:iam::123456789012:role/r".into()))
        );
        let go = "package m\nfunc f() {\n\tout, _ := svc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(\"arn:aws:iam::1:role/g\")})\n\tcredentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, \"\", \"\")\n}\n";
        let s = sts_of(go, Lang::Go);
        let s = s[0].as_ref().expect("go");
        assert_eq!(
            s.role,
            Some(ArgValue::Literal("arn:aws:iam::1:role/g".into()))
        );
        let java = "class A { void f() { var c = sts.assumeRole(r -> r.roleArn(\"arn:aws:iam::1:role/j\").serialNumber(m)).credentials(); AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()); } }";
        let s = sts_of(java, Lang::Java);
        let s = s[0].as_ref().expect("java");
        assert_eq!(
            s.role,
            Some(ArgValue::Literal("arn:aws:iam::1:role/j".into()))
        );
        assert!(s.mfa);
        let provider = "class RoleProvider implements AwsCredentialsProvider { public AwsCredentials resolveCredentials() { var c = sts.assumeRole(req).credentials(); return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()); } }";
        assert!(
            sts_of(provider, Lang::Java)[0]
                .as_ref()
                .is_some_and(|s| s.provider)
        );
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

    #[test]
    fn go_and_java() {
        let go = "package main\nconst secret = \"SECRETGO\"\nfunc f() {\n  p := credentials.NewStaticCredentialsProvider(\"AKIAGO\", os.Getenv(\"S\"), \"\")\n  c := credentials.StaticCredentialsProvider{Value: aws.Credentials{AccessKeyID: \"AKIAGO2\", SecretAccessKey: secret}}\n  config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(\"dev\"))\n  os.Setenv(\"AWS_PROFILE\", \"ops\")\n}\n";
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
    fn only_sdk_credential_sinks_are_calls() {
        let py = "import boto3\niam.delete_access_key(UserName=u, AccessKeyId='AKIAPY')\nm.assert_called_with(aws_access_key_id='AKIAPY')\nsession.set_credentials(*kwargs.values())\nconnect_to(aws_access_key_id='AKIAPY')\nmake(access_key_id='AKIAPY')\nboto3.client('s3', aws_access_key_id='AKIAPY', **extra)\nsession.create_client('s3', aws_access_key_id='AKIAPY')\nboto.connect_s3(aws_access_key_id='AKIAPY')\n";
        let f = parse(py, Lang::Python);
        let apis: Vec<(&str, bool)> = f
            .calls
            .iter()
            .map(|c| (c.api.as_str(), c.unseen_args))
            .collect();
        assert_eq!(
            apis,
            [
                ("boto3.client", true),
                ("session.create_client", false),
                ("boto.connect_s3", false)
            ],
            "a splat alone passes nothing that can be seen"
        );
        assert_eq!(f.calls[0].args[0].written, "aws_access_key_id");

        let ts = "import { S3Client } from '@aws-sdk/client-s3';\nvi.spyOn(sts, 'assumeRole').mockResolvedValueOnce({ accessKeyId: 'AKIATS' });\nexpect(c).toEqual({ accessKeyId: 'AKIATS' });\nwriteProfileFiles({ accessKeyId: 'AKIATS' });\nconst config = { region: 'x', credentials: { accessKeyId: 'AKIATS', secretAccessKey: s } };\nnew S3Client(config);\nnew Other({ credentials: { accessKeyId: 'AKIATS' } });\nnew S3Client({ ...base, credentials: { accessKeyId: 'AKIATS' } });\n";
        let f = parse(ts, Lang::TypeScript);
        let apis: Vec<&str> = f.calls.iter().map(|c| c.api.as_str()).collect();
        assert_eq!(apis, ["new S3Client", "new S3Client"], "{:?}", f.calls);
        assert_eq!(f.calls[0].args[0].written, "accessKeyId");
        assert_eq!(at(ts, f.calls[0].args[0].value_span), "AKIATS");

        let go = "package p\nfunc (P) Retrieve(ctx context.Context) (aws.Credentials, error) {\n  return aws.Credentials{AccessKeyID: \"AKIAGO\", SecretAccessKey: s}, nil\n}\nfunc d() { _ = &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(old)} }\nfunc e() {\n  v := aws.Credentials{AccessKeyID: \"AKIAGO\"}\n  _ = aws.Config{Credentials: credentials.StaticCredentialsProvider{Value: v}}\n}\n";
        let f = parse(go, Lang::Go);
        assert_eq!(f.calls.len(), 1, "{:?}", f.calls);
        assert_eq!(f.calls[0].api, "credentials.StaticCredentialsProvider{…}");
        assert_eq!(f.calls[0].args[0].written, "AccessKeyID");
    }

    #[test]
    fn a_wrapper_that_passes_its_parameters_to_a_sink_is_one() {
        let py = "import boto3\ndef connect(service, key=None, secret=None):\n    return boto3.client(service, aws_access_key_id=key, aws_secret_access_key=secret)\ndef connect_to(aws_access_key_id=None):\n    return {'id': aws_access_key_id}\nc = connect('s3', 'AKIAW1', secret='S1')\nd = connect_to(aws_access_key_id='AKIAW2')\n";
        let f = parse(py, Lang::Python);
        let got: Vec<(&str, &str, ArgValue)> = f
            .calls
            .iter()
            .flat_map(|c| {
                c.args
                    .iter()
                    .map(|a| (c.api.as_str(), a.written.as_str(), a.value.clone()))
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "boto3.client",
                    "aws_access_key_id",
                    ArgValue::Variable("key".into())
                ),
                (
                    "boto3.client",
                    "aws_secret_access_key",
                    ArgValue::Variable("secret".into())
                ),
                ("connect", "key", ArgValue::Literal("AKIAW1".into())),
                ("connect", "secret", ArgValue::Literal("S1".into())),
            ]
        );
    }

    #[test]
    fn environments_are_scoped_by_function() {
        let src = "import os\nos.environ['AWS_REGION'] = 'x'\ndef a():\n    os.environ['AWS_PROFILE'] = 'dev'\nclass T:\n    def b(self):\n        os.environ['AWS_ACCESS_KEY_ID'] = 'k'\n        def inner():\n            os.environ['AWS_SECRET_ACCESS_KEY'] = 's'\n";
        let f = parse(src, Lang::Python);
        let keys: Vec<(&str, usize)> = f
            .env
            .iter()
            .zip(&f.env_scope)
            .map(|(e, s)| (e.key.as_str(), *s))
            .collect();
        assert_eq!(
            keys,
            [
                ("AWS_REGION", 0),
                ("AWS_PROFILE", 1),
                ("AWS_ACCESS_KEY_ID", 2),
                ("AWS_SECRET_ACCESS_KEY", 3)
            ]
        );
        assert_eq!(
            f.scopes,
            [0, 0, 0, 2],
            "inner runs inside b; the class is no scope"
        );
    }

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
