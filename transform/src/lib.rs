//! `asynccontext-transform`: keeps the AsyncContext context across native `await`, `for await`,
//! `await using` and generator resumption.
//!
//! Native `await` resumes an async function without calling anything a polyfill could patch, so
//! after the first `await` the function would run in whatever context happens to be current. This
//! crate rewrites JavaScript/TypeScript source so that every suspension point saves the context
//! and every resumption restores it, through a small runtime that the asynccontext polyfill
//! installs as `globalThis[Symbol.for("asynccontext.suspension")]`. Async functions stay native
//! async functions; only text around suspension points is inserted, everything else stays
//! byte-for-byte, and a source map is produced.
//!
//! Shapes (`R` = the runtime binding, `s` = the function's state):
//! - async function bodies: `const s = R.enter(); try { BODY } finally { R.exit(s); }`
//!   (only functions that contain a suspension point; an expression-bodied async arrow gets a
//!   block body);
//! - `await X` -> `R.resume(s, await R.suspend(s, X))`;
//! - the first line of each `catch`/`finally` block whose `try` (or `catch`) contains a
//!   suspension point: `R.resume(s);`
//! - `for await (H of X) B` -> `try { for await (H of R.forAwait(s, X)) { R.resume(s); B } }
//!   finally { R.resume(s); }` (a `finally` rather than a statement after the loop, so that
//!   `break`/`continue` to an outer label and `return` are covered too);
//! - `await using` declarations: a `using` guard before each resumes after the disposal awaits at
//!   the end of the block, one after each suspends before them;
//! - generators: `...{ s = R.enter() }` as an extra last parameter (evaluated when the generator
//!   object is created, whatever the arguments, without changing `length`), the body starts with
//!   `R.resume(s); try {` and ends with `} finally { R.exit(s); }`, and
//!   `yield X` -> `R.resume(s, yield R.suspend(s, X))`;
//! - top-level await in a module: a module-level state, same shapes.
//!
//! See README.md for the rules, limitations and tick counts.

mod edits;
mod sourcemap;
mod walker;
#[cfg(target_arch = "wasm32")]
mod wasm;

use std::fmt;

use oxc_allocator::Allocator;
use oxc_ast_visit::Visit;
use oxc_parser::{ParseOptions, Parser};
use oxc_span::{GetSpan, SourceType};

pub use walker::FileKind;
use walker::{Names, Walker};

/// The property key under which the polyfill installs the runtime. Its presence in a source
/// means the file was transformed already.
pub const RUNTIME_KEY: &str = "asynccontext.suspension";

/// How to parse the input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SourceKind {
    /// By extension (`.mjs`/`.mts` module, `.cjs`/`.cts` CommonJS); otherwise parsed as a
    /// module, which it is if it has `import`/`export`/`import.meta` or top-level await, else it
    /// is treated as a classic script; if it does not parse as a module, parsed as a script.
    #[default]
    Auto,
    /// ES module.
    Module,
    /// Classic script (CommonJS for `.cjs`/`.cts`).
    Script,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Name of the input file: its extension picks the syntax (`.js .mjs .cjs .jsx .ts .mts .cts
    /// .tsx`; `.jsx`/`.tsx` with JSX, `.js` falls back to JSX when it does not parse without)
    /// and it is the default source name in the map. Without it, the input is JavaScript.
    pub filename: Option<String>,
    pub source_kind: SourceKind,
    /// Name of the original in the map's `sources` (default: `filename`, else `input.js`).
    pub map_source: Option<String>,
    /// Name of the generated file in the map's `file` field (omitted by default).
    pub map_file: Option<String>,
    /// Leave `sourcesContent` out of the map.
    pub omit_sources_content: bool,
}

/// A transformed file.
#[derive(Clone, Debug)]
pub struct Output {
    pub code: String,
    /// Source map (version 3) as JSON.
    pub map: String,
    /// `code` differs from the input.
    pub changed: bool,
    /// How the file was parsed.
    pub kind: ParsedAs,
    /// Things the user should know (e.g. a generator whose context is captured late).
    pub notes: Vec<Note>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedAs {
    Module,
    Script,
    CommonJs,
    /// A TypeScript declaration file (`.d.ts`): no code, passed through.
    Declaration,
}

/// A remark about a position in the input (1-based line, 1-based column in UTF-16 code units).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

/// A parse error, positioned like [`Note`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for Error {}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Js,
    Jsx,
    Ts,
    Tsx,
}

