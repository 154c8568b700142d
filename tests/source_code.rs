//! Source code, CI and container files as users write them: for each language, a small
//! realistic project with planted problems (each must be reported at its line and column
//! with the right code and level) and the same project written the safe way (the default
//! chain, profiles, roles, OIDC), which must produce nothing at all.
//!
//! Every key below is fake, generated for these tests (see `fixtures/README.md`).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_credlint");

const KEY1: &str = "AKIAQWB5PDKHX6PYGPAN";
const SECRET1: &str = "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";
const KEY2: &str = "AKIAUL66LDQBWZB2XYA4";
const SECRET2: &str = "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";
const KEY3: &str = "AKIA2JDC7VNII2GK3XJD";
const SECRET3: &str = "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";
const KEY4: &str = "AKIA5SWWRW2WL4XVJKMX";
const SECRET4: &str = "9kK1V1miDZU4XcXF8cVGROoX9YE17swJaevAszj0";

/// Keys and secrets planted below, with the placeholders each file uses for them.
const SUBSTITUTIONS: [(&str, &str); 8] = [
    ("{KEY1}", KEY1),
    ("{SECRET1}", SECRET1),
    ("{KEY2}", KEY2),
    ("{SECRET2}", SECRET2),
    ("{KEY3}", KEY3),
    ("{SECRET3}", SECRET3),
    ("{KEY4}", KEY4),
    ("{SECRET4}", SECRET4),
];

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join(".git")).expect(".git");
    for (path, text) in files {
        let mut text = (*text).to_owned();
        for (k, v) in SUBSTITUTIONS {
            text = text.replace(k, v);
        }
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run credlint")
}

fn all_output(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `path:line:column CODE level` of every finding, in output order, and the messages.
fn scan(dir: &Path) -> (Vec<String>, Vec<String>, Output) {
    let out = run(dir, &[".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", all_output(&out)));
    let findings = v["findings"].as_array().expect("findings");
    let at = findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {} {}",
                f["path"].as_str().expect("path"),
                f["start"]["line"],
                f["start"]["column"],
                f["rule"].as_str().expect("rule"),
                f["level"].as_str().expect("level"),
            )
        })
        .collect();
    let messages = findings
        .iter()
        .map(|f| f["message"].as_str().expect("message").to_owned())
        .collect();
    (at, messages, out)
}

/// The planted project gives exactly `expected`, exits 1, and never prints a secret in any
/// format; the safe project gives nothing and exits 0.
fn check_project(planted: &[(&str, &str)], expected: &[&str], safe: &[(&str, &str)]) {
    let dir = tree(planted);
    let (got, messages, out) = scan(dir.path());
    assert_eq!(
        got,
        expected,
        "planted project:\n{}\n{}",
        got.join("\n"),
        messages.join("\n")
    );
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    for format in ["human", "json", "sarif", "github"] {
        let text = all_output(&run(dir.path(), &[".", "--format", format]));
        for (_, secret) in SUBSTITUTIONS.iter().filter(|(k, _)| k.contains("SECRET")) {
            assert!(!text.contains(secret), "{format} output shows a secret");
        }
        for (_, key) in SUBSTITUTIONS.iter().filter(|(k, _)| k.contains("KEY")) {
            assert!(!text.contains(key), "{format} output shows a whole key id");
        }
    }
    let dir = tree(safe);
    let (got, messages, out) = scan(dir.path());
    assert!(
        got.is_empty(),
        "safe project:\n{}\n{}",
        got.join("\n"),
        messages.join("\n")
    );
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
}

const AWS_CONFIG: &str = "[default]\nregion = eu-west-1\n\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n";

