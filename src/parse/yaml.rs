//! YAML with positions: `yaml-rust2`'s event parser builds a small tree whose every node
//! knows its byte offset. Aliases are not expanded (an alias bomb stays small), and nesting
//! beyond a fixed depth stops the parse with an error instead of exhausting the stack.

use crate::source::Span;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deeper documents are refused.
pub const MAX_DEPTH: usize = 256;

#[derive(Clone, Debug)]
pub enum Yaml {
    Map(Vec<(Node, Node)>),
    Seq(Vec<Node>),
    /// A scalar's text; `quoted` for single- or double-quoted scalars.
    Scalar {
        text: String,
        quoted: bool,
    },
    /// An alias (`*a`), deliberately not expanded.
    Alias,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub value: Yaml,
    /// Where the node starts (a scalar's first character, a collection's opening).
    pub span: Span,
    /// A YAML tag such as `!Sub`.
    pub tag: Option<String>,
}

impl Node {
    /// The value of `key` in a mapping.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Yaml::Map(pairs) => pairs
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Yaml::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    #[must_use]
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Yaml::Map(pairs) => pairs,
            _ => &[],
        }
    }

    #[must_use]
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Yaml::Seq(items) => items,
            _ => &[],
        }
    }
}

struct Builder<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    stack: Vec<(Node, Option<Node>)>,
    docs: Vec<Node>,
    too_deep: bool,
}

impl Builder<'_> {
    /// Byte offset of a marker (1-based line, 0-based column in characters).
    fn offset(&self, m: Marker) -> usize {
        let line = m
            .line()
            .saturating_sub(1)
            .min(self.line_starts.len().saturating_sub(1));
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let rest = &self.text[start..];
        let col = rest
            .char_indices()
            .nth(m.col())
            .map_or(rest.len(), |(i, _)| i);
        (start + col).min(self.text.len())
    }

    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some((parent, pending_key)) => match &mut parent.value {
                Yaml::Seq(items) => items.push(node),
                Yaml::Map(pairs) => match pending_key.take() {
                    None => *pending_key = Some(node),
                    Some(k) => pairs.push((k, node)),
                },
                _ => {}
            },
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.too_deep {
            return;
        }
        let at = self.offset(mark);
        let span = Span::new(at, at);
        let is_seq = matches!(ev, Event::SequenceStart(..));
        let tag_of =
            |t: Option<yaml_rust2::parser::Tag>| t.map(|t| format!("{}{}", t.handle, t.suffix));
        match ev {
            Event::Scalar(text, style, _, tag) => {
                let quoted = matches!(
                    style,
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
                );
                let end = (at + text.len()).min(self.text.len());
                let span = if quoted {
                    Span::new(
                        (at + 1).min(self.text.len()),
                        (at + 1 + text.len()).min(self.text.len()),
                    )
                } else {
                    Span::new(at, end)
                };
                self.push_value(Node {
                    value: Yaml::Scalar { text, quoted },
                    span,
                    tag: tag_of(tag),
                });
            }
            Event::Alias(_) => self.push_value(Node {
                value: Yaml::Alias,
                span,
                tag: None,
            }),
            Event::SequenceStart(_, tag) | Event::MappingStart(_, tag) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.too_deep = true;
                    return;
                }
                let value = if is_seq {
                    Yaml::Seq(Vec::new())
                } else {
                    Yaml::Map(Vec::new())
                };
                self.stack.push((
                    Node {
                        value,
                        span,
                        tag: tag_of(tag),
                    },
                    None,
                ));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, _)) = self.stack.pop() {
                    self.push_value(node);
                }
            }
            _ => {}
        }
    }
}

/// Parse every document of a YAML stream. `Err` carries a position and a message.
pub fn parse(text: &str) -> Result<Vec<Node>, (usize, String)> {
    let mut line_starts = vec![0];
    line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let mut b = Builder {
        text,
        line_starts,
        stack: Vec::new(),
        docs: Vec::new(),
        too_deep: false,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut b, true) {
        let m = e.marker();
        return Err((b.offset(*m), e.info().to_owned()));
    }
    if b.too_deep {
        return Err((0, format!("nested deeper than {MAX_DEPTH} levels")));
    }
    Ok(b.docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_scalars() {
        let text = "jobs:\n  build:\n    env:\n      AWS_KEY: \"abc\"\n      X: plain\n";
        let docs = parse(text).expect("yaml");
        let env = docs[0]
            .get("jobs")
            .and_then(|j| j.get("build"))
            .and_then(|b| b.get("env"))
            .expect("env");
        let (k, v) = &env.entries()[0];
        assert_eq!(&text[k.span.start..k.span.end], "AWS_KEY");
        assert_eq!(&text[v.span.start..v.span.end], "abc");
        let (_, x) = &env.entries()[1];
        assert_eq!(&text[x.span.start..x.span.end], "plain");
    }

    #[test]
    fn tags_aliases_and_depth() {
        let docs = parse("a: !Sub 'x-${AWS::AccountId}'\nb: &r [1]\nc: *r\n").expect("yaml");
        assert_eq!(
            docs[0].get("a").and_then(|a| a.tag.clone()).as_deref(),
            Some("!Sub")
        );
        assert!(matches!(
            docs[0].get("c").map(|c| &c.value),
            Some(Yaml::Alias)
        ));
        let deep = format!("{}1{}", "[".repeat(1000), "]".repeat(1000));
        assert!(parse(&deep).is_err());
        assert!(parse("a: [unclosed\n").is_err());
    }
}
