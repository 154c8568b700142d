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
//!
//! The files: `types.rs` holds what a parse finds; `precheck.rs` decides which files get
//! a syntax tree; `grammar.rs` loads the grammars; `scope.rs` walks the tree and binds
//! names, `values.rs` classifies the values passed and records them, `sts.rs` follows
//! credentials back to an STS call; `python.rs`, `javascript.rs`, `go.rs` and `java.rs`
//! are the languages' handlers.

mod go;
mod grammar;
mod java;
mod javascript;
mod precheck;
mod python;
mod scope;
mod sts;
mod types;
mod values;

pub use precheck::{
    MAX_TREE_BYTES, MINIFIED_LINE, could_yield, could_yield_in_tests, declarations_only,
    mentions_aws, too_big_for_a_tree, vendored,
};
pub use types::{ArgValue, CodeArg, CodeFile, CredCall, DotenvLoad, Lang, ProfileRef, StsSource};

use crate::parse::env::EnvAssignment;
use grammar::{FIELD_NAMES, Grammar};
use scope::Walker;
use std::cell::RefCell;
use std::collections::HashMap;
use tree_sitter::Tree;

thread_local! {
    /// One grammar per language and thread: building a parser and loading a grammar for
    /// every candidate file would be wasted work.
    static GRAMMARS: RefCell<HashMap<Lang, Grammar>> = RefCell::new(HashMap::new());
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
    let mut w = Walker::new(text, lang, root, fields);
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

#[cfg(test)]
mod tests {
    use super::values::{KEY_ID, SECRET};
    use super::*;
    use crate::source::Span;

    pub(super) fn lits(f: &CodeFile) -> Vec<(&'static str, ArgValue)> {
        f.calls
            .iter()
            .flat_map(|c| c.args.iter().map(|a| (a.name, a.value.clone())))
            .collect()
    }

    pub(super) fn at(src: &str, s: Span) -> &str {
        &src[s.start..s.end]
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
    fn broken_code_still_gives_what_parses() {
        let f = parse(
            "def f(:\n    pass\nboto3.client('s3', aws_access_key_id='AKIAX')\n",
            Lang::Python,
        );
        assert!(f.has_errors);
        assert_eq!(f.calls.len(), 1);
    }
}
