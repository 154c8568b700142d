//! The text precheck that spares source files a syntax tree (`code::could_yield`) must
//! never rule out code whose tree gives something: checked on every code fixture and on
//! snippets written the awkward ways the grammars allow (comments and line breaks between
//! tokens, quoted and shorthand keys).

use credlint::parse::code::{self, CodeFile, Lang};
use std::path::Path;

/// Whether a tree gives a rule something: a call, environment write, profile or dotenv
/// load, or a secret pair whose value has a secret key's shape (the only ones CL102 reports).
fn yields(f: &CodeFile) -> bool {
    !(f.calls.is_empty()
        && f.env.is_empty()
        && f.profiles.is_empty()
        && f.dotenv_loads.is_empty()
        && !f
            .secret_pairs
            .iter()
            .any(|p| credlint::keys::is_secret_shaped(&p.value)))
}

fn lang_of(path: &Path) -> Option<Lang> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let ext = name.rsplit('.').next()?;
    Some(match ext {
        "py" | "pyw" => Lang::Python,
        "js" | "mjs" | "cjs" | "jsx" => Lang::JavaScript,
        "tsx" => Lang::Tsx,
        "ts" | "mts" | "cts" => Lang::TypeScript,
        "go" => Lang::Go,
        "java" => Lang::Java,
        _ => return None,
    })
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read fixtures").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Whether the precheck is sound on `text`: when it rules the text out, the tree gives
/// nothing. Returns the precheck's verdict.
fn sound(text: &str, lang: Lang, what: &str) -> bool {
    let pass = code::could_yield(text, lang);
    if !pass {
        assert!(
            !yields(&code::parse_tree(text, lang)),
            "the precheck rules out {what}, whose tree gives findings"
        );
    }
    pass
}

#[test]
fn every_code_fixture_that_gives_something_passes_the_precheck() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut all = Vec::new();
    files(&root, &mut all);
    let (mut passed, mut yielding) = (0, 0);
    for p in all {
        let Some(lang) = lang_of(&p) else { continue };
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        yielding += usize::from(yields(&code::parse_tree(&text, lang)));
        passed += usize::from(sound(&text, lang, &p.display().to_string()));
    }
    assert!(yielding > 10, "the fixtures hold credential code");
    assert!(passed >= yielding);
}

#[test]
fn awkward_spellings_pass_the_precheck() {
    let cases: &[(&str, Lang)] = &[
        (
            "boto3.client('s3', aws_access_key_id # the key\n    = k)\n",
            Lang::Python,
        ),
        (
            "boto3.client('s3', aws_secret_access_key \\\n= s)\n",
            Lang::Python,
        ),
        ("boto3.Session(profile = 'dev')\n", Lang::Python),
        // A secret under a secret name, with no SDK call in the file.
        (
            "AWS_SECRET_KEY = \"XzCqbig5ED9J+uaDTxQxEpemTrg8NEdJDA0IF0JF\"\n",
            Lang::Python,
        ),
        (
            "export const awsSecretKey = 'XzCqbig5ED9J+uaDTxQxEpemTrg8NEdJDA0IF0JF';\n",
            Lang::TypeScript,
        ),
        (
            "const AwsSecretAccessKey = \"XzCqbig5ED9J+uaDTxQxEpemTrg8NEdJDA0IF0JF\"\n",
            Lang::Go,
        ),
        (
            "class C { static final String AWS_SECRET_KEY = \"XzCqbig5ED9J+uaDTxQxEpemTrg8NEdJDA0IF0JF\"; }\n",
            Lang::Java,
        ),
        ("os.environ ['AWS_PROFILE'] = 'x'\n", Lang::Python),
        (
            "from dotenv import load_dotenv\nload_dotenv()\n",
            Lang::Python,
        ),
        (
            "import botocore.credentials\nc = Credentials('AKIAX', 's')\n",
            Lang::Python,
        ),
        ("s.set_credentials('AKIAX', 's', token='t')\n", Lang::Python),
        (
            "import { S3Client } from '@aws-sdk/client-s3';\nnew S3Client({ credentials: { 'accessKeyId' /* id */ : 'AKIAQ3LBZ7WDX5RNTC4M', secretAccessKey } });\n",
            Lang::JavaScript,
        ),
        (
            "import { S3 } from '@aws-sdk/client-s3';\nconst c = { sessionToken: 'FwoGZXIvYXdzEJr'\n};\nnew S3({ credentials: c });\n",
            Lang::TypeScript,
        ),
        (
            "const x = new /* v2 */ AWS.Credentials('AKIAX', 's');\n",
            Lang::JavaScript,
        ),
        ("fromIni({ \"profile\": 'dev' });\n", Lang::Tsx),
        (
            "const c = fromSSO({\n  // the team's\n  profile /* sso */ : 'dev' });\n",
            Lang::JavaScript,
        ),
        (
            "boto3.client(\n    's3',\n    # comment\n    aws_access_key_id=k)\n",
            Lang::Python,
        ),
        ("os.environ[ \"AWS_PROFILE\" ]= 'x'\n", Lang::Python),
        ("environ[r'AWS_PROFILE'] \\\n  = 'x'\n", Lang::Python),
        ("process.env['AWS_PROFILE'] = 'x';\n", Lang::JavaScript),
        (
            "package m\nvar p = credentials.NewStaticCredentialsProvider(\"AKIAX\", \"s\", \"\")\n",
            Lang::Go,
        ),
        (
            "package m\nfunc f() { os.Setenv(\"AWS_PROFILE\", \"x\") }\n",
            Lang::Go,
        ),
        (
            "class A { void f() { var c = AwsBasicCredentials.builder().accessKeyId(\"AKIAX\").build(); } }\n",
            Lang::Java,
        ),
    ];
    for (text, lang) in cases {
        assert!(
            yields(&code::parse_tree(text, *lang)),
            "no finding in {text}"
        );
        assert!(sound(text, *lang, text), "{text}");
    }
}

#[test]
fn code_without_a_sink_needs_no_tree() {
    for (text, lang) in [
        (
            "import boto3\ndef keys(c):\n    return c.aws_access_key_id\n",
            Lang::Python,
        ),
        ("if not exists:\n    profile_dir = None\n", Lang::Python),
        (
            "export interface Creds { accessKeyId?: string }\nconst id = creds.accessKeyId;\n",
            Lang::TypeScript,
        ),
        ("creds := insecure.NewCredentials()\n", Lang::Go),
        // Reads and comparisons of the environment, assignments of credential-named
        // variables, `profile:` outside a provider's options, botocore.credentials
        // imported without a `Credentials(…)` call.
        (
            "import os, boto3\np = os.environ['AWS_PROFILE']\nif os.environ[\"X\"] == 'y':\n    pass\n",
            Lang::Python,
        ),
        (
            "import boto3\naws_access_key_id = None\nprofile_name = args.profile\n",
            Lang::Python,
        ),
        (
            "import boto3\nfrom botocore.credentials import RefreshableCredentials\n",
            Lang::Python,
        ),
        (
            "import { S3Client } from '@aws-sdk/client-s3';\nconst c = { profile: 'dev' };\n",
            Lang::TypeScript,
        ),
    ] {
        assert!(!code::could_yield(text, lang), "{text}");
        assert!(!yields(&code::parse(text, lang)), "{text}");
    }
}