#[test]
fn python_project() {
    let planted = [
        (".aws/config", AWS_CONFIG),
        (
            "app/storage.py",
            r#"import os

import boto3

BUCKET = "reports"
ACCESS_KEY = "{KEY1}"


def client():
    return boto3.client(
        "s3",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key="{SECRET1}",
    )


def worker_client():
    key = os.environ["WORKER_KEY"]
    return boto3.resource("dynamodb", aws_access_key_id=key, aws_secret_access_key=os.getenv("WORKER_SECRET"))


def fallback_client():
    secret = os.getenv("S3_SECRET", "{SECRET2}")
    return boto3.client("s3", aws_access_key_id=os.getenv("S3_KEY", "{KEY2}"), aws_secret_access_key=secret)
"#,
        ),
        (
            "app/jobs.py",
            "import boto3\nimport botocore.session\n\n\ndef reporting():\n    return boto3.Session(profile_name=\"reporting\").client(\"athena\")\n\n\ndef legacy():\n    s = botocore.session.get_session()\n    s.set_credentials(\"{KEY3}\", \"{SECRET3}\")\n    return s\n",
        ),
        (
            "app/settings.py",
            "import os\n\nfrom dotenv import load_dotenv\n\nload_dotenv()\nos.environ[\"AWS_PROFILE\"] = \"dev\"\n",
        ),
        (
            "app/.env",
            "AWS_ACCESS_KEY_ID=${CI_KEY}\nAWS_SECRET_ACCESS_KEY=${CI_SECRET}\n",
        ),
        (".gitignore", "app/.env\n"),
    ];
    let expected = [
        "app/jobs.py:6:40 CL308 error",
        "app/jobs.py:11:5 CL103 error",
        "app/jobs.py:11:24 CL101 error",
        "app/jobs.py:11:48 CL102 error",
        "app/settings.py:6:13 CL301 warning",
        "app/storage.py:6:15 CL101 error",
        "app/storage.py:10:12 CL103 error",
        "app/storage.py:13:32 CL102 error",
        "app/storage.py:23:38 CL102 error",
        "app/storage.py:24:12 CL103 error",
        "app/storage.py:24:70 CL101 error",
    ];
    let safe = [
        (".aws/config", AWS_CONFIG),
        (
            "app/storage.py",
            "import boto3\n\nBUCKET = \"reports\"\n\n\ndef client():\n    return boto3.client(\"s3\", region_name=\"eu-west-1\")\n\n\ndef wrapped(key=None):\n    return boto3.client(\"s3\", aws_access_key_id=None, aws_secret_access_key=None)\n",
        ),
        (
            "app/jobs.py",
            "import boto3\n\n\ndef reporting():\n    return boto3.Session(profile_name=\"dev\").client(\"athena\")\n",
        ),
        (
            "app/settings.py",
            "import os\n\nfrom dotenv import load_dotenv\n\nload_dotenv()\nos.environ.setdefault(\"AWS_PROFILE\", \"dev\")\n",
        ),
        ("app/.env", "AWS_REGION=eu-west-1\n"),
        (".gitignore", "app/.env\n"),
        (
            "tests/conftest.py",
            "import os\n\nimport boto3\n\nos.environ[\"AWS_ACCESS_KEY_ID\"] = \"testing\"\nos.environ[\"AWS_SECRET_ACCESS_KEY\"] = \"testing\"\n\n\ndef localstack():\n    return boto3.client(\"s3\", endpoint_url=\"http://localhost:4566\", aws_access_key_id=\"test\", aws_secret_access_key=\"test\")\n",
        ),
    ];
    check_project(&planted, &expected, &safe);
}

