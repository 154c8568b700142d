//! The house rules, read from the code: the import graph between the files of `src/`.
//!
//! - the stages run in one direction: commands → pipeline → report / rules → model →
//!   parse → discover / vocabulary (a file imports only files of its own stage or of a
//!   later one; see `stage_of`);
//! - no cycle between files;
//! - no rule module imports another rule module (shared helpers live in `rules/common.rs`);
//! - nothing under `parse/` imports `model/`;
//! - nothing under `report/` imports `cli.rs` or runs the pipeline.
//!
//! An import is any path into the crate: a `use` item (groups, renames and globs
//! included) or a `crate::…`, `super::…`, `self::…` path in the code, or a path through a
//! name a `use` bound to a module, or through a child module. A path that names an item a
//! module re-exports (`pub use x::Item`) leads to the file that defines it. Test modules
//! (`#[cfg(test)] mod … { … }`) are left out: they are not part of the running program.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One source file: its module path (`["rules", "common"]`) and its code with comments,
/// strings and test modules removed.
struct File {
    module: Vec<String>,
    code: String,
    /// `mod x;` children.
    children: BTreeSet<String>,
}

/// The crate as files, keyed by their path under `src/` (`rules/common.rs`).
struct Crate {
    files: BTreeMap<String, File>,
    /// Module path → file.
    by_module: BTreeMap<Vec<String>, String>,
}

fn module_of(rel: &str) -> Vec<String> {
    let stem = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut parts: Vec<String> = stem.split('/').map(str::to_owned).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Remove comments, string and char literals (their text could look like paths).
fn strip(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == b'r'
            && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
            && (i == 0 || !is_ident(b[i - 1]))
        {
            // Raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push('r');
                i += 1;
                continue;
            }
            j += 1;
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            while j < b.len() && !b[j..].starts_with(&close) {
                j += 1;
            }
            i = j + close.len();
            out.push_str("\"\"");
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == b'\'' {
            // A char literal ('a', '\n', '\u{1F}') or a lifetime ('a).
            if b.get(i + 1) == Some(&b'\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != b'\'' {
                    j += 1;
                }
                i = j + 1;
            } else if let Some(ch) = src[i + 1..].chars().next()
                && src[i + 1 + ch.len_utf8()..].starts_with('\'')
            {
                i += 2 + ch.len_utf8();
            } else {
                i += 1;
            }
            out.push(' ');
        } else {
            let ch = src[i..].chars().next().expect("char boundary");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Remove `#[cfg(test)] mod name { … }` blocks.
fn drop_test_modules(code: &str) -> String {
    let mut out = code.to_owned();
    while let Some(at) = out.find("#[cfg(test)]") {
        let rest = &out[at + "#[cfg(test)]".len()..];
        let trimmed = rest.trim_start();
        if !trimmed.starts_with("mod ") {
            // `#[cfg(test)]` on another item: blank the attribute only.
            out.replace_range(at..at + "#[cfg(test)]".len(), "");
            continue;
        }
        let Some(open) = rest.find(['{', ';']) else {
            break;
        };
        let open = at + "#[cfg(test)]".len() + open;
        if out.as_bytes()[open] == b';' {
            out.replace_range(at..=open, "");
            continue;
        }
        let mut depth = 0;
        let mut end = open;
        for (k, c) in out[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.replace_range(at..=end, "");
    }
    out
}

fn load(src: &Path) -> Crate {
    let mut files = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(src)
                    .expect("under src")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&p).expect("read file");
                files.insert(rel, text);
            }
        }
    }
    Crate::new(files)
}

impl Crate {
    fn new(sources: BTreeMap<String, String>) -> Self {
        let mut files = BTreeMap::new();
        let mut by_module = BTreeMap::new();
        for (rel, text) in sources {
            let code = drop_test_modules(&strip(&text));
            let children = code
                .split(';')
                .filter_map(|stmt| {
                    let words: Vec<&str> = stmt.split_whitespace().collect();
                    let m = words.iter().position(|w| *w == "mod")?;
                    let name = words.get(m + 1)?;
                    (m + 2 == words.len()
                        && (m == 0
                            || words[m - 1].starts_with("pub")
                            || words[m - 1].ends_with([']', '}', '{'])))
                    .then(|| (*name).to_owned())
                })
                .collect();
            let module = module_of(&rel);
            // main.rs is its own crate root; it reaches the library as `credlint::`.
            if rel != "main.rs" {
                by_module.insert(module.clone(), rel.clone());
            }
            files.insert(
                rel,
                File {
                    module,
                    code,
                    children,
                },
            );
        }
        Self { files, by_module }
    }

