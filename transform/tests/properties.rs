//! Property tests over generated programs: whatever mix of suspension points, try/catch/finally,
//! loops, nested functions and generators a program has, the output parses, keeps every line and
//! every original token in order, and transforming it again changes nothing.

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

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