/// Extension-derived facts about the input.
struct Input {
    lang: Lang,
    /// `Some(true)` module, `Some(false)` CommonJS, `None` undecided.
    ext_kind: Option<bool>,
    declaration: bool,
}

fn classify(filename: Option<&str>) -> Input {
    let name = filename.map(|f| f.rsplit(['/', '\\']).next().unwrap_or(f).to_ascii_lowercase()).unwrap_or_default();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let declaration = [".d.ts", ".d.mts", ".d.cts"].iter().any(|d| name.ends_with(d))
        || (ext == "ts" && name.contains(".d.") && !name.starts_with(".d."));
    let lang = match ext {
        "jsx" => Lang::Jsx,
        "ts" | "mts" | "cts" => Lang::Ts,
        "tsx" => Lang::Tsx,
        _ => Lang::Js,
    };
    let ext_kind = match ext {
        "mjs" | "mts" => Some(true),
        "cjs" | "cts" => Some(false),
        _ => None,
    };
    Input { lang, ext_kind, declaration }
}

/// Transforms one file. See the crate documentation.
pub fn transform(source: &str, options: &Options) -> Result<Output, Error> {
    let input = classify(options.filename.as_deref());
    if input.declaration {
        return Ok(finish(source, None, options, ParsedAs::Declaration, Vec::new()));
    }
    // JSX fallback only for plain `.js` (no TypeScript `<T>x` ambiguity there).
    let langs: &[Lang] = match input.lang {
        Lang::Js => &[Lang::Js, Lang::Jsx],
        Lang::Jsx => &[Lang::Jsx],
        Lang::Ts => &[Lang::Ts],
        Lang::Tsx => &[Lang::Tsx],
    };
    let mut first_error: Option<Error> = None;
    for &lang in langs {
        match transform_lang(source, options, &input, lang) {
            Ok(output) => return Ok(output),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(first_error.expect("at least one language was tried"))
}

fn source_type(lang: Lang, kind: ParsedAs) -> SourceType {
    let base = match lang {
        Lang::Js => SourceType::mjs(),
        Lang::Jsx => SourceType::jsx(),
        Lang::Ts => SourceType::ts(),
        Lang::Tsx => SourceType::tsx(),
    };
    match kind {
        ParsedAs::Module => base.with_module(true),
        ParsedAs::Script => base.with_script(true),
        ParsedAs::CommonJs => base.with_commonjs(true),
        ParsedAs::Declaration => base,
    }
}

fn transform_lang(source: &str, options: &Options, input: &Input, lang: Lang) -> Result<Output, Error> {
    let forced = match (options.source_kind, input.ext_kind) {
        (SourceKind::Module, _) => Some(ParsedAs::Module),
        (SourceKind::Script, Some(false)) => Some(ParsedAs::CommonJs),
        (SourceKind::Script, _) => Some(ParsedAs::Script),
        (SourceKind::Auto, Some(true)) => Some(ParsedAs::Module),
        (SourceKind::Auto, Some(false)) => Some(ParsedAs::CommonJs),
        (SourceKind::Auto, None) => None,
    };
    match forced {
        Some(kind) => attempt(source, options, lang, kind, true).map_err(|(error, _)| error),
        None => match attempt(source, options, lang, ParsedAs::Module, false) {
            Ok(output) => Ok(output),
            Err((module_error, had_module_syntax)) => match attempt(source, options, lang, ParsedAs::Script, true) {
                Ok(output) => Ok(output),
                Err((script_error, _)) => Err(if had_module_syntax { module_error } else { script_error }),
            },
        },
    }
}

/// Parses as `kind` and transforms. With `keep_kind == false` (auto-detection), a module without
/// module syntax or top-level await is emitted as a script (its output works either way). The
/// error carries whether the source showed module syntax.
fn attempt(source: &str, options: &Options, lang: Lang, kind: ParsedAs, keep_kind: bool) -> Result<Output, (Error, bool)> {
    let allocator = Allocator::default();
    let parse_options = ParseOptions::default();
    let parsed = Parser::new(&allocator, source, source_type(lang, kind)).with_options(parse_options).parse();
    let module_syntax = parsed.module_record.has_module_syntax;
    if parsed.panicked || parsed.diagnostics.has_errors() {
        let diagnostic = parsed.diagnostics.errors().next();
        let (message, offset) = match diagnostic {
            Some(d) => {
                let offset = d.labels.iter().find(|l| l.primary()).or(d.labels.first()).map_or(0, |l| l.offset());
                let mut message = d.message.to_string();
                if let Some(help) = &d.help {
                    message.push_str(&format!(" ({help})"));
                }
                (message, offset)
            }
            None => ("could not parse the file".to_string(), 0),
        };
        let (line, column) = line_column(source, offset as usize);
        return Err((Error { message, line, column }, module_syntax));
    }
    let program = parsed.program;
    if source.contains(&format!("Symbol.for(\"{RUNTIME_KEY}\")")) {
        // Transformed already: transforming again would nest the calls.
        return Ok(finish(source, None, options, kind, Vec::new()));
    }
    let typescript = matches!(lang, Lang::Ts | Lang::Tsx);
    let file_kind = if kind == ParsedAs::Module { FileKind::Module } else { FileKind::Script };
    let names = choose_names(source, kind == ParsedAs::Script);
    let mut walker = Walker::new(source, &names, file_kind, typescript);
    walker.visit_program(&program);
    let (walker, kind) = if kind == ParsedAs::Module && !keep_kind && !module_syntax && !walker.module_state_needed {
        // Nothing makes this a module: emit the script form (a `var`, valid in both).
        let names = choose_names(source, true);
        let mut again = Walker::new(source, &names, FileKind::Script, typescript);
        again.visit_program(&program);
        let result = finish_walk(source, &program, again, &names, FileKind::Script, typescript);
        return Ok(finish(source, Some(result.0), options, ParsedAs::Script, result.1));
    } else {
        (walker, kind)
    };
    let result = finish_walk(source, &program, walker, &names, file_kind, typescript);
    Ok(finish(source, Some(result.0), options, kind, result.1))
}

/// Adds the file prologue when anything changed. Returns the edits and the notes.
fn finish_walk(
    source: &str,
    program: &oxc_ast::ast::Program,
    mut walker: Walker,
    names: &Names,
    file_kind: FileKind,
    typescript: bool,
) -> (edits::Edits, Vec<Note>) {
    let notes = walker
        .late_capture
        .iter()
        .map(|span| {
            let (line, column) = line_column(source, span.start as usize);
            Note {
                message: "generator: its parameter list cannot take the extra parameter (rest parameter, \"use strict\" with simple parameters, or sloppy-mode `arguments`), so its context is the one of its first next() call instead of its creation".to_string(),
                line,
                column,
            }
        })
        .collect();
    if walker.edits.is_empty() {
        return (walker.edits, notes);
    }
    let lookup = if typescript {
        format!("(globalThis as any)[Symbol.for(\"{RUNTIME_KEY}\")]")
    } else {
        format!("globalThis[Symbol.for(\"{RUNTIME_KEY}\")]")
    };
    let any = if typescript { ": any" } else { "" };
    let fallback = format!(
        "{{ enter() {{}}, suspend(_{any}, v{any}) {{ return v; }}, resume(_{any}, v{any}) {{ return v; }}, exit() {{}}, forAwait(_{any}, it{any}) {{ return it; }} }}"
    );
    let runtime = &names.runtime;
    let mut prologue = match file_kind {
        FileKind::Script => format!("var {runtime}{any} = {lookup} || {fallback};"),
        FileKind::Module => format!(
            "var {runtime}{any} = {init}(); function {init}(){any} {{ return {runtime} || ({runtime} = {lookup} || {fallback}); }}",
            init = names.runtime_init
        ),
    };
    if walker.module_state_needed {
        prologue.push_str(&format!(" const {} = {runtime}.enter();", names.state));
    }
    // After the hashbang line and the directive prologue.
    let (at, text) = match program.directives.last() {
        Some(d) => {
            let semi = if source[..d.span.end as usize].ends_with(';') { "" } else { ";" };
            (d.span.end, format!("{semi} {prologue}"))
        }
        // Right before the first statement: after a hashbang line, a byte order mark and any
        // leading comments. An HTML-like `-->` comment counts only at the start of a line (or of
        // the input), so nothing may be put before it on its line.
        None => match program.body.first() {
            Some(first) => (first.span().start, format!("{prologue} ")),
            None => (source.len() as u32, format!("\n{prologue}")),
        },
    };
    walker.edits.open(at, u32::MAX, text);
    (walker.edits, notes)
}

fn finish(source: &str, edits: Option<edits::Edits>, options: &Options, kind: ParsedAs, notes: Vec<Note>) -> Output {
    let mut map = sourcemap::SourceMapBuilder::default();
    let edits = edits.unwrap_or_default();
    let changed = !edits.is_empty();
    let code = edits.apply(source, Some(&mut map));
    let source_name = options
        .map_source
        .clone()
        .or_else(|| options.filename.clone())
        .unwrap_or_else(|| "input.js".to_string());
    let content = if options.omit_sources_content { None } else { Some(source) };
    let map = map.to_json(options.map_file.as_deref(), &source_name, content);
    Output { code, map, changed, kind, notes }
}

/// Names that do not occur in `source`. A classic script's runtime binding is a global shared by
/// every script of the page, so it also gets a suffix derived from the file's text.
fn choose_names(source: &str, classic_script: bool) -> Names {
    let file_suffix = if classic_script { format!("_{:08x}", fnv1a(source)) } else { String::new() };
    let mut n = 0u32;
    loop {
        let suffix = if n == 0 { String::new() } else { format!("${n}") };
        let names = Names {
            runtime: format!("__asyncContext{file_suffix}{suffix}"),
            runtime_init: format!("__asyncContextInit{suffix}"),
            state: format!("__acState{suffix}"),
            using_value: format!("__acUsing{suffix}_"),
            guard: format!("__acGuard{suffix}_"),
        };
        let taken = [&names.runtime, &names.runtime_init, &names.state, &names.using_value, &names.guard]
            .iter()
            .any(|name| source.contains(name.as_str()));
        // `__asyncContext` is a prefix of the others: check it alone too, so that a source that
        // mentions `__asyncContext` gets suffixed names throughout.
        if !taken && !source.contains(&format!("__asyncContext{suffix}")) {
            return names;
        }
        n += 1;
    }
}

fn fnv1a(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.bytes() {
        hash ^= byte as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// 1-based line and 1-based UTF-16 column of a byte offset.
fn line_column(source: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(source.len());
    let mut line = 1u32;
    let mut column = 1u32;
    let mut after_cr = false;
    for (i, c) in source.char_indices() {
        if i >= offset {
            break;
        }
        match c {
            '\n' if after_cr => {
                after_cr = false;
            }
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => {
                line += 1;
                column = 1;
                after_cr = c == '\r';
            }
            _ => {
                after_cr = false;
                column += c.len_utf16() as u32;
            }
        }
    }
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_crlf_once_and_columns_in_utf16_units() {
        let src = "a\r\nb😀c\rd";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 3), (2, 1));
        assert_eq!(line_column(src, src.find('c').unwrap()), (2, 4));
        assert_eq!(line_column(src, src.find('d').unwrap()), (3, 1));
    }

    #[test]
    fn names_avoid_identifiers_present_in_the_source() {
        let names = choose_names("let __acState = 1;", false);
        assert_eq!(names.state, "__acState$1");
        assert_eq!(names.runtime, "__asyncContext$1");
        let names = choose_names("let x;", false);
        assert_eq!(names.runtime, "__asyncContext");
    }

    #[test]
    fn classic_scripts_get_a_runtime_name_unique_to_their_text() {
        let a = choose_names("async function a() { await 1 }", true);
        let b = choose_names("async function b() { await 1 }", true);
        assert_ne!(a.runtime, b.runtime);
        assert!(a.runtime.starts_with("__asyncContext_"));
    }

    #[test]
    fn the_prologue_goes_after_a_byte_order_mark() {
        let out = transform("\u{feff}export async function f() { await g(); }", &Options::default()).unwrap();
        assert!(out.code.starts_with("\u{feff}var __asyncContext = "), "{}", out.code);
    }

    #[test]
    fn crlf_line_breaks_are_kept_and_the_prologue_follows_a_hashbang_line() {
        let out = transform("#!/usr/bin/env node\r\nawait main();\r\n", &Options::default()).unwrap();
        assert!(out.code.starts_with("#!/usr/bin/env node\r\nvar __asyncContext = "), "{}", out.code);
        assert_eq!(out.code.matches("\r\n").count(), 2);
    }

    #[test]
    fn a_parse_error_carries_its_line_and_column() {
        let error = transform("let a = 1;\nlet b = ;\n", &Options::default()).unwrap_err();
        assert_eq!((error.line, error.column), (2, 9), "{error}");
    }

    #[test]
    fn declaration_files_pass_through() {
        let options = Options { filename: Some("types.d.ts".into()), ..Options::default() };
        let out = transform("declare function f(): Promise<void>;", &options).unwrap();
        assert!(!out.changed);
        assert_eq!(out.kind, ParsedAs::Declaration);
    }
}
