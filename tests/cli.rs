//! Command-line cases: the binary run on small trees built in temporary folders.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_credlint");
const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo");

// Fake keys, generated for these tests.
const KEY: &str = "AKIAQ3LBZ7WDX5RNTC4M";
const SECRET: &str = "h7Tq2Vx9LmP4sRk8Wz3Nc6Bf1Yd5Gj0Ha+Ue/Ko2";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run credlint")
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join(".git")).expect(".git");
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }
    dir
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn codes_at(v: &serde_json::Value) -> Vec<(String, u64, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_owned(),
                f["start"]["line"].as_u64().expect("line"),
                f["rule"].as_str().expect("rule").to_owned(),
            )
        })
        .collect()
}

/// Every finding of `credlint .` on a tree of `files`, as (rule, message).
fn findings_of(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let dir = tree(files);
    let v = json(&run(dir.path(), &[".", "--format", "json"]));
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_owned(),
                f["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

/// The messages of `rule`'s findings when `credlint .` scans a tree of `files`.
fn messages_of(rule: &str, files: &[(&str, &str)]) -> Vec<String> {
    findings_of(files)
        .into_iter()
        .filter(|(r, _)| r == rule)
        .map(|(_, m)| m)
        .collect()
}

/// `credlint resolve --sdk SDK` in a tree of `files`, with `home/` as the home, `.env` as
/// the environment and nothing from the process: the exit code and the JSON answer.
fn resolve_sdk(
    sdk: &str,
    files: &[(&str, &str)],
    extra: &[&str],
) -> (Option<i32>, serde_json::Value) {
    let dir = tree(files);
    let mut args = vec![
        "resolve",
        "--sdk",
        sdk,
        "--no-process-env",
        "--home",
        "home",
        "--env-file",
        ".env",
        "--format",
        "json",
    ];
    args.extend(extra);
    let out = run(dir.path(), &args);
    (out.status.code(), json(&out))
}

/// One field of every provider row of a `resolve --format json` answer, in order.
fn provider_field<'v>(answer: &'v serde_json::Value, field: &str) -> Vec<&'v str> {
    answer["providers"]
        .as_array()
        .expect("providers")
        .iter()
        .filter_map(|p| p[field].as_str())
        .collect()
}

/// The JSON output of `out` holds no finding (all output shown if it does).
fn assert_no_findings(out: &Output) {
    assert_eq!(
        codes_at(&json(out)),
        Vec::<(String, u64, String)>::new(),
        "{}",
        all_output(out)
    );
}

fn all_output(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn demo_shows_each_classic_mistake_and_exits_1() {
    let out = run(Path::new(DEMO), &[".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    let found = codes_at(&json(&out));
    for expected in [
        (".env", 6, "CL101"),
        (".env", 7, "CL102"),
        (".env", 6, "CL104"),
        (".env", 4, "CL301"),
        (".aws/credentials", 5, "CL303"),
        (".aws/credentials", 8, "CL307"),
        (".aws/config", 4, "CL304"),
        (".boto", 2, "CL602"),
    ] {
        assert!(
            found
                .iter()
                .any(|(p, l, c)| p == expected.0 && *l == expected.1 && c == expected.2),
            "missing {expected:?} in {found:?}"
        );
    }
}

#[test]
fn output_is_deterministic_and_never_shows_a_secret() {
    let secrets = demo_secrets();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let a = run(
            Path::new(DEMO),
            &[".", "--format", format, "--color", "always"],
        );
        let b = run(
            Path::new(DEMO),
            &[".", "--format", format, "--color", "always"],
        );
        assert_eq!(a.stdout, b.stdout, "{format}: two runs differ");
        let text = all_output(&a);
        for s in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "{format} output shows {}…",
                &s[..4]
            );
        }
    }
}

/// Every key id and 40-character secret written in the demo tree.
fn demo_secrets() -> Vec<String> {
    let mut out = Vec::new();
    for entry in walk(Path::new(DEMO)) {
        let text = fs::read_to_string(entry).unwrap_or_default();
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '+')) {
            if (word.len() == 20 && word.starts_with('A')) || word.len() == 40 {
                out.push(word.to_owned());
            }
        }
    }
    assert!(out.len() >= 8, "the demo should hold fake keys: {out:?}");
    out
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

#[test]
fn every_format_counts_columns_in_characters() {
    // Three two-byte characters before the key, and a file that starts with a byte order
    // mark: the column is 17 and 19 in characters (20 and 22 in bytes).
    let dir = tree(&[
        (
            "a.py",
            &format!("x = \"\u{e9}\u{e9}\u{e9}\"; k = \"{KEY}\"\n"),
        ),
        (".env", &format!("\u{feff}AWS_ACCESS_KEY_ID={KEY}\n")),
    ]);
    let want = [".env:1:19", "a.py:1:17"];
    let concise = String::from_utf8_lossy(&run(dir.path(), &[".", "--format", "concise"]).stdout)
        .into_owned();
    let human = String::from_utf8_lossy(&run(dir.path(), &["."]).stdout).into_owned();
    let v = json(&run(dir.path(), &[".", "--format", "json"]));
    for at in want {
        assert!(
            concise.contains(&format!("{at}: error[CL101]")),
            "{at} in {concise}"
        );
        assert!(human.contains(&format!("[{at}]")), "{at} in {human}");
    }
    let columns: Vec<u64> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "CL101")
        .map(|f| f["start"]["column"].as_u64().expect("column"))
        .collect();
    assert_eq!(columns, [19, 17]);
}

