//! Tool failures (as opposed to findings, which are data). Each carries the path or
//! argument it is about; the binary turns them into exit code 2.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    #[error("{path}:{line}: {message}")]
    Config {
        path: String,
        line: usize,
        message: String,
    },
}

impl Error {
    /// An error writing a command's output.
    #[must_use]
    pub fn output(source: std::io::Error) -> Self {
        Self::Io {
            path: "<stdout>".into(),
            source,
        }
    }
}