#[test]
fn javascript_and_typescript_project() {
    let planted = [
        (".aws/config", AWS_CONFIG),
        (
            "legacy/upload.js",
            "const AWS = require(\"aws-sdk\");\n\nAWS.config.update({\n  region: \"eu-west-1\",\n  accessKeyId: \"{KEY1}\",\n  secretAccessKey: \"{SECRET1}\",\n});\n\nmodule.exports = new AWS.S3();\n",
        ),
        (
            "web/src/s3.ts",
            "import { S3Client } from \"@aws-sdk/client-s3\";\nimport { fromIni } from \"@aws-sdk/credential-providers\";\n\nconst secretAccessKey = process.env.S3_SECRET!;\n\nexport const s3 = new S3Client({\n  region: \"eu-west-1\",\n  credentials: { accessKeyId: process.env.S3_KEY!, secretAccessKey },\n});\n\nexport const reports = new S3Client({ credentials: fromIni({ profile: \"reporting\" }) });\n",
        ),
        (
            "web/src/admin.tsx",
            "import { S3Client } from \"@aws-sdk/client-s3\";\n\nconst KEY = \"{KEY2}\";\n\nexport function Admin() {\n  const client = new S3Client({ credentials: { accessKeyId: KEY, secretAccessKey: \"{SECRET2}\" } });\n  return <div>{String(client)}</div>;\n}\n",
        ),
    ];
    let expected = [
        "legacy/upload.js:3:19 CL103 error",
        "legacy/upload.js:5:17 CL101 error",
        "legacy/upload.js:6:21 CL102 error",
        "web/src/admin.tsx:3:14 CL101 error",
        "web/src/admin.tsx:6:46 CL103 error",
        "web/src/admin.tsx:6:84 CL102 error",
        "web/src/s3.ts:11:72 CL308 error",
    ];
    let safe = [
        (".aws/config", AWS_CONFIG),
        (
            "legacy/upload.js",
            "const AWS = require(\"aws-sdk\");\n\nAWS.config.update({ region: \"eu-west-1\" });\nAWS.config.credentials = new AWS.SharedIniFileCredentials({ profile: \"dev\" });\n\nmodule.exports = new AWS.S3();\n",
        ),
        (
            "web/src/s3.ts",
            "import { S3Client } from \"@aws-sdk/client-s3\";\nimport { fromIni } from \"@aws-sdk/credential-providers\";\n\ninterface Creds { accessKeyId: string; secretAccessKey: string }\n\nexport function describe({ accessKeyId }: Creds): string {\n  return accessKeyId.slice(0, 4);\n}\n\nexport const s3 = new S3Client({ region: \"eu-west-1\" });\nexport const dev = new S3Client({ credentials: fromIni({ profile: \"dev\" }) });\nexport const schema = { accessKeyId: { type: \"string\" }, secretAccessKey: { type: \"string\" } };\n",
        ),
    ];
    check_project(&planted, &expected, &safe);
}

#[test]
fn go_project() {
    let planted = [
        (".aws/config", AWS_CONFIG),
        (
            "internal/storage/client.go",
            "package storage\n\nimport (\n\t\"context\"\n\t\"os\"\n\n\t\"github.com/aws/aws-sdk-go-v2/aws\"\n\t\"github.com/aws/aws-sdk-go-v2/config\"\n\t\"github.com/aws/aws-sdk-go-v2/credentials\"\n)\n\nconst secretKey = \"{SECRET1}\"\n\nfunc Load(ctx context.Context) (aws.Config, error) {\n\treturn config.LoadDefaultConfig(ctx,\n\t\tconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(\"{KEY1}\", secretKey, \"\")),\n\t)\n}\n\nfunc FromEnv() aws.CredentialsProvider {\n\treturn credentials.NewStaticCredentialsProvider(os.Getenv(\"APP_KEY\"), os.Getenv(\"APP_SECRET\"), \"\")\n}\n\nfunc Reporting(ctx context.Context) (aws.Config, error) {\n\treturn config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(\"reporting\"))\n}\n",
        ),
    ];
    let planted = [
        planted[0],
        planted[1],
        (
            "cmd/report/main.go",
            "package main\n\nimport (\n\t\"context\"\n\n\t\"github.com/aws/aws-sdk-go-v2/config\"\n)\n\nfunc main() {\n\tcfg, _ := config.LoadDefaultConfig(context.Background(), config.WithSharedConfigProfile(\"analytics\"))\n\t_ = cfg\n}\n",
        ),
    ];
    let expected = [
        "cmd/report/main.go:10:91 CL308 error",
        "internal/storage/client.go:12:20 CL102 error",
        "internal/storage/client.go:16:34 CL103 error",
        "internal/storage/client.go:16:76 CL101 error",
        "internal/storage/client.go:25:71 CL308 error",
    ];
    let safe = [
        (".aws/config", AWS_CONFIG),
        (
            "internal/storage/client.go",
            "package storage\n\nimport (\n\t\"context\"\n\n\t\"github.com/aws/aws-sdk-go-v2/aws\"\n\t\"github.com/aws/aws-sdk-go-v2/config\"\n)\n\nfunc Load(ctx context.Context) (aws.Config, error) {\n\treturn config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(\"dev\"))\n}\n\nfunc Creds(v aws.Credentials) string { return v.AccessKeyID }\n",
        ),
    ];
    check_project(&planted, &expected, &safe);
}