#[test]
fn clean_look_alikes_are_not_reported() {
    let dir = tree(&[
        (
            ".env.example",
            "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        ),
        (
            ".env",
            "AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}\nAWS_SECRET_ACCESS_KEY=<your secret key>\n",
        ),
        (
            "deploy.sh",
            "export AWS_ACCESS_KEY_ID=$(vault read -field=id aws/creds)\nexport AWS_SECRET_ACCESS_KEY=\"$SECRET\"\n",
        ),
        (
            ".aws/config",
            "[default]\nregion = eu-west-1\ncredential_process = aws-vault export --format=json default\n\n[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\nsource_profile = default\nmfa_serial = arn:aws:iam::111122223333:mfa/me\n",
        ),
    ]);
    let out = run(dir.path(), &[".", "--format", "json"]);
    assert_no_findings(&out);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn bad_input_gives_diagnostics_and_no_panic() {
    let dir = tree(&[
        (".env", "AWS_ACCESS_KEY_ID=\"unterminated\nOK=1\n"),
        (".aws/credentials", "no section\n[a]\njunk\n"),
    ]);
    fs::write(dir.path().join("blob.bin"), [0u8, 1, 2, 0, 255, 254]).expect("write");
    fs::write(dir.path().join("latin1.env"), b"AWS_REGION=caf\xe9\n").expect("write");
    fs::write(
        dir.path().join("utf16.env"),
        [0xFF, 0xFE, b'A', 0, b'=', 0, b'1', 0],
    )
    .expect("write");
    fs::write(dir.path().join("empty.env"), b"").expect("write");
    let out = run(dir.path(), &[".", "--format", "json"]);
    let v = json(&out);
    let text = all_output(&out);
    assert!(!text.contains("panicked"), "{text}");
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert!(diags.iter().any(|d| d["path"] == "latin1.env"), "{diags:?}");
    assert!(diags.iter().any(|d| d["path"] == "utf16.env"), "{diags:?}");
    assert!(diags.iter().any(|d| d["path"] == ".env"), "{diags:?}");
    assert!(
        codes_at(&v)
            .iter()
            .any(|(p, _, c)| p == ".aws/credentials" && c == "CL307")
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn exit_2_for_usage_and_config_errors() {
    let dir = tree(&[(".credlint.toml", "[rules]\nCL999 = \"off\"\n")]);
    let out = run(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        all_output(&out).contains(".credlint.toml:2"),
        "{}",
        all_output(&out)
    );
    let out = run(dir.path(), &["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(dir.path(), &["explain", "CL999"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_levels_excludes_and_allowlist() {
    let env = format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n");
    let dir = tree(&[
        ("a/.env", env.as_str()),
        ("vendor/.env", env.as_str()),
        (
            ".credlint.toml",
            "exclude = [\"vendor\"]\n[rules]\nCL104 = \"off\"\nCL102 = \"warning\"\n",
        ),
    ]);
    let v = json(&run(dir.path(), &[".", "--format", "json"]));
    let found = codes_at(&v);
    assert!(
        found.iter().all(|(p, _, _)| p.starts_with("a/")),
        "{found:?}"
    );
    assert!(found.iter().all(|(_, _, c)| c != "CL104"), "{found:?}");
    let cl102 = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "CL102")
        .expect("CL102");
    assert_eq!(cl102["level"], "warning");
    fs::write(
        dir.path().join(".credlint.toml"),
        format!("exclude = [\"vendor\"]\n[allowlist]\nkey-ids = [\"{KEY}\"]\n"),
    )
    .expect("write");
    let found = codes_at(&json(&run(dir.path(), &[".", "--format", "json"])));
    assert!(found.iter().all(|(_, _, c)| c != "CL101"), "{found:?}");
}

#[test]
fn inline_suppressions_and_unused_ones() {
    let env = format!(
        "# credlint:ignore CL101, CL104\nAWS_ACCESS_KEY_ID={KEY} # credlint:ignore CL102\nAWS_SECRET_ACCESS_KEY={SECRET} # credlint:ignore hardcoded-secret-key\n# credlint:ignore CL201\nAWS_REGION=x\n"
    );
    let dir = tree(&[(".env", env.as_str())]);
    let found = codes_at(&json(&run(dir.path(), &[".", "--format", "json"])));
    let rules: Vec<&str> = found.iter().map(|(_, _, c)| c.as_str()).collect();
    assert!(
        !rules.contains(&"CL101") && !rules.contains(&"CL102") && !rules.contains(&"CL104"),
        "{found:?}"
    );
    // The CL102 comment on line 2 suppresses nothing there (the secret is on line 3, which
    // has its own), and the CL201 one suppresses nothing at all.
    assert!(
        found.contains(&(".env".into(), 4, "CL603".into())),
        "{found:?}"
    );
}

#[test]
fn baseline_survives_moved_lines_and_lists_stale_entries() {
    let env = format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n");
    let dir = tree(&[
        (".env", env.as_str()),
        (
            "b/.aws/credentials",
            &format!("[dev]\naws_access_key_id = {KEY}\n"),
        ),
    ]);
    let out = run(dir.path(), &["baseline"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let baseline =
        fs::read_to_string(dir.path().join(".credlint-baseline.json")).expect("baseline written");
    assert!(
        !baseline.contains(KEY) && !baseline.contains(SECRET),
        "baseline holds a secret"
    );
    // Insert lines above every finding.
    fs::write(dir.path().join(".env"), format!("# moved\nAPP=1\n\n{env}")).expect("write");
    fs::write(
        dir.path().join("b/.aws/credentials"),
        format!("\n\n[other]\nregion = x\n[dev]\naws_access_key_id = {KEY}\n"),
    )
    .expect("write");
    let out = run(
        dir.path(),
        &[
            ".",
            "--baseline",
            ".credlint-baseline.json",
            "--format",
            "json",
        ],
    );
    let v = json(&out);
    assert_eq!(
        codes_at(&v),
        Vec::<(String, u64, String)>::new(),
        "{}",
        all_output(&out)
    );
    assert_eq!(out.status.code(), Some(0));
    // A new problem is reported; a fixed one is listed as stale.
    fs::write(
        dir.path().join(".env"),
        format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_PROFILE=x\n"),
    )
    .expect("write");
    let v = json(&run(
        dir.path(),
        &[
            ".",
            "--baseline",
            ".credlint-baseline.json",
            "--format",
            "json",
        ],
    ));
    assert!(codes_at(&v).iter().any(|(_, _, c)| c == "CL203"), "{v}");
    assert!(
        !v["baseline_stale"].as_array().expect("stale").is_empty(),
        "{v}"
    );
}

#[test]
fn named_files_are_judged_with_their_surroundings() {
    let dir = tree(&[
        ("app/.env", "AWS_PROFILE=dev\n"),
        (".aws/config", "[dev]\nregion = x\n"),
        (
            "other/.env",
            &format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n"),
        ),
    ]);
    let out = run(dir.path(), &["app/.env", "--format", "json"]);
    let found = codes_at(&json(&out));
    assert_eq!(
        found,
        vec![("app/.env".to_owned(), 1, "CL308".to_owned())],
        "{}",
        all_output(&out)
    );
}

#[test]
fn ignored_credential_files_are_read_and_marked() {
    let dir = tree(&[
        (".gitignore", ".env\nbuild/\n"),
        (".env", &format!("AWS_ACCESS_KEY_ID={KEY}\n")),
        ("build/x.txt", KEY),
    ]);
    let v = json(&run(dir.path(), &[".", "--format", "json"]));
    let cl101: Vec<_> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "CL101")
        .collect();
    assert_eq!(cl101.len(), 1, "{v}");
    assert_eq!(cl101[0]["level"], "warning");
    let files = run(dir.path(), &["files"]);
    let listing = String::from_utf8_lossy(&files.stdout);
    assert!(
        listing.contains(".env\tdotenv\tignored\tparsed"),
        "{listing}"
    );
    assert!(!listing.contains("build/x.txt"), "{listing}");
}

#[test]
fn resolve_reports_every_provider_offline() {
    let dir = tree(&[
        (
            "home/.aws/credentials",
            &format!("[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"),
        ),
        (
            "home/.aws/config",
            "[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\nsource_profile = default\n[profile tool]\ncredential_process = touch /tmp/credlint-must-not-exist\n",
        ),
        (
            "root/etc/boto.cfg",
            "[Credentials]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n",
        ),
    ]);
    let args = [
        "resolve",
        "--no-process-env",
        "--home",
        "home",
        "--root",
        "root",
        "--format",
        "json",
    ];
    let out = run(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let v = json(&out);
    assert_eq!(v["winner"]["method"], "shared-credentials-file");
    assert_eq!(
        v["winner"]["access_key"],
        format!("{}****{}", &KEY[..4], &KEY[16..])
    );
    assert_eq!(v["providers"].as_array().expect("providers").len(), 12);
    let boto = &v["providers"][9];
    assert_eq!(boto["method"], "boto-config");
    assert_eq!(boto["status"], "shadowed");
    let mut with_profile = args.to_vec();
    with_profile.extend(["--profile", "tool"]);
    let v = json(&run(dir.path(), &with_profile));
    assert_eq!(v["winner"]["method"], "custom-process");
    assert!(
        v["winner"]["not_executed"]
            .as_str()
            .expect("not executed")
            .contains("would run")
    );
    assert!(
        !Path::new("/tmp/credlint-must-not-exist").exists(),
        "credential_process was run"
    );
    let mut env = args.to_vec();
    env.extend(["--env", "AWS_PROFILE=nope"]);
    let out = run(dir.path(), &env);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error"]["class"], "ProfileNotFound");
}

#[test]
fn resolve_env_file_loads_as_load_dotenv_and_stops_where_it_raises() {
    let dir = tree(&[
        ("home/.keep", ""),
        // A bare `AWS_PROFILE` after `AWS_PROFILE=dev` leaves it unset, as python-dotenv does.
        (
            "good.env",
            &format!(
                "AWS_PROFILE=dev\r\n\r\nAWS_ACCESS_KEY_ID={KEY} # note\r\nAWS_SECRET_ACCESS_KEY=\"{SECRET}\"\r\nAWS_PROFILE\r\n"
            ),
        ),
    ]);
    fs::write(
        dir.path().join("bad.env"),
        b"AWS_ACCESS_KEY_ID=x\nAWS_REGION=caf\xe9\n",
    )
    .expect("write");
    let base = ["resolve", "--no-process-env", "--home", "home"];
    let mut good = base.to_vec();
    good.extend(["--env-file", "good.env"]);
    let out = run(dir.path(), &good);
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("good.env:3 ($AWS_ACCESS_KEY_ID)"), "{text}");
    assert!(!text.contains("profile `dev`"), "{text}");
    // python-dotenv raises UnicodeDecodeError: the program would stop before botocore runs.
    let mut bad = base.to_vec();
    bad.extend(["--env-file", "bad.env"]);
    let out = run(dir.path(), &bad);
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("bad.env:2: ") && text.contains("UnicodeDecodeError"),
        "{text}"
    );
}

/// A finding as seen from one working directory: line, column, rule, level, message.
type Seen = (u64, u64, String, String, String);

/// The same named file gives the same findings whatever the working directory, shown as
/// it was typed (never with a trailing slash), with notes about that file alone.
#[test]
fn named_files_give_the_same_findings_from_anywhere() {
    let top = tempfile::tempdir().expect("tempdir");
    let proj = top.path().join("proj");
    let env = format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\nAWS_PROFILE=dev\n");
    let files: &[(&str, &[u8])] = &[
        ("proj/.env", env.as_bytes()),
        ("proj/.aws/config", b"[profile dev]\nregion = eu-west-1\n"),
        ("proj/sub/keep.txt", b"nothing\n"),
        // Odd files that were not asked about: no notes for them.
        ("proj/fixtures/bom.env", b"\xef\xbb\xbfAWS_REGION=x\n"),
        ("proj/fixtures/utf16.env", b"\xff\xfeA\x00=\x001\x00"),
        ("unrelated/latin1.env", b"AWS_REGION=caf\xe9\n"),
    ];
    for (path, bytes) in files {
        let p = top.path().join(path);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, bytes).expect("write");
    }
    fs::create_dir(proj.join(".git")).expect(".git");
    let absolute = proj.join(".env");
    let cases: Vec<(PathBuf, String)> = vec![
        (proj.clone(), ".env".into()),
        (proj.clone(), "./.env".into()),
        (top.path().to_path_buf(), "proj/.env".into()),
        (proj.join("sub"), "../.env".into()),
        (PathBuf::from("/"), absolute.display().to_string()),
    ];
    let mut seen: Option<Vec<Seen>> = None;
    for (cwd, arg) in &cases {
        let out = run(cwd, &[arg, "--format", "json"]);
        let v = json(&out);
        assert!(
            v["diagnostics"].as_array().expect("diagnostics").is_empty(),
            "{arg} from {}: {v}",
            cwd.display()
        );
        let shown = arg.trim_start_matches("./");
        let mut found = Vec::new();
        for f in v["findings"].as_array().expect("findings") {
            assert_eq!(f["path"], shown, "{arg} from {}", cwd.display());
            found.push((
                f["start"]["line"].as_u64().expect("line"),
                f["start"]["column"].as_u64().expect("column"),
                f["rule"].as_str().expect("rule").to_owned(),
                f["level"].as_str().expect("level").to_owned(),
                f["message"]
                    .as_str()
                    .expect("message")
                    .replace(shown, "<path>"),
            ));
        }
        assert!(
            found.iter().any(|(_, _, r, _, _)| r == "CL104"),
            "{arg} from {}: {found:?}",
            cwd.display()
        );
        assert!(
            found.iter().any(|(_, _, r, _, _)| r == "CL301"),
            "{arg} from {}: {found:?}",
            cwd.display()
        );
        match &seen {
            None => seen = Some(found),
            Some(first) => assert_eq!(first, &found, "{arg} from {}", cwd.display()),
        }
        // Every format shows the path as typed.
        let concise = run(cwd, &[arg, "--format", "concise"]);
        let text = String::from_utf8_lossy(&concise.stdout);
        assert!(
            text.lines().all(|l| l.starts_with(&format!("{shown}:"))),
            "{text}"
        );
        let github = run(cwd, &[arg, "--format", "github"]);
        let text = String::from_utf8_lossy(&github.stdout);
        assert!(text.contains(&format!("file={shown},")), "{text}");
        assert!(!text.contains(&format!("{shown}/")), "{text}");
    }
}

/// Outside any work tree a named file's context is its own folder, not the folders below.
#[test]
fn outside_a_repository_the_context_is_the_files_folder() {
    let top = tempfile::tempdir().expect("tempdir");
    let d = top.path();
    for (path, text) in [
        ("a/app.env", "AWS_PROFILE=dev\n"),
        ("a/.aws/config", "[profile dev]\nregion = x\n"),
        ("b/app.env", "AWS_PROFILE=dev\n"),
        ("b/.aws/config", "[profile other]\nregion = x\n"),
        ("b/deep/.aws/config", "[profile dev]\nregion = x\n"),
    ] {
        let p = d.join(path);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }
    let a = codes_at(&json(&run(d, &["a/app.env", "--format", "json"])));
    assert!(a.is_empty(), "{a:?}");
    let b = codes_at(&json(&run(d, &["b/app.env", "--format", "json"])));
    assert_eq!(b, vec![("b/app.env".to_owned(), 1, "CL308".to_owned())]);
}

#[test]
fn excludes_apply_to_named_files_with_force_exclude() {
    let dir = tree(&[
        (".credlint.toml", "exclude = [\"generated/**\"]\n"),
        (
            "generated/.env",
            &format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n"),
        ),
    ]);
    let named = codes_at(&json(&run(
        dir.path(),
        &["generated/.env", "--format", "json"],
    )));
    assert!(named.iter().any(|(_, _, c)| c == "CL101"), "{named:?}");
    let forced = run(
        dir.path(),
        &["generated/.env", "--force-exclude", "--format", "json"],
    );
    assert!(
        codes_at(&json(&forced)).is_empty(),
        "{}",
        all_output(&forced)
    );
    assert_eq!(forced.status.code(), Some(0));
    fs::write(
        dir.path().join(".credlint.toml"),
        "exclude = [\"generated/**\"]\nforce-exclude = true\n",
    )
    .expect("write");
    let configured = codes_at(&json(&run(
        dir.path(),
        &["generated/.env", "--format", "json"],
    )));
    assert!(configured.is_empty(), "{configured:?}");
    // The walk of a directory excludes as before.
    assert!(codes_at(&json(&run(dir.path(), &[".", "--format", "json"]))).is_empty());
}

/// Git's truth: `.ignore` is not a git file, and a tracked file stays committed whatever
/// `.gitignore` says later.
#[test]
fn git_status_follows_git_not_ignore_files() {
    let git = |dir: &Path, args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let pair = format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n");
    fs::write(d.join(".ignore"), "local.env\n").expect("write");
    fs::write(d.join("local.env"), &pair).expect("write");
    fs::write(d.join("tracked.env"), &pair).expect("write");
    git(d, &["init", "-q"]);
    git(d, &["add", "tracked.env"]);
    fs::write(d.join(".gitignore"), "tracked.env\n").expect("write");
    let v = json(&run(d, &[".", "--format", "json"]));
    let findings = v["findings"].as_array().expect("findings");
    let level = |path: &str, rule: &str| {
        findings
            .iter()
            .find(|f| f["path"] == path && f["rule"] == rule)
            .map(|f| f["level"].as_str().expect("level").to_owned())
    };
    assert_eq!(level("local.env", "CL104").as_deref(), Some("error"), "{v}");
    assert_eq!(level("local.env", "CL101").as_deref(), Some("error"), "{v}");
    assert_eq!(
        level("tracked.env", "CL104").as_deref(),
        Some("error"),
        "{v}"
    );
    assert_eq!(
        level("tracked.env", "CL101").as_deref(),
        Some("error"),
        "{v}"
    );
    let listing = run(d, &["files"]);
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.contains("tracked.env\tdotenv\ttracked\tparsed"),
        "{listing}"
    );
    assert!(
        listing.contains("local.env\tdotenv\tcommittable\tparsed"),
        "{listing}"
    );
}

/// An ignored folder named on the command line is read; one whose contents git ignores
/// (a virtualenv's own `.gitignore` says `*`) gets a note saying how to read it.
#[test]
fn named_ignored_folders_are_read_or_explained() {
    let dir = tree(&[
        (".gitignore", "build/\n"),
        ("build/keys.txt", KEY),
        (".venv/.gitignore", "*\n"),
        (".venv/lib/keys.txt", KEY),
    ]);
    let build = codes_at(&json(&run(dir.path(), &["build", "--format", "json"])));
    assert_eq!(
        build,
        vec![("build/keys.txt".to_owned(), 1, "CL101".to_owned())]
    );
    let venv = run(dir.path(), &[".venv", "--format", "concise"]);
    let text = all_output(&venv);
    assert!(text.contains(".venv: nothing read: git ignores"), "{text}");
    assert!(text.contains("--no-ignore"), "{text}");
    let forced = codes_at(&json(&run(
        dir.path(),
        &[".venv", "--no-ignore", "--format", "json"],
    )));
    assert_eq!(forced.len(), 1, "{forced:?}");
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<(PathBuf, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect();
    all.sort();
    all
}

/// `credlint fix`: byte-exact edits that keep every other byte, `--diff` that writes
/// nothing, a re-scan clean of the fixed codes, and nothing to do the second time.
#[test]
fn fix_edits_exactly_once_and_diff_writes_nothing() {
    let credentials = format!(
        "# team keys\r\n[profile dev]\r\naws_access_key_id = {KEY}\r\naws_secret_access_key = {SECRET}\r\n"
    );
    let dir = tree(&[
        (".aws/credentials", &credentials),
        (
            ".aws/config",
            "[default]\nregion = eu-west-1\n\n[ci]   \nregion = us-east-1 ; kept\n",
        ),
        (
            "app/.env",
            &format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n"),
        ),
        ("app/.gitignore", "node_modules"),
    ]);
    let before = snapshot(dir.path());
    let diff = run(dir.path(), &["--diff"]);
    assert_eq!(diff.status.code(), Some(1), "{}", all_output(&diff));
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(text.contains("-[profile dev]\r\n+[dev]\r\n"), "{text}");
    assert!(text.contains("-[ci]   \n+[profile ci]   \n"), "{text}");
    assert!(!text.contains(KEY) && !text.contains(SECRET), "{text}");
    assert!(text.contains("+/.env\n"), "{text}");
    assert!(text.contains("--- /dev/null\n+++ b/.gitignore\n"), "{text}");
    assert_eq!(snapshot(dir.path()), before, "--diff wrote to disk");

    let fixed = run(dir.path(), &["fix", "--format", "json"]);
    let v = json(&fixed);
    let left: Vec<_> = codes_at(&v).into_iter().map(|(_, _, c)| c).collect();
    for code in ["CL303", "CL304", "CL104"] {
        assert!(!left.iter().any(|c| c == code), "{code} left: {left:?}");
    }
    let read = |p: &str| fs::read_to_string(dir.path().join(p)).expect("read");
    assert_eq!(
        read(".aws/credentials"),
        credentials.replace("[profile dev]", "[dev]")
    );
    assert_eq!(
        read(".aws/config"),
        "[default]\nregion = eu-west-1\n\n[profile ci]   \nregion = us-east-1 ; kept\n"
    );
    assert_eq!(read("app/.gitignore"), "node_modules\n/.env\n");
    assert_eq!(read(".gitignore"), "/.aws/credentials\n");
    assert!(
        all_output(&fixed).contains("fixed"),
        "{}",
        all_output(&fixed)
    );

    let after = snapshot(dir.path());
    let again = run(dir.path(), &["fix"]);
    assert_eq!(snapshot(dir.path()), after, "a second fix changed files");
    assert!(
        all_output(&again).contains("fixed 0 finding(s)"),
        "{}",
        all_output(&again)
    );
    let diff = run(dir.path(), &["--diff"]);
    assert_eq!(diff.status.code(), Some(0), "{}", all_output(&diff));
    assert!(diff.stdout.is_empty());
}

/// A file botocore cannot parse is never edited, and the finding says why.
#[test]
fn fix_leaves_unparsable_files_alone() {
    let config = "[default]\nregion = a\n[default]\nregion = b\n[ci]\nregion = c\n";
    let dir = tree(&[(".aws/config", config)]);
    let out = run(dir.path(), &["fix", "--format", "concise"]);
    let text = all_output(&out);
    assert!(text.contains("CL307"), "{text}");
    assert!(
        text.contains("[ci] in a config file is not a profile")
            && text.contains("no automatic fix"),
        "{text}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join(".aws/config")).expect("read"),
        config
    );
    // A rename onto a name that exists is not the one right answer either.
    let both = "[ci]\nregion = a\n[profile ci]\nregion = b\n";
    fs::write(dir.path().join(".aws/config"), both).expect("write");
    let v = json(&run(dir.path(), &[".", "--format", "json"]));
    let cl304 = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "CL304")
        .expect("CL304");
    assert!(cl304["fix"].is_null(), "{cl304}");
    assert!(
        cl304["message"]
            .as_str()
            .expect("message")
            .contains("merge the two by hand")
    );
}

#[test]
fn usage_line_reads_naturally_after_a_bad_flag() {
    let dir = tree(&[]);
    for args in [
        &["--bogus"][..],
        &["--format", "json", "--bogus"],
        &[".", "--bogus"],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("Usage: credlint [OPTIONS] [PATHS]..."),
            "{args:?}: {err}"
        );
        assert!(
            !err.contains("--format <FORMAT> [PATHS]"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn rules_are_listed_in_code_order_and_human_output_points_to_explain() {
    let dir = tree(&[(".env", &format!("AWS_ACCESS_KEY_ID={KEY}\n"))]);
    let out = run(dir.path(), &["rules"]);
    let codes: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
    assert!(codes.contains(&"CL601".to_owned()));
    let out = run(dir.path(), &["."]);
    let text = String::from_utf8_lossy(&out.stdout);
    // The code of the first finding shown, as an example.
    assert!(text.contains("`credlint explain CL104`"), "{text}");
    // Only once, under the summary.
    assert_eq!(text.matches("credlint explain").count(), 1, "{text}");
    let clean = tree(&[]);
    let text = String::from_utf8_lossy(&run(clean.path(), &["."]).stdout).into_owned();
    assert!(!text.contains("credlint explain"), "{text}");
}

#[test]
fn resolve_refuses_a_missing_home_or_root() {
    let dir = tree(&[("file", "")]);
    for (flag, value, why) in [
        ("--home", "nonexistent", "does not exist"),
        ("--root", "nonexistent", "does not exist"),
        ("--home", "file", "is not a directory"),
    ] {
        let out = run(dir.path(), &["resolve", "--no-process-env", flag, value]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{flag} {value}: {why}")), "{err}");
    }
}

/// CL601 on a home directory outside any repository, and the same file in `resolve`.
#[cfg(unix)]
#[test]
fn credential_files_readable_by_others_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    fs::create_dir_all(home.join(".aws")).expect("mkdir");
    let creds = home.join(".aws/credentials");
    fs::write(
        &creds,
        format!("[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"),
    )
    .expect("write");
    fs::write(home.join(".aws/config"), "[default]\nregion = eu-west-1\n").expect("write");
    let chmod = |mode| {
        fs::set_permissions(&creds, fs::Permissions::from_mode(mode)).expect("chmod");
        fs::set_permissions(home.join(".aws/config"), fs::Permissions::from_mode(0o644))
            .expect("chmod");
    };
    let resolve = ["resolve", "--no-process-env", "--home", "home"];
    chmod(0o640);
    let found = codes_at(&json(&run(&home, &[".", "--format", "json"])));
    assert!(
        found.contains(&(".aws/credentials".into(), 2, "CL601".into())),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(p, _, c)| p == ".aws/config" && c == "CL601")
    );
    let out = run(dir.path(), &resolve);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warning: ~/.aws/credentials holds credentials and its group or other users can read it (mode 0640)"),
        "{text}"
    );
    let v = json(&run(
        dir.path(),
        &[&resolve[..], &["--format", "json"]].concat(),
    ));
    assert_eq!(
        v["readable_by_others"],
        serde_json::json!([{"path": "~/.aws/credentials", "mode": "0640"}])
    );
    chmod(0o600);
    let found = codes_at(&json(&run(&home, &[".", "--format", "json"])));
    assert!(!found.iter().any(|(_, _, c)| c == "CL601"), "{found:?}");
    let v = json(&run(
        dir.path(),
        &[&resolve[..], &["--format", "json"]].concat(),
    ));
    assert_eq!(v["readable_by_others"], serde_json::json!([]));
    let text = String::from_utf8_lossy(&run(dir.path(), &resolve).stdout).into_owned();
    assert!(!text.contains("CL601"), "{text}");
}

#[test]
fn hygiene_rules_are_not_security_alerts_in_sarif() {
    let dir = tree(&[(".env", "# credlint:ignore CL101\nAWS_REGION=eu-west-1\n")]);
    let v = json(&run(dir.path(), &[".", "--format", "sarif"]));
    let rules = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let rule = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))["properties"]
            .clone()
    };
    let cl603 = rule("CL603");
    assert!(cl603.get("security-severity").is_none(), "{cl603}");
    assert!(
        !cl603["tags"]
            .as_array()
            .expect("tags")
            .contains(&"security".into())
    );
    let cl101 = rule("CL101");
    assert!(
        cl101["tags"]
            .as_array()
            .expect("tags")
            .contains(&"security".into())
    );
    for r in rules {
        if let Some(s) = r["properties"]["security-severity"].as_str() {
            let s: f64 = s.parse().expect("number");
            assert!((0.1..=10.0).contains(&s), "{}: {s}", r["id"]);
        }
    }
}

/// `CloudFormation` logical ids (CDK's are long: a path and a hash) are names, never masked
/// as if they were secrets.
#[test]
fn logical_ids_in_messages_are_not_masked() {
    let id = "ServiceTaskDefinitionExecutionRoleDefaultPolicy8C5E0B6F5E2A0E";
    let template = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  {id}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: '*'\n            Action: sts:AssumeRole\n"
    );
    let dir = tree(&[("template.yaml", &template)]);
    for format in ["json", "concise", "human", "github", "sarif"] {
        let out = run(dir.path(), &[".", "--format", format]);
        let text = all_output(&out);
        assert!(text.contains("CL501"), "{format}: {text}");
        assert!(
            text.contains(&format!("{id}: any principal")),
            "{format}: {text}"
        );
        assert!(!text.contains("****"), "{format}: {text}");
    }
}

