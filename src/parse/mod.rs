//! Parsers, one module per format. Each returns typed entries with byte spans and no
//! judgement: deciding what is wrong is the rules' job.

pub mod dotenv;
pub mod env;
pub mod ini;
pub mod shell;
pub mod text;

use crate::discover::FileKind;
use crate::source::{Encoding, SourceFile};

/// A file's parsed content.
#[derive(Debug)]
pub enum Parsed {
    /// dotenv files and shell scripts: variable assignments.
    Env(env::EnvFile),
    /// AWS credentials/config files and boto2 configs.
    Ini(ini::IniFile),
    /// Anything else: only loose credential-name pairs.
    Text(Vec<text::LoosePair>),
}

/// Parse a decoded file according to its kind.
#[must_use]
pub fn parse(kind: FileKind, source: &SourceFile) -> Parsed {
    let text = source.text.as_str();
    match kind {
        FileKind::Dotenv => Parsed::Env(dotenv::parse(text)),
        FileKind::Shell => Parsed::Env(shell::parse(text)),
        FileKind::AwsCredentials | FileKind::AwsConfig | FileKind::Boto2 => {
            let not_utf8 = matches!(
                source.encoding,
                Encoding::Lossy | Encoding::Utf16Be | Encoding::Utf16Le
            );
            Parsed::Ini(ini::parse(text, not_utf8))
        }
        FileKind::Other => Parsed::Text(text::pairs(text, crate::model::slot::is_secret_name)),
    }
}
