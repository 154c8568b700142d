//! The text precheck that spares source files a syntax tree (`code::could_yield`) must
//! never rule out code whose tree gives something: checked on every code fixture and on
//! snippets written the awkward ways the grammars allow (comments and line breaks between
//! tokens, quoted and shorthand keys).

use credlint::parse::code::{self, CodeFile, Lang};
use std::path::Path;

/// A literal some rule could report in a credential slot: shaped like a key id (a broken
/// one too, for CL204) or like a secret or token (30 or more base64 characters). Shorter
/// literals (`"test"`, `"foo"`) are the stand-ins SDK tests and emulators are given.
fn reportable_literal(v: &str) -> bool {
    const PREFIXES: [&str; 11] = [
        "AKIA", "ASIA", "ABIA", "ACCA", "AIDA", "AROA", "AGPA", "ANPA", "AIPA", "APKA", "ASCA",
    ];
    let upper = v.trim().to_ascii_uppercase();
    PREFIXES.iter().any(|p| upper.starts_with(p))
        || (v.len() == 20
            && v.starts_with('A')
            && v.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        || (v.len() >= 30
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'+' | b'=')))
}

/// Whether a call could give a rule a finding. In Python, credentials passed from
/// variables, parameters or the environment are reported by no rule: what counts is a
/// literal that could be reported, an STS call's credentials handed on (CL406), or half a
/// key pair (CL203). In the other languages every call counts.
fn call_counts(c: &code::CredCall, lang: Lang) -> bool {
    if lang != Lang::Python {
        return true;
    }
    let has = |name: &str| c.args.iter().any(|a| a.name == name);
    c.args.iter().any(|a| {
        a.sts.is_some() || matches!(&a.value, code::ArgValue::Literal(v) if reportable_literal(v))
    }) || (!c.unseen_args && has("aws_access_key_id") != has("aws_secret_access_key"))
}

