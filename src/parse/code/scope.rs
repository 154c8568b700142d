//! The walk over a syntax tree and the names it binds: scopes, simple `name = value`
//! bindings and parameters, looked up outwards scope by scope; the node helpers every
//! language's handler uses.

use super::grammar::{
    BINDING, F_LEFT, F_NAME, F_RIGHT, F_VALUE, FIELD_NAMES, HANDLER, PARAMS, SCOPE,
};
use super::types::{CodeFile, Lang};
use crate::source::Span;
use std::collections::HashMap;
use tree_sitter::Node;

/// What a name was bound to in one scope: a single value with the scope it is evaluated
/// in, or `None` when it is bound more than once, declared without a value, or a parameter
/// (unknowable).
type Binding<'t> = Option<(Node<'t>, usize)>;

pub(super) struct Walker<'a, 't> {
    pub(super) text: &'a str,
    fields: [u16; FIELD_NAMES.len()],
    root_id: usize,
    bindings: HashMap<(usize, &'a str), Binding<'t>>,
    /// Each scope's enclosing scope (by node id), and whether it is a Python class body,
    /// whose names the functions inside it do not see.
    parents: HashMap<usize, (usize, bool)>,
    /// The scope of the node being visited.
    pub(super) scope: usize,
    /// Scopes that are class bodies: they run with the code around them.
    class_scopes: std::collections::HashSet<usize>,
    /// Function scopes (by node id) that set environment variables: their index in
    /// `out.scopes`.
    fn_index: HashMap<usize, usize>,
    /// JavaScript names imported or required from the AWS SDK (`S3Client`, `AWS`).
    pub(super) aws_imports: std::collections::HashSet<&'a str>,
    /// Python functions defined once at module level, by name.
    pub(super) python_defs: HashMap<&'a str, Option<Node<'t>>>,
    pub(super) mentions_botocore_credentials: bool,
    pub(super) out: CodeFile,
}

pub(super) fn span(n: Node<'_>) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

/// How deep a chain of names is followed (`a = b`, `b = c`, …): bounds cycles.
pub(super) const MAX_RESOLVE: usize = 8;

impl<'a, 't> Walker<'a, 't> {
    /// A walker over the tree under `root`, with nothing bound yet.
    pub(super) fn new(
        text: &'a str,
        lang: Lang,
        root: Node<'t>,
        fields: [u16; FIELD_NAMES.len()],
    ) -> Self {
        Self {
            text,
            fields,
            root_id: root.id(),
            bindings: HashMap::new(),
            parents: HashMap::new(),
            scope: root.id(),
            class_scopes: std::collections::HashSet::new(),
            fn_index: HashMap::new(),
            aws_imports: std::collections::HashSet::new(),
            python_defs: HashMap::new(),
            mentions_botocore_credentials: lang == Lang::Python
                && text.contains("botocore.credentials"),
            out: CodeFile {
                has_errors: root.has_error(),
                scopes: vec![0],
                secret_pairs: crate::parse::text::secret_pairs(text),
                ..CodeFile::default()
            },
        }
    }

    /// A child by one of [`FIELD_NAMES`] (`F_LEFT`, …).
    pub(super) fn field<'x>(&self, n: Node<'x>, f: usize) -> Option<Node<'x>> {
        match self.fields[f] {
            0 => None,
            id => n.child_by_field_id(id),
        }
    }

