//! The real `pre-commit` (from the project's venv) running credlint's hooks from this
//! repository, in a fresh git repository, as a new user would set them up from the README:
//! `credlint` (built by pre-commit with cargo) and `credlint-system` (the `credlint` on PATH).

#[path = "support/venv.rs"]
mod venv;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn remote(hook: &str) -> String {
    let rev = String::from_utf8(git(Path::new(ROOT), &["rev-parse", "HEAD"]).stdout).expect("rev");
    format!(
        "repos:\n  - repo: {ROOT}\n    rev: {}\n    hooks:\n      - id: {hook}\n",
        rev.trim()
    )
}

fn bin_dir() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_credlint"))
        .parent()
        .expect("bin dir")
}

#[test]
fn precommit_refuses_a_staged_env_with_a_long_lived_key() {
    refuses_a_key_and_accepts_a_clean_commit(&remote("credlint"), None);
}

#[test]
fn precommit_system_hook_runs_the_installed_credlint() {
    refuses_a_key_and_accepts_a_clean_commit(&remote("credlint-system"), Some(bin_dir()));
}

/// The README's `repo: local` configuration, exactly as written there.
#[test]
fn precommit_readme_local_hook_works_as_written() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    let section = &readme[readme.find("\n## pre-commit\n").expect("## pre-commit")..];
    let mut config: String = section
        .lines()
        .skip_while(|l| *l != "```yaml")
        .skip(1)
        .take_while(|l| *l != "```")
        .collect::<Vec<_>>()
        .join("\n");
    config.push('\n');
    assert!(config.contains("repo: local"), "{config}");
    refuses_a_key_and_accepts_a_clean_commit(&config, Some(bin_dir()));
}

/// With `config` as `.pre-commit-config.yaml` (and `bin_dir` put first on PATH): a commit
/// staging a `.env` with a long-lived key is refused with credlint's message, without the
/// key; the same file without the key goes through.
fn refuses_a_key_and_accepts_a_clean_commit(config: &str, bin_dir: Option<&Path>) {
    let Some(pre_commit) = venv::tool("pre-commit") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    fs::create_dir(&repo).expect("mkdir");
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["config", "user.email", "dev@example.com"],
        &["config", "user.name", "Dev"],
        &["config", "commit.gpgsign", "false"],
    ] {
        assert!(git(&repo, args).status.success());
    }
    fs::write(repo.join(".pre-commit-config.yaml"), config).expect("write");
    let mut dirs: Vec<PathBuf> = bin_dir.map(Path::to_path_buf).into_iter().collect();
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let path = std::env::join_paths(dirs).expect("PATH");
    let run = |args: &[&str]| {
        let mut c = if args[0] == "pre-commit" {
            Command::new(&pre_commit)
        } else {
            Command::new("git")
        };
        c.args(&args[1..])
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", tmp.path().join("cache"))
            // Reuse compiled dependencies between runs; the hook itself is still built from
            // the pinned revision by `cargo install`, as for any user.
            .env(
                "CARGO_TARGET_DIR",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit"),
            )
            .env("PATH", path.clone())
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .expect("run")
    };
    let o = run(&["pre-commit", "install"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        run(&["git", "add", ".pre-commit-config.yaml"])
            .status
            .success()
    );

    // A .env with a (fake) long-lived key is refused with credlint's message.
    fs::write(
        repo.join(".env"),
        "AWS_ACCESS_KEY_ID=AKIAQ3LBZ7WDX5RNTC4M\nAWS_REGION=eu-west-1\n",
    )
    .expect("write");
    assert!(run(&["git", "add", ".env"]).status.success());
    let o = run(&["git", "commit", "-q", "-m", "add env"]);
    let out = text(&o);
    assert!(!o.status.success(), "the commit went through:\n{out}");
    assert!(out.contains("CL101") && out.contains("long-lived"), "{out}");
    assert!(
        !out.contains("AKIAQ3LBZ7WDX5RNTC4M"),
        "the hook printed the key:\n{out}"
    );

    // The same file without the key goes through.
    fs::write(repo.join(".env"), "AWS_REGION=eu-west-1\n").expect("write");
    assert!(run(&["git", "add", ".env"]).status.success());
    let o = run(&["git", "commit", "-q", "-m", "add env"]);
    assert!(
        o.status.success(),
        "a clean commit was refused:\n{}",
        text(&o)
    );
}
