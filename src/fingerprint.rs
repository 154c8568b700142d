//! Stable fingerprints of findings for baselines and SARIF: the rule, the file, and a hash
//! of the finding's line with secrets redacted and white space folded, plus an occurrence
//! number among identical tuples. Line numbers never enter, so moving lines keeps them.

use crate::finding::Finding;
use crate::model::Workspace;
use crate::source::SourceFile;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Fingerprints of `findings` (same order): `"<16 hex digits>:<occurrence>"`.
#[must_use]
pub fn fingerprints(ws: &Workspace, findings: &[Finding]) -> Vec<String> {
    let index: HashMap<&str, usize> = ws
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path(), i))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut redacted: HashMap<usize, SourceFile> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let line = index
                .get(f.location.path.as_str())
                .map_or_else(String::new, |&i| {
                    let file = redacted.entry(i).or_insert_with(|| {
                        SourceFile::new(
                            String::new(),
                            ws.redacted_text(i),
                            ws.files[i].source.encoding,
                        )
                    });
                    file.line_text(f.location.start.line).to_owned()
                });
            let folded: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut h = Sha256::new();
            for part in [
                f.rule.code(),
                f.location.path.as_str(),
                folded.as_str(),
                f.message.as_str(),
            ] {
                h.update(part.as_bytes());
                h.update([0u8]);
            }
            let digest = h.finalize();
            let hex = digest.iter().take(8).fold(String::new(), |mut acc, b| {
                let _ = write!(acc, "{b:02x}");
                acc
            });
            let n = seen.entry(hex.clone()).or_insert(0);
            *n += 1;
            format!("{hex}:{n}")
        })
        .collect()
}