    pub(super) fn src(&self, n: Node<'_>) -> &'a str {
        self.text.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }

    /// The text of a string literal inside its quotes, when it has no interpolation.
    pub(super) fn string_value(&self, n: Node<'_>) -> Option<(String, Span)> {
        self.string_body(n).map(|(v, s)| (v.to_owned(), s))
    }

    /// [`Self::string_value`] without copying the text.
    pub(super) fn string_body(&self, n: Node<'_>) -> Option<(&'a str, Span)> {
        let kind = n.kind();
        if !matches!(
            kind,
            "string"
                | "interpreted_string_literal"
                | "raw_string_literal"
                | "string_literal"
                | "template_string"
        ) {
            return None;
        }
        let mut c = n.walk();
        let interpolated = n.children(&mut c).any(|ch| {
            matches!(
                ch.kind(),
                "interpolation" | "template_substitution" | "string_interpolation"
            )
        });
        let raw = self.src(n);
        let prefix_len = raw.len()
            - raw
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        let prefix = &raw[..prefix_len];
        if interpolated || prefix.contains(['f', 'F']) {
            return None;
        }
        let quoted = &raw[prefix_len..];
        let q_len = if quoted.starts_with("\"\"\"") || quoted.starts_with("'''") {
            3
        } else {
            quoted.chars().next()?.len_utf8()
        };
        if quoted.len() < 2 * q_len {
            return None;
        }
        let start = n.start_byte() + prefix_len + q_len;
        let end = n.end_byte() - q_len;
        Some((self.text.get(start..end)?, Span::new(start, end)))
    }

    /// Whether the name at `key` is code: an identifier, or a string that is exactly that
    /// name (a quoted dict or object key), rather than part of a longer string.
    pub(super) fn names_code(&self, root: Node<'_>, key: Span) -> bool {
        let Some(mut n) = root.descendant_for_byte_range(key.start, key.end) else {
            return true;
        };
        for _ in 0..3 {
            if let Some((body, _)) = self.string_body(n) {
                return body.len() == key.end - key.start;
            }
            match n.parent() {
                Some(p) => n = p,
                None => break,
            }
        }
        true
    }

    /// A node that stands for "no value": passing it is passing nothing.
    pub(super) fn is_nothing(&self, n: Node<'_>) -> bool {
        match n.kind() {
            "none" | "null" | "undefined" | "nil" | "null_literal" => true,
            "identifier" => matches!(self.src(n), "undefined" | "nil" | "None"),
            _ => self.string_value(n).is_some_and(|(v, _)| v.is_empty()),
        }
    }

    // ---- scopes and bindings -------------------------------------------------------

    /// Open the scope of `n` (a scope node inside `scope`); its id.
    fn enter(&mut self, n: Node<'t>, scope: usize) -> usize {
        let id = n.id();
        let parent = match self.parents.get(&scope) {
            // A Python function inside a class body sees the class's enclosing scope.
            Some(&(outer, true)) => outer,
            _ => scope,
        };
        let kind = n.kind();
        self.parents
            .entry(id)
            .or_insert((parent, kind == "class_definition"));
        if matches!(
            kind,
            "class_definition" | "class_body" | "enum_body" | "interface_body"
        ) {
            self.class_scopes.insert(id);
        }
        // Module-level Python functions, for calls of a project's own wrappers.
        if kind == "function_definition"
            && scope == self.root_id
            && let Some(name) = self.field(n, F_NAME)
        {
            self.python_defs
                .entry(self.src(name))
                .and_modify(|d| *d = None)
                .or_insert(Some(n));
        }
        id
    }

    /// `scope` and the scopes around it, innermost first, ending with the file.
    fn chain(&self, scope: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(scope), move |s| {
            (*s != self.root_id).then(|| self.parents.get(s).map_or(self.root_id, |p| p.0))
        })
        .take(1024)
    }

    fn bind(&mut self, scope: usize, name: Node<'t>, value: Option<Node<'t>>) {
        if name.kind() != "identifier" {
            return;
        }
        let key = (scope, self.src(name));
        // `AWS_SECRET_KEY: str = "…"`, `const awsSecretKey: string = "…"`: a typed
        // declaration the loose reading of the text does not see as a pair.
        if let Some(v) = value
            && crate::vocab::is_secret_name(key.1)
            && let Some((text, value_span)) = self.string_value(v)
            && !self
                .out
                .secret_pairs
                .iter()
                .any(|p| p.value_span == value_span)
        {
            self.out.secret_pairs.push(crate::parse::text::LoosePair {
                key: key.1.to_owned(),
                key_span: span(name),
                value: text,
                value_span,
            });
        }
        self.bindings
            .entry(key)
            .and_modify(|b| *b = None)
            .or_insert(value.map(|v| (v, scope)));
    }

    /// Parameter names of a parameter list, bound as unknowable in the function's scope.
    fn bind_params(&mut self, params: Node<'t>, scope: usize) {
        let mut c = params.walk();
        let children: Vec<Node<'t>> = params.named_children(&mut c).collect();
        for p in children {
            let mut names = Vec::new();
            if p.kind() == "identifier" {
                names.push(p);
            }
            for field in ["name", "pattern", "left"] {
                let mut cc = p.walk();
                names.extend(p.children_by_field_name(field, &mut cc));
            }
            if names.is_empty() {
                // `*args`, `...rest`, `{ a, b }`: the identifiers inside.
                let mut cc = p.walk();
                names.extend(p.named_children(&mut cc).filter(|x| {
                    matches!(
                        x.kind(),
                        "identifier" | "shorthand_property_identifier_pattern"
                    )
                }));
            }
            for name in names {
                let key = (scope, self.src(name));
                self.bindings.insert(key, None);
            }
        }
    }