/// Test code (`tests/`, `testdata/`, `*_test.go`, …) holds made-up keys and deliberately
/// broken set-ups: only a complete credential that looks real is reported there, the
/// summary says how many findings were left out, `--include-tests` shows them, and a test
/// file named on the command line is judged like any other file.
#[test]
fn test_code_reports_only_real_looking_credentials() {
    // Made up for this test.
    const LONE: &str = "AKIA7AWFNLGNXLVBXEXL";
    const PAIR: &str = "AKIAYA5ZMASRK7CMFBQM";
    const PAIR_SECRET: &str = "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";
    let dir = tree(&[
        ("tests/test_upload.py", &format!("KEY_ID = \"{LONE}\"\n")),
        ("pkg/detect_test.go", &format!("var id = \"{LONE}\"\n")),
        ("tests/fixtures/.aws/config", "[dev]\nregion = eu-west-1\n"),
        (
            "tests/integration/test_leak.py",
            &format!("ID = \"{PAIR}\"\nAWS_SECRET_ACCESS_KEY = \"{PAIR_SECRET}\"\n"),
        ),
        ("src/app.py", &format!("KEY_ID = \"{LONE}\"\n")),
    ]);
    let out = run(dir.path(), &[".", "--format", "json"]);
    let v = json(&out);
    let got = codes_at(&v);
    assert_eq!(
        got,
        vec![
            ("src/app.py".to_owned(), 1, "CL101".to_owned()),
            (
                "tests/integration/test_leak.py".to_owned(),
                1,
                "CL101".to_owned()
            ),
            (
                "tests/integration/test_leak.py".to_owned(),
                2,
                "CL102".to_owned()
            ),
        ],
        "{}",
        all_output(&out)
    );
    assert_eq!(
        v["summary"]["in_tests_not_shown"],
        3,
        "{}",
        all_output(&out)
    );
    let human = run(dir.path(), &["."]);
    assert!(
        all_output(&human).contains("(3 findings in test code not shown: --include-tests)"),
        "{}",
        all_output(&human)
    );
    let all = json(&run(
        dir.path(),
        &[".", "--format", "json", "--include-tests"],
    ));
    assert_eq!(codes_at(&all).len(), 6, "{all}");
    assert_eq!(all["summary"]["in_tests_not_shown"], 0);
    // The same from the config file.
    fs::write(dir.path().join(".credlint.toml"), "include-tests = true\n").expect("write");
    let cfg = json(&run(dir.path(), &[".", "--format", "json"]));
    assert_eq!(codes_at(&cfg).len(), 6, "{cfg}");
    fs::remove_file(dir.path().join(".credlint.toml")).expect("rm");
    // A directory named below `tests/` is the user's subject: only the part below it counts.
    let sub = json(&run(dir.path(), &["tests/fixtures", "--format", "json"]));
    assert_eq!(
        codes_at(&sub),
        vec![(
            "tests/fixtures/.aws/config".to_owned(),
            1,
            "CL304".to_owned()
        )],
        "{sub}"
    );
    // A file named on the command line is judged in full.
    let named = json(&run(
        dir.path(),
        &["tests/test_upload.py", "--format", "json"],
    ));
    assert_eq!(
        codes_at(&named),
        vec![("tests/test_upload.py".to_owned(), 1, "CL101".to_owned())],
        "{named}"
    );
}

