//! Parsers, one module per format. Each returns typed entries with byte spans and no
//! judgement: deciding what is wrong is the rules' job.

pub mod ci;
pub mod code;
pub mod dialects;
pub mod dotenv;
pub mod env;
pub mod hcl;
pub mod ini;
pub mod json;
pub mod notebook;
pub mod shell;
pub mod text;
pub mod yaml;

use crate::discover::FileKind;
use crate::source::{Encoding, SourceFile};

/// A file's parsed content.
#[derive(Debug)]
pub enum Parsed {
    /// dotenv files and shell scripts: variable assignments.
    Env(env::EnvFile),
    /// AWS credentials/config files and boto2 configs.
    Ini(ini::IniFile),
    /// Source code and notebooks; `cells` gives each notebook code cell's place in the
    /// file and its 1-based number (empty for plain source files).
    Code {
        code: code::CodeFile,
        cells: Vec<(crate::source::Span, usize)>,
    },
    /// CI workflows, Dockerfiles and compose files.
    Ci(ci::CiFile),
    /// Anything else: only loose credential-name pairs.
    Text(Vec<text::LoosePair>),
}

/// Parse a decoded file according to its kind.
#[must_use]
pub fn parse(kind: FileKind, source: &SourceFile) -> Parsed {
    let blanked;
    let text = if is_template(&source.path) {
        blanked = blank_template_lines(&source.text);
        blanked.as_str()
    } else {
        source.text.as_str()
    };
    match kind {
        FileKind::Dotenv => Parsed::Env(dotenv::parse(text)),
        FileKind::Shell => Parsed::Env(match dialects::Dialect::of_path(&source.path) {
            Some(d) => dialects::parse(text, d),
            None => shell::parse(text),
        }),
        FileKind::AwsCredentials | FileKind::AwsConfig | FileKind::Boto2 => {
            let not_utf8 = matches!(
                source.encoding,
                Encoding::Lossy | Encoding::Utf16Be | Encoding::Utf16Le
            );
            Parsed::Ini(ini::parse(text, not_utf8))
        }
        FileKind::Python
        | FileKind::JavaScript
        | FileKind::TypeScript
        | FileKind::Go
        | FileKind::Java => {
            let lang = match kind {
                FileKind::Python => code::Lang::Python,
                FileKind::JavaScript => code::Lang::JavaScript,
                FileKind::TypeScript if source.path.to_ascii_lowercase().ends_with(".tsx") => {
                    code::Lang::Tsx
                }
                FileKind::TypeScript => code::Lang::TypeScript,
                FileKind::Go => code::Lang::Go,
                _ => code::Lang::Java,
            };
            // Code that is not about AWS (the prefilter saw `withCredentials`), third-party
            // packages, bundles and generated code get the loose reading: a syntax tree
            // would cost more than the rest of the scan.
            if !code::mentions_aws(text)
                || code::vendored(&source.path)
                || code::too_big_for_a_tree(text)
            {
                return Parsed::Text(text::secret_pairs(text));
            }
            Parsed::Code {
                code: code::parse(text, lang),
                cells: Vec::new(),
            }
        }
        FileKind::Notebook => match code::mentions_aws(text)
            .then(|| notebook::parse(text))
            .flatten()
        {
            Some((code, cells)) => Parsed::Code { code, cells },
            None => Parsed::Text(text::secret_pairs(text)),
        },
        FileKind::GithubWorkflow => Parsed::Ci(ci::github_workflow(text)),
        FileKind::GitlabCi => Parsed::Ci(ci::gitlab_ci(text)),
        FileKind::Compose => Parsed::Ci(ci::compose(text)),
        FileKind::Dockerfile => Parsed::Ci(ci::dockerfile(text)),
        FileKind::Other | FileKind::Terraform | FileKind::Json | FileKind::Yaml => {
            Parsed::Text(text::secret_pairs(text))
        }
    }
}

/// A dotfile manager's template (chezmoi's `*.tmpl`).
fn is_template(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".tmpl")
}

/// A template with every line that is only directives (`{{ if … }}`, `{{- end }}`) turned
/// into blanks of the same length, so that the parsers read the file's own lines and every
/// span still points into the original text. Directives inside a line stay as opaque text.
#[must_use]
pub fn blank_template_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let t = body.trim();
        let only_directives = t.starts_with("{{") && t.ends_with("}}") && {
            let mut rest = t;
            loop {
                let Some(end) = rest.find("}}") else {
                    break false;
                };
                rest = rest[end + 2..].trim_start();
                if rest.is_empty() {
                    break true;
                }
                if !rest.starts_with("{{") {
                    break false;
                }
            }
        };
        if only_directives {
            out.extend(std::iter::repeat_n(' ', body.len()));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}
