//! The precedence simulation on an arbitrary config and credentials file pair.
#![no_main]
use credlint::model::chain::{self, Context, Files};
use credlint::model::profiles::LoadedIni;
use credlint::parse::ini;
use credlint::source::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::sync::Arc;

struct Two(Option<Arc<LoadedIni>>, Option<Arc<LoadedIni>>);

impl Files for Two {
    fn ini(&self, path: &str) -> Option<Arc<LoadedIni>> {
        match path {
            "/h/.aws/config" => self.0.clone(),
            "/h/.aws/credentials" => self.1.clone(),
            _ => None,
        }
    }
    fn bytes(&self, _: &str) -> Option<(String, Vec<u8>)> {
        None
    }
}

fn load(bytes: &[u8]) -> Arc<LoadedIni> {
    let source = SourceFile::from_bytes("f".into(), bytes);
    let ini = ini::parse(&source.text, false);
    Arc::new(LoadedIni { source, ini })
}

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
    let (a, b) = data.split_at(cut);
    let files = Two(Some(load(a)), Some(load(b.get(1..).unwrap_or_default())));
    let env: BTreeMap<String, String> = [("HOME".to_owned(), "/h".to_owned())].into();
    for profile in [None, Some("default"), Some("dev"), Some("a")] {
        let r = chain::resolve(&Context { env: &env, explicit_profile: profile, files: &files });
        assert_eq!(r.providers.len(), 12);
        assert!(r.winner.is_none() || r.error.is_none());
    }
});
