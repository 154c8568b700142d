//! The scan pipeline: discover → read → prefilter → classify → parse → workspace.
//! Files with nothing credential-like in them cost one read and one automaton pass.

use crate::Error;
use crate::discover::{self, FileKind, GitStatus, Root, WalkOptions, WalkedFile};
use crate::model::sdk::detect;
use crate::model::{ScannedFile, Workspace};
use crate::parse;
use crate::source::{Encoding, SourceFile};
use serde::Serialize;
use std::cell::RefCell;
use std::io::Read;
use std::sync::{LazyLock, Mutex};

/// Files bigger than this take the read buffer's bytes rather than a copy of them.
const TAKE_BUFFER_FROM: usize = 256 * 1024;

/// The default cap on a file's size; larger files are skipped with a note.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct ScanOptions {
    pub roots: Vec<Root>,
    pub walk: WalkOptions,
    pub max_file_size: u64,
    /// Read test code (`discover::is_test_path`) as fully as any other code. When its
    /// findings are not shown (no `--include-tests`), source code in tests gets a syntax tree
    /// only where a rule that reports in test code could act on it (`parse::Reading`).
    pub tests_in_full: bool,
}

/// Something credlint could not do with a file. `Error`s change the exit code to 2.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub severity: DiagnosticSeverity,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticSeverity {
    Note,
    Error,
}

/// How a walked file was treated, for `credlint files`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FileRecord {
    pub path: String,
    pub kind: Option<FileKind>,
    pub git: GitStatus,
    pub outcome: Outcome,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Parsed and handed to the rules.
    Parsed,
    /// Read; nothing credential-like in it.
    NoCandidates,
    Binary,
    /// Encrypted (ansible-vault): ciphertext, not read as settings.
    Encrypted,
    TooLarge,
    Unreadable,
}

pub struct Scan {
    pub workspace: Workspace,
    pub diagnostics: Vec<Diagnostic>,
    /// Every file asked about, for `credlint files` ([`scan_listing`]); empty after [`scan`].
    pub files: Vec<FileRecord>,
    pub counts: FileCounts,
}

/// How many of the files asked about were read, and how many of those were parsed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileCounts {
    /// Read (not too large, not unreadable).
    pub read: usize,
    pub parsed: usize,
}

impl FileCounts {
    fn add(&mut self, outcome: Outcome) {
        if !matches!(outcome, Outcome::TooLarge | Outcome::Unreadable) {
            self.read += 1;
        }
        if outcome == Outcome::Parsed {
            self.parsed += 1;
        }
    }
}

impl Scan {
    #[must_use]
    pub fn has_io_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == DiagnosticSeverity::Error)
    }
}

/// Literals whose presence makes a file worth parsing. Deliberately broad: a false hit
/// costs a parse, a miss costs a finding.
const PREFILTER: &[&str] = &[
    "AKIA",
    "ASIA",
    "ABIA",
    "ACCA",
    "aws_access_key_id",
    "AWS_ACCESS_KEY_ID",
    "aws_secret_access_key",
    "AWS_SECRET_ACCESS_KEY",
    "ecretAccessKey",
    "ccessKeyId",
    "ecret_access_key",
    "ECRET_ACCESS_KEY",
    "ecretKey",
    "ECRET_KEY",
    "ecret_key",
    "[profile",
    "[default]",
    "[Credentials]",
    "[sso-session",
    "role_arn",
    "credential_process",
    "aws_session_token",
    // Source code: profiles and credential providers named in code.
    // (`Credentials` covers AWS.Credentials, NewStaticCredentials*, BasicAWSCredentials,
    // AwsBasicCredentials and friends: fewer literals keep the SIMD search fast.)
    "profile_name",
    "fromIni",
    "Credentials",
    "_PROFILE",
    // Go's config.WithSharedConfigProfile("name"), for CL308.
    "SharedConfigProfile",
    // Bedrock API keys and the variable that carries them.
    "ABSK",
    "bedrock-api-key-",
    "AWS_BEARER_TOKEN",
    // Trust policies: CloudFormation, IAM JSON, Terraform.
    "AssumeRole",
    "assume_role_policy",
];

/// Patterns beside [`PREFILTER`]'s literals: an STS action in a trust policy (`sts:*`,
/// `sts:TagSession`; `sts:AssumeRole` is the literal `AssumeRole`). Not the bare `sts:`,
/// which every `tests:`, `lists:` and `hosts:` contains (in a Python installation, 411
/// files and 16 MB read and parsed for nothing).
const PREFILTER_PATTERNS: &[&str] = &[r"sts:(?:[A-Z*]|assume|tag|set)"];

