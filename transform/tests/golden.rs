//! Golden tests: every `tests/golden/NAME.EXT` (not `*.expected.*`) is transformed and compared with
//! `tests/golden/NAME.expected.EXT`. `UPDATE_GOLDEN=1 cargo test -p asynccontext-transform --test golden`
//! rewrites the expected files (review the diff before committing).
//!
//! Each golden input is also checked for properties that do not depend on the expected text:
//! the output parses, transforming it again changes nothing, line numbers are kept, the
//! original text survives in order (for inputs without replaced ranges), the source map maps
//! every original token back to itself, and `nochange-*` inputs come back byte for byte.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use asynccontext_transform::{transform, Options, Output, ParsedAs};
use oxc_allocator::Allocator;
use oxc_parser::Parser;
use oxc_span::SourceType;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn inputs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_str().unwrap().contains(".expected."))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "golden inputs are missing");
    files
}

fn expected_path(input: &Path) -> PathBuf {
    let name = input.file_name().unwrap().to_str().unwrap();
    let (stem, ext) = name.split_once('.').unwrap();
    input.with_file_name(format!("{stem}.expected.{ext}"))
}

fn run(input: &Path) -> (String, Output) {
    let source = fs::read_to_string(input).unwrap();
    let name = input.file_name().unwrap().to_str().unwrap().to_string();
    let options = Options { filename: Some(name), ..Options::default() };
    let output = transform(&source, &options).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    (source, output)
}

fn is_nochange(input: &Path) -> bool {
    input.file_name().unwrap().to_str().unwrap().starts_with("nochange-")
}

#[test]
fn every_golden_input_transforms_to_its_expected_output() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut mismatches = Vec::new();
    for input in inputs() {
        let (_, output) = run(&input);
        let expected = expected_path(&input);
        if update {
            fs::write(&expected, &output.code).unwrap();
            continue;
        }
        let want = fs::read_to_string(&expected)
            .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", expected.display()));
        if want != output.code {
            mismatches.push(format!("{}\n--- expected\n{want}\n--- actual\n{}", input.display(), output.code));
        }
    }
    assert!(mismatches.is_empty(), "{} golden mismatch(es):\n{}", mismatches.len(), mismatches.join("\n\n"));
}

#[test]
fn inputs_without_suspension_points_come_back_byte_for_byte() {
    let mut seen = 0;
    for input in inputs().into_iter().filter(|p| is_nochange(p)) {
        let (source, output) = run(&input);
        assert!(!output.changed, "{} changed", input.display());
        assert_eq!(output.code, source, "{}", input.display());
        seen += 1;
    }
    assert!(seen >= 4);
}

#[test]
fn inputs_with_suspension_points_change() {
    for input in inputs().into_iter().filter(|p| !is_nochange(p)) {
        let (source, output) = run(&input);
        assert!(output.changed, "{} did not change", input.display());
        assert_ne!(output.code, source);
    }
}

fn source_type_for(input: &Path, kind: ParsedAs) -> SourceType {
    let ext = input.extension().unwrap().to_str().unwrap();
    let base = match ext {
        "ts" | "mts" | "cts" => SourceType::ts(),
        "tsx" => SourceType::tsx(),
        "jsx" => SourceType::jsx(),
        _ if input.file_name().unwrap().to_str().unwrap().starts_with("jsx-") => SourceType::jsx(),
        _ => SourceType::mjs(),
    };
    match kind {
        ParsedAs::Module | ParsedAs::Declaration => base.with_module(true),
        ParsedAs::Script => base.with_script(true),
        ParsedAs::CommonJs => base.with_commonjs(true),
    }
}

#[test]
fn every_output_parses_without_errors_as_the_kind_its_input_was_parsed_as() {
    for input in inputs() {
        let (_, output) = run(&input);
        let allocator = Allocator::default();
        let parsed = Parser::new(&allocator, &output.code, source_type_for(&input, output.kind)).parse();
        let errors: Vec<String> = parsed.diagnostics.errors().map(|e| e.to_string()).collect();
        assert!(errors.is_empty() && !parsed.panicked, "{}: {errors:?}\n{}", input.display(), output.code);
    }
}