#[test]
fn java_project() {
    let planted = [
        (".aws/config", AWS_CONFIG),
        (
            "src/main/java/com/acme/Storage.java",
            "package com.acme;\n\nimport software.amazon.awssdk.auth.credentials.AwsBasicCredentials;\nimport software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;\nimport software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;\nimport software.amazon.awssdk.services.s3.S3Client;\n\npublic final class Storage {\n    private static final String SECRET = \"{SECRET1}\";\n\n    public S3Client client() {\n        return S3Client.builder()\n            .credentialsProvider(StaticCredentialsProvider.create(\n                AwsBasicCredentials.create(\"{KEY1}\", SECRET)))\n            .build();\n    }\n\n    public S3Client reporting() {\n        return S3Client.builder().credentialsProvider(ProfileCredentialsProvider.create(\"reporting\")).build();\n    }\n}\n",
        ),
        (
            "src/main/java/com/acme/Legacy.java",
            "package com.acme;\n\nimport com.amazonaws.auth.BasicAWSCredentials;\n\nclass Legacy {\n    BasicAWSCredentials credentials() {\n        return new BasicAWSCredentials(System.getenv(\"LEGACY_KEY\"), System.getenv(\"LEGACY_SECRET\"));\n    }\n}\n",
        ),
    ];
    let expected = [
        "src/main/java/com/acme/Storage.java:9:43 CL102 error",
        "src/main/java/com/acme/Storage.java:14:17 CL103 error",
        "src/main/java/com/acme/Storage.java:14:45 CL101 error",
        "src/main/java/com/acme/Storage.java:19:90 CL308 error",
    ];
    let safe = [
        (".aws/config", AWS_CONFIG),
        (
            "src/main/java/com/acme/Storage.java",
            "package com.acme;\n\nimport software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;\nimport software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;\nimport software.amazon.awssdk.services.s3.S3Client;\n\npublic final class Storage {\n    public S3Client client() {\n        return S3Client.builder().credentialsProvider(DefaultCredentialsProvider.create()).build();\n    }\n\n    public S3Client dev() {\n        return S3Client.builder().credentialsProvider(ProfileCredentialsProvider.create(\"dev\")).build();\n    }\n}\n",
        ),
    ];
    check_project(&planted, &expected, &safe);
}

/// A notebook cell's findings land on the notebook file's line and say which cell.
#[test]
fn notebook_project() {
    let notebook = |cell: &str| {
        format!(
            "{{\n \"cells\": [\n  {{\n   \"cell_type\": \"markdown\",\n   \"metadata\": {{}},\n   \"source\": [\"# Monthly report\\n\"]\n  }},\n  {{\n   \"cell_type\": \"code\",\n   \"execution_count\": 1,\n   \"metadata\": {{}},\n   \"outputs\": [],\n   \"source\": [\n    \"%pip install boto3\\n\",\n    \"import boto3\"\n   ]\n  }},\n  {{\n   \"cell_type\": \"code\",\n   \"execution_count\": 2,\n   \"metadata\": {{}},\n   \"outputs\": [],\n   \"source\": [\n    \"# load the data\\n\",\n{cell}\n   ]\n  }}\n ],\n \"metadata\": {{\"kernelspec\": {{\"name\": \"python3\"}}}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n"
        )
    };
    let planted_nb = notebook(
        "    \"s3 = boto3.client(\\\"s3\\\", aws_access_key_id=\\\"{KEY1}\\\", aws_secret_access_key=\\\"{SECRET1}\\\")\"",
    );
    let safe_nb =
        notebook("    \"s3 = boto3.Session(profile_name=\\\"dev\\\").client(\\\"s3\\\")\"");
    let planted = [
        (".aws/config", AWS_CONFIG),
        ("notebooks/report.ipynb", planted_nb.as_str()),
    ];
    let expected = [
        "notebooks/report.ipynb:25:11 CL103 error",
        "notebooks/report.ipynb:25:52 CL101 error",
        "notebooks/report.ipynb:25:100 CL102 error",
    ];
    let safe = [
        (".aws/config", AWS_CONFIG),
        ("notebooks/report.ipynb", safe_nb.as_str()),
    ];
    check_project(&planted, &expected, &safe);
    let dir = tree(&planted);
    let (_, messages, _) = scan(dir.path());
    assert!(
        messages.iter().all(|m| m.ends_with("(notebook cell 3)")),
        "{messages:?}"
    );
}

