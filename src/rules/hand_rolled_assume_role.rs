//! CL406: role assumption done by hand: a shell script that exports the credentials of an
//! `aws sts assume-role` call, or code that builds a session or client from the
//! `Credentials` an STS call returned, where a role profile would do it (and refresh them).

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::parse::Parsed;
use crate::parse::code::{ArgValue, StsSource};
use crate::parse::env::{EnvFile, ValueOrigin};
use crate::parse::shell::StsCommand;
use crate::source::Span;

/// The variables a script sets to hand credentials to the CLI and SDKs.
const EXPORTED: [&str; 3] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    // Each finding with the role ARN it names, when the tree says it.
    let mut found: Vec<(Option<String>, Finding)> = Vec::new();
    for (i, f) in ws.files.iter().enumerate() {
        match &f.parsed {
            Parsed::Env(env) if f.kind == FileKind::Shell => shell(ws, i, env, &mut found),
            // moto's and other mocks' tests assume made-up roles in a fake STS: no
            // profile could stand in for them.
            Parsed::Code { code, .. } if !mocked(&f.source.text) => {
                // One finding per file, at the first STS call whose credentials the code
                // hands on itself; calls repeated per account and providers' own code are
                // how role assumption is done when a profile cannot.
                let first = code
                    .calls
                    .iter()
                    .flat_map(|c| c.args.iter().map(move |a| (c, a)))
                    .filter_map(|(c, a)| a.sts.as_ref().map(|s| (c, s)))
                    .filter(|(_, s)| {
                        !s.per_account && !s.provider && s.operation != "get-session-token"
                    })
                    .min_by_key(|(_, s)| s.span.start);
                if let Some((call, sts)) = first
                    && handles_source_keys(ws, i, code)
                {
                    code_finding(ws, i, f.kind, &call.api, sts, &mut found);
                }
            }
            _ => {}
        }
    }
    // One finding per set-up: the script and the test fixture that assume the same role
    // (the tutorial's `set_assume_role.sh` and `conftest.py`) are one profile to write. The
    // first place carries the others as related locations.
    let mut kept: Vec<(Option<String>, Finding)> = Vec::new();
    for (arn, f) in found {
        match kept.iter_mut().find(|(a, _)| a.is_some() && *a == arn) {
            Some((_, first)) => {
                let loc = f.location.clone();
                *first = first
                    .clone()
                    .related(loc, "the same role assumed by hand here too");
            }
            None => kept.push((arn, f)),
        }
    }
    out.extend(kept.into_iter().map(|(_, f)| f));
}

/// Whether the project itself handles the long-lived keys the STS call is made with: it
/// passes a key id of its own (not one STS returned) to a client or session, sets
/// `AWS_ACCESS_KEY_ID` itself, or a dotenv file beside or above it holds a key id. That is
/// the set-up a role profile (`source_profile`) replaces. Code that calls STS with the
/// credentials the default chain finds (an instance, task or SSO role) and hands on the
/// result with its session token is the documented way to reach another role, not a
/// hand-rolled profile.
fn handles_source_keys(ws: &Workspace, file: usize, code: &crate::parse::code::CodeFile) -> bool {
    code.calls
        .iter()
        .flat_map(|c| &c.args)
        .any(|a| a.name == "aws_access_key_id" && a.sts.is_none())
        || code.env.iter().any(|e| e.key == "AWS_ACCESS_KEY_ID")
        || dotenv_keys(ws, file).is_some()
}

/// What the role is, for the message and the profile: the ARN when the tree says it, and
/// how the code or script names it.
struct Role {
    /// A role ARN, when known.
    arn: Option<String>,
    /// How it is named (`ROLE_ARN in .env`, `$ROLE_ARN`, `config.role_arn`).
    said: String,
}

impl Role {
    fn describe(&self) -> String {
        match &self.arn {
            Some(arn) if arn == &self.said => format!("role {arn}"),
            Some(arn) => format!("role {arn} ({})", self.said),
            None if self.said.is_empty() => "a role".to_owned(),
            None => format!("the role in {}", self.said),
        }
    }
}

