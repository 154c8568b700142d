//! Parsers, one module per format. Each returns typed entries with byte spans and no
//! judgement: deciding what is wrong is the rules' job.

pub mod ci;
pub mod code;
pub mod dialects;
pub mod documents;
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

/// How much of a file the rules will judge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Everything: findings anywhere in the file are shown.
    Full,
    /// Test code whose findings are shown only for the rules that report in tests (a
    /// credential that looks real, a role assumed by hand: `registry::TestCode`). Source
    /// code gets a syntax tree only when it holds what those rules need
    /// ([`code::could_yield_in_tests`]); the rest of the file is read as usual.
    TestCode,
}

/// Parse a decoded file according to its kind.
#[must_use]
pub fn parse(kind: FileKind, source: &SourceFile) -> Parsed {
    parse_as(kind, source, Reading::Full)
}

/// [`parse`], reading as much as `reading` says.
#[must_use]
pub fn parse_as(kind: FileKind, source: &SourceFile, reading: Reading) -> Parsed {
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
        // The credential fields of a CLI or SDK cache file (STS `Credentials`, an SSO
        // token), read as pairs; the model gives them their slots.
        FileKind::AwsCache => {
            Parsed::Text(text::pairs(text, |k| crate::vocab::cache_slot(k).is_some()))
        }
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
            // packages, bundles, generated code and TypeScript declaration files get the
            // loose reading: a syntax tree would cost more than the rest of the scan.
            if !code::mentions_aws(text)
                || code::vendored(&source.path)
                || code::too_big_for_a_tree(text)
                || code::declarations_only(&source.path)
            {
                return Parsed::Text(text::secret_pairs(text));
            }
            let code = if reading == Reading::TestCode && !code::could_yield_in_tests(text, lang) {
                code::CodeFile::default()
            } else {
                code::parse(text, lang)
            };
            Parsed::Code {
                code,
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

/// A template with every run of lines that is only directives (`{{ if … }}`, `{{- end }}`,
/// a `{{/* comment */}}` or a pipeline spread over several lines) turned into blanks of the
/// same length, line breaks kept, so that the parsers read the file's own lines and every
/// span still points into the original text. Directives inside a line of the file's own
/// text stay as opaque text.
#[must_use]
pub fn blank_template_lines(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut line_start = 0;
    while line_start < bytes.len() {
        let mut at = line_start;
        while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
            at += 1;
        }
        // Directives from here: each ends at its first `}}` (Go templates do not nest them).
        let mut end = None;
        let mut pos = at;
        while text[pos..].starts_with("{{") {
            let Some(close) = text[pos + 2..].find("}}") else {
                break;
            };
            pos += 2 + close + 2;
            while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\t' | b'\r') {
                pos += 1;
            }
            if pos >= bytes.len() || bytes[pos] == b'\n' {
                end = Some(pos);
                break;
            }
        }
        let next_line = |from: usize| {
            text[from..]
                .find('\n')
                .map_or(bytes.len(), |i| from + i + 1)
        };
        match end {
            Some(stop) => {
                for b in &mut out[line_start..stop] {
                    if !matches!(*b, b'\n' | b'\r') {
                        *b = b' ';
                    }
                }
                line_start = next_line(stop);
            }
            None => line_start = next_line(line_start),
        }
    }
    // Only ASCII bytes of the text were replaced, by ASCII spaces, and only inside
    // directives that started and ended on character boundaries.
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod template_tests {
    use super::blank_template_lines;

    #[test]
    fn directive_lines_blank_and_spans_keep() {
        let text = "[default]\n{{/*\n  note …\n*/}}\n{{ if .work }}\n[profile w]\n{{ printf \"%s\" x |\n   upper }}\nregion = {{ .region }}\n{{- end }} {{ x }}\r\n";
        let out = blank_template_lines(text);
        assert_eq!(out.len(), text.len());
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines[0], "[default]");
        assert!(lines[1..5].iter().all(|l| l.trim().is_empty()), "{lines:?}");
        assert_eq!(lines[5], "[profile w]");
        assert!(lines[6].trim().is_empty() && lines[7].trim().is_empty());
        // A directive inside the file's own line stays as text.
        assert_eq!(lines[8], "region = {{ .region }}");
        assert_eq!(lines[9], "                  \r");
    }
}
