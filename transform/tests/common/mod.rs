//! Shared by the golden and property tests: structural checks on a transform's output that do not
//! depend on its exact text.

use std::collections::BTreeSet;

use oxc_allocator::Allocator;
use oxc_ast::ast::{AwaitExpression, IdentifierReference, YieldExpression};
use oxc_ast_visit::{walk, Visit};
use oxc_parser::Parser;
use oxc_span::SourceType;

/// What a parsed program contains: identifier references and its suspension expressions.
#[derive(Default, Debug)]
pub struct Shape {
    pub identifiers: BTreeSet<String>,
    pub awaits: usize,
    pub yields: usize,
    pub delegating_yields: usize,
}

impl<'a> Visit<'a> for Shape {
    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        self.identifiers.insert(it.name.to_string());
    }
    fn visit_await_expression(&mut self, it: &AwaitExpression<'a>) {
        self.awaits += 1;
        walk::walk_await_expression(self, it);
    }
    fn visit_yield_expression(&mut self, it: &YieldExpression<'a>) {
        if it.delegate {
            self.delegating_yields += 1;
        } else {
            self.yields += 1;
        }
        walk::walk_yield_expression(self, it);
    }
}

/// Parses `code` and returns its shape, or the parse errors.
pub fn shape(code: &str, source_type: SourceType) -> Result<Shape, String> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, code, source_type).parse();
    let errors: Vec<String> = parsed.diagnostics.errors().map(|e| e.to_string()).collect();
    if !errors.is_empty() || parsed.panicked {
        return Err(format!("{errors:?}"));
    }
    let mut shape = Shape::default();
    shape.visit_program(&parsed.program);
    Ok(shape)
}

/// A name the transform introduces (runtime binding, its initialiser, states, guards, `for
/// (await using …)` values, with their `$N` and classic-script `_hash` suffixes) or uses from the
/// global scope.
fn is_inserted_name(name: &str) -> bool {
    // `v` and `it` are the fallback runtime's parameters.
    if matches!(name, "globalThis" | "Symbol" | "v" | "it") {
        return true;
    }
    let rest = if let Some(r) = name.strip_prefix("__asyncContextInit") {
        r
    } else if let Some(r) = name.strip_prefix("__asyncContext") {
        // Classic scripts: `_` and eight hex digits.
        match r.strip_prefix('_') {
            Some(h) if h.len() >= 8 && h[..8].bytes().all(|b| b.is_ascii_hexdigit()) => &h[8..],
            _ => r,
        }
    } else if let Some(r) = name.strip_prefix("__acState") {
        r
    } else if let Some(r) = name.strip_prefix("__acUsing").or_else(|| name.strip_prefix("__acGuard")) {
        // `$N` then `_N`.
        let r = r.strip_prefix('$').map(|d| d.trim_start_matches(|c: char| c.is_ascii_digit())).unwrap_or(r);
        return r.strip_prefix('_').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    } else {
        return false;
    };
    rest.is_empty() || rest.strip_prefix('$').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The output references only the input's identifiers and the transform's own names (a keyword
/// glued to an inserted name would show up as a new identifier), and has exactly the input's
/// `await`, `yield` and `yield*` expressions (no keyword lost or gained).
pub fn same_structure(input: &Shape, output: &Shape) -> Result<(), String> {
    let foreign: Vec<&String> =
        output.identifiers.iter().filter(|n| !input.identifiers.contains(*n) && !is_inserted_name(n)).collect();
    if !foreign.is_empty() {
        return Err(format!("the output references identifiers that are neither the input's nor inserted: {foreign:?}"));
    }
    let counts = |s: &Shape| (s.awaits, s.yields, s.delegating_yields);
    if counts(input) != counts(output) {
        return Err(format!(
            "(await, yield, yield*) expressions: input {:?}, output {:?}",
            counts(input),
            counts(output)
        ));
    }
    Ok(())
}
