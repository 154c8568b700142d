//! The model: the workspace (every parsed file, and the credential groups rules reason
//! about: an env file's variables, an ini section's keys with inherited defaults) and what
//! is built from it (homes, profile chains, trust policies, OIDC verdicts). The workspace
//! and the scanned file live in their own modules ([`workspace`], [`scanned`]) and are
//! re-exported here, so that the modules built from the files never import this one.

pub mod bearer;
pub mod chain;
pub mod fs;
pub mod homes;
pub mod imds;
pub mod oidc;
pub mod profiles;
mod raise;
pub mod scanned;
pub mod sdk;
pub mod sections;
pub mod slot;
pub mod trust;
pub mod workspace;

/// The Python ports, under the names the model used for them.
pub use crate::py::{dateutil, shlex as pyshlex, url as pyurl};

pub use scanned::ScannedFile;
pub use workspace::{Group, GroupKind, LayeredEnv, Location, Setting, Workspace};
