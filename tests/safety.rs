//! Safety guarantees: no secret in any output, no networking crate, no process spawning, no
//! command run and no socket opened when scanning planted `credential_process` lines and
//! endpoints, byte-identical output under parallelism, and hostile trees that complete.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/fixtures.rs"]
mod fixtures;

use fixtures::{copy_fixture_tree, fixture_trees, secrets_in};

const BIN: &str = env!("CARGO_BIN_EXE_credlint");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run credlint")
}

#[test]
fn no_secret_in_any_output_format() {
    for tree in fixture_trees(&["fixtures/rules", "fixtures/trust", "fixtures/source"]) {
        let mut secrets = Vec::new();
        secrets_in(&tree, &mut secrets);
        if secrets.is_empty() {
            continue;
        }
        let tmp = tempfile::tempdir().expect("tempdir");
        let work = tmp.path().join("t");
        copy_fixture_tree(&tree, &work);
        let mut outputs = Vec::new();
        for format in ["human", "concise", "json", "sarif", "github"] {
            outputs.push(run_in(
                &work,
                &[".", "--format", format, "--color", "always"],
            ));
        }
        outputs.push(run_in(&work, &[".", "--diff"]));
        outputs.push(run_in(&work, &["baseline", "-o", "../baseline.json"]));
        outputs.push(run_in(&work, &["files"]));
        outputs.push(run_in(
            &work,
            &[
                "resolve",
                "--no-process-env",
                "--home",
                ".",
                "--root",
                ".",
                "--all-profiles",
            ],
        ));
        outputs.push(run_in(
            &work,
            &[
                "resolve",
                "--no-process-env",
                "--home",
                ".",
                "--root",
                ".",
                "--format",
                "json",
                "--all-profiles",
            ],
        ));
        let mut text = String::new();
        for o in &outputs {
            text.push_str(&String::from_utf8_lossy(&o.stdout));
            text.push_str(&String::from_utf8_lossy(&o.stderr));
        }
        text.push_str(&fs::read_to_string(tmp.path().join("baseline.json")).unwrap_or_default());
        for s in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "{}: output shows {}…{}",
                tree.display(),
                &s[..4],
                &s[s.len() - 4..]
            );
        }
    }
}

const NETWORK: [&str; 14] = [
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "isahc",
    "attohttpc",
    "surf",
    "tokio",
    "async-std",
    "mio",
    "socket2",
    "rustls",
    "native-tls",
    "openssl",
];