    /// One walk over the whole tree with a cursor: scopes are opened, every simple
    /// `name = value` and parameter is bound in its scope, and the nodes the language's
    /// handler looks at are returned (in document order, with their scope) for after the
    /// walk, when every binding of the file is known.
    pub(super) fn walk(&mut self, root: Node<'t>, flags: &[u8]) -> Vec<(Node<'t>, usize)> {
        let mut handlers = Vec::new();
        let mut cursor = root.walk();
        // Open scopes: (depth of the scope node, scope id).
        let mut open: Vec<(usize, usize)> = Vec::new();
        let mut depth = 0usize;
        loop {
            while open.last().is_some_and(|(d, _)| *d >= depth) {
                open.pop();
            }
            let n = cursor.node();
            let f = flags.get(usize::from(n.kind_id())).copied().unwrap_or(0);
            if f != 0 {
                let scope = open.last().map_or(self.root_id, |s| s.1);
                if f & BINDING != 0 {
                    self.binding(n, scope);
                }
                if f & PARAMS != 0 {
                    self.bind_params(n, scope);
                }
                if f & HANDLER != 0 {
                    handlers.push((n, scope));
                }
                if f & SCOPE != 0 {
                    let id = self.enter(n, scope);
                    open.push((depth, id));
                }
            }
            if cursor.goto_first_child() {
                depth += 1;
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return handlers;
                }
                depth -= 1;
            }
        }
    }

    /// Record the simple bindings a node makes in `scope`.
    fn binding(&mut self, n: Node<'t>, scope: usize) {
        match n.kind() {
            // Python `x = …`, JavaScript/Java `x = …` (expressions).
            "assignment" | "assignment_expression" => {
                if let (Some(l), Some(r)) = (self.field(n, F_LEFT), self.field(n, F_RIGHT)) {
                    self.bind(scope, l, Some(r));
                }
            }
            // JavaScript/TypeScript and Java declarations.
            "variable_declarator" => {
                if let Some(name) = self.field(n, F_NAME) {
                    if name.kind() == "object_pattern" {
                        self.bind_pattern(scope, name, self.field(n, F_VALUE));
                    } else {
                        self.bind(scope, name, self.field(n, F_VALUE));
                    }
                }
            }
            // Go `const`/`var` specs and `a, b := x, y` / `a = x`.
            "const_spec" | "var_spec" => {
                let mut c = n.walk();
                let names: Vec<Node<'t>> = n.children_by_field_name("name", &mut c).collect();
                let values: Vec<Node<'t>> = n
                    .child_by_field_name("value")
                    .map(|v| {
                        let mut vc = v.walk();
                        v.named_children(&mut vc).collect()
                    })
                    .unwrap_or_default();
                for (i, name) in names.into_iter().enumerate() {
                    self.bind(scope, name, values.get(i).copied());
                }
            }
            "short_var_declaration" | "assignment_statement" => {
                let list = |f: &str| -> Vec<Node<'t>> {
                    n.child_by_field_name(f)
                        .map(|l| {
                            let mut lc = l.walk();
                            l.named_children(&mut lc).collect()
                        })
                        .unwrap_or_default()
                };
                let (left, right) = (list("left"), list("right"));
                for (i, name) in left.into_iter().enumerate() {
                    self.bind(scope, name, right.get(i).copied());
                }
            }
            _ => {}
        }
    }

    /// `const { Credentials } = await sts.send(…)`, `const { Credentials: c } = …`: each
    /// name of a JavaScript object pattern is bound to the whole value it destructures,
    /// which is enough to follow a value back to the call that returned it (a literal
    /// object is never a literal string, so no credential value changes).
    fn bind_pattern(&mut self, scope: usize, pattern: Node<'t>, value: Option<Node<'t>>) {
        let mut c = pattern.walk();
        let parts: Vec<Node<'t>> = pattern.named_children(&mut c).collect();
        for p in parts {
            let name = match p.kind() {
                "shorthand_property_identifier_pattern" => Some(p),
                "pair_pattern" => self.field(p, F_VALUE).filter(|v| v.kind() == "identifier"),
                _ => None,
            };
            if let Some(name) = name {
                self.bindings
                    .entry((scope, self.src(name)))
                    .and_modify(|b| *b = None)
                    .or_insert(value.map(|v| (v, scope)));
            }
        }
    }

    /// What a name used in `scope` is bound to, searching outwards through the scopes.
    pub(super) fn lookup(&self, scope: usize, name: &str) -> Option<Binding<'t>> {
        self.chain(scope)
            .find_map(|s| self.bindings.get(&(s, name)).copied())
    }

    /// The index in `out.scopes` of the function that code in `scope` runs in (0: the
    /// module), registering it and the functions around it on first use.
    pub(super) fn function_scope(&mut self, scope: usize) -> usize {
        let functions: Vec<usize> = self
            .chain(scope)
            .filter(|s| *s != self.root_id && !self.class_scopes.contains(s))
            .collect();
        // Outermost first, so that each function's parent is registered before it.
        let mut parent = 0;
        for id in functions.into_iter().rev() {
            parent = if let Some(&i) = self.fn_index.get(&id) {
                i
            } else {
                self.out.scopes.push(parent);
                let i = self.out.scopes.len() - 1;
                self.fn_index.insert(id, i);
                i
            };
        }
        parent
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lits;
    use super::super::values::{KEY_ID, SECRET};
    use crate::parse::code::{ArgValue, Lang, parse};

    #[test]
    fn python_scopes_parameters_and_reassignment() {
        let src = "import boto3, os\nkey = 'AKIAMODULE'\ndef a():\n    key = 'AKIALOCAL'\n    return boto3.client('s3', aws_access_key_id=key)\ndef b(key):\n    return boto3.client('s3', aws_access_key_id=key)\ndef c():\n    k = os.environ['K']\n    s = os.getenv('S') or 'fallback'\n    return boto3.client('s3', aws_access_key_id=k, aws_secret_access_key=s)\ndef d():\n    k = 'x'\n    k = k.strip()\n    return boto3.client('s3', aws_access_key_id=k, aws_secret_access_key=None)\n";
        let f = parse(src, Lang::Python);
        let v = lits(&f);
        assert_eq!(v[0], (KEY_ID, ArgValue::Literal("AKIALOCAL".into())));
        assert_eq!(v[1], (KEY_ID, ArgValue::Variable("key".into())));
        assert_eq!(v[2], (KEY_ID, ArgValue::Env("K".into())));
        assert_eq!(v[3], (SECRET, ArgValue::Literal("fallback".into())));
        assert_eq!(v[4], (KEY_ID, ArgValue::Variable("k".into())));
        assert_eq!(v.len(), 5, "None is passing nothing");
    }

    #[test]
    fn python_methods_do_not_see_class_names() {
        let src = "class Store:\n    KEY = 'AKIACLASS'\n    client = boto3.client('s3', aws_access_key_id=KEY)\n\n    def make(self):\n        return boto3.client('s3', aws_access_key_id=KEY)\n";
        let f = parse(src, Lang::Python);
        let v = lits(&f);
        assert_eq!(v[0], (KEY_ID, ArgValue::Literal("AKIACLASS".into())));
        assert_eq!(v[1], (KEY_ID, ArgValue::Variable("KEY".into())));
    }

    #[test]
    fn environments_are_scoped_by_function() {
        let src = "import os\nos.environ['AWS_REGION'] = 'x'\ndef a():\n    os.environ['AWS_PROFILE'] = 'dev'\nclass T:\n    def b(self):\n        os.environ['AWS_ACCESS_KEY_ID'] = 'k'\n        def inner():\n            os.environ['AWS_SECRET_ACCESS_KEY'] = 's'\n";
        let f = parse(src, Lang::Python);
        let keys: Vec<(&str, usize)> = f
            .env
            .iter()
            .zip(&f.env_scope)
            .map(|(e, s)| (e.key.as_str(), *s))
            .collect();
        assert_eq!(
            keys,
            [
                ("AWS_REGION", 0),
                ("AWS_PROFILE", 1),
                ("AWS_ACCESS_KEY_ID", 2),
                ("AWS_SECRET_ACCESS_KEY", 3)
            ]
        );
        assert_eq!(
            f.scopes,
            [0, 0, 0, 2],
            "inner runs inside b; the class is no scope"
        );
    }
}
