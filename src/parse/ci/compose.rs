//! docker-compose files: each service's `environment:` and `env_file:`.

use super::common::{CiFile, EnvBlock, env_of, parse_yaml};
use crate::parse::yaml::{Node, Yaml};
use crate::source::Span;

/// A docker-compose file: each service's `environment:` with its `env_file:` entries.
#[must_use]
pub fn compose(text: &str) -> CiFile {
    let docs = match parse_yaml(text) {
        Ok(d) => d,
        Err(f) => return *f,
    };
    let mut out = CiFile::default();
    for doc in &docs {
        for (name, service) in doc.get("services").map(Node::entries).unwrap_or_default() {
            let service_name = name.as_str().unwrap_or("?");
            let env_files: Vec<(String, Span)> = match service.get("env_file") {
                Some(files) => {
                    let list: Vec<&Node> = match &files.value {
                        Yaml::Seq(items) => {
                            items.iter().map(|i| i.get("path").unwrap_or(i)).collect()
                        }
                        _ => vec![files],
                    };
                    list.into_iter()
                        .filter_map(|f| f.as_str().map(|s| (s.to_owned(), f.span)))
                        .collect()
                }
                None => Vec::new(),
            };
            if let Some(env) = service.get("environment") {
                let mut vars = env_of(env);
                // `- KEY` or `KEY:` passes the host's variable through: `KEY=${KEY}`.
                for v in vars.iter_mut().filter(|v| v.value.is_none()) {
                    v.value = Some(format!("${{{}}}", v.key));
                }
                out.env_blocks.push(EnvBlock {
                    scope: format!("environment of service {service_name}"),
                    anchor: env.span,
                    vars,
                    inherits: Vec::new(),
                    env_files,
                });
            }
        }
    }
    out
}