/// Whether a tree gives a rule something: a call that counts ([`call_counts`]), an
/// environment write, profile or dotenv load, or a secret pair whose value has a secret
/// key's shape (the only ones CL102 reports).
fn yields(f: &CodeFile, lang: Lang) -> bool {
    !(!f.calls.iter().any(|c| call_counts(c, lang))
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
            !yields(&code::parse_tree(text, lang), lang),
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
        yielding += usize::from(yields(&code::parse_tree(&text, lang), lang));
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
        // Credentials that reach boto3's keywords other than as a literal at the keyword:
        // through a constant, a wrapper function, an STS call's result.
        (
            "import boto3\nKEY = 'AKIAQ3LBZ7WDX5RNTC4M'\nc = boto3.client('s3', aws_access_key_id=KEY, aws_secret_access_key=s)\n",
            Lang::Python,
        ),
        (
            "import boto3\ndef connect(k, s):\n    return boto3.client('s3', aws_access_key_id=k, aws_secret_access_key=s)\nconnect('AKIAQ3LBZ7WDX5RNTC4M', secret)\n",
            Lang::Python,
        ),
        (
            "import boto3\nc = boto3.client('sts').assume_role(RoleArn=arn, RoleSessionName='x')['Credentials']\ns3 = boto3.client('s3', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])\n",
            Lang::Python,
        ),
        (
            "import boto3\ns = boto3.Session(aws_secret_access_key=os.environ['S'])\n",
            Lang::Python,
        ),
        (
            "import boto3\nc = get_session().client(\n    's3', region_name=(r or 'x'), aws_access_key_id=k)\n",
            Lang::Python,
        ),
        (
            "export const awsSecretKey: string =\n  'XzCqbig5ED9J+uaDTxQxEpemTrg8NEdJDA0IF0JF';\n",
            Lang::TypeScript,
        ),
        (
            "import boto3\ns = boto3.Session(aws_access_key_id='test', region_name='us-east-1')\n",
            Lang::Python,
        ),
        (
            "import boto\nc = boto.ec2.connect_to_region('eu-west-1', aws_access_key_id=k)\n",
            Lang::Python,
        ),
    ];
    for (text, lang) in cases {
        assert!(
            yields(&code::parse_tree(text, *lang), *lang),
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
        // A random-looking literal far from any secret name (a recorded response, a
        // checksum) in a file that says `secret` elsewhere.
        (
            "import boto3\n\"\"\"Tests of the secret store.\"\"\"\n\n\nBODY = {\n    \"Checksum\": \"XzCqbig5ED9J+uaDTxQxEpemTrg8NEdJDA0IF0JF\",\n}\n",
            Lang::Python,
        ),
        // Whole pairs of stand-ins, as emulator tests write them.
        (
            "import boto3\nc = boto3.client('s3', aws_access_key_id=\"ak\", aws_secret_access_key=\"sk\")\n",
            Lang::Python,
        ),
        // A project's own helpers named like credential parameters, defined elsewhere.
        (
            "from aws.connect import connect_to\nssm = connect_to(aws_access_key_id=account_id, region_name=r).ssm\nh = mock_headers(service, aws_access_key_id=key_id)\n",
            Lang::Python,
        ),
        // Whole key pairs from variables, parameters and the environment: what SDK code,
        // tests and emulators do all day, and what no rule reports.
        (
            "import boto3, os\nc = boto3.client('s3', aws_access_key_id=k, aws_secret_access_key=s, aws_session_token=t)\nd = boto3.resource(\n    'sqs',\n    aws_access_key_id=os.environ['AWS_ACCESS_KEY_ID'],\n    aws_secret_access_key=os.environ['AWS_SECRET_ACCESS_KEY'],\n)\n",
            Lang::Python,
        ),
        (
            "import { S3Client } from '@aws-sdk/client-s3';\nconst c = { profile: 'dev' };\n",
            Lang::TypeScript,
        ),
    ] {
        assert!(!code::could_yield(text, lang), "{text}");
        assert!(!yields(&code::parse(text, lang), lang), "{text}");
    }
}

/// Whether a tree gives something to a rule that reports in test code: a secret pair with
/// a secret key's shape (CL102 beside a key id) or credentials from an STS call handed to
/// a client (CL406).
fn yields_in_tests(f: &CodeFile) -> bool {
    f.calls
        .iter()
        .any(|c| c.args.iter().any(|a| a.sts.is_some()))
        || f.secret_pairs
            .iter()
            .any(|p| credlint::keys::is_secret_shaped(&p.value))
}

/// The narrower precheck for test code whose other findings are not shown
/// (`code::could_yield_in_tests`) must keep every file whose tree gives a rule that reports
/// in tests something: every code fixture, and STS calls spelt the ways the grammars allow.
#[test]
fn test_code_keeps_its_tree_where_a_rule_reports_in_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut texts: Vec<(String, Lang, String)> = all
        .iter()
        .filter_map(|p| {
            let lang = lang_of(p)?;
            let text = std::fs::read_to_string(p).ok()?;
            Some((text, lang, p.display().to_string()))
        })
        .collect();
    for (text, lang) in [
        (
            "import boto3\nc = boto3.client('sts').assume_role (RoleArn=arn, RoleSessionName='x')['Credentials']\ns3 = boto3.client('s3', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])\n",
            Lang::Python,
        ),
        (
            "import boto3\nsts = boto3.client('sts')\nr = (sts\n    .assume_role_with_web_identity(RoleArn=a, WebIdentityToken=t))\nc = r['Credentials']\nboto3.Session(aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'])\n",
            Lang::Python,
        ),
        (
            "import { S3Client } from '@aws-sdk/client-s3';\nimport * as sts from '@aws-sdk/client-sts';\nconst { Credentials } = await client.send(new sts.AssumeRoleCommand({ RoleArn: a }));\nnew S3Client({ credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey } });\n",
            Lang::TypeScript,
        ),
        (
            "package m\nfunc f() {\n\tout, _ := svc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(\"arn:aws:iam::1:role/g\")})\n\tcredentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, \"\", \"\")\n}\n",
            Lang::Go,
        ),
        (
            "class A { void f() { var c = sts.assumeRole(r -> r.roleArn(a)).credentials(); AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()); } }",
            Lang::Java,
        ),
    ] {
        assert!(
            yields_in_tests(&code::parse_tree(text, lang)),
            "no STS credentials in {text}"
        );
        texts.push((text.to_owned(), lang, text.to_owned()));
    }
    let mut kept = 0;
    for (text, lang, what) in &texts {
        let tree = code::parse_tree(text, *lang);
        if code::could_yield_in_tests(text, *lang) {
            kept += 1;
        } else {
            assert!(
                !yields_in_tests(&tree),
                "test code would lose the tree of {what}, which a rule reports in tests"
            );
        }
    }
    assert!(kept >= 5, "the STS snippets are kept");
}