#[test]
fn github_actions_and_gitlab_ci() {
    let planted = [
        (
            ".github/workflows/deploy.yml",
            "name: deploy\non:\n  push:\n    branches: [main]\nenv:\n  AWS_PROFILE: ci\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n          role-to-assume: arn:aws:iam::111122223333:role/deploy\n          aws-region: eu-west-1\n      - run: aws s3 sync dist/ s3://site\n  nightly:\n    runs-on: ubuntu-latest\n    env:\n      AWS_ACCESS_KEY_ID: ${{ secrets.NIGHTLY_KEY }}\n      AWS_SECRET_ACCESS_KEY: ${{ secrets.NIGHTLY_SECRET }}\n    steps:\n      - run: ./nightly.sh\n  hotfix:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: {KEY1}\n          aws-secret-access-key: {SECRET1}\n          aws-region: eu-west-1\n",
        ),
        (
            ".gitlab-ci.yml",
            "stages: [deploy]\nvariables:\n  AWS_DEFAULT_REGION: eu-west-1\ndeploy:\n  stage: deploy\n  variables:\n    AWS_ACCESS_KEY_ID: $DEPLOY_KEY_ID\n    AWS_SECRET_ACCESS_KEY: $DEPLOY_SECRET\n  script:\n    - aws s3 sync dist/ s3://site\n",
        ),
    ];
    let expected = [
        ".github/workflows/deploy.yml:6:3 CL301 warning",
        ".github/workflows/deploy.yml:14:11 CL105 warning",
        ".github/workflows/deploy.yml:22:7 CL105 warning",
        ".github/workflows/deploy.yml:31:11 CL105 warning",
        ".github/workflows/deploy.yml:31:30 CL101 error",
        ".github/workflows/deploy.yml:32:34 CL102 error",
        ".gitlab-ci.yml:7:5 CL105 warning",
    ];
    let safe = [
        (
            ".github/workflows/deploy.yml",
            "name: deploy\non:\n  push:\n    branches: [main]\npermissions:\n  id-token: write\n  contents: read\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/deploy\n          aws-region: eu-west-1\n      - run: aws s3 sync dist/ s3://site\n        env:\n          AWS_REGION: eu-west-1\n",
        ),
        (
            ".gitlab-ci.yml",
            "deploy:\n  id_tokens:\n    AWS_TOKEN:\n      aud: https://gitlab.com\n  variables:\n    AWS_ROLE_ARN: arn:aws:iam::111122223333:role/deploy\n    AWS_WEB_IDENTITY_TOKEN_FILE: /tmp/token\n  script:\n    - echo \"$AWS_TOKEN\" > /tmp/token\n    - aws s3 sync dist/ s3://site\n",
        ),
    ];
    check_project(&planted, &expected, &safe);
    let dir = tree(&planted);
    let (_, messages, _) = scan(dir.path());
    assert!(
        messages[1].contains("lacks `permissions: id-token: write`"),
        "{messages:?}"
    );
    assert!(messages[0].contains("env of job nightly"), "{messages:?}");
}

