//! Which source files get a syntax tree: code about AWS ([`mentions_aws`]) outside
//! vendored packages and declaration files, not too big or minified, whose text could give
//! the walk something to record ([`could_yield`]).

use super::types::Lang;

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
/// empty [`CodeFile`](super::CodeFile) from the walk, so it needs no syntax tree. Each
/// pattern must match wherever its language's handler could record something; when a
/// handler learns a new API, its name goes here too (`tests/code_precheck.rs` checks this
/// on every code fixture). ASCII word boundaries and loose gaps (any whitespace, comments)
/// keep the patterns wider than the grammar, never narrower.
fn sink_pattern(lang: Lang) -> &'static regex::bytes::Regex {
    use std::sync::LazyLock;
    fn build(p: &str) -> regex::bytes::Regex {
        regex::bytes::Regex::new(p).expect("static pattern")
    }
    static PYTHON: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        build(&format!(
            // profile keyword arguments (`profile_name=`, `Session(profile=)`: after `(` or
            // `,`, an `=` that is not `==`; credential keywords are
            // [`python_credentials_matter`]'s), environ writes under a literal name
            // (`os.environ["X"] = …`, not reads), python-dotenv, and botocore's own
            // credential setters; `botocore.credentials` is [`PY_BOTOCORE`]'s
            r#"[(,]{PY_GAP}(?:profile_name|profile){PY_GAP}=(?:[^=]|$)|environ{PY_GAP}\[{PY_GAP}[A-Za-z]*["'][^"'\n]*["']{PY_GAP}\]{PY_GAP}=(?:[^=]|$)|environ\.setdefault|environ\.update|putenv|load_dotenv|set_credentials"#
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

/// A literal (with its opening quote) shaped like something a rule reports in a credential
/// slot: a key id (a broken one too, in any case) or 30 and more base64 characters (a
/// secret or a token).
static SHAPED_LITERAL: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
    regex::bytes::Regex::new(
        r#"["'](?:(?i:AKIA|ASIA|ABIA|ACCA|AIDA|AROA|AGPA|ANPA|AIPA|APKA|ASCA)|A[A-Z0-9]{19}["']|[A-Za-z0-9/+=]{30})"#,
    )
    .expect("static pattern")
});

/// Whether boto3's credential keywords in Python text (`aws_access_key_id=`, …) could lead
/// to a finding. Passing keys from variables, parameters or the environment is how SDK
/// code, tests and the documented assume-role pattern work, and no rule reports it; what
/// the rules report needs one of these in the text:
/// - a literal right after the keyword shaped like a key id, secret or token (CL103,
///   CL204, CL205, CL206; stand-ins such as `"test"` are reported by none);
/// - a literal shaped like a key id or a secret anywhere, which a constant or a wrapper
///   function may carry to the keyword (`KEY = "AKIA…"`, `connect("AKIA…", s)`);
/// - an STS call whose credentials may be handed on (CL406);
/// - a key id keyword with no secret keyword near it, or the reverse: a call that may pass
///   only half a pair (CL203). "Near" is generous (a call's arguments are within a few
///   lines), so a call split oddly still gets its tree.
fn python_credentials_matter(bytes: &[u8]) -> bool {
    use std::sync::LazyLock;
    const NEAR: usize = 800;
    static KEYWORD: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(&format!(
            r#"[(,]{PY_GAP}(aws_access_key_id|aws_secret_access_key|aws_session_token){PY_GAP}=(?:{PY_GAP}[rRbBuUfF]{{0,2}}["']([^"'\n]*)|[^=]|$)"#
        ))
        .expect("static pattern")
    });
    static STS: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r"assume_role|get_session_token|get_federation_token")
            .expect("static pattern")
    });
    let (mut ids, mut secrets) = (Vec::new(), Vec::new());
    for c in KEYWORD.captures_iter(bytes) {
        // A literal some rule could report; a stand-in (`"test"`, `"ak"`) is reported by
        // none, unless half a pair (below).
        if c.get(2)
            .is_some_and(|v| SHAPED_LITERAL.is_match(&quoted(v.as_bytes())))
        {
            return true;
        }
        let (Some(all), Some(name)) = (c.get(0), c.get(1)) else {
            continue;
        };
        // Half a pair matters only in a call that takes credentials (`Walker::python_sink`,
        // `Walker::python_wrapper`): `connect_to(aws_access_key_id=account_id)`, a project's
        // own helper defined elsewhere, is not one.
        if !python_sink_callee(bytes, all.start() + 1) {
            continue;
        }
        match name.as_bytes() {
            b"aws_access_key_id" => ids.push(all.start()),
            b"aws_secret_access_key" => secrets.push(all.start()),
            _ => {}
        }
    }
    if ids.is_empty() && secrets.is_empty() {
        return false;
    }
    let unpaired = |these: &[usize], those: &[usize]| {
        these
            .iter()
            .any(|&a| !those.iter().any(|&b| a.abs_diff(b) <= NEAR))
    };
    unpaired(&ids, &secrets)
        || unpaired(&secrets, &ids)
        || SHAPED_LITERAL.is_match(bytes)
        || STS.is_match(bytes)
}

/// `v` between double quotes, as [`SHAPED_LITERAL`] looks for literals.
fn quoted(v: &[u8]) -> Vec<u8> {
    let mut q = Vec::with_capacity(v.len() + 2);
    q.push(b'"');
    q.extend_from_slice(v);
    q.push(b'"');
    q
}

