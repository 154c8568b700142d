//! A scanned file: what was read and parsed of one file of the tree, with the trust
//! policies found in it. It imports nothing of the model but the trust policy types, so
//! that the parts of the model built from the files (homes, trust policies) can read them
//! without importing the workspace.

use super::trust::TrustPolicy;
use crate::discover::{FileKind, GitStatus};
use crate::parse::Parsed;
use crate::source::SourceFile;

/// A file that was read and parsed.
#[derive(Debug)]
pub struct ScannedFile {
    pub kind: FileKind,
    pub git: GitStatus,
    pub source: SourceFile,
    pub parsed: Parsed,
    /// IAM role trust policies found in the file (JSON, `CloudFormation`, Terraform).
    pub trust: Vec<TrustPolicy>,
    /// Unix permission bits (`0o777`) of credential kinds, read from the opened file;
    /// `None` for other kinds and on platforms without them.
    pub mode: Option<u32>,
    /// Test code of the tree scanned (`discover::is_test_path`).
    pub in_tests: bool,
}

impl ScannedFile {
    #[must_use]
    pub fn path(&self) -> &str {
        &self.source.path
    }
}
