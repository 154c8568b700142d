//! Homes: the sets of AWS files in a scanned tree that an SDK would read together. A
//! `.aws/` folder makes its parent a home (`.aws/credentials`, `.aws/config`, a sibling
//! `.boto`); AWS files found elsewhere make their own folder a home. Each home, with each
//! env file of the tree, is a context for the precedence simulation.

use super::chain::{self, Context, Files, Resolution};
use super::profiles::LoadedIni;
use super::scanned::ScannedFile;
use crate::discover::FileKind;
use crate::parse::Parsed;
use crate::parse::env::ValueOrigin;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The AWS files of one home, as indices into the workspace's files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Home {
    /// The folder standing in for `~`, relative to the scan (display form).
    pub dir: String,
    pub credentials: Option<usize>,
    pub config: Option<usize>,
    pub boto: Option<usize>,
}

/// Group the workspace's AWS files into homes, sorted by folder.
#[must_use]
pub fn homes(files: &[ScannedFile]) -> Vec<Home> {
    let mut by_dir: BTreeMap<String, Home> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if !f.kind.is_ini() {
            continue;
        }
        let path = f.path();
        let (dir, _) = path.rsplit_once('/').unwrap_or(("", path));
        let home_dir = dir
            .strip_suffix(".aws")
            .map_or(dir, |d| d.trim_end_matches('/'));
        let home = by_dir.entry(home_dir.to_owned()).or_insert_with(|| Home {
            dir: home_dir.to_owned(),
            ..Home::default()
        });
        let slot = match f.kind {
            FileKind::AwsCredentials => &mut home.credentials,
            FileKind::AwsConfig => &mut home.config,
            _ => &mut home.boto,
        };
        // Prefer the canonical location (`.aws/credentials`) when a folder has several.
        if slot.is_none() || dir.rsplit('/').next() == Some(".aws") {
            *slot = Some(i);
        }
    }
    by_dir
        .into_values()
        .filter(|h| h.credentials.is_some() || h.config.is_some())
        .collect()
}

/// The files of one home, seen through the paths botocore asks for.
pub struct HomeFiles {
    map: HashMap<&'static str, Arc<LoadedIni>>,
}

/// The fake home directory paths are expanded against.
pub const HOME: &str = "/home/credlint";

impl HomeFiles {
    #[must_use]
    pub fn new(files: &[ScannedFile], home: &Home) -> Self {
        let mut map = HashMap::new();
        let load = |i: usize| {
            let f = &files[i];
            let Parsed::Ini(ini) = &f.parsed else {
                return None;
            };
            let source = crate::source::SourceFile::new(
                f.source.path.clone(),
                f.source.text.clone(),
                f.source.encoding,
            );
            Some(Arc::new(LoadedIni {
                source,
                ini: ini.clone(),
            }))
        };
        for (key, idx) in [
            ("/home/credlint/.aws/credentials", home.credentials),
            ("/home/credlint/.aws/config", home.config),
            ("/home/credlint/.boto", home.boto),
        ] {
            if let Some(l) = idx.and_then(load) {
                map.insert(key, l);
            }
        }
        Self { map }
    }
}

impl Files for HomeFiles {
    fn ini(&self, path: &str) -> Option<Arc<LoadedIni>> {
        self.map.get(path).cloned()
    }

    fn bytes(&self, _path: &str) -> Result<(String, Vec<u8>), &'static str> {
        Err("FileNotFoundError")
    }
}

/// The variables an env file sets when loaded, literal or not (a derived value is still
/// *set*, which is what precedence depends on).
#[must_use]
pub fn env_of(file: &ScannedFile) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    if let Parsed::Env(e) = &file.parsed {
        for a in e.assignments.iter().filter(|a| !a.command_prefix) {
            if let Some(v) = &a.value {
                let v = if a.origin == ValueOrigin::Literal {
                    v.clone()
                } else {
                    format!("<{} from {}>", a.key, file.path())
                };
                env.insert(a.key.clone(), v);
            }
        }
    }
    env
}

/// Resolve the default chain for a home with an environment (only `HOME` is added).
#[must_use]
pub fn resolve(
    files: &[ScannedFile],
    home: &Home,
    env: &BTreeMap<String, String>,
    explicit_profile: Option<&str>,
) -> Resolution {
    let files = HomeFiles::new(files, home);
    let mut env = env.clone();
    env.insert("HOME".into(), HOME.into());
    env.entry("AWS_EC2_METADATA_DISABLED".into())
        .or_insert_with(|| "true".into());
    chain::resolve(&Context {
        env: &env,
        explicit_profile,
        files: &files,
    })
}

/// A home's files for the other SDKs' models, which read the shared files' text themselves
/// (their own parsers): [`HomeFiles`], whose plain-file reads also serve the home's files
/// (their decoded text). botocore's rules keep [`HomeFiles`], where a plain-file read finds
/// nothing.
struct SdkHomeFiles(HomeFiles);

impl Files for SdkHomeFiles {
    fn ini(&self, path: &str) -> Option<Arc<LoadedIni>> {
        self.0.ini(path)
    }

    fn bytes(&self, path: &str) -> Result<(String, Vec<u8>), &'static str> {
        let l = self.0.map.get(path).ok_or("FileNotFoundError")?;
        Ok((l.source.path.clone(), l.source.text.as_bytes().to_vec()))
    }
}

/// Every modelled SDK's verdict for a home with an environment, through the same
/// [`super::sdk::side::resolve_all`] as `resolve --sdk all` (only `HOME` is added, and
/// instance metadata is off as in [`resolve`]).
#[must_use]
pub fn resolve_sdks(
    files: &[ScannedFile],
    home: &Home,
    env: &BTreeMap<String, String>,
) -> Vec<super::sdk::side::Verdict> {
    let files = SdkHomeFiles(HomeFiles::new(files, home));
    let mut env = env.clone();
    env.insert("HOME".into(), HOME.into());
    env.entry("AWS_EC2_METADATA_DISABLED".into())
        .or_insert_with(|| "true".into());
    super::sdk::side::resolve_all(&Context {
        env: &env,
        explicit_profile: None,
        files: &files,
    })
}

/// A home's profile maps, as botocore builds them.
#[derive(Debug)]
pub struct HomeView {
    pub home: Home,
    pub config: super::profiles::ConfigMap,
    pub credentials: Vec<(String, super::profiles::Section)>,
    pub merged: HashMap<String, super::profiles::Section>,
}

impl HomeView {
    #[must_use]
    pub fn new(files: &[ScannedFile], home: &Home) -> Self {
        let files = HomeFiles::new(files, home);
        let config = files
            .ini("/home/credlint/.aws/config")
            .map(|f| super::profiles::config_map(&f))
            .unwrap_or_default();
        let credentials = files
            .ini("/home/credlint/.aws/credentials")
            .map(|f| super::profiles::raw_sections(&f))
            .unwrap_or_default();
        let merged = super::profiles::merged_profiles(&config, &credentials);
        Self {
            home: home.clone(),
            config,
            credentials,
            merged,
        }
    }

    /// Profile names, sorted.
    #[must_use]
    pub fn profile_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.merged.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}