    /// The `use` items of a file, each as (bound name, full path as written).
    fn uses(code: &str) -> Vec<(bool, String, Vec<String>)> {
        let mut out = Vec::new();
        let b = code.as_bytes();
        let mut i = 0;
        while let Some(k) = code[i..].find("use ") {
            let at = i + k;
            i = at + 4;
            if at > 0 && is_ident(b[at - 1]) {
                continue;
            }
            let public = code[..at].trim_end().ends_with("pub")
                || code[..at].trim_end().ends_with(')') && code[..at].trim_end().contains("pub(");
            let Some(end) = code[i..].find(';') else {
                break;
            };
            let tree: String = code[i..i + end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let tree = tree.replace(" ::", "::").replace(":: ", "::");
            expand(&tree, &[], &mut |name, path| {
                out.push((public, name, path));
            });
            i += end;
        }
        out
    }

    /// Resolve a path written in `from` to the file it leads to, if it leads into this
    /// crate: the file that defines what it names (`follow`: through re-exports), or the
    /// module file the path is written through.
    fn resolve(&self, from: &str, path: &[String], depth: usize, follow: bool) -> Option<String> {
        if depth > 8 || path.is_empty() {
            return None;
        }
        let file = &self.files[from];
        let here = &file.module;
        let mut full: Vec<String> = match path[0].as_str() {
            "crate" => path[1..].to_vec(),
            "credlint" if from == "main.rs" => path[1..].to_vec(),
            "self" => here.iter().chain(&path[1..]).cloned().collect(),
            "super" => {
                let mut m = here.clone();
                let mut rest = path;
                while rest.first().is_some_and(|s| s == "super") {
                    m.pop();
                    rest = &rest[1..];
                }
                m.into_iter().chain(rest.iter().cloned()).collect()
            }
            first if file.children.contains(first) => {
                here.iter().chain(path.iter()).cloned().collect()
            }
            first => {
                // A name bound by a `use` of this file.
                let (_, _, target) = Self::uses(&file.code)
                    .into_iter()
                    .find(|(_, name, _)| name == first)?;
                if target.first().is_some_and(|s| s == first) {
                    return None;
                }
                let full: Vec<String> = target
                    .into_iter()
                    .chain(path[1..].iter().cloned())
                    .collect();
                return self.resolve(from, &full, depth + 1, follow);
            }
        };
        full.retain(|s| s != "self");
        // The longest prefix that is a module file.
        let mut n = full.len();
        while n > 0 && !self.by_module.contains_key(&full[..n]) {
            n -= 1;
        }
        let target = self.by_module.get(&full[..n])?.clone();
        // An item the module re-exports: follow it to where it is defined.
        if let Some(item) = full.get(n).filter(|_| follow) {
            let t = &self.files[&target];
            if let Some((_, _, via)) = Self::uses(&t.code)
                .into_iter()
                .find(|(public, name, _)| *public && name == item)
            {
                let via: Vec<String> = via
                    .into_iter()
                    .chain(full[n + 1..].iter().cloned())
                    .collect();
                if let Some(f) = self.resolve(&target, &via, depth + 1, follow) {
                    return Some(f);
                }
            }
        }
        Some(target)
    }

    /// Every file `rel` imports (itself excluded): see [`Crate::resolve`] for `follow`.
    fn imports(&self, rel: &str, follow: bool) -> BTreeSet<String> {
        let file = &self.files[rel];
        let mut paths: Vec<Vec<String>> = Self::uses(&file.code)
            .into_iter()
            .map(|(_, _, p)| p)
            .collect();
        // Paths in the code: `a::b::c` where `a` is a crate root, super/self, a child
        // module or a name bound by `use`.
        let b = file.code.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if is_ident(b[i]) && (i == 0 || !is_ident(b[i - 1]) && b[i - 1] != b':') {
                let mut j = i;
                let mut segs = Vec::new();
                loop {
                    let s = j;
                    while j < b.len() && is_ident(b[j]) {
                        j += 1;
                    }
                    if s == j {
                        break;
                    }
                    segs.push(file.code[s..j].to_owned());
                    if file.code[j..].starts_with("::")
                        && b.get(j + 2).is_some_and(|c| is_ident(*c))
                    {
                        j += 2;
                    } else {
                        break;
                    }
                }
                // `a::b::{…}` and `a::b::*` heads are `use` trees, read whole above.
                let use_head =
                    file.code[j..].starts_with("::{") || file.code[j..].starts_with("::*");
                if segs.len() > 1 && !use_head {
                    paths.push(segs);
                }
                i = j.max(i + 1);
            } else {
                i += 1;
            }
        }
        paths
            .iter()
            .filter_map(|p| self.resolve(rel, p, 0, follow))
            .filter(|t| t != rel)
            .collect()
    }