static PREFILTER_AC: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    let alternation: Vec<String> = PREFILTER
        .iter()
        .map(|l| regex::escape(l))
        .chain(PREFILTER_PATTERNS.iter().map(|p| (*p).to_owned()))
        .collect();
    regex::bytes::Regex::new(&alternation.join("|")).expect("static literal set")
});

thread_local! {
    static BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Where a panic on this thread happened, while it reads one file (see [`guarded`]).
    static PANICKED_AT: RefCell<Option<String>> = const { RefCell::new(None) };
    static IN_FILE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Read and parse one file so that a defect in credlint on one hostile input costs that
/// file, not the scan: a panic becomes an error diagnostic naming the file and where in
/// credlint it happened (the scan goes on and exits 2, as for an unreadable file).
fn guarded(w: &WalkedFile, opts: &ScanOptions) -> ProcessedFile {
    let caught = catch_panic(|| BUF.with(|b| process_with_sdks(w, &mut b.borrow_mut(), opts)));
    caught.unwrap_or_else(|at| {
        BUF.with(|b| b.borrow_mut().clear());
        let record = FileRecord {
            path: String::new(),
            kind: w.name_kind,
            git: w.git,
            outcome: Outcome::Unreadable,
        };
        let message = format!(
            "skipped: credlint failed on this file ({at}); the scan went on without it. \
             Please report it with the file if you can share it"
        );
        let diag = Diagnostic {
            path: w.display.clone(),
            severity: DiagnosticSeverity::Error,
            message,
        };
        (record, None, Some(diag), Vec::new())
    })
}

/// Run `f`, turning a panic into `Err("<message> at <file>:<line>")`. The panic hook stays
/// quiet for these panics (the caller reports them, deterministically, without a thread
/// id) and hands every other panic to the hook installed before it.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_FILE.with(std::cell::Cell::get) {
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                PANICKED_AT.with(|p| *p.borrow_mut() = Some(format!("{message} at {at}")));
            } else {
                previous(info);
            }
        }));
    });
    IN_FILE.with(|f| f.set(true));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_FILE.with(|f| f.set(false));
    caught.map_err(|_| {
        PANICKED_AT
            .with(|p| p.borrow_mut().take())
            .unwrap_or_default()
    })
}

type ProcessedFile = (
    FileRecord,
    Option<ScannedFile>,
    Option<Diagnostic>,
    Vec<detect::Used>,
);

struct Collected {
    files: Vec<ScannedFile>,
    /// Each SDK the tree uses, with the first file (by path) that shows it.
    sdks: std::collections::BTreeMap<detect::Used, String>,
    diagnostics: Vec<Diagnostic>,
    records: Vec<FileRecord>,
    counts: FileCounts,
}

/// Run discovery and parsing over `opts.paths`; the files asked about are counted
/// ([`Scan::counts`]), not listed.
pub fn scan(opts: &ScanOptions) -> Result<Scan, Error> {
    scan_with(opts, false)
}

/// [`scan`], with a record of every file asked about in [`Scan::files`].
pub fn scan_listing(opts: &ScanOptions) -> Result<Scan, Error> {
    scan_with(opts, true)
}

fn scan_with(opts: &ScanOptions, listing: bool) -> Result<Scan, Error> {
    // Named directories that overlap (`credlint . src`) walk some files twice: those are
    // counted once from records deduplicated by path.
    let named = opts
        .roots
        .iter()
        .filter(|r| matches!(r, discover::Root::Named(_)))
        .count();
    let keep_records = listing || named > 1;
    let out = Mutex::new(Collected {
        files: Vec::new(),
        sdks: std::collections::BTreeMap::new(),
        diagnostics: Vec::new(),
        records: Vec::new(),
        counts: FileCounts::default(),
    });
    let visit = |w: WalkedFile| {
        let (mut record, file, diag, used) = guarded(&w, opts);
        if let Ok(mut o) = out.lock() {
            o.files.extend(file);
            for u in used {
                let e = o.sdks.entry(u).or_insert_with(|| w.display.clone());
                if w.display < *e {
                    e.clone_from(&w.display);
                }
            }
            // Files read only as context are not reported on: no record, no notes.
            if w.asked {
                if keep_records {
                    record.path.clone_from(&w.display);
                    o.records.push(record);
                } else {
                    o.counts.add(record.outcome);
                }
                o.diagnostics.extend(diag);
            }
        }
    };
    let walk_errors = discover::walk(&opts.roots, &opts.walk, &visit)?;
    let mut c = out
        .into_inner()
        .map_err(|_| Error::Usage("a scan thread panicked".into()))?;
    c.diagnostics
        .extend(walk_errors.into_iter().map(|e| Diagnostic {
            path: e.path,
            severity: if e.note {
                DiagnosticSeverity::Note
            } else {
                DiagnosticSeverity::Error
            },
            message: e.message,
        }));
    c.diagnostics.sort();
    c.diagnostics.dedup();
    c.records.sort();
    c.records.dedup_by(|a, b| a.path == b.path);
    for r in &c.records {
        c.counts.add(r.outcome);
    }
    if !listing {
        c.records = Vec::new();
    }
    let mut workspace = Workspace::new(c.files);
    workspace.sdks = c.sdks;
    Ok(Scan {
        workspace,
        diagnostics: c.diagnostics,
        files: c.records,
        counts: c.counts,
    })
}