#[test]
fn dockerfile_and_compose() {
    let planted = [
        (".aws/config", AWS_CONFIG),
        (
            "Dockerfile",
            "FROM python:3.12-slim\nARG AWS_SECRET_ACCESS_KEY\nENV AWS_ACCESS_KEY_ID=\"{KEY1}\" \\\n    AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY \\\n    AWS_DEFAULT_REGION=eu-west-1\nRUN pip install boto3\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  api:\n    build: .\n    env_file:\n      - api.env\n    environment:\n      AWS_PROFILE: dev\n  worker:\n    image: worker\n    environment:\n      - AWS_ACCESS_KEY_ID={KEY2}\n      - AWS_SECRET_ACCESS_KEY={SECRET2}\n",
        ),
        (
            "api.env",
            "AWS_ACCESS_KEY_ID=${API_KEY}\nAWS_SECRET_ACCESS_KEY=${API_SECRET}\n",
        ),
    ];
    let expected = [
        "Dockerfile:2:5 CL106 error",
        "Dockerfile:3:5 CL106 error",
        "Dockerfile:3:24 CL101 error",
        "Dockerfile:4:5 CL106 error",
        "docker-compose.yml:7:7 CL301 warning",
        "docker-compose.yml:11:27 CL101 error",
        "docker-compose.yml:12:31 CL102 error",
    ];
    let safe = [
        (".aws/config", AWS_CONFIG),
        (
            "Dockerfile",
            "# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nENV AWS_DEFAULT_REGION=eu-west-1 AWS_PROFILE=dev\nRUN --mount=type=secret,id=aws,target=/root/.aws/credentials pip install -r requirements.txt\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  api:\n    build: .\n    environment:\n      AWS_PROFILE: dev\n      AWS_REGION: eu-west-1\n    volumes:\n      - ~/.aws:/root/.aws:ro\n  worker:\n    image: worker\n    environment:\n      - AWS_ACCESS_KEY_ID\n      - AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:?}\n",
        ),
    ];
    check_project(&planted, &expected, &safe);
}