    fn graph(&self, follow: bool) -> BTreeMap<String, BTreeSet<String>> {
        self.files
            .keys()
            .map(|f| (f.clone(), self.imports(f, follow)))
            .collect()
    }
}

/// Expand a use tree (`a::{b, c::d as e, f::*}`) into (bound name, path) pairs.
fn expand(tree: &str, prefix: &[String], f: &mut dyn FnMut(String, Vec<String>)) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let head = &tree[..open];
        let mut pre = prefix.to_vec();
        pre.extend(
            head.split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        let body = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut depth = 0;
        let mut start = 0;
        for (k, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&body[start..k], &pre, f);
                    start = k + 1;
                }
                _ => {}
            }
        }
        expand(&body[start..], &pre, f);
        return;
    }
    let (path, rename) = match tree.split_once(" as ") {
        Some((p, r)) => (p, Some(r.trim())),
        None => (tree, None),
    };
    let mut full = prefix.to_vec();
    full.extend(path.split("::").map(str::trim).map(str::to_owned));
    let last = full.last().cloned().unwrap_or_default();
    if last == "*" {
        full.pop();
        f(String::new(), full);
        return;
    }
    let name = match rename {
        Some(r) => r.to_owned(),
        None if last == "self" => {
            full.pop();
            full.last().cloned().unwrap_or_default()
        }
        None => last,
    };
    if name == "_" {
        return;
    }
    f(name, full);
}

/// The stages, in the one direction imports may go: a file imports only files of its own
/// stage or of a later (larger) one.
fn stage_of(rel: &str) -> Option<(u8, &'static str)> {
    let top = rel.split('/').next().unwrap_or(rel);
    Some(match top {
        "main.rs" | "cli.rs" | "commands" => (0, "commands"),
        // The root only declares the modules and re-exports `Error`; `crate::Error` is
        // written through it from every stage.
        "lib.rs" => (5, "crate root"),
        "check.rs" | "config.rs" => (1, "pipeline"),
        "report" => (2, "report"),
        "rules" | "suppress.rs" | "finding.rs" | "fingerprint.rs" | "fix" | "baseline.rs" => {
            (2, "rules")
        }
        "scan.rs" | "model" => (3, "model"),
        "parse" => (4, "parse"),
        "discover" | "vocab.rs" | "source.rs" | "keys" | "keys.rs" | "py" | "error.rs" => {
            (5, "discover/vocabulary")
        }
        _ => return None,
    })
}

/// The rule modules: one per rule, everything in `rules/` but the registry and the
/// shared helpers.
fn is_rule_module(rel: &str) -> bool {
    rel.starts_with("rules/")
        && !matches!(
            rel,
            "rules/mod.rs" | "rules/common.rs" | "rules/registry.rs"
        )
}

/// Every broken house rule, one line each.
fn violations(krate: &Crate) -> Vec<String> {
    // Cycles are read between the files that define things; the other rules also hold for
    // the paths as written (`crate::model::slot::x` is an import of model/ even where
    // model re-exports `x` from elsewhere).
    let graph = krate.graph(true);
    let written = krate.graph(false);
    let mut out = Vec::new();
    for (from, defined) in &graph {
        let tos: BTreeSet<&String> = defined.iter().chain(&written[from]).collect();
        let Some((sf, nf)) = stage_of(from) else {
            out.push(format!(
                "{from}: in no stage (add it to stage_of in tests/architecture.rs)"
            ));
            continue;
        };
        for to in tos {
            if let Some((st, nt)) = stage_of(to)
                && st < sf
            {
                out.push(format!(
                    "{from} ({nf}) imports {to} ({nt}): against the stage order"
                ));
            }
            if is_rule_module(from) && is_rule_module(to) {
                out.push(format!("{from} imports another rule module, {to}"));
            }
            if from.starts_with("parse/") && to.starts_with("model/") {
                out.push(format!(
                    "{from} imports {to}: parse/ must not import model/"
                ));
            }
            if from.starts_with("report/") && (to == "cli.rs" || to == "check.rs") {
                out.push(format!(
                    "{from} imports {to}: report/ only formats a finished result"
                ));
            }
        }
        if from.starts_with("report/") {
            let code = &krate.files[from].code;
            for call in ["scan::scan(", "check::check(", "rules::run("] {
                if code.contains(call) {
                    out.push(format!(
                        "{from} calls {call}…): report/ must not run the pipeline"
                    ));
                }
            }
        }
    }
    for cycle in cycles(&graph) {
        out.push(format!("cycle between files: {}", cycle.join(" → ")));
    }
    out
}