fn note(path: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        path: path.to_owned(),
        severity: DiagnosticSeverity::Note,
        message: message.into(),
    }
}

/// What reading a file found.
enum ReadOutcome {
    /// The whole file is in the buffer: credential-named, UTF-16, or a prefilter hit. With
    /// the permission bits of the opened file (Unix).
    Candidate {
        mode: Option<u32>,
    },
    NoCandidate,
    Binary,
    TooLarge(u64),
}

/// Bytes read per step for files that are not credential-named: small enough to stay in
/// cache while the prefilter runs, like ripgrep's buffer.
const CHUNK: usize = 64 * 1024;
/// Carried over between chunks so that a literal split by a chunk boundary is still seen.
const OVERLAP: usize = 64;

thread_local! {
    static CHUNK_BUF: RefCell<Vec<u8>> = RefCell::new(vec![0; CHUNK + OVERLAP]);
}

/// Read a file for the scan. Credential-named files are read whole. Other files are read
/// in chunks through the prefilter and dropped at the first chunk without a candidate
/// literal anywhere in the file; on a hit the whole file is read into `buf`.
fn read_candidate(
    path: &std::path::Path,
    buf: &mut Vec<u8>,
    max: u64,
    whole: bool,
) -> std::io::Result<ReadOutcome> {
    use std::io::Seek;
    let mut file = std::fs::File::open(path)?;
    let read_whole =
        |file: &mut std::fs::File, buf: &mut Vec<u8>| -> std::io::Result<ReadOutcome> {
            buf.clear();
            file.rewind()?;
            let mut limited = file.take(max + 1);
            limited.read_to_end(buf)?;
            let file = limited.into_inner();
            if buf.len() as u64 > max {
                return Ok(ReadOutcome::TooLarge(
                    file.metadata().map_or(buf.len() as u64, |m| m.len()),
                ));
            }
            let utf16 = buf.starts_with(&[0xFF, 0xFE]) || buf.starts_with(&[0xFE, 0xFF]);
            if !utf16 && memchr::memchr(0, &buf[..buf.len().min(8192)]).is_some() {
                return Ok(ReadOutcome::Binary);
            }
            Ok(ReadOutcome::Candidate {
                mode: permission_bits(file),
            })
        };
    if whole {
        return read_whole(&mut file, buf);
    }
    CHUNK_BUF.with(|chunk| {
        let mut chunk = chunk.borrow_mut();
        let mut carried = 0usize;
        let mut total = 0u64;
        let mut first = true;
        loop {
            let n = read_full(&mut file, &mut chunk[carried..carried + CHUNK])?;
            if first {
                let head = &chunk[..n];
                if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
                    return read_whole(&mut file, buf);
                }
                if memchr::memchr(0, &head[..n.min(8192)]).is_some() {
                    return Ok(ReadOutcome::Binary);
                }
                first = false;
            }
            total += n as u64;
            if PREFILTER_AC.is_match(&chunk[..carried + n]) {
                // A file that fits in its first chunk is already read.
                if carried == 0 && n < CHUNK && total <= max {
                    buf.clear();
                    buf.extend_from_slice(&chunk[..n]);
                    return Ok(ReadOutcome::Candidate {
                        mode: permission_bits(&file),
                    });
                }
                return read_whole(&mut file, buf);
            }
            if n < CHUNK {
                return Ok(ReadOutcome::NoCandidate);
            }
            if total > max {
                return Ok(ReadOutcome::TooLarge(
                    file.metadata().map_or(total, |m| m.len()),
                ));
            }
            let end = carried + n;
            chunk.copy_within(end - OVERLAP..end, 0);
            carried = OVERLAP;
        }
    })
}

