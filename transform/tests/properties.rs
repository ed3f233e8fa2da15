//! Property tests over generated programs: whatever mix of suspension points, try/catch/finally,
//! loops, nested functions and generators a program has, the output parses, keeps every line and
//! every original token in order, and transforming it again changes nothing.

mod common;

use asynccontext_transform::{transform, Options, SourceKind};
use oxc_allocator::Allocator;
use oxc_parser::Parser;
use oxc_span::SourceType;
use proptest::prelude::*;

fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![Just("a".to_string()), Just("f()".to_string()), Just("1".to_string()), Just("p".to_string())];
    leaf.prop_recursive(3, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("await {e}")),
            inner.clone().prop_map(|e| format!("(await {e})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("g({a}, {b})")),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, b, c)| format!("({a} ? {b} : {c})")),
            inner.clone().prop_map(|e| format!("[{e}, {{ k: {e} }}]")),
            inner.clone().prop_map(|e| format!("`x${{{e}}}y`")),
            inner.clone().prop_map(|e| format!("(async () => {e})")),
            inner.clone().prop_map(|e| format!("(async (q) => {{ return {e}; }})")),
            inner.clone().prop_map(|e| format!("(() => {e}).length")),
        ]
    })
}

/// Expressions without `await` (for positions outside async code).
fn plain_expression() -> impl Strategy<Value = String> {
    prop_oneof![Just("a".to_string()), Just("f(1)".to_string()), Just("[b, c]".to_string())]
}

fn statements(in_generator: bool) -> impl Strategy<Value = String> {
    let simple = prop_oneof![
        expression().prop_map(|e| format!("x = {e};")),
        expression().prop_map(|e| format!("use({e})")),
        plain_expression().prop_map(|e| format!("function plain() {{ try {{ {e}; }} catch (e) {{ }} }}")),
        plain_expression().prop_map(|e| format!("function* gen(u) {{ yield {e}; yield; }}")),
        expression().prop_map(|e| format!("async function nested() {{ return {e}; }}")),
        Just("{ await using r = res(); }".to_string()),
        Just(if in_generator { "yield a;" } else { "await 0;" }.to_string()),
    ];
    let block = simple.prop_recursive(3, 32, 4, move |inner| {
        let list = prop::collection::vec(inner, 0..4).prop_map(|v| v.join("\n"));
        prop_oneof![
            (expression(), list.clone(), list.clone()).prop_map(|(e, a, b)| format!("if ({e}) {{\n{a}\n}} else {{\n{b}\n}}")),
            (list.clone(), list.clone(), list.clone()).prop_map(|(a, b, c)| format!("try {{\n{a}\n}} catch (e) {{\n{b}\n}} finally {{\n{c}\n}}")),
            (list.clone(), list.clone()).prop_map(|(a, b)| format!("try {{ {a} }} catch {{ {b} }}")),
            (expression(), list.clone()).prop_map(|(e, a)| format!("for await (const v of {e}) {{\n{a}\n}}")),
            (expression(), list.clone()).prop_map(|(e, a)| format!("for await (const v of {e}) use(v);\n{a}")),
            (expression(), list.clone()).prop_map(|(e, a)| format!("while ({e}) {{ {a} break; }}")),
            (expression(), list.clone()).prop_map(|(e, a)| format!("switch ({e}) {{ case 1: {{ {a} }} }}")),
            (expression(), list.clone()).prop_map(|(e, a)| format!("{{ await using r = {e};\n{a} }}")),
            (expression(), list.clone()).prop_map(|(e, a)| format!("for (await using r of {e}) {{ {a} }}")),
        ]
    });
    prop::collection::vec(block, 0..5).prop_map(|v| v.join("\n"))
}

fn program() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        statements(false).prop_map(|s| (format!("export async function main(a, p) {{\n{s}\n}}\n"), true)),
        statements(true).prop_map(|s| (format!("export async function* main(a, p) {{\n{s}\n}}\n"), true)),
        statements(false).prop_map(|s| (format!("let x;\n{s}\nexport {{}};\n"), true)),
        statements(false).prop_map(|s| (format!("class K {{ static async m(a, p) {{\n{s}\n}} }}\n"), false)),
    ]
}

fn parses(code: &str) -> Result<(), String> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, code, SourceType::mjs()).parse();
    let errors: Vec<String> = parsed.diagnostics.errors().map(|e| e.to_string()).collect();
    if errors.is_empty() && !parsed.panicked {
        Ok(())
    } else {
        Err(format!("{errors:?}"))
    }
}

fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut rest = haystack.chars();
    needle.chars().all(|c| rest.any(|h| h == c))
}

/// An operand in any of the shapes an expression can start with, for `await`/`yield`/`yield*`
/// written with or without a space (as minifiers do), and the separator after the keyword.
fn operand() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "(o)", "[o]", "{ o }", "`t${o}`", "\"s\"", "'q'", ".5", "1", "0x1f", "/re/g", "+o", "-o", "!o", "~o", "++n", "--n",
        "(0, o)()", "o", "void o", "typeof o", "new Set()", "class {}", "function () {}", "this", "[o][0]", "o?.p", "/*c*/(o)",
        "\\u006f", "ö", "$o", "_o",
    ])
    .prop_map(str::to_string)
}