/// The strongly connected components of more than one file (Tarjan), each as a path.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            if !s.graph.contains_key(w.as_str()) {
                continue;
            }
            if !s.index.contains_key(w.as_str()) {
                visit(s, w);
                let lw = s.low[w.as_str()];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on.contains(w.as_str()) {
                let iw = s.index[w.as_str()];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                comp.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Breaks known and not yet mended. The list may only shrink: a new break fails the
/// test, and so does a mended one left in the list.
const KNOWN: &[&str] = &[];

#[test]
fn the_import_graph_keeps_the_house_rules() {
    let krate = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let v = violations(&krate);
    let new: Vec<&str> = v
        .iter()
        .map(String::as_str)
        .filter(|l| !KNOWN.contains(l))
        .collect();
    let mended: Vec<&str> = KNOWN
        .iter()
        .copied()
        .filter(|k| !v.iter().any(|l| l == k))
        .collect();
    assert!(
        new.is_empty() && mended.is_empty(),
        "{} broken house rule(s):\n{}\n\nmended, to take out of KNOWN:\n{}",
        new.len(),
        new.join("\n"),
        mended.join("\n")
    );
}

/// The checker itself: each rule it enforces fails on a crate that breaks it.
#[test]
fn the_checker_catches_each_kind_of_break() {
    let krate = |files: &[(&str, &str)]| {
        Crate::new(
            files
                .iter()
                .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
                .collect(),
        )
    };
    let base = [
        (
            "lib.rs",
            "pub mod cli; pub mod model; pub mod parse; pub mod report; pub mod rules;",
        ),
        ("cli.rs", "pub struct Args;"),
        ("model/mod.rs", "pub mod slot; pub use slot::Slot;"),
        (
            "model/slot.rs",
            "pub struct Slot; pub fn is_secret_name() {}",
        ),
        ("parse/mod.rs", "pub fn parse() {}"),
        (
            "report/mod.rs",
            "use crate::rules::RuleId; pub fn write(_: RuleId) {}",
        ),
        ("rules/mod.rs", "mod a; mod b; pub struct RuleId;"),
        ("rules/a.rs", "use super::RuleId; pub fn check() {}"),
        ("rules/b.rs", "use crate::model::Slot; pub fn check() {}"),
    ];
    assert!(
        violations(&krate(&base)).is_empty(),
        "{:?}",
        violations(&krate(&base))
    );
    let with = |rel: &str, text: &str| {
        let mut files: Vec<(&str, String)> =
            base.iter().map(|(p, t)| (*p, (*t).to_owned())).collect();
        for f in &mut files {
            if f.0 == rel {
                f.1.push_str(text);
            }
        }
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        violations(&krate(&files))
    };
    let breaks = [
        (
            "parse/mod.rs",
            "fn f() { crate::model::slot::is_secret_name(); }",
            "parse/ must not import model/",
        ),
        // Through a re-export: still a path into model/.
        (
            "parse/mod.rs",
            "fn g() -> crate::model::Slot { crate::model::Slot }",
            "parse/ must not import model/",
        ),
        (
            "parse/mod.rs",
            "use crate::rules::RuleId;",
            "against the stage order",
        ),
        (
            "report/mod.rs",
            "use crate::cli::Args;",
            "report/ only formats",
        ),
        (
            "rules/a.rs",
            "fn g() { super::b::check(); }",
            "another rule module",
        ),
        ("rules/b.rs", "use super::a;", "another rule module"),
        (
            "model/slot.rs",
            "use super::Slot as _; fn h() { crate::model::slot::is_secret_name(); }",
            "",
        ),
        ("model/mod.rs", "", ""),
        ("model/mod.rs", "fn c() { slot::is_secret_name(); }", ""),
    ];
    for (rel, text, expect) in breaks {
        let v = with(rel, text);
        if expect.is_empty() {
            assert!(v.is_empty(), "{rel} += {text}: {v:?}");
        } else {
            assert!(
                v.iter().any(|l| l.contains(expect)),
                "{rel} += {text}: {v:?}"
            );
        }
    }
    // A cycle through a re-export and a child module.
    let mut files = base.to_vec();
    files.push(("model/other.rs", "use super::Slot; pub struct Other;"));
    files[2].1 = "pub mod slot; pub mod other; pub use slot::Slot; pub use other::Other;";
    files[3].1 = "use super::Other; pub struct Slot; pub fn is_secret_name() {}";
    let v = violations(&krate(&files));
    assert!(
        v.iter()
            .any(|l| l == "cycle between files: model/other.rs → model/slot.rs"),
        "{v:?}"
    );
    // Strings and comments are not imports.
    let v = with(
        "parse/mod.rs",
        r#"// crate::model::slot
const S: &str = "crate::model::slot::x"; /* super::super::model */"#,
    );
    assert!(v.is_empty(), "{v:?}");
}