#[test]
fn every_output_keeps_its_suspension_expressions_and_references_no_new_identifier() {
    let mut failures = Vec::new();
    for input in inputs() {
        let (source, output) = run(&input);
        let source_type = source_type_for(&input, output.kind);
        let before = common::shape(&source, source_type).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        match common::shape(&output.code, source_type).and_then(|after| common::same_structure(&before, &after)) {
            Ok(()) => {}
            Err(e) => failures.push(format!("{}: {e}", input.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn transforming_an_output_again_changes_nothing() {
    for input in inputs() {
        let (_, output) = run(&input);
        let options = Options {
            filename: Some(input.file_name().unwrap().to_str().unwrap().to_string()),
            ..Options::default()
        };
        let again = transform(&output.code, &options).unwrap();
        assert!(!again.changed, "{}", input.display());
        assert_eq!(again.code, output.code);
    }
}

#[test]
fn outputs_keep_every_line_on_its_line_number() {
    for input in inputs() {
        let (source, output) = run(&input);
        assert_eq!(source.lines().count(), output.code.lines().count(), "{}", input.display());
        for (i, (a, b)) in source.lines().zip(output.code.lines()).enumerate() {
            if b.contains("__acUsing_") {
                // A replaced `for (await using x of ...)` head.
                continue;
            }
            assert!(is_subsequence(a, b), "{}:{}: {a:?} is not kept in {b:?}", input.display(), i + 1);
        }
    }
}

/// `needle`'s characters appear in `haystack` in order (the insertions only add text).
fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut rest = haystack.chars();
    needle.chars().all(|c| rest.any(|h| h == c))
}

#[test]
fn the_original_text_survives_in_order_and_inserted_text_never_splits_a_token() {
    // Every token of the input appears whole, in order, in the output.
    for input in inputs() {
        let (source, output) = run(&input);
        let mut at = 0usize;
        for token in tokens(&source) {
            match output.code[at..].find(token.1) {
                Some(i) => at += i + token.1.len(),
                None => {
                    // `for (await using x of ...)` heads are replaced: the declaration moves into
                    // the loop body, after the point the search reached.
                    assert!(
                        input.file_name().unwrap().to_str().unwrap() == "await-using.mjs",
                        "{}: token {:?} at byte {} lost",
                        input.display(),
                        token.1,
                        token.0
                    );
                }
            }
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// Runs of word characters and single punctuation characters, with their byte offsets.
fn tokens(source: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in source.char_indices() {
        if is_word(c) {
            start.get_or_insert(i);
        } else {
            if let Some(s) = start.take() {
                out.push((s, &source[s..i]));
            }
            if !c.is_whitespace() {
                out.push((i, &source[i..i + c.len_utf8()]));
            }
        }
    }
    if let Some(s) = start {
        out.push((s, &source[s..]));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Source maps

fn decode_vlq(mappings: &str) -> Vec<(u32, u32, u32, u32)> {
    const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut src_line, mut src_col) = (0i64, 0i64);
    for (line, group) in mappings.split(';').enumerate() {
        let mut gen_col = 0i64;
        for segment in group.split(',').filter(|s| !s.is_empty()) {
            let mut values = Vec::new();
            let (mut value, mut shift) = (0i64, 0);
            for c in segment.chars() {
                let digit = B64.find(c).expect("base64 digit") as i64;
                value |= (digit & 31) << shift;
                if digit & 32 != 0 {
                    shift += 5;
                } else {
                    values.push(if value & 1 == 1 { -(value >> 1) } else { value >> 1 });
                    value = 0;
                    shift = 0;
                }
            }
            assert_eq!(values.len(), 4, "segment {segment}");
            gen_col += values[0];
            src_line += values[2];
            src_col += values[3];
            out.push((line as u32, gen_col as u32, src_line as u32, src_col as u32));
        }
    }
    out
}

/// (line, UTF-16 column) -> the character there.
fn char_at(text: &str, line: u32, col: u32) -> Option<char> {
    let l = text.split('\n').nth(line as usize)?;
    let mut c16 = 0u32;
    for c in l.chars() {
        if c16 == col {
            return Some(c);
        }
        c16 += c.len_utf16() as u32;
    }
    None
}

fn mappings_of(map: &str) -> Vec<(u32, u32, u32, u32)> {
    let start = map.find("\"mappings\":\"").unwrap() + "\"mappings\":\"".len();
    let end = start + map[start..].find('"').unwrap();
    decode_vlq(&map[start..end])
}

#[test]
fn the_source_map_maps_every_original_token_to_the_same_text_in_the_output() {
    for input in inputs() {
        let (source, output) = run(&input);
        assert!(output.map.starts_with("{\"version\":3,"), "{}", output.map);
        let mappings = mappings_of(&output.map);
        let mut mapped = std::collections::HashSet::new();
        for &(gl, gc, ol, oc) in &mappings {
            let generated = char_at(&output.code, gl, gc);
            let original = char_at(&source, ol, oc);
            let line_len = source.split('\n').nth(ol as usize).map(|l| l.encode_utf16().count() as u32);
            assert!(line_len.is_some_and(|len| oc <= len), "{}: mapping to {}:{} past the line end", input.display(), ol + 1, oc + 1);
            if generated.is_some() && generated == original {
                mapped.insert((ol, oc));
            }
        }
        // Every token start of the input is the target of a mapping from the same character
        // (except in a replaced `for (await using x of ...)` head).
        let output_lines: Vec<&str> = output.code.split('\n').collect();
        for (line, text) in source.split('\n').enumerate() {
            if output_lines.get(line).is_some_and(|l| l.contains("__acUsing_")) {
                continue;
            }
            let mut col = 0u32;
            let mut prev: Option<char> = None;
            for c in text.chars() {
                let boundary = !c.is_whitespace() && c != '\r' && (!is_word(c) || prev.is_none_or(|p| !is_word(p)));
                if boundary {
                    assert!(mapped.contains(&(line as u32, col)), "{}:{}:{} ({c:?}) is not mapped", input.display(), line + 1, col + 1);
                }
                prev = Some(c);
                col += c.len_utf16() as u32;
            }
        }
    }
}

#[test]
fn unchanged_lines_map_column_for_column() {
    for input in inputs() {
        let (source, output) = run(&input);
        let unchanged: Vec<bool> = source.split('\n').zip(output.code.split('\n')).map(|(a, b)| a == b).collect();
        for (gl, gc, ol, oc) in mappings_of(&output.map) {
            if unchanged.get(gl as usize).copied().unwrap_or(false) {
                assert_eq!((gl, gc), (ol, oc), "{}", input.display());
            }
        }
    }
}