/// The literal value a variable is given in the tree: the same file first, then dotenv
/// files, then other shell scripts (in path order). With where it was found.
fn variable_value(ws: &Workspace, file: usize, name: &str) -> Option<(String, String)> {
    let literal = |env: &EnvFile| {
        env.get(name).and_then(|a| {
            (a.origin == ValueOrigin::Literal)
                .then(|| a.value.clone())
                .flatten()
                .filter(|v| !v.is_empty())
        })
    };
    let short = |i: usize| -> String {
        let p = &ws.files[i].source.path;
        p.rsplit('/').next().unwrap_or(p).to_owned()
    };
    if let Parsed::Env(env) = &ws.files[file].parsed
        && let Some(v) = literal(env)
    {
        return Some((v, short(file)));
    }
    // Files beside the code or above it first (the `.env` a `load_dotenv()` finds), then
    // anywhere in the tree.
    for (kind, near) in [
        (FileKind::Dotenv, true),
        (FileKind::Shell, true),
        (FileKind::Dotenv, false),
        (FileKind::Shell, false),
    ] {
        for (i, f) in ws.files.iter().enumerate() {
            if f.kind != kind || (near && !encloses(ws, i, file)) {
                continue;
            }
            if let Parsed::Env(env) = &f.parsed
                && let Some(v) = literal(env)
            {
                return Some((v, short(i)));
            }
        }
    }
    None
}

fn role_from_env(ws: &Workspace, file: usize, name: &str, shown: String) -> Role {
    match variable_value(ws, file, name) {
        Some((v, from)) => Role {
            arn: Some(v),
            said: format!("{name} in {from}"),
        },
        None => Role {
            arn: None,
            said: shown,
        },
    }
}

/// Whether code runs against a mocked AWS (moto).
fn mocked(text: &str) -> bool {
    text.contains("from moto") || text.contains("import moto")
}

fn code_finding(
    ws: &Workspace,
    file: usize,
    kind: FileKind,
    sink: &str,
    sts: &StsSource,
    out: &mut Vec<(Option<String>, Finding)>,
) {
    let role = match &sts.role {
        Some(ArgValue::Literal(arn)) => Role {
            arn: Some(arn.clone()),
            said: arn.clone(),
        },
        Some(ArgValue::Env(name)) => {
            role_from_env(ws, file, name, format!("the environment variable {name}"))
        }
        Some(ArgValue::Variable(text)) => Role {
            arn: None,
            said: format!("`{}`", short_text(text)),
        },
        None => Role {
            arn: None,
            said: String::new(),
        },
    };
    let what = if sink.contains(' ') {
        format!("a {sink}")
    } else {
        format!("{sink}(…)")
    };
    let call = if sts.api.starts_with("new ") {
        format!("client.send({}(…))", sts.api)
    } else {
        format!("{}(…)", sts.api)
    };
    let message = format!(
        "{call} assumes {} by hand and gives the returned credentials to {what}: nothing refreshes them when they expire ({LIFETIME}){}",
        role.describe(),
        if sts.operation.contains("web-identity") {
            ""
        } else {
            ", and the keys that call STS must be in reach of the code"
        }
    );
    let name = profile_name(&role);
    let select = match kind {
        FileKind::Python | FileKind::Notebook => {
            format!("AWS_PROFILE={name}, or boto3.Session(profile_name=\"{name}\")")
        }
        FileKind::JavaScript | FileKind::TypeScript => {
            format!("AWS_PROFILE={name}, or credentials: fromIni({{ profile: \"{name}\" }})")
        }
        FileKind::Go => {
            format!("AWS_PROFILE={name}, or config.WithSharedConfigProfile(\"{name}\")")
        }
        _ => format!("AWS_PROFILE={name}, or ProfileCredentialsProvider.create(\"{name}\")"),
    };
    let help = profile_help(ws, file, &role, sts.operation, sts.mfa, &select);
    out.push((
        role.arn.clone(),
        Finding::new(
            RuleId::HandRolledAssumeRole,
            ws.location(file, sts.span),
            message,
        )
        .help(help),
    ));
}

