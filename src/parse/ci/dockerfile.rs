//! Dockerfiles: a lexer for instructions (continuation lines, quotes, the escape
//! directive) and the variables `ENV` and `ARG` set.

use super::common::{CiFile, EnvBlock, ImageVar};
use crate::parse::env::{EnvAssignment, ValueOrigin};
use crate::source::Span;

/// The escape character of a Dockerfile: `\`, or what a leading `# escape=` directive says.
fn dockerfile_escape(text: &str) -> char {
    for line in text.lines() {
        let t = line.trim();
        let Some(directive) = t.strip_prefix('#') else {
            break;
        };
        if let Some((k, v)) = directive.split_once('=')
            && k.trim().eq_ignore_ascii_case("escape")
            && let Some(c) = v.trim().chars().next()
        {
            return c;
        }
    }
    '\\'
}

/// One instruction of a Dockerfile with its continuation lines joined, and where each
/// byte of it is in the file.
struct Instruction {
    text: String,
    map: Vec<usize>,
}

impl Instruction {
    fn span(&self, start: usize, end: usize) -> Span {
        let at = |i: usize| self.map.get(i).copied();
        let s = at(start)
            .or_else(|| self.map.last().map(|l| l + 1))
            .unwrap_or(0);
        let e = if end > start {
            at(end - 1).map_or(s, |l| l + 1)
        } else {
            s
        };
        Span::new(s, e.max(s))
    }
}

fn instructions(text: &str, escape: char) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut cur = Instruction {
        text: String::new(),
        map: Vec::new(),
    };
    let mut continuing = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let t = body.trim_start();
        // Comments, directives and blank lines, also between continuation lines.
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let trimmed = body.trim_end();
        let (content, cont) = match trimmed.strip_suffix(escape) {
            Some(c) => (c, true),
            None => (body, false),
        };
        for (i, ch) in content.char_indices() {
            cur.text.push(ch);
            cur.map.extend((0..ch.len_utf8()).map(|k| start + i + k));
        }
        continuing = cont;
        if !continuing {
            out.push(std::mem::replace(
                &mut cur,
                Instruction {
                    text: String::new(),
                    map: Vec::new(),
                },
            ));
        }
    }
    if continuing && !cur.text.is_empty() {
        out.push(cur);
    }
    out
}

/// A `KEY=value` word: the key's range, the decoded value with its range (inside quotes
/// when the whole value is quoted), and whether it expands a variable.
struct Word {
    key: (usize, usize),
    value: Option<WordValue>,
}

/// A decoded value, its range in the instruction, and whether it expands a variable.
type WordValue = (String, usize, usize, bool);

/// Split `s[from..]` into `KEY=value` words the way the Dockerfile parser does: quotes
/// group, the escape character protects the next character.
fn words(s: &str, from: usize, escape: char) -> Vec<Word> {
    let b: Vec<(usize, char)> = s[from..]
        .char_indices()
        .map(|(i, c)| (i + from, c))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].1.is_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let key_start = b[i].0;
        while i < b.len() && b[i].1 != '=' && !b[i].1.is_whitespace() {
            i += 1;
        }
        let key_end = b.get(i).map_or(s.len(), |x| x.0);
        if i >= b.len() || b[i].1 != '=' {
            out.push(Word {
                key: (key_start, key_end),
                value: None,
            });
            continue;
        }
        i += 1; // '='
        let raw_start = b.get(i).map_or(s.len(), |x| x.0);
        let mut value = String::new();
        let (mut sq, mut dq, mut dollar) = (false, false, false);
        let first_quote = b.get(i).map(|x| x.1).filter(|c| *c == '"' || *c == '\'');
        let mut closed_at = None;
        while i < b.len() {
            let c = b[i].1;
            if !sq && !dq && c.is_whitespace() {
                break;
            }
            if c == escape && !sq && i + 1 < b.len() {
                value.push(b[i + 1].1);
                i += 2;
                continue;
            }
            match c {
                '\'' if !dq => {
                    sq = !sq;
                    if !sq {
                        closed_at = Some(i);
                    }
                }
                '"' if !sq => {
                    dq = !dq;
                    if !dq {
                        closed_at = Some(i);
                    }
                }
                '$' if !sq => {
                    dollar = true;
                    value.push(c);
                }
                _ => value.push(c),
            }
            i += 1;
        }
        let raw_end = b.get(i).map_or(s.len(), |x| x.0);
        // A value quoted as a whole points inside its quotes.
        let (vs, ve) = match (first_quote, closed_at) {
            (Some(_), Some(close)) if b.get(close + 1).is_none_or(|x| x.1.is_whitespace()) => {
                (raw_start + 1, b[close].0)
            }
            _ => (raw_start, raw_end),
        };
        out.push(Word {
            key: (key_start, key_end),
            value: Some((value, vs, ve, dollar)),
        });
    }
    out
}

