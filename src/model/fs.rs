//! The chain's view of a real machine: files under a home directory and an optional root
//! that prefixes absolute system paths (such as `/etc/boto.cfg`). Reads only; never
//! follows a path into a command or a socket.

use super::chain::Files;
use super::profiles::LoadedIni;
use crate::parse::ini;
use crate::source::{Encoding, SourceFile};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files on disk, parsed once each.
pub struct RealFiles {
    home: PathBuf,
    root: Option<PathBuf>,
    cache: RefCell<HashMap<PathBuf, Option<Arc<LoadedIni>>>>,
}

impl RealFiles {
    #[must_use]
    pub fn new(home: PathBuf, root: Option<PathBuf>) -> Self {
        Self {
            home,
            root,
            cache: RefCell::default(),
        }
    }

    /// Where `path` really is: absolute paths outside the home directory move under the
    /// root when one is given.
    #[must_use]
    pub fn locate(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        match &self.root {
            Some(root) if p.is_absolute() && !p.starts_with(&self.home) => {
                root.join(p.strip_prefix("/").unwrap_or(p))
            }
            _ => p.to_path_buf(),
        }
    }
}

impl RealFiles {
    /// The ini files read so far (those that exist), with the path as shown and the real
    /// path, sorted by real path.
    #[must_use]
    pub fn loaded(&self) -> Vec<(PathBuf, Arc<LoadedIni>)> {
        let mut out: Vec<(PathBuf, Arc<LoadedIni>)> = self
            .cache
            .borrow()
            .iter()
            .filter_map(|(p, l)| Some((p.clone(), l.clone()?)))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// A path as the user thinks of it: `~/…` under the home directory.
    fn display(&self, real: &Path) -> String {
        match real.strip_prefix(&self.home) {
            Ok(under_home) => format!("~/{}", under_home.display()),
            Err(_) => real.display().to_string(),
        }
    }
}

impl Files for RealFiles {
    fn ini(&self, path: &str) -> Option<Arc<LoadedIni>> {
        if path.is_empty() {
            return None;
        }
        let real = self.locate(path);
        if let Some(hit) = self.cache.borrow().get(&real) {
            return hit.clone();
        }
        let loaded = real
            .is_file()
            .then(|| std::fs::read(&real).ok())
            .flatten()
            .map(|bytes| {
                let source = SourceFile::from_bytes(self.display(&real), &bytes);
                let not_utf8 = matches!(
                    source.encoding,
                    Encoding::Lossy | Encoding::Utf16Le | Encoding::Utf16Be
                );
                let ini = ini::parse(&source.text, not_utf8);
                Arc::new(LoadedIni { source, ini })
            });
        self.cache.borrow_mut().insert(real, loaded.clone());
        loaded
    }

    fn bytes(&self, path: &str) -> Result<(String, Vec<u8>), &'static str> {
        let real = self.locate(path);
        let bytes = std::fs::read(&real).map_err(|e| python_os_error(&e))?;
        Ok((real.display().to_string(), bytes))
    }
}

pub use crate::py::os_error::python_os_error;