fn short_text(t: &str) -> String {
    let one_line: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
}

fn shell(ws: &Workspace, file: usize, env: &EnvFile, out: &mut Vec<(Option<String>, Finding)>) {
    // The credentials end up in the environment: a computed (or `read`) value exported
    // under the CLI's names, or written by an `eval`/`printf` of the STS output.
    let text = &ws.files[file].source.text;
    let exports = env.assignments.iter().any(|a| {
        EXPORTED.contains(&a.key.as_str())
            && !a.command_prefix
            && (a.origin == ValueOrigin::Derived || a.value.is_none())
    }) || text.contains("AWS_SESSION_TOKEN=");
    if !exports {
        return;
    }
    // A script that assumes several roles (one per account, the organisation's management
    // account and then each member) is multi-account tooling, not one set-up.
    let mut roles: Vec<&str> = env.sts.iter().filter_map(|c| c.role.as_deref()).collect();
    roles.sort_unstable();
    roles.dedup();
    if roles.len() > 1 {
        return;
    }
    // `get-session-token` alone is an IAM user's MFA session with no role to assume: no
    // profile setting replaces it (`mfa_serial` works only with `role_arn`). Followed by an
    // assume-role, the assume-role is the set-up a role profile replaces.
    let Some(cmd) = env
        .sts
        .iter()
        .find(|c| !c.in_loop && !positional(c) && c.operation != "get-session-token")
    else {
        return;
    };
    let role = shell_role(ws, file, cmd);
    let message = format!(
        "`aws sts {}` assumes {} by hand and the script exports the credentials it returns: they expire ({LIFETIME}) with nothing to refresh them{}",
        cmd.operation,
        role.describe(),
        if cmd.operation.contains("web-identity") {
            ""
        } else {
            ", and the keys that call STS must be in the environment too"
        }
    );
    let select = format!(
        "AWS_PROFILE={} or --profile {}",
        profile_name(&role),
        profile_name(&role)
    );
    // An MFA session got first and then used for the role: the profile asks for the code.
    let mfa = cmd.mfa
        || env
            .sts
            .iter()
            .any(|c| c.operation == "get-session-token" && c.mfa);
    let help = profile_help(ws, file, &role, &cmd.operation, mfa, &select);
    out.push((
        role.arn.clone(),
        Finding::new(
            RuleId::HandRolledAssumeRole,
            ws.location(file, Span::new(cmd.span.start, cmd.span.end)),
            message,
        )
        .help(help),
    ));
}

/// `--role-arn "$1"`: a helper whose caller chooses the role (a tool, not a set-up).
fn positional(c: &StsCommand) -> bool {
    c.role.as_deref().is_some_and(|r| {
        let name = r.trim_start_matches('$').trim_start_matches('{');
        name.starts_with(|ch: char| ch.is_ascii_digit() || ch == '@' || ch == '*')
    })
}

fn shell_role(ws: &Workspace, file: usize, cmd: &StsCommand) -> Role {
    let Some(r) = cmd.role.as_deref() else {
        return Role {
            arn: None,
            said: String::new(),
        };
    };
    if !r.contains('$') {
        return Role {
            arn: Some(r.to_owned()),
            said: r.to_owned(),
        };
    }
    let Some(var) = r.strip_prefix('$').filter(|v| !v.contains('$')) else {
        // Built from variables (`arn:aws:iam::${ACCOUNT_ID}:role/${ROLE}`): filled in when
        // the tree gives each of them a value.
        return Role {
            arn: expand(ws, file, r),
            said: r.to_owned(),
        };
    };
    // `$ROLE_ARN`, `${ROLE_ARN}`, `${ROLE_ARN:-arn:…}`.
    let inner = var.trim_start_matches('{').trim_end_matches('}');
    let (name, fallback) = match inner.split_once(":-").or_else(|| inner.split_once('-')) {
        Some((n, d)) if n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => (n, Some(d)),
        _ => (inner, None),
    };
    let shown = format!("${name}");
    match (variable_value(ws, file, name), fallback) {
        (Some((v, from)), _) => Role {
            arn: Some(v),
            said: format!("{name} in {from}"),
        },
        (None, Some(d)) if d.starts_with("arn:") => Role {
            arn: Some(d.to_owned()),
            said: format!("the default of {shown}"),
        },
        _ => Role {
            arn: None,
            said: shown,
        },
    }
}