/// Whether the call whose argument list holds `at` (a byte after its `(`) could be one the Python walk reads
/// credentials from: its callee's last name is one of boto3's, botocore's or boto2's
/// (`client`, `resource`, `Session`, `create_client`, `boto.…connect…`, `boto.…Connection`) or a
/// function the same text defines (a wrapper). When the call cannot be found by counting
/// brackets back from `at` (within a few thousand bytes), it could be.
fn python_sink_callee(bytes: &[u8], at: usize) -> bool {
    const LOOK_BACK: usize = 4096;
    let mut depth = 0usize;
    let mut i = at;
    let stop = at.saturating_sub(LOOK_BACK);
    let open = loop {
        if i == stop {
            return true;
        }
        i -= 1;
        match bytes[i] {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' if depth > 0 => depth -= 1,
            b'(' => break i,
            b'[' | b'{' => return true,
            _ => {}
        }
    };
    let mut end = open;
    while end > 0 && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut start = end;
    while start > 0 && (word(bytes[start - 1]) || bytes[start - 1] == b'.') {
        start -= 1;
    }
    let callee = &bytes[start..end];
    let name = callee.rsplit(|&b| b == b'.').next().unwrap_or(callee);
    if name.is_empty() {
        return true;
    }
    matches!(
        name,
        b"client" | b"resource" | b"Session" | b"create_client"
    ) || (callee.starts_with(b"boto.")
        && (name.starts_with(b"connect") || name.ends_with(b"Connection")))
        || defines(bytes, name)
}

/// Whether Python text defines a function `name` (`def name(`).
fn defines(bytes: &[u8], name: &[u8]) -> bool {
    let mut needle = b"def ".to_vec();
    needle.extend_from_slice(name);
    memchr::memmem::find_iter(bytes, &needle).any(|at| {
        bytes[at + needle.len()..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b'(')
    })
}

/// Whether the walk of `text` could record anything: a credential sink of the language (see
/// [`sink_pattern`]), or a secret written under a secret name (`AWS_SECRET_KEY = "…"`, kept
/// in [`CodeFile::secret_pairs`](super::CodeFile::secret_pairs)), which needs a string
/// literal of 40 characters with the shape of a secret key (the only values CL102 reports)
/// and the word `secret` on its line or the line before.
#[must_use]
pub fn could_yield(text: &str, lang: Lang) -> bool {
    use std::sync::LazyLock;
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
        || (lang == Lang::Python && python_credentials_matter(bytes))
        || (js && JS_PROFILE_PROVIDERS.is_match(bytes) && JS_PROFILE.is_match(bytes))
        || (lang == Lang::Python
            && memchr::memmem::find(bytes, b"botocore.credentials").is_some()
            && PY_BOTOCORE.is_match(bytes))
        || secret_literal(text)
}

/// Whether `text` holds a literal of 40 characters shaped like a secret key with the word
/// `secret` on its line or the line before: what a secret pair needs (see [`could_yield`]).
fn secret_literal(text: &str) -> bool {
    use crate::parse::text::spells_secret;
    static SECRET_LITERAL: std::sync::LazyLock<regex::bytes::Regex> =
        std::sync::LazyLock::new(|| {
            regex::bytes::Regex::new(r#"["'`][A-Za-z0-9/+]{40}"#).expect("static pattern")
        });
    let bytes = text.as_bytes();
    spells_secret(bytes)
        && SECRET_LITERAL.find_iter(bytes).any(|m| {
            // The closing quote is checked here rather than matched, so that it can open
            // the next literal (`"…""…"`); ASCII, so char boundaries.
            matches!(bytes.get(m.end()), Some(b'"' | b'\'' | b'`'))
                && text
                    .get(m.start() + 1..m.end())
                    .is_some_and(crate::keys::is_secret_shaped)
                && spells_secret(near_line(bytes, m.start()))
        })
}

/// [`could_yield`] for test code whose findings are not shown: only the rules that report
/// in test code need its syntax tree. Those are CL102 (a secret written under a secret
/// name, reported beside a key id) and CL406 (credentials from an STS role call handed to
/// a client: how a `conftest.py` gets the tests' credentials by hand). Everything else the
/// walk records there (credentials from variables, profiles, environment writes) gives
/// findings that are left out in tests.
#[must_use]
pub fn could_yield_in_tests(text: &str, lang: Lang) -> bool {
    use std::sync::LazyLock;
    // An STS role call as a client's method (`sts.assume_role(`, `svc.AssumeRole(ctx,`,
    // `sts.assumeRole(`, `…_with_web_identity`, `…WithSAML`) or a v3 command (`new
    // AssumeRoleCommand(`), as `Walker::sts_call` reads them; a project's own function
    // (`wait_and_assume_role(…)`) is not one, and `get_session_token` alone is not
    // reported (CL406 flags the role assumed after it).
    static STS: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(&format!(
            r"\.{C_GAP}(?:assume_role|AssumeRole|assumeRole)[A-Za-z_]*{C_GAP}\(|(?-u:\bnew\b){C_GAP}(?:[A-Za-z_$][A-Za-z0-9_$]*\.)*AssumeRole[A-Za-z]*Command(?-u:\b)"
        ))
        .expect("static pattern")
    });
    (STS.is_match(text.as_bytes()) || secret_literal(text)) && could_yield(text, lang)
}

/// The line holding byte `at` and the line before it: a secret pair never spans lines (the
/// loose reading), and a typed declaration (`const awsSecretKey: string =` before a
/// line break) spans two at most in practice.
fn near_line(bytes: &[u8], at: usize) -> &[u8] {
    let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let start = if line_start == 0 {
        0
    } else {
        memchr::memrchr(b'\n', &bytes[..line_start - 1]).map_or(0, |i| i + 1)
    };
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    &bytes[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