/// Key ids that are not credentials in use: AWS's documented examples with an altered tail
/// (test suites do this to get past scanners), and the key id of a presigned URL, which
/// carries a signature for one request and never the secret.
#[test]
fn altered_examples_and_presigned_urls_are_not_keys() {
    let dir = tree(&[
        (
            "deploy/env.sh",
            "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPL3\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMAAAKEY\n",
        ),
        (
            "docs/download.md",
            "curl 'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA7AWFNLGNXLVBXEXL%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=ab12'\ncurl 'https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIAYA5ZMASRK7CMFBQM&Expires=1700000000&Signature=x'\n",
        ),
    ]);
    let out = run(dir.path(), &[".", "--format", "json"]);
    assert_no_findings(&out);
    // The same key id outside a URL is a key.
    let plain = tree(&[("docs/download.md", "id: AKIA7AWFNLGNXLVBXEXL\n")]);
    let out = run(plain.path(), &[".", "--format", "json"]);
    assert_eq!(codes_at(&json(&out)).len(), 1, "{}", all_output(&out));
}

/// The AWS CLI v2 reads `AWS_PROFILE` before `AWS_DEFAULT_PROFILE` and has no login
/// provider; botocore reads `AWS_DEFAULT_PROFILE` first (`tests/differential/run_sdk.py` checks
/// both against the real CLI).
#[test]
fn resolve_cli_v2_picks_aws_profile_first_and_names_its_sdk() {
    let dir = tree(&[(
        "home/.aws/config",
        "[profile a]\nlogin_session = arn:aws:iam::111122223333:user/me\ncredential_process = /opt/x\n[profile b]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = a\n",
    )]);
    let base = [
        "resolve",
        "--no-process-env",
        "--home",
        "home",
        "--env=AWS_DEFAULT_PROFILE=a",
        "--env=AWS_PROFILE=b",
        "--format",
        "json",
    ];
    let botocore = json(&run(dir.path(), &base));
    assert_eq!(botocore["profile"]["name"], "a");
    assert_eq!(botocore["error"]["class"], "MissingDependencyException");
    assert!(botocore.get("sdk").is_none());
    let mut args = base.to_vec();
    args.extend(["--sdk", "cli-v2"]);
    let cli = json(&run(dir.path(), &args));
    assert_eq!(cli["sdk"], "cli-v2");
    assert_eq!(cli["profile"]["name"], "b");
    assert_eq!(cli["profile"]["source"], "AWS_PROFILE");
    assert_eq!(cli["winner"]["method"], "assume-role");
    let methods = provider_field(&cli, "method");
    assert!(!methods.contains(&"login"), "{methods:?}");
}