/// Source files that do not mention AWS credentials are read once and never parsed.
#[test]
fn source_without_aws_tokens_is_not_parsed() {
    let big = "def handler(event):\n    return client.get(event[\"id\"])\n\n".repeat(2000);
    let dir = tree(&[
        ("app/big.py", big.as_str()),
        ("app/web.js", "fetch(url).then((r) => r.json());\n"),
        (
            "app/util.go",
            "package app\n\nfunc Add(a, b int) int { return a + b }\n",
        ),
        (
            "app/aws.py",
            "import boto3\ns3 = boto3.client(\"s3\", aws_access_key_id=KEY)\n",
        ),
    ]);
    let out = run(dir.path(), &["files", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", all_output(&out)));
    let record = |path: &str, field: &str| {
        v.as_array()
            .or_else(|| v["files"].as_array())
            .expect("files")
            .iter()
            .find(|f| f["path"] == path)
            .map(|f| f[field].as_str().unwrap_or("").to_owned())
    };
    let outcome = |path: &str| record(path, "outcome");
    assert_eq!(outcome("app/big.py").as_deref(), Some("no-candidates"));
    assert_eq!(outcome("app/util.go").as_deref(), Some("no-candidates"));
    assert_eq!(outcome("app/web.js").as_deref(), Some("no-candidates"));
    assert_eq!(record("app/web.js", "kind").as_deref(), Some("javascript"));
    assert_eq!(outcome("app/aws.py").as_deref(), Some("parsed"));
}

/// Third-party packages and bundles get no syntax tree: a key id written there is still
/// found, but the SDK's own code is not taken for the project's calls.
#[test]
fn vendored_and_minified_code_get_the_loose_reading() {
    let bundle = format!(
        "var a=1;{}new AWS.Credentials(\"{{KEY1}}\",\"{{SECRET1}}\");\n",
        "x=x+1;".repeat(1000)
    );
    let dir = tree(&[
        (
            "node_modules/aws-sdk/lib/credentials.js",
            "AWS.Credentials = function (accessKeyId, secretAccessKey) {};\nnew AWS.Credentials({ accessKeyId: process.env.K, secretAccessKey: process.env.S });\n",
        ),
        ("web/dist/app.min.js", bundle.as_str()),
    ]);
    // No .gitignore: node_modules/ is walked like the rest.
    let (got, messages, _) = scan(dir.path());
    assert_eq!(
        got,
        ["web/dist/app.min.js:1:6030 CL101 error"],
        "{messages:?}"
    );
}

/// What real repositories are full of and that is no finding: AWS API parameters named like
/// credentials, mocks and assertions, providers returning credential values, credentials
/// from `sts.assume_role` passed on with their token, profiles in a tree without AWS files
/// (they live in the user's own `~/.aws`), and environment variables set in separate test
/// functions. Beside them, the true findings must stay: a module constant holding a secret
/// and a client given a literal key.
#[test]
fn sdk_calls_as_real_projects_write_them() {
    let noise: [(&str, &str); 5] = [
        (
            "app/session.py",
            "import boto3\n\n\ndef assumed(role_arn):\n    creds = boto3.client(\"sts\").assume_role(RoleArn=role_arn, RoleSessionName=\"x\")[\"Credentials\"]\n    return boto3.Session(\n        aws_access_key_id=creds[\"AccessKeyId\"],\n        aws_secret_access_key=creds[\"SecretAccessKey\"],\n        aws_session_token=creds[\"SessionToken\"],\n        profile_name=None,\n    )\n\n\ndef reporting():\n    return boto3.Session(profile_name=\"reporting\")\n\n\ndef rotate(iam, user, old):\n    iam.delete_access_key(UserName=user, AccessKeyId=old)\n",
        ),
        (
            "tests/test_session.py",
            "import os\nfrom unittest import mock\n\n\ndef test_profile():\n    os.environ[\"AWS_PROFILE\"] = \"reporting\"\n\n\ndef test_keys(m: mock.MagicMock):\n    os.environ[\"AWS_ACCESS_KEY_ID\"] = \"foo\"\n    os.environ[\"AWS_SECRET_ACCESS_KEY\"] = \"bar\"\n    m.assert_called_with(aws_access_key_id=\"foo\", aws_secret_access_key=\"bar\")\n",
        ),
        (
            "web/provider.test.ts",
            "import { S3Client } from \"@aws-sdk/client-s3\";\n\nvi.spyOn(sts, \"send\").mockResolvedValueOnce({ Credentials: { AccessKeyId: \"ASIA\", SecretAccessKey: \"s\" } });\nexpect(await provider()).toEqual({ accessKeyId: \"akid\", secretAccessKey: \"secret\" });\nnew S3Client({ credentials: { accessKeyId: \"akid\" } as never });\n",
        ),
        (
            "svc/provider.go",
            "package svc\n\nimport (\n\t\"github.com/aws/aws-sdk-go-v2/aws\"\n\t\"github.com/aws/aws-sdk-go-v2/service/iam\"\n)\n\nfunc (p P) Retrieve(ctx context.Context) (aws.Credentials, error) {\n\treturn aws.Credentials{AccessKeyID: p.id, SessionToken: p.token}, nil\n}\n\nfunc input(old string) *iam.DeleteAccessKeyInput {\n\treturn &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(old)}\n}\n",
        ),
        (
            "web/app.ts",
            "import { fromIni } from \"@aws-sdk/credential-providers\";\n\nexport const creds = fromIni({ profile: \"reporting\" });\n",
        ),
    ];
    let mut planted = noise.to_vec();
    planted.push((
        "app/settings.py",
        "import boto3\n\nAWS_SECRET_KEY = \"{SECRET4}\"\n\ns3 = boto3.client(\"s3\", aws_access_key_id=\"{KEY4}\", aws_secret_access_key=AWS_SECRET_KEY)\n",
    ));
    let expected = [
        "app/settings.py:3:19 CL102 error",
        "app/settings.py:5:6 CL103 error",
        "app/settings.py:5:44 CL101 error",
    ];
    check_project(&planted, &expected, &noise);
}