#[test]
fn no_networking_crate_and_no_process_spawning_in_src() {
    let host = String::from_utf8(
        Command::new("rustc")
            .arg("-vV")
            .output()
            .expect("rustc -vV")
            .stdout,
    )
    .expect("utf8");
    let host = host
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("host triple")
        .to_owned();
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--filter-platform",
            &host,
        ])
        .current_dir(ROOT)
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata json");
    // The crates credlint itself can reach (normal dependencies of the resolved graph).
    let nodes = meta["resolve"]["nodes"].as_array().expect("nodes");
    let root = meta["resolve"]["root"].as_str().expect("root");
    let mut reach = vec![root.to_owned()];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(id) = reach.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let node = nodes.iter().find(|n| n["id"] == id.as_str()).expect("node");
        for dep in node["deps"].as_array().into_iter().flatten() {
            let normal = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null());
            if normal {
                reach.push(dep["pkg"].as_str().expect("pkg").to_owned());
            }
        }
    }
    for id in &seen {
        let name = meta["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .find(|p| p["id"] == id.as_str())
            .expect("package")["name"]
            .as_str()
            .expect("name")
            .to_owned();
        assert!(
            !NETWORK.contains(&name.as_str()),
            "networking crate `{name}` in credlint's dependency tree"
        );
    }
    for entry in walk(&Path::new(ROOT).join("src")) {
        let text = fs::read_to_string(&entry).expect("read");
        for banned in [
            "process::Command",
            "Command::new",
            "TcpStream",
            "TcpListener",
            "UdpSocket",
            "UnixStream",
            "UnixListener",
            "ToSocketAddrs",
            "libc::exec",
            "libc::fork",
        ] {
            assert!(
                !text.contains(banned),
                "{} uses `{banned}`",
                entry.display()
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Planted `credential_process` lines, container endpoints and metadata settings: the
/// marker is never created, and under strace no socket is opened and no program started.
#[test]
fn never_runs_a_command_or_opens_a_socket() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let marker = tmp.path().join("marker");
    let tree = tmp.path().join("tree");
    fs::create_dir_all(tree.join(".aws")).expect("mkdir");
    let cmd = format!("touch {}", marker.display());
    fs::write(tree.join(".aws/config"), format!("[default]\ncredential_process = {cmd}\n[profile p]\ncredential_process = sh -c '{cmd}'\n")).expect("write");
    fs::write(
        tree.join(".env"),
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:9/creds\nAWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/x\nAWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9/\n",
    )
    .expect("write");
    let runs: Vec<Vec<&str>> = vec![
        vec!["."],
        vec![".", "--format", "sarif"],
        vec![
            "resolve",
            "--no-process-env",
            "--home",
            ".",
            "--root",
            ".",
            "--env-file",
            ".env",
            "--all-profiles",
        ],
        vec![
            "resolve",
            "--no-process-env",
            "--home",
            ".",
            "--root",
            ".",
            "--env",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:9/",
        ],
    ];
    let strace = Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        strace || std::env::var_os("CREDLINT_REQUIRE_VENV").is_none(),
        "strace is missing: scripts/setup-venv.sh installs it"
    );
    for args in runs {
        if strace {
            let log = tmp.path().join("strace.log");
            let out = Command::new("strace")
                .args([
                    "-f",
                    "-qq",
                    "-e",
                    "trace=socket,connect,execve,execveat,fork,vfork,clone3",
                    "-o",
                ])
                .arg(&log)
                .arg(BIN)
                .args(&args)
                .current_dir(&tree)
                .output()
                .expect("strace");
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let trace = fs::read_to_string(&log).expect("log");
            let execs = trace.lines().filter(|l| l.contains("execve(")).count();
            assert_eq!(execs, 1, "only credlint itself may be executed:\n{trace}");
            assert!(
                !trace.contains("socket(") && !trace.contains("connect("),
                "a socket was opened:\n{trace}"
            );
        } else {
            let out = run_in(&tree, &args);
            assert!(matches!(out.status.code(), Some(0 | 1)));
        }
        assert!(
            !marker.exists(),
            "credential_process was run by `credlint {}`",
            args.join(" ")
        );
    }
}

#[test]
fn output_is_identical_across_20_parallel_runs() {
    for format in ["human", "json", "sarif", "github", "concise"] {
        let first = run_in(
            Path::new(ROOT),
            &["fixtures", "--format", format, "--color", "always"],
        );
        assert!(
            matches!(first.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&first.stderr)
        );
        for _ in 1..20 {
            let again = run_in(
                Path::new(ROOT),
                &["fixtures", "--format", format, "--color", "always"],
            );
            assert!(
                again.stdout == first.stdout && again.stderr == first.stderr,
                "{format}: output changed between runs"
            );
        }
    }
}

/// A hostile tree: every kind of bad input at once. The scan completes in bounded time,
/// names what it could not read, and never panics.
#[test]
fn hostile_tree_completes_with_diagnostics() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    fs::create_dir(t.join(".git")).expect(".git");
    fs::write(t.join("blob.bin"), [0u8, 159, 146, 150, 0, 1]).expect("write");
    fs::write(
        t.join(".env"),
        b"AWS_REGION=caf\xe9\nAWS_ACCESS_KEY_ID=\"open\n",
    )
    .expect("write");
    fs::write(t.join("utf16.env"), [0xFF, 0xFE, b'K', 0, b'=', 0, b'v', 0]).expect("write");
    fs::write(
        t.join("line.txt"),
        format!("aws_secret_access_key={}", "x".repeat(1 << 20)),
    )
    .expect("write");
    let sparse = fs::File::create(t.join("huge.env")).expect("create");
    sparse.set_len(3 << 30).expect("sparse 3 GiB");
    fs::create_dir_all(t.join("credentials")).expect("dir named like a credentials file");
    fs::create_dir_all(t.join("dir.env/.aws/config")).expect("dirs named like files");
    fs::write(
        t.join("nested.json"),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .expect("write");
    fs::write(t.join("bomb.yaml"), "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nAssumeRolePolicyDocument: *d\n").expect("write");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop-b", t.join("loop-a")).expect("symlink");
        std::os::unix::fs::symlink("loop-a", t.join("loop-b")).expect("symlink");
        std::os::unix::fs::symlink("nowhere", t.join("dangling.env")).expect("symlink");
        std::os::unix::fs::symlink(".", t.join("self")).expect("symlink");
        let _ = Command::new("mkfifo").arg(t.join("pipe.env")).status();
        let _ = std::os::unix::net::UnixListener::bind(t.join("sock.env"));
    }
    let mut unreadable = fs::File::create(t.join("secret.env")).expect("create");
    unreadable
        .write_all(b"AWS_ACCESS_KEY_ID=AKIAQ3LBZ7WDX5RNTC4M\n")
        .expect("write");
    drop(unreadable);
    let start = std::time::Instant::now();
    let out = run_in(t, &[".", "--format", "json"]);
    assert!(
        start.elapsed().as_secs() < 60,
        "the scan took {:?}",
        start.elapsed()
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    let about = |p: &str| diags.iter().any(|d| d["path"] == p);
    assert!(about("huge.env"), "the 3 GiB file is named: {diags:?}");
    assert!(about(".env") && about("utf16.env"), "{diags:?}");
    // Nothing here is an I/O error for root: exit 1 for the findings, never 2.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}

/// A file the scanning user cannot read is named in a diagnostic, the scan goes on, and the
/// exit code is 2 (a real I/O error). Needs root to switch to `nobody` with setpriv.
#[test]
fn unreadable_file_is_an_io_error_for_a_non_root_user() {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let setpriv = Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !is_root || !setpriv {
        return; // cannot switch users here; the machine's own user is used by the other tests
    }
    let tmp = tempfile::tempdir_in("/tmp").expect("tempdir");
    let t = tmp.path().join("tree");
    fs::create_dir_all(&t).expect("mkdir");
    fs::write(t.join("readable.env"), "AWS_REGION=eu-west-1\n").expect("write");
    fs::write(
        t.join("secret.env"),
        "AWS_ACCESS_KEY_ID=AKIAQ3LBZ7WDX5RNTC4M\n",
    )
    .expect("write");
    let chmod = |p: &Path, mode: &str| {
        Command::new("chmod")
            .arg(mode)
            .arg(p)
            .status()
            .expect("chmod")
    };
    chmod(tmp.path(), "755");
    chmod(&t, "755");
    chmod(&t.join("readable.env"), "644");
    chmod(&t.join("secret.env"), "600");
    // The binary must be reachable by `nobody`: copy it next to the tree.
    let bin = tmp.path().join("credlint");
    fs::copy(BIN, &bin).expect("copy binary");
    chmod(&bin, "755");
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args([".", "--format", "json"])
        .current_dir(&t)
        .output()
        .expect("setpriv");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diags.iter().any(|d| d["path"] == "secret.env"
            && d["severity"] == "error"
            && d["message"]
                .as_str()
                .is_some_and(|m| m.contains("ermission"))),
        "{diags:?}"
    );
    assert_eq!(
        v["summary"]["files_parsed"], 1,
        "the readable file is still scanned"
    );
    assert_eq!(v["summary"]["unreadable"], 1);
    assert_eq!(out.status.code(), Some(2));
    // The human summary does not read as a clean run.
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .arg(".")
        .env("NO_COLOR", "1")
        .current_dir(&t)
        .output()
        .expect("setpriv");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("1 path could not be read: 0 errors"),
        "{summary}"
    );
    assert_eq!(out.status.code(), Some(2));
}

/// References to secrets are code, shown as written; secrets and key ids never are. A tree
/// with GitHub workflow `secrets.*` references, STS credentials passed on from
/// `assume_role`, environment lookups in several languages, and real-looking keys, in every
/// format: each reference appears as written in the human snippets (every one sits on a
/// line next to a key CL101 always reports, so it is in a snippet's context), no output
/// shows a whole key id or secret, and a key id has one masking everywhere.
#[test]
fn references_are_shown_as_written_and_secrets_never_whole() {
    // Fake keys, generated for this test.
    let key = "AKIAR7TQW2MZK4VXNB3D";
    let key2 = "ASIAP5XHN3QLJ7WKCT2F";
    let secret = "Zp4uR8wq1Ye7Nx3Tb6Kd9Jm2Vs5Hg0Lc+Fa/Qo7i";
    let secret2 = "bN3vX8qT1mR6yK4wZ9pL2cH7fJ5sD0gA/uE+oW3k";
    let token = format!(
        "IQoJb3JpZ2luX2VjE{}//////////",
        "Ab3dE7fG9hJ2kL4mN6pQ8rS1tU5vW0xY".repeat(6)
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path().join("t");
    let files = [
        (
            ".github/workflows/deploy.yml",
            format!(
                "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      AWS_ACCESS_KEY_ID: {key}\n      AWS_SECRET_ACCESS_KEY: ${{{{ secrets.AWS_SECRET_ACCESS_KEY }}}}\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: {key}\n          aws-secret-access-key: ${{{{ secrets.AWS_SECRET_ACCESS_KEY }}}}\n          aws-region: eu-west-1\n"
            ),
        ),
        (
            "app.py",
            format!(
                "import os\nimport boto3\n\ncreds = boto3.client(\"sts\").assume_role(RoleArn=\"arn:aws:iam::111122223333:role/x\", RoleSessionName=\"s\")[\"Credentials\"]\ns3 = boto3.client(\"s3\", aws_access_key_id=creds[\"AccessKeyId\"], aws_secret_access_key=creds[\"SecretAccessKey\"], aws_session_token=creds[\"SessionToken\"])\nFALLBACK_KEY = \"{key}\"\nsqs = boto3.client(\"sqs\", aws_access_key_id=os.environ[\"MY_KEY_ID\"], aws_secret_access_key=os.environ[\"MY_SECRET\"])\nLEAKED = boto3.client(\"sns\", aws_access_key_id=\"{key}\", aws_secret_access_key=\"{secret}\")\n"
            ),
        ),
        (
            "client.js",
            format!(
                "const {{ S3Client }} = require(\"@aws-sdk/client-s3\");\nconst s3 = new S3Client({{ credentials: {{ accessKeyId: process.env.KEY_ID, secretAccessKey: process.env.SECRET }} }});\nconst fallback = \"{key}\";\n"
            ),
        ),
        (
            "env.sh",
            format!("export AWS_SECRET_ACCESS_KEY=$MY_SECRET\nexport AWS_ACCESS_KEY_ID={key}\n"),
        ),
        (
            ".env",
            format!(
                "AWS_ACCESS_KEY_ID={key2}\nAWS_SECRET_ACCESS_KEY={secret2}\nAWS_SESSION_TOKEN={token}\n"
            ),
        ),
        (
            ".aws/credentials",
            format!("[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"),
        ),
    ];
    for (path, text) in &files {
        let p = t.join(path);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }
    fs::create_dir_all(t.join(".git")).expect(".git");
    let mut all = String::new();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = run_in(&t, &[".", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for whole in [key, key2, secret, secret2, token.as_str(), &token[..40]] {
            assert!(!text.contains(whole), "{format} shows {}…", &whole[..8]);
        }
        // One masking of a key id, in every format.
        assert!(text.contains("AKIA****NB3D"), "{format}:\n{text}");
        assert!(!text.contains("AKIA****************"), "{format}");
        assert!(!text.contains("AKIA************"), "{format}:\n{text}");
        if format == "human" {
            for reference in [
                "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
                "creds[\"SecretAccessKey\"]",
                "creds[\"SessionToken\"]",
                "os.environ[\"MY_SECRET\"]",
                "process.env.SECRET",
                "AWS_SECRET_ACCESS_KEY=$MY_SECRET",
            ] {
                assert!(
                    text.contains(reference),
                    "human output hides {reference}:\n{text}"
                );
            }
            // The literal secret is masked in the snippet, in place.
            assert!(
                text.contains(&format!("aws_secret_access_key=\"{}\"", "*".repeat(40))),
                "{text}"
            );
        }
        all.push_str(&text);
    }
    // The message side: a key id in a message has the same form as in the snippet.
    assert!(all.contains("long-lived access key AKIA****NB3D in Python code"));
}