/// A Dockerfile: `ENV KEY=value …`, `ENV KEY value`, `ARG KEY[=default] …`, with
/// continuation lines, quotes and the escape directive.
#[must_use]
pub fn dockerfile(text: &str) -> CiFile {
    let escape = dockerfile_escape(text);
    let mut out = CiFile::default();
    for ins in instructions(text, escape) {
        let s = ins.text.as_str();
        let lead = s.len() - s.trim_start().len();
        let word_end = s[lead..]
            .find(char::is_whitespace)
            .map_or(s.len(), |i| i + lead);
        let instruction = match s[lead..word_end].to_ascii_uppercase().as_str() {
            "ENV" => "ENV",
            "ARG" => "ARG",
            _ => continue,
        };
        let rest_start = word_end + (s[word_end..].len() - s[word_end..].trim_start().len());
        let first = s[rest_start..].split_whitespace().next().unwrap_or("");
        let mut items: Vec<(String, Word)> = Vec::new();
        if instruction == "ENV" && !first.is_empty() && !first.contains('=') {
            // Legacy `ENV KEY value with spaces`: the rest of the line is the value.
            let key_end = rest_start + first.len();
            let after = &s[key_end..];
            let v_start = key_end + (after.len() - after.trim_start().len());
            let raw = s[v_start..].trim_end();
            let (vs, ve) = if raw.len() >= 2
                && ((raw.starts_with('"') && raw.ends_with('"'))
                    || (raw.starts_with('\'') && raw.ends_with('\'')))
            {
                (v_start + 1, v_start + raw.len() - 1)
            } else {
                (v_start, v_start + raw.len())
            };
            let value = s[vs..ve].to_owned();
            let dollar = value.contains('$') && !raw.starts_with('\'');
            items.push((
                first.to_owned(),
                Word {
                    key: (rest_start, key_end),
                    value: Some((value, vs, ve, dollar)),
                },
            ));
        } else {
            for w in words(s, rest_start, escape) {
                items.push((s[w.key.0..w.key.1].to_owned(), w));
            }
        }
        for (key, w) in items {
            if key.is_empty() {
                continue;
            }
            let key_span = ins.span(w.key.0, w.key.1);
            let (value, value_span, origin) = match w.value {
                Some((v, vs, ve, dollar)) => (
                    Some(v),
                    ins.span(vs, ve),
                    if dollar {
                        ValueOrigin::Reference
                    } else {
                        ValueOrigin::Literal
                    },
                ),
                None => (
                    None,
                    Span::new(key_span.end, key_span.end),
                    ValueOrigin::Literal,
                ),
            };
            out.image_vars.push(ImageVar {
                instruction,
                var: EnvAssignment {
                    key,
                    key_span,
                    value,
                    value_span,
                    origin,
                    exported: true,
                    command_prefix: false,
                },
            });
        }
    }
    if !out.image_vars.is_empty() {
        let vars = out.image_vars.iter().map(|i| i.var.clone()).collect();
        out.env_blocks.push(EnvBlock {
            scope: "image environment".into(),
            anchor: Span::new(0, 0),
            vars,
            inherits: Vec::new(),
            env_files: Vec::new(),
        });
    }
    out
}
