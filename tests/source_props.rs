//! Property tests for the source-code, notebook, CI and container parsers: arbitrary input
//! never panics, and every span lies within the input on character boundaries (notebook
//! spans are mapped back through JSON escapes, Dockerfile spans through continuation lines,
//! so both are easy to get wrong).

use credlint::parse::{ci, code, notebook};
use proptest::prelude::*;

#[path = "support/spans.rs"]
mod spans;

use spans::check_span;

fn check_code(text: &str, f: &code::CodeFile) {
    for c in &f.calls {
        check_span(text, c.span);
        for a in &c.args {
            check_span(text, a.span);
            check_span(text, a.value_span);
        }
    }
    for e in &f.env {
        check_span(text, e.key_span);
        check_span(text, e.value_span);
    }
    for p in &f.profiles {
        check_span(text, p.span);
    }
    for d in &f.dotenv_loads {
        check_span(text, d.span);
    }
}

fn check_ci(text: &str, f: &ci::CiFile) {
    for b in &f.env_blocks {
        check_span(text, b.anchor);
        for v in &b.vars {
            check_span(text, v.key_span);
            check_span(text, v.value_span);
        }
        for (_, s) in &b.env_files {
            check_span(text, *s);
        }
    }
    for s in &f.aws_steps {
        check_span(text, s.span);
        for v in &s.inputs {
            check_span(text, v.key_span);
            check_span(text, v.value_span);
        }
    }
    for i in &f.image_vars {
        check_span(text, i.var.key_span);
        check_span(text, i.var.value_span);
    }
}

/// Source text made of the constructs the handlers look at, plus noise.
fn codeish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("import boto3, os\n".to_owned()),
        Just("KEY = 'AKIAQWB5PDKHX6PYGPAN'\n".to_owned()),
        Just("def f(k, s=None):\n    ".to_owned()),
        Just("class C:\n    ".to_owned()),
        Just("boto3.client('s3', aws_access_key_id=KEY, aws_secret_access_key=os.getenv('S', 'x'))\n".to_owned()),
        Just("boto3.Session(profile_name=\"dév\")\n".to_owned()),
        Just("os.environ[\"AWS_PROFILE\"] = f'{x}'\n".to_owned()),
        Just("load_dotenv(override=True)\n".to_owned()),
        Just("new S3Client({ credentials: { accessKeyId: k, secretAccessKey: `s${x}` } });\n".to_owned()),
        Just("const { accessKeyId } = c; AWS.config.update({ accessKeyId });\n".to_owned()),
        Just("process.env.AWS_PROFILE = process.env.X ?? 'y';\n".to_owned()),
        Just("p := credentials.NewStaticCredentialsProvider(\"AKIA\", s, \"\")\n".to_owned()),
        Just("c := aws.Credentials{AccessKeyID: id, SecretAccessKey: `raw`}\n".to_owned()),
        Just("AwsBasicCredentials.builder().accessKeyId(\"a\").secretAccessKey(b).build();\n".to_owned()),
        Just("String SECRET = \"\\u00e9\";\n".to_owned()),
        "[ -~\u{80}-\u{10ffff}]{0,12}",
        "[(){}\\[\\]\"'`=:,;.$\\\\ \t\n]{0,8}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

/// A notebook whose cell lines are JSON strings built from `lines` (escaped as Jupyter
/// writes them), sometimes with a raw fragment spliced in to break the JSON.
fn notebookish() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(codeish(), 0..4),
        "[\"\\\\{}\\[\\],:u0-9a-f]{0,6}",
        any::<bool>(),
    )
        .prop_map(|(cells, noise, broken)| {
            let cells: Vec<String> = cells
                .iter()
                .map(|c| {
                    let lines: Vec<String> = c
                        .split_inclusive('\n')
                        .map(|l| serde_json::to_string(l).expect("json string"))
                        .collect();
                    format!(
                        "{{\"cell_type\": \"code\", \"metadata\": {{}}, \"source\": [{}]}}",
                        lines.join(",\n ")
                    )
                })
                .collect();
            let doc = format!("{{\"cells\": [{}], \"nbformat\": 4}}", cells.join(",\n"));
            if broken {
                let at = doc.len() / 2;
                let at = (0..=at)
                    .rev()
                    .find(|i| doc.is_char_boundary(*i))
                    .unwrap_or(0);
                format!("{}{noise}{}", &doc[..at], &doc[at..])
            } else {
                doc
            }
        })
}

/// Dockerfile and YAML text with the tricky parts: quotes, escapes, continuations.
fn ciish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# escape=`\n".to_owned()),
        Just("FROM x\n".to_owned()),
        Just("ENV A=\"b c\" D='e' \\\n  F=$G\n".to_owned()),
        Just("ARG AWS_SECRET_ACCESS_KEY\n".to_owned()),
        Just("ENV OLD value with spaces\n".to_owned()),
        Just("  # comment in a continuation\n".to_owned()),
        Just("\\\n".to_owned()),
        Just("`\n".to_owned()),
        Just("services:\n  a:\n    environment:\n      - K=v\n      - P\n    env_file: [x.env]\n".to_owned()),
        Just("jobs:\n  j:\n    env: {AWS_ACCESS_KEY_ID: ${{ secrets.K }}}\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with: {aws-access-key-id: é}\n".to_owned()),
        "[ -~\u{80}-\u{10ffff}]{0,12}",
        "[=\"'$`\\\\#:{}\\[\\] \t\n\r-]{0,8}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

const LANGS: [code::Lang; 6] = [
    code::Lang::Python,
    code::Lang::JavaScript,
    code::Lang::TypeScript,
    code::Lang::Tsx,
    code::Lang::Go,
    code::Lang::Java,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn code_spans_stay_inside(text in codeish()) {
        for lang in LANGS {
            check_code(&text, &code::parse(&text, lang));
        }
    }

    #[test]
    fn notebook_spans_stay_inside(text in notebookish()) {
        if let Some((f, cells)) = notebook::parse(&text) {
            check_code(&text, &f);
            for (s, n) in cells {
                check_span(&text, s);
                prop_assert!(n >= 1);
            }
        }
    }

    #[test]
    fn ci_spans_stay_inside(text in ciish()) {
        for f in [
            ci::dockerfile(&text),
            ci::compose(&text),
            ci::github_workflow(&text),
            ci::gitlab_ci(&text),
        ] {
            check_ci(&text, &f);
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        for lang in LANGS {
            let _ = code::parse(&text, lang);
        }
        let _ = notebook::parse(&text);
        let _ = ci::dockerfile(&text);
        let _ = ci::compose(&text);
    }
}
