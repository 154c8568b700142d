//! Jupyter notebooks: the code cells are parsed as Python and every span is mapped back to
//! the line of the notebook file where that cell line is stored.

use super::code::{self, CodeFile, Lang};
use crate::source::Span;

/// One stretch of cell text and where it sits in the notebook file.
struct Segment {
    cell_start: usize,
    file_start: usize,
    len: usize,
}

/// The code cells of a notebook and the offset of each JSON string that holds their lines.
/// The concatenated code, its segments, and (code offset, cell number) of each code cell.
type Cells = (String, Vec<Segment>, Vec<(usize, usize)>);

fn cells(text: &str) -> Option<Cells> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut code = String::new();
    let mut segments = Vec::new();
    let mut cell_ranges = Vec::new();
    let mut cursor = 0;
    for (index, cell) in doc.get("cells")?.as_array()?.iter().enumerate() {
        // Every cell has one "source"; find this cell's in file order.
        let at = text[cursor..].find("\"source\"")? + cursor;
        cursor = at + 8;
        if cell.get("cell_type").and_then(|t| t.as_str()) != Some("code") {
            continue;
        }
        let start = code.len();
        let mut p = cursor;
        let lines: Vec<String> = match cell.get("source") {
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|l| l.as_str().map(str::to_owned))
                .collect(),
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        for line in lines {
            // The next JSON string after `"source":` holds this line.
            let q = text[p..].find('"').map(|i| i + p)?;
            segments.push(Segment {
                cell_start: code.len(),
                file_start: q + 1,
                len: line.len(),
            });
            code.push_str(&line);
            p = skip_string(text, q)?;
        }
        cursor = p;
        if !code.ends_with('\n') {
            code.push('\n');
        }
        cell_ranges.push((start, index + 1));
    }
    Some((code, segments, cell_ranges))
}

/// The offset just after the JSON string starting at `q` (a quote).
fn skip_string(text: &str, q: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = q + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn map(segments: &[Segment], at: usize) -> usize {
    let seg = segments
        .iter()
        .rev()
        .find(|s| s.cell_start <= at)
        .or(segments.first());
    seg.map_or(0, |s| s.file_start + (at - s.cell_start).min(s.len))
}

/// Parse a notebook. Each finding's span points into the notebook file; `cell_of` gives the
/// 1-based cell number of an offset.
#[must_use]
pub fn parse(text: &str) -> (CodeFile, Vec<(usize, usize)>) {
    let Some((code, segments, cells)) = cells(text) else {
        return (
            CodeFile {
                has_errors: true,
                ..CodeFile::default()
            },
            Vec::new(),
        );
    };
    let mut f = code::parse(&code, Lang::Python);
    let remap = |s: Span| {
        Span::new(
            map(&segments, s.start),
            map(&segments, s.start).max(map(&segments, s.end)),
        )
    };
    let mut cell_at_file = Vec::new();
    for c in &mut f.calls {
        let cell = cells
            .iter()
            .rev()
            .find(|(start, _)| *start <= c.span.start)
            .map_or(1, |(_, n)| *n);
        c.span = remap(c.span);
        cell_at_file.push((c.span.start, cell));
        for a in &mut c.args {
            a.span = remap(a.span);
        }
    }
    for e in &mut f.env {
        e.key_span = remap(e.key_span);
        e.value_span = remap(e.value_span);
    }
    for p in &mut f.profiles {
        p.span = remap(p.span);
    }
    (f, cell_at_file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_land_on_the_notebook_line() {
        let nb = r##"{
 "cells": [
  {"cell_type": "markdown", "source": ["# Title\n"]},
  {
   "cell_type": "code",
   "source": [
    "import boto3\n",
    "s3 = boto3.client('s3', aws_access_key_id='AKIANB')\n"
   ]
  }
 ]
}"##;
        let (f, cells) = parse(nb);
        let a = &f.calls[0].args[0];
        assert_eq!(&nb[a.span.start..a.span.end], "AKIANB");
        assert_eq!(cells[0].1, 2);
    }
}