/// The permission bits (`0o777`) of an opened file, from its own metadata (no second
/// lookup by path); `None` where the platform has no such bits.
fn permission_bits(file: &std::fs::File) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.metadata().ok().map(|m| m.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        None
    }
}

/// Fill `dst` unless the file ends first; returns the bytes read.
fn read_full(file: &mut std::fs::File, dst: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < dst.len() {
        match file.read(&mut dst[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A file that names the SDKs a project depends on, read for that alone (the prefilter
/// would drop it: it holds no credential literal).
fn is_sdk_manifest(path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    (name.starts_with("requirements") && name.rsplit_once('.').is_some_and(|(_, e)| e == "txt"))
        || matches!(
            name.as_str(),
            "package.json"
                | "pyproject.toml"
                | "pipfile"
                | "setup.py"
                | "setup.cfg"
                | "go.mod"
                | "cargo.toml"
        )
}

/// [`process`], and the SDKs the file shows the tree uses (`model::sdk::detect`): from a
/// manifest whatever the prefilter says, from code when the file is read for the rules.
fn process_with_sdks(w: &WalkedFile, buf: &mut Vec<u8>, opts: &ScanOptions) -> ProcessedFile {
    let max = opts.max_file_size;
    let (record, file, diag) = process(w, buf, opts);
    let used = match &file {
        Some(f) => detect::used_by(&w.path, &f.source.text),
        None if is_sdk_manifest(&w.path) => std::fs::File::open(&w.path)
            .and_then(|f| {
                let mut text = String::new();
                f.take(max).read_to_string(&mut text).map(|_| text)
            })
            .map(|text| detect::used_by(&w.path, &text))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    (record, file, diag, used)
}

fn process(
    w: &WalkedFile,
    buf: &mut Vec<u8>,
    opts: &ScanOptions,
) -> (FileRecord, Option<ScannedFile>, Option<Diagnostic>) {
    let max = opts.max_file_size;
    // The path is filled in by `scan` when it keeps records (`credlint files`).
    let mut record = FileRecord {
        path: String::new(),
        kind: w.name_kind,
        git: w.git,
        outcome: Outcome::NoCandidates,
    };
    let credential_named = w.name_kind.is_some_and(FileKind::is_credential_kind) || w.explicit;
    let outcome = read_candidate(&w.path, buf, max, credential_named);
    let skipped = |record: &mut FileRecord, outcome, note_text: Option<String>| {
        record.outcome = outcome;
        note_text
            .filter(|_| credential_named)
            .map(|t| note(&w.display, t))
    };
    let mode = match outcome {
        Ok(ReadOutcome::Candidate { mode }) => mode,
        Ok(ReadOutcome::NoCandidate) => return (record, None, None),
        Ok(ReadOutcome::Binary) => {
            let d = skipped(
                &mut record,
                Outcome::Binary,
                Some("skipped: binary content".into()),
            );
            return (record, None, d);
        }
        Ok(ReadOutcome::TooLarge(size)) => {
            let text =
                format!("skipped: {size} bytes is over the {max}-byte size cap (--max-file-size)");
            let d = skipped(&mut record, Outcome::TooLarge, Some(text));
            return (record, None, d);
        }
        Err(e) => {
            record.outcome = Outcome::Unreadable;
            // A file deleted between the walk and the read is a race, not a failure.
            let vanished = e.kind() == std::io::ErrorKind::NotFound;
            let d = Diagnostic {
                path: w.display.clone(),
                severity: if vanished {
                    DiagnosticSeverity::Note
                } else {
                    DiagnosticSeverity::Error
                },
                message: if vanished {
                    "vanished during the scan".to_owned()
                } else {
                    format!("cannot read: {e}")
                },
            };
            return (record, None, Some(d));
        }
    };
    // The thread's buffer is kept for the next file; a big file's bytes are handed over
    // instead, so that they are not held twice while the file is parsed.
    let source = if buf.len() > TAKE_BUFFER_FROM {
        SourceFile::from_vec(w.display.clone(), std::mem::take(buf))
    } else {
        SourceFile::from_bytes(w.display.clone(), buf)
    };
    let kind = w
        .name_kind
        .or_else(|| discover::kind_by_content(&w.path, &source.text))
        .unwrap_or(FileKind::Other);
    record.kind = Some(kind);
    if !kind.is_credential_kind() && !PREFILTER_AC.is_match(source.text.as_bytes()) {
        return (record, None, None);
    }
    // An ansible-vault file is ciphertext until deployment decrypts it: no SDK reads it as
    // it is, and its lines are not settings.
    if source
        .text
        .trim_start_matches('\u{feff}')
        .starts_with("$ANSIBLE_VAULT;")
    {
        record.outcome = Outcome::Encrypted;
        return (record, None, None);
    }
    let diag = match source.encoding {
        Encoding::Lossy => Some(note(
            &w.display,
            "not valid UTF-8: read with invalid bytes replaced",
        )),
        Encoding::Utf16Le | Encoding::Utf16Be => Some(note(
            &w.display,
            "UTF-16 text: transcoded to read it (AWS SDKs cannot read UTF-16)",
        )),
        Encoding::Utf8Bom if kind.is_credential_kind() && !kind.is_ini() => {
            Some(note(&w.display, "starts with a UTF-8 byte order mark"))
        }
        _ => None,
    };
    record.outcome = Outcome::Parsed;
    let reading = if w.in_tests && !opts.tests_in_full {
        parse::Reading::TestCode
    } else {
        parse::Reading::Full
    };
    let parsed = parse::parse_as(kind, &source, reading);
    let documents = parse::documents::parse(kind, &source.text);
    let (trust, trust_error) = trust_policies(documents, &source);
    let diag = diag.or_else(|| env_parse_note(&w.display, &parsed, &source));
    let diag = diag.or(trust_error.map(|m| note(&w.display, m)));
    if inert(kind, &parsed, &trust, &source) {
        // Parsed, but nothing in it for a rule: its text is not kept.
        return (record, None, diag);
    }
    (
        record,
        Some(ScannedFile {
            kind,
            git: w.git,
            source,
            parsed,
            trust,
            // Who may read a file matters only for files that hold credentials.
            mode: mode.filter(|_| kind.is_credential_kind()),
            in_tests: w.in_tests,
        }),
        diag,
    )
}

/// Whether a parsed file gives the rules nothing: not a credential, CI or container file
/// (those are judged by what they lack too), no credential call, environment write,
/// profile, dotenv load, secret-named pair or trust policy, no key id in its text and no
/// suppression comment. The workspace need not keep such a file, so memory follows the
/// files that matter rather than every file the prefilter let through.
fn inert(
    kind: FileKind,
    parsed: &parse::Parsed,
    trust: &[crate::model::trust::TrustPolicy],
    source: &SourceFile,
) -> bool {
    let nothing_parsed = match parsed {
        parse::Parsed::Text(pairs) => pairs.is_empty(),
        parse::Parsed::Code { code, .. } => {
            code.calls.is_empty()
                && code.secret_pairs.is_empty()
                && code.env.is_empty()
                && code.profiles.is_empty()
                && code.dotenv_loads.is_empty()
        }
        _ => false,
    };
    nothing_parsed
        && !kind.is_credential_kind()
        && trust.is_empty()
        // `credlint:ignore` (see crate::suppress): an unused one is a finding.
        && !source.text.contains("credlint:ignore")
        && crate::keys::find_key_ids(&source.text).next().is_none()
        && crate::keys::bedrock::find(&source.text).is_empty()
}

/// Trust policies of IAM JSON, `CloudFormation` and Terraform files that mention role
/// assumption; a file that does not parse gets a note.
fn trust_policies(
    documents: parse::documents::Documents,
    source: &SourceFile,
) -> (Vec<crate::model::trust::TrustPolicy>, Option<String>) {
    match crate::model::trust::extract(&source.path, &source.text, documents) {
        Ok(p) => (p, None),
        Err((at, e)) => (Vec::new(), Some(format!("{}: {e}", source.position(at)))),
    }
}

/// dotenv and shell statements that could not be parsed (python-dotenv skips them with a
/// warning; so does credlint).
fn env_parse_note(path: &str, parsed: &parse::Parsed, source: &SourceFile) -> Option<Diagnostic> {
    let parse::Parsed::Env(env) = parsed else {
        return None;
    };
    let e = env.errors.first()?;
    let pos = source.position(e.span.start);
    let more = if env.errors.len() > 1 {
        format!(" (and {} more)", env.errors.len() - 1)
    } else {
        String::new()
    };
    Some(note(
        path,
        format!("{pos}: {}; the statement is skipped{more}", e.message),
    ))
}

#[cfg(test)]
mod tests {
    use super::catch_panic;

    #[test]
    fn a_panic_while_reading_a_file_is_an_error_with_its_place() {
        assert_eq!(catch_panic(|| 7), Ok(7));
        let text = "é";
        let err = catch_panic(|| text[1..].len()).expect_err("slicing inside a character");
        assert!(err.contains("char boundary"), "{err}");
        assert!(err.contains("src/scan.rs:"), "{err}");
        // The thread reads the next file as before.
        assert_eq!(catch_panic(|| "next"), Ok("next"));
    }
}
