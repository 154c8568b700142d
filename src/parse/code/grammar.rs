//! The grammars: a tree-sitter parser per language, what the walk does at each node kind
//! ([`kind_flags`]), and the field ids the handlers look up.

use super::types::Lang;
use tree_sitter::Parser;

/// What the walk does at a node kind, as flags per kind id of a grammar.
pub(super) const SCOPE: u8 = 1;
pub(super) const BINDING: u8 = 2;
pub(super) const PARAMS: u8 = 4;
pub(super) const HANDLER: u8 = 8;

/// The flags of a node kind by name: scopes, simple bindings, parameter lists, and the
/// nodes the language's handler looks at. Everything else is only walked through.
fn kind_flags(lang: Lang, kind: &str) -> u8 {
    match lang {
        Lang::Python => match kind {
            "function_definition" | "lambda" | "class_definition" => SCOPE,
            "assignment" => BINDING | HANDLER,
            "parameters" | "lambda_parameters" => PARAMS,
            "call" => HANDLER,
            _ => 0,
        },
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => match kind {
            "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function" => SCOPE,
            "variable_declarator" => BINDING,
            "assignment_expression" => BINDING | HANDLER,
            "formal_parameters" => PARAMS,
            "object" | "new_expression" => HANDLER,
            _ => 0,
        },
        Lang::Go => match kind {
            "function_declaration" | "method_declaration" | "func_literal" => SCOPE,
            "const_spec" | "var_spec" | "short_var_declaration" | "assignment_statement" => BINDING,
            "parameter_list" => PARAMS,
            "call_expression" | "composite_literal" => HANDLER,
            _ => 0,
        },
        Lang::Java => match kind {
            "method_declaration"
            | "constructor_declaration"
            | "lambda_expression"
            | "class_body"
            | "enum_body"
            | "interface_body" => SCOPE,
            "variable_declarator" => BINDING,
            "assignment_expression" => BINDING | HANDLER,
            "formal_parameters" => PARAMS,
            "method_invocation" | "object_creation_expression" => HANDLER,
            _ => 0,
        },
    }
}

/// Field names the handlers look up on hot paths, resolved to the grammar's field ids once
/// (`child_by_field_name` compares the name with every field name of the grammar).
pub(super) const FIELD_NAMES: [&str; 9] = [
    "left",
    "right",
    "name",
    "value",
    "key",
    "arguments",
    "function",
    "constructor",
    "object",
];
pub(super) const F_LEFT: usize = 0;
pub(super) const F_RIGHT: usize = 1;
pub(super) const F_NAME: usize = 2;
pub(super) const F_VALUE: usize = 3;
pub(super) const F_KEY: usize = 4;
pub(super) const F_ARGUMENTS: usize = 5;
pub(super) const F_FUNCTION: usize = 6;
pub(super) const F_CONSTRUCTOR: usize = 7;
pub(super) const F_OBJECT: usize = 8;

/// A parser loaded with a grammar, the flags of each of the grammar's node kinds by kind
/// id (comparing ids is far cheaper than comparing kind names at every node), and the ids
/// of [`FIELD_NAMES`].
pub(super) struct Grammar {
    pub(super) parser: Parser,
    pub(super) flags: Vec<u8>,
    pub(super) fields: [u16; FIELD_NAMES.len()],
}

impl Grammar {
    pub(super) fn new(lang: Lang) -> Option<Self> {
        let language: tree_sitter::Language = match lang {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
            Lang::Java => tree_sitter_java::LANGUAGE.into(),
        };
        let flags = (0..language.node_kind_count())
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                match language.node_kind_for_id(id) {
                    Some(name) if language.node_kind_is_named(id) => kind_flags(lang, name),
                    _ => 0,
                }
            })
            .collect();
        let fields = FIELD_NAMES.map(|f| language.field_id_for_name(f).map_or(0, u16::from));
        let mut parser = Parser::new();
        parser.set_language(&language).ok()?;
        Some(Self {
            parser,
            flags,
            fields,
        })
    }
}