/// `resolve --sdk all`: a `.env` with keys and `AWS_PROFILE` (a polyglot repository's) gives
/// the keys to botocore, the CLI v2 and Go v2, the profile to JavaScript v3, and says so.
#[test]
fn resolve_sdk_all_shows_where_the_sdks_part_ways() {
    let dir = tree(&[
        (
            "home/.aws/credentials",
            "[b]\naws_access_key_id = AKIAFAKEQQQQQQQQQQQ4\naws_secret_access_key = FAKEsecret0000000000000000000000000000000\n",
        ),
        (
            ".env",
            "AWS_ACCESS_KEY_ID=AKIAFAKEQQQQQQQQQQQ1\nAWS_SECRET_ACCESS_KEY=FAKEsecret0000000000000000000000000000001\nAWS_PROFILE=b\n",
        ),
    ]);
    let base = [
        "resolve",
        "--sdk",
        "all",
        "--no-process-env",
        "--home",
        "home",
        "--env-file",
        ".env",
    ];
    let mut args = base.to_vec();
    args.extend(["--format", "json"]);
    let out = run(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let v = json(&out);
    let sdks = v["sdks"].as_array().expect("sdks");
    let names: Vec<&str> = sdks.iter().filter_map(|s| s["sdk"].as_str()).collect();
    assert_eq!(names, ["botocore", "cli-v2", "js-v3", "go-v2", "rust"]);
    for s in [&sdks[0], &sdks[1], &sdks[3], &sdks[4]] {
        assert_eq!(s["method"], "env");
        assert_eq!(s["access_key"], "AKIA****QQQ1");
        assert!(s["parts_from_botocore"].is_null());
    }
    assert_eq!(sdks[2]["method"], "profile");
    assert_eq!(sdks[2]["access_key"], "AKIA****QQQ4");
    assert_eq!(sdks[2]["parts_from_botocore"], "fromIni (botocore: env)");
    let text = all_output(&run(dir.path(), &base));
    assert!(text.contains("the SDKs disagree"), "{text}");
    assert!(!text.contains("FAKEsecret"), "{text}");
}

/// `resolve --sdk go-v2`: Go loads the shared files before it looks at the environment, so
/// a file its ini parser refuses (`[]`) fails `LoadDefaultConfig` even with env keys set; a
/// profile named in code beats env keys.
#[test]
fn resolve_sdk_go_v2_loads_files_first_and_prefers_a_profile_in_code() {
    let keys = "AWS_ACCESS_KEY_ID=AKIAFAKEQQQQQQQQQQQ1\nAWS_SECRET_ACCESS_KEY=FAKEsecret0000000000000000000000000000001\n";
    let creds = "[dev]\naws_access_key_id = AKIAFAKEQQQQQQQQQQQ2\naws_secret_access_key = FAKEsecret0000000000000000000000000000002\n";
    let go = |files: &[(&str, &str)], extra: &[&str]| resolve_sdk("go-v2", files, extra).1;
    let broken = go(&[(".env", keys), ("home/.aws/config", "[]\n")], &[]);
    assert_eq!(broken["sdk"], "go-v2");
    assert_eq!(broken["error"]["class"], "SharedConfigLoadError");
    assert!(broken["winner"].is_null());
    let env = go(&[(".env", keys), ("home/.aws/credentials", creds)], &[]);
    assert_eq!(env["winner"]["method"], "env");
    assert_eq!(env["winner"]["access_key"], "AKIA****QQQ1");
    let in_code = go(
        &[(".env", keys), ("home/.aws/credentials", creds)],
        &["--profile", "dev"],
    );
    assert_eq!(in_code["winner"]["method"], "profile");
    assert_eq!(in_code["winner"]["access_key"], "AKIA****QQQ2");
}

/// `resolve --sdk rust`: aws-config's Environment provider runs first even with a profile
/// named in code; a profile file the parser refuses (`key: value`) stops the chain with
/// `InvalidConfiguration`, but only after the env keys had their turn; a role whose source
/// profile is missing passes (`CredentialsNotLoaded`) rather than failing.
#[test]
fn resolve_sdk_rust_env_first_and_parse_errors_stop_the_chain() {
    let keys = "AWS_ACCESS_KEY_ID=AKIAFAKEQQQQQQQQQQQ1\nAWS_SECRET_ACCESS_KEY=FAKEsecret0000000000000000000000000000001\n";
    let creds = "[dev]\naws_access_key_id = AKIAFAKEQQQQQQQQQQQ2\naws_secret_access_key = FAKEsecret0000000000000000000000000000002\n";
    let rust = |files: &[(&str, &str)], extra: &[&str]| {
        resolve_sdk(
            "rust",
            files,
            &[&["--env=AWS_EC2_METADATA_DISABLED=true"], extra].concat(),
        )
    };
    let (code, in_code) = rust(
        &[(".env", keys), ("home/.aws/credentials", creds)],
        &["--profile", "dev"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(in_code["sdk"], "rust");
    assert_eq!(in_code["profile"], "dev");
    assert_eq!(in_code["winner"]["method"], "env");
    assert_eq!(in_code["winner"]["access_key"], "AKIA****QQQ1");
    let (_, profile) = rust(
        &[(".env", ""), ("home/.aws/credentials", creds)],
        &["--profile", "dev"],
    );
    assert_eq!(profile["winner"]["method"], "profile");
    assert_eq!(profile["winner"]["access_key"], "AKIA****QQQ2");
    let broken = "[dev]\naws_access_key_id: AKIAFAKEQQQQQQQQQQQ2\n";
    let (_, env_first) = rust(&[(".env", keys), ("home/.aws/credentials", broken)], &[]);
    assert_eq!(env_first["winner"]["method"], "env");
    let (code, stopped) = rust(
        &[(".env", ""), ("home/.aws/credentials", broken)],
        &["--profile", "dev"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(stopped["error"]["class"], "InvalidConfiguration");
    let steps = provider_field(&stopped, "status");
    assert_eq!(
        steps,
        [
            "passes",
            "raises",
            "not-reached",
            "not-reached",
            "not-reached"
        ]
    );
    let role =
        "[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = gone\n";
    let (_, missing) = rust(
        &[(".env", ""), ("home/.aws/config", role)],
        &["--profile", "dev"],
    );
    assert_eq!(missing["error"]["class"], "CredentialsNotLoaded");
    let dir = tree(&[(".env", keys)]);
    let refused = run(
        dir.path(),
        &[
            "resolve",
            "--sdk",
            "rust",
            "--no-process-env",
            "--env-file",
            ".env",
            "--service",
            "bedrock-runtime",
        ],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", all_output(&refused));
    assert!(
        all_output(&refused).contains("not modelled for --sdk rust"),
        "{}",
        all_output(&refused)
    );
}

/// CL301 names the SDKs the tree uses: with a `package.json` on `@aws-sdk/*` beside
/// Python on boto3, the finding says botocore takes the `.env` keys and JavaScript v3 skips
/// them; with JavaScript alone it speaks for JavaScript.
#[test]
fn env_overrides_profile_names_the_sdks_of_the_tree() {
    let env = "AWS_PROFILE=dev\nAWS_ACCESS_KEY_ID=AKIAFAKEQQQQQQQQQQQ1\nAWS_SECRET_ACCESS_KEY=FAKEsecret0000000000000000000000000000001\n";
    let package = "{\"dependencies\": {\"@aws-sdk/client-s3\": \"^3.600.0\"}}\n";
    let message = |files: &[(&str, &str)]| {
        let dir = tree(files);
        std::fs::create_dir_all(dir.path().join(".git")).expect(".git");
        let out = run(dir.path(), &[".", "--format", "json"]);
        let v = json(&out);
        let findings = v["findings"].as_array().expect("findings").clone();
        let cl301: Vec<String> = findings
            .iter()
            .filter(|f| f["rule"] == "CL301")
            .filter_map(|f| f["message"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(cl301.len(), 1, "{cl301:?}");
        cl301[0].clone()
    };
    let both = message(&[
        (".env", env),
        ("package.json", package),
        ("requirements.txt", "boto3==1.34.0\n"),
    ]);
    assert!(both.contains("botocore's env provider wins"), "{both}");
    assert!(
        both.contains("JavaScript v3 SDK this tree also uses (package.json) does the opposite"),
        "{both}"
    );
    let js = message(&[(".env", env), ("package.json", package)]);
    assert!(
        js.starts_with("AWS_PROFILE=dev and AWS_ACCESS_KEY_ID are set in the same file: the JavaScript v3 SDK this tree uses (package.json) skips the env keys"),
        "{js}"
    );
    let python = message(&[(".env", env), ("requirements.txt", "boto3\n")]);
    assert!(!python.contains("JavaScript"), "{python}");
}

#[test]
fn allow_settings_quiets_unknown_settings_of_ones_own_tools() {
    let config = "[profile dev]\nregion = eu-west-1\nokta_profile = dev\nregoin = eu-west-1\n";
    let dir = tree(&[(".aws/config", config)]);
    let before = codes_at(&json(&run(dir.path(), &[".", "--format", "json"])));
    assert_eq!(
        before,
        vec![
            (".aws/config".to_owned(), 3, "CL313".to_owned()),
            (".aws/config".to_owned(), 4, "CL313".to_owned()),
        ]
    );
    fs::write(
        dir.path().join(".credlint.toml"),
        "allow-settings = [\"okta_profile\"]\n",
    )
    .expect("write");
    let after = codes_at(&json(&run(dir.path(), &[".", "--format", "json"])));
    assert_eq!(
        after,
        vec![(".aws/config".to_owned(), 4, "CL313".to_owned())]
    );
}

/// CL406 reads test code like any other file: a `conftest.py` that assumes a role by hand
/// with the keys of a `.env` is how the project's tests get credentials. The same code fed
/// by the default chain (no keys of the project's own) is the documented way to reach a
/// role, and stays quiet.
#[test]
fn hand_rolled_assume_role_in_a_conftest_is_reported() {
    const CONFTEST: &str = "import boto3\nfrom dotenv import load_dotenv\n\nload_dotenv()\nsts = boto3.client(\"sts\")\nr = sts.assume_role(RoleArn=\"arn:aws:iam::111122223333:role/dev\", RoleSessionName=\"t\")\nc = r[\"Credentials\"]\ns3 = boto3.client(\"s3\", aws_access_key_id=c[\"AccessKeyId\"], aws_secret_access_key=c[\"SecretAccessKey\"], aws_session_token=c[\"SessionToken\"])\n";
    let with_keys = tree(&[
        (
            ".env",
            &format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n"),
        ),
        ("tests/conftest.py", CONFTEST),
    ]);
    let v = json(&run(with_keys.path(), &[".", "--format", "json"]));
    assert!(
        codes_at(&v).contains(&("tests/conftest.py".to_owned(), 6, "CL406".to_owned())),
        "{v}"
    );
    let default_chain = tree(&[("app/report.py", CONFTEST)]);
    let v = json(&run(default_chain.path(), &[".", "--format", "json"]));
    assert!(!codes_at(&v).iter().any(|(_, _, c)| c == "CL406"), "{v}");
}

#[test]
fn profile_variable_conflict_names_what_each_sdk_of_the_tree_picks() {
    let env = ".env";
    let text = "AWS_DEFAULT_PROFILE=prod\nAWS_PROFILE=dev\n";
    let message = |files: &[(&str, &str)]| {
        let dir = tree(files);
        let v = json(&run(dir.path(), &[".", "--format", "json"]));
        let found = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == "CL310");
        found.expect("a CL310 finding")["message"]
            .as_str()
            .expect("message")
            .to_owned()
    };
    let alone = message(&[(env, text)]);
    assert!(alone.contains("boto3 and AWS CLI v1 use `prod`"), "{alone}");
    let polyglot = message(&[
        (env, text),
        ("requirements.txt", "boto3==1.34\n"),
        (
            "web/package.json",
            r#"{"dependencies": {"@aws-sdk/client-s3": "^3"}}"#,
        ),
    ]);
    assert!(
        polyglot.contains("boto3 (requirements.txt) uses `prod`"),
        "{polyglot}"
    );
    assert!(
        polyglot.contains("the JavaScript v3 SDK (web/package.json) uses `dev`"),
        "{polyglot}"
    );
    let js_only = message(&[
        (env, text),
        (
            "package.json",
            r#"{"dependencies": {"@aws-sdk/client-s3": "^3"}}"#,
        ),
    ]);
    assert!(
        js_only.contains("the JavaScript v3 SDK (package.json) uses `dev`")
            && js_only.contains("boto3 and the AWS CLI v1 would use `prod`"),
        "{js_only}"
    );
}

#[test]
fn resolve_js_v3_service_shows_the_bearer_token_and_what_outranks_it() {
    let dir = tree(&[(
        "home/.aws/config",
        "[default]\nauth_scheme_preference = sigv4\n",
    )]);
    // A generated, fake Bedrock API key shape.
    let token = "ABSKQmVkcm9ja0FQSUtleS0xMjM0LWF0LTEyMzQ1Njc4OTAxMjp4eHh4eHh4eD0=";
    let token_env = format!("AWS_BEARER_TOKEN_BEDROCK={token}");
    let client = [
        "resolve",
        "--sdk",
        "js-v3",
        "--no-process-env",
        "--home",
        "home",
        "--service",
        "bedrock-runtime",
    ];
    let base = [
        &client[..],
        &["--env", "AWS_PROFILE=nope", "--env", &token_env],
    ]
    .concat();
    // The token outranks the file's preference, and the failing chain is not run.
    let out = run(dir.path(), &[&base[..], &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let v = json(&out);
    assert_eq!(v["client"]["scheme"], "bearer");
    assert_eq!(v["client"]["token"], "ABSK****eD0=");
    assert_eq!(v["error"]["class"], "CredentialsProviderError");
    let human = run(dir.path(), &base);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("sends the bearer token [ABSK****eD0=] from $AWS_BEARER_TOKEN_BEDROCK"),
        "{text}"
    );
    assert!(
        !all_output(&human).contains(token),
        "the token is shown whole"
    );
    // A preference set in code, even an empty one, outranks the token.
    let out = run(
        dir.path(),
        &[
            &base[..],
            &["--auth-scheme-preference=", "--format", "json"],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert_eq!(json(&out)["client"]["scheme"], "sigv4");
    // An empty token is chosen, then refused.
    let out = run(
        dir.path(),
        &[
            &client[..],
            &["--env", "AWS_BEARER_TOKEN_BEDROCK=", "--format", "json"],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert_eq!(json(&out)["client"]["error"], "Error");
}

/// CL314: `AWS_DEFAULT_PROFILE` alone in a `.env`, with boto3 and the JavaScript v3 SDK in the
/// tree, is reported naming what each picks; with boto3 alone (botocore and the CLI agree) or
/// with `AWS_PROFILE` instead (every SDK reads it), nothing is.
#[test]
fn sdks_disagree_names_each_sdk_and_stays_quiet_for_one_sdk() {
    let creds = "[default]\naws_access_key_id = AKIAFAKEQQQQQQQQSD01\naws_secret_access_key = FAKEsecret00000000000000000000000000SD01\n\n[dev]\naws_access_key_id = AKIAFAKEQQQQQQQQSD02\naws_secret_access_key = FAKEsecret00000000000000000000000000SD02\n";
    let js = (
        "web/package.json",
        r#"{"dependencies": {"@aws-sdk/client-s3": "^3"}}"#,
    );
    let boto = ("requirements.txt", "boto3==1.34\n");
    let cl314 = |files: &[(&str, &str)]| messages_of("CL314", files);
    let env = (".env", "AWS_DEFAULT_PROFILE=dev\n");
    let polyglot = cl314(&[(".aws/credentials", creds), env, boto, js]);
    assert_eq!(polyglot.len(), 1, "{polyglot:?}");
    assert!(
        polyglot[0].contains("boto3 (requirements.txt) uses the static keys of profile `dev` (AKIA****SD02)")
            && polyglot[0].contains("the JavaScript v3 SDK (web/package.json) uses the static keys of profile `default` (AKIA****SD01)"),
        "{polyglot:?}"
    );
    assert!(!polyglot[0].contains("FAKEsecret"), "{polyglot:?}");
    // The Rust SDK reads AWS_PROFILE only, as the JavaScript SDK does.
    let rust = (
        "tools/Cargo.toml",
        "[package]\nname = \"t\"\nversion = \"0.1.0\"\n\n[dependencies]\naws-config = \"1\"\n",
    );
    let with_rust = cl314(&[(".aws/credentials", creds), env, boto, rust]);
    assert_eq!(with_rust.len(), 1, "{with_rust:?}");
    assert!(
        with_rust[0].contains("the Rust SDK (tools/Cargo.toml) uses the static keys of profile `default` (AKIA****SD01)"),
        "{with_rust:?}"
    );
    assert_eq!(
        cl314(&[(".aws/credentials", creds), env, boto]),
        Vec::<String>::new()
    );
    assert_eq!(
        cl314(&[
            (".aws/credentials", creds),
            (".env", "AWS_PROFILE=dev\n"),
            boto,
            js
        ]),
        Vec::<String>::new()
    );
}

/// CL308 on a profile named in code says what the SDK of that code does, by its language.
#[test]
fn missing_profile_in_code_names_the_sdk_of_the_code() {
    let config = "[profile dev]\nregion = eu-west-1\n";
    let messages = messages_of(
        "CL308",
        &[
            (".aws/config", config),
            (
                "app.py",
                "import boto3\ns = boto3.Session(profile_name='stage')\n",
            ),
            (
                "web/s3.ts",
                "import { fromIni } from '@aws-sdk/credential-providers';\nconst c = fromIni({ profile: 'stage' });\n",
            ),
            (
                "svc/main.go",
                "package main\n\nimport \"github.com/aws/aws-sdk-go-v2/config\"\n\nfunc main() { config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(\"stage\")) }\n",
            ),
        ],
    );
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.ends_with("boto3 raises ProfileNotFound")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("the JavaScript SDK finds no credentials under it")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("the Go v2 SDK finds nothing under it")),
        "{messages:?}"
    );
}

/// CL306's "never used" is botocore's verdict: with another SDK in the tree that does sign
/// with the shadowed keys, the message says which.
#[test]
fn shadowed_keys_name_the_sdks_that_still_use_them() {
    let config = "[default]\naws_access_key_id = AKIAFAKEQQQQQQQQSH01\naws_secret_access_key = FAKEsecret00000000000000000000000000SH01\ncredential_process = /usr/local/bin/creds\n";
    let cl306 = |files: &[(&str, &str)]| messages_of("CL306", files);
    let alone = cl306(&[(".aws/config", config), ("requirements.txt", "boto3\n")]);
    assert_eq!(alone.len(), 1, "{alone:?}");
    assert!(
        alone[0].starts_with("config-file credentials here can never be used"),
        "{alone:?}"
    );
    let go = cl306(&[
        (".aws/config", config),
        ("requirements.txt", "boto3\n"),
        (
            "svc/go.mod",
            "module x\n\nrequire github.com/aws/aws-sdk-go-v2/config v1.17.10\n",
        ),
    ]);
    assert_eq!(go.len(), 1, "{go:?}");
    assert!(
        go[0].contains("never used by boto3 or the AWS CLI")
            && go[0].contains(
                "the Go v2 SDK this tree uses (svc/go.mod) does use them (profile `default`)"
            ),
        "{go:?}"
    );
}

/// CL401/CL402 say what botocore raises; with the JavaScript v3 and Go v2 SDKs in the tree,
/// what each of them does with the same profile (from their models), naming the file that
/// shows it; with botocore alone the message is botocore's only.
#[test]
fn role_rules_name_what_the_other_sdks_of_the_tree_do() {
    let config = "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n\n[profile c]\nrole_arn = arn:aws:iam::123456789012:role/c\n";
    let messages = findings_of;
    let of = |all: &[(String, String)], rule: &str| -> Vec<String> {
        all.iter()
            .filter(|(r, _)| r == rule)
            .map(|(_, m)| m.clone())
            .collect()
    };
    let polyglot = messages(&[
        (".aws/config", config),
        ("requirements.txt", "boto3==1.34\n"),
        (
            "web/package.json",
            r#"{"dependencies": {"@aws-sdk/client-s3": "^3"}}"#,
        ),
        (
            "go.mod",
            "module x\nrequire github.com/aws/aws-sdk-go-v2/config v1.17.10\n",
        ),
    ]);
    let cycle = of(&polyglot, "CL402");
    assert_eq!(cycle.len(), 2, "{polyglot:?}");
    assert!(
        cycle[0].contains("botocore raises InfiniteLoopConfigError; the JavaScript v3 SDK this tree uses (web/package.json) raises too (CredentialsProviderError); the Go v2 SDK this tree uses (go.mod) raises too (SharedConfigAssumeRoleError"),
        "{cycle:?}"
    );
    let neither = of(&polyglot, "CL401");
    assert!(
        neither.len() == 1
            && neither[0].contains("the Go v2 SDK this tree uses (go.mod) does not stop there"),
        "{neither:?}"
    );
    let alone = messages(&[(".aws/config", config), ("requirements.txt", "boto3\n")]);
    for (rule, m) in alone.iter().filter(|(r, _)| r.starts_with("CL40")) {
        assert!(m.ends_with("Error"), "{rule}: {m}");
    }
}

/// The summary counts each file asked about once, also when named directories overlap
/// (`credlint . src` walks `src` twice), and `credlint files` lists every one of them.
#[test]
fn summary_counts_each_file_once_and_files_lists_them() {
    let env = format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n");
    let dir = tree(&[
        (".env", env.as_str()),
        (
            "src/app.py",
            "import boto3\nboto3.Session(profile_name='dev')\n",
        ),
        ("src/notes.txt", "nothing here\n"),
        ("README.md", "# demo\n"),
    ]);
    let summary = |args: &[&str]| {
        let v = json(&run(dir.path(), args));
        (
            v["summary"]["files_scanned"]
                .as_u64()
                .expect("files_scanned"),
            v["summary"]["files_parsed"].as_u64().expect("files_parsed"),
        )
    };
    let plain = summary(&[".", "--format", "json", "--fail-level", "never"]);
    assert_eq!(plain.0, 4, "{plain:?}");
    assert!(plain.1 >= 1 && plain.1 < plain.0, "{plain:?}");
    let overlapping = summary(&[".", "src", "--format", "json", "--fail-level", "never"]);
    assert_eq!(overlapping, plain);
    let listed = json(&run(dir.path(), &["files", ".", "--format", "json"]));
    let paths: Vec<&str> = listed
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r["path"].as_str())
        .collect();
    assert_eq!(paths, [".env", "README.md", "src/app.py", "src/notes.txt"]);
}