fn spacing() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", " ", "\t", "/**/", "\n", " /*x*/ "])
}

/// A statement with a suspension point before `operand`, in an async function or an (async)
/// generator; `tail` is what follows it (a line break before `(`, `[`, `` ` ``, `+` or `/` tests
/// the statement's end).
fn suspension_statement() -> impl Strategy<Value = (String, &'static str)> {
    let keyword = prop::sample::select(vec!["await", "yield", "yield*", "for await(const v of", "return", "x = yield", "x = await"]);
    let tail = prop::sample::select(vec![";", "\n(o)", "\n[o]", "\n`t`", "\n+o", "\n/re/g.test(o)", "\n", " }{"]);
    (keyword, spacing(), operand(), tail).prop_map(|(k, sep, op, tail)| {
        let needs_space = op.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$' || c == '\\' || !c.is_ascii());
        let sep = if needs_space && (sep.is_empty() || sep == "/**/") { " " } else { sep };
        let kind = match k {
            "await" | "x = await" => "async function",
            "for await(const v of" => "async function",
            "return" => "async function*",
            _ => "function*",
        };
        let body = if k.starts_with("for await") { format!("{k}{sep}{op})use(v){tail}") } else { format!("{k}{sep}{op}{tail}") };
        (format!("{body}"), kind)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn every_operand_shape_keeps_its_keyword_and_its_statement_end(
        statements in prop::collection::vec(suspension_statement(), 1..6),
        module in any::<bool>(),
    ) {
        let mut source = String::from("let x, n = 0, o = [1];\n");
        for (body, kind) in &statements {
            source.push_str(&format!("{kind} f() {{\n{body}\n}}\n"));
        }
        let source_type = if module { SourceType::mjs() } else { SourceType::mjs().with_script(true) };
        let before = match common::shape(&source, source_type) {
            Ok(shape) => shape,
            // A combination the grammar rejects (`yield*` + `{}` tail and the like): not a program.
            Err(_) => return Ok(()),
        };
        let kind = if module { SourceKind::Module } else { SourceKind::Script };
        let out = transform(&source, &Options { source_kind: kind, ..Options::default() }).unwrap();
        let after = common::shape(&out.code, source_type);
        prop_assert!(after.is_ok(), "output does not parse: {:?}\n--- input\n{source}\n--- output\n{}", after.err(), out.code);
        if let Err(e) = common::same_structure(&before, &after.unwrap()) {
            prop_assert!(false, "{e}\n--- input\n{source}\n--- output\n{}", out.code);
        }
        // A statement that a line break ended still ends there.
        let count = |code: &str| {
            let allocator = Allocator::default();
            let parsed = Parser::new(&allocator, code, source_type).parse();
            // Per function (the runtime's initialiser aside): its statements, inside the try that
            // the transform wraps the body in.
            let mut counts = Vec::new();
            for s in &parsed.program.body {
                if let oxc_ast::ast::Statement::FunctionDeclaration(f) = s {
                    if f.id.as_ref().is_some_and(|id| id.name.starts_with("__asyncContext")) {
                        continue;
                    }
                    let body = &f.body.as_ref().unwrap().statements;
                    let wrapped = body.iter().find_map(|s| match s {
                        oxc_ast::ast::Statement::TryStatement(t) => Some(t.block.body.len()),
                        _ => None,
                    });
                    counts.push(wrapped.unwrap_or(body.len()));
                }
            }
            counts
        };
        prop_assert_eq!(count(&source), count(&out.code), "statements per function\n--- input\n{}\n--- output\n{}", source, out.code);
    }

    #[test]
    fn generated_programs_stay_valid_and_keep_their_text((source, _) in program()) {
        prop_assume!(parses(&source).is_ok());
        let options = Options { filename: Some("generated.mjs".into()), source_kind: SourceKind::Module, ..Options::default() };
        let out = transform(&source, &options).unwrap();
        if let Err(errors) = parses(&out.code) {
            prop_assert!(false, "output does not parse: {errors}\n--- input\n{source}\n--- output\n{}", out.code);
        }
        prop_assert_eq!(source.lines().count(), out.code.lines().count());
        for (a, b) in source.lines().zip(out.code.lines()) {
            if !b.contains("__acUsing_") {
                prop_assert!(is_subsequence(a, b), "{a:?} not kept in {b:?}");
            }
        }
        let again = transform(&out.code, &options).unwrap();
        prop_assert!(!again.changed);
    }

    #[test]
    fn a_program_without_async_code_is_returned_unchanged(names in prop::collection::vec("[a-z]{1,8}", 1..8)) {
        let source: String = names.iter().map(|n| format!("function {n}_f(x) {{ try {{ return x.then(() => v_{n}); }} catch (e) {{ return e; }} }}\n")).collect();
        let out = transform(&source, &Options::default()).unwrap();
        prop_assert!(!out.changed);
        prop_assert_eq!(out.code, source);
    }
}