/// `$A` and `${A}` in `r` replaced by the literal values the tree gives them.
fn expand(ws: &Workspace, file: usize, r: &str) -> Option<String> {
    static VAR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?").expect("static regex")
    });
    let mut out = String::new();
    let mut last = 0;
    for c in VAR.captures_iter(r) {
        let (Some(m), Some(name)) = (c.get(0), c.get(1)) else {
            return None;
        };
        let (value, _) = variable_value(ws, file, name.as_str())?;
        out.push_str(&r[last..m.start()]);
        out.push_str(&value);
        last = m.end();
    }
    out.push_str(&r[last..]);
    Some(out)
}

/// How long assumed-role credentials last (STS API reference, `DurationSeconds`).
const LIFETIME: &str = "after an hour by default, 12 at most";

/// The profile's name: the role's name.
fn profile_name(role: &Role) -> &str {
    role.arn
        .as_deref()
        .and_then(|a| a.rsplit_once('/'))
        .map(|(_, n)| n)
        .filter(|n| !n.is_empty() && !n.contains('$'))
        .unwrap_or("NAME")
}

/// Whether the folder of file `outer` is the folder of file `inner` or one above it.
fn encloses(ws: &Workspace, outer: usize, inner: usize) -> bool {
    let dir = |i: usize| {
        let p = ws.files[i].source.path.as_str();
        p.rsplit_once('/').map_or("", |(d, _)| d)
    };
    let (o, i) = (dir(outer), dir(inner));
    o.is_empty() || i == o || i.strip_prefix(o).is_some_and(|rest| rest.starts_with('/'))
}

/// A dotenv file beside or above `file` holding a key id written out: where the source
/// keys are now.
fn dotenv_keys(ws: &Workspace, file: usize) -> Option<String> {
    ws.files.iter().enumerate().find_map(|(i, f)| {
        let Parsed::Env(env) = &f.parsed else {
            return None;
        };
        (f.kind == FileKind::Dotenv
            && encloses(ws, i, file)
            && env.get("AWS_ACCESS_KEY_ID").is_some_and(|a| {
                a.origin == ValueOrigin::Literal
                    && a.value.as_deref().is_some_and(|v| !v.is_empty())
            }))
        .then(|| {
            let p = &f.source.path;
            p.rsplit('/').next().unwrap_or(p).to_owned()
        })
    })
}

/// The role profile that replaces the set-up, filled in with what the tree says.
fn profile_help(
    ws: &Workspace,
    file: usize,
    role: &Role,
    operation: &str,
    mfa: bool,
    select: &str,
) -> String {
    let arn = role
        .arn
        .clone()
        .unwrap_or_else(|| "arn:aws:iam::ACCOUNT:role/ROLE".to_owned());
    let name = profile_name(role);
    let source = match operation {
        "assume-role-with-web-identity" => "web_identity_token_file = /path/to/token",
        _ => "source_profile = base    # or credential_source, sso_session",
    };
    let mut lines = vec![
        format!("[profile {name}]"),
        format!("role_arn = {arn}"),
        source.to_owned(),
    ];
    if mfa {
        lines.push("mfa_serial = arn:aws:iam::ACCOUNT:mfa/USER".to_owned());
    }
    let intro = "Let the CLI and SDKs assume the role and refresh its credentials; in ~/.aws/config:";
    let base = match (operation, dotenv_keys(ws, file)) {
        ("assume-role-with-web-identity", _) => String::new(),
        (_, Some(env)) => format!(
            "\nwith the key pair of {env} moved to [base] in ~/.aws/credentials, out of the repository"
        ),
        _ => "\nwith the long-lived keys, if any, as [base] in ~/.aws/credentials".to_owned(),
    };
    format!(
        "{intro}\n    {}{base}\nthen select it with {select}",
        lines.join("\n    ")
    )
}
