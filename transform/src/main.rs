//! Command line: `asynccontext-transform INPUT [-o OUTPUT] [--check] [--source-map] [--module|--script]`.
//! See `--help` and README.md.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use asynccontext_transform::{transform, Options, SourceKind};

const USAGE: &str = "\
usage: asynccontext-transform INPUT [-o OUTPUT] [options]

Rewrites JavaScript/TypeScript so that AsyncContext values survive await, for await,
await using and generator resumption (runtime: the asynccontext polyfill).

  INPUT               a file, a directory (every .js .mjs .cjs .jsx .ts .mts .cts .tsx file
                      below it, except .d.ts files, node_modules and dot-directories), or -
                      for standard input
  -o, --output PATH   output file, or output directory mirroring INPUT's tree (only the
                      transformed files are written; nothing else is copied). Without it a
                      single file is written to standard output.
      --check         write nothing; exit 1 if any file would change
      --source-map    write OUTPUT.map beside each output file and end the output with a
                      sourceMappingURL comment (replacing one the input had)
      --module        parse every input as an ES module
      --script        parse every input as a classic script (CommonJS for .cjs/.cts)
  -q, --quiet         do not print notes
  -h, --help          this text
  -V, --version       the version

Errors are printed as path:line:col: message.
Exit status: 0 done (with --check: nothing would change), 1 --check found files that would
change, 2 usage error, unreadable/unwritable file or parse error.";

struct Args {
    input: String,
    output: Option<PathBuf>,
    check: bool,
    source_map: bool,
    kind: SourceKind,
    quiet: bool,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut input = None;
    let mut output = None;
    let mut check = false;
    let mut source_map = false;
    let mut kind = SourceKind::Auto;
    let mut quiet = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("asynccontext-transform {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "-o" | "--output" => {
                let path = args.next().ok_or("-o needs a path")?;
                output = Some(PathBuf::from(path));
            }
            "--check" => check = true,
            "--source-map" => source_map = true,
            "--module" | "--script" => {
                let wanted = if arg == "--module" { SourceKind::Module } else { SourceKind::Script };
                if kind != SourceKind::Auto && kind != wanted {
                    return Err("--module and --script exclude each other".into());
                }
                kind = wanted;
            }
            "-q" | "--quiet" => quiet = true,
            "-" => set_input(&mut input, arg)?,
            _ if arg.starts_with("--output=") => output = Some(PathBuf::from(&arg["--output=".len()..])),
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ => set_input(&mut input, arg)?,
        }
    }
    let input = input.ok_or("missing INPUT")?;
    Ok(Some(Args { input, output, check, source_map, kind, quiet }))
}

fn set_input(input: &mut Option<String>, arg: String) -> Result<(), String> {
    if input.is_some() {
        return Err(format!("more than one INPUT ({arg})"));
    }
    *input = Some(arg);
    Ok(())
}

#[derive(Default)]
struct Outcome {
    errors: usize,
    would_change: usize,
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => return ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("asynccontext-transform: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut outcome = Outcome::default();
    if let Err(message) = run(&args, &mut outcome) {
        eprintln!("asynccontext-transform: {message}");
        return ExitCode::from(2);
    }
    if outcome.errors > 0 {
        ExitCode::from(2)
    } else if args.check && outcome.would_change > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run(args: &Args, outcome: &mut Outcome) -> Result<(), String> {
    if args.input == "-" {
        let mut source = String::new();
        io::stdin().read_to_string(&mut source).map_err(|e| format!("standard input: {e}"))?;
        return one_file(args, None, "<stdin>", &source, args.output.as_deref(), outcome);
    }
    let input = Path::new(&args.input);
    let meta = fs::metadata(input).map_err(|e| format!("{}: {e}", input.display()))?;
    if meta.is_dir() {
        if args.output.is_none() && !args.check {
            return Err("a directory INPUT needs -o OUTPUT (or --check)".into());
        }
        let mut files = Vec::new();
        let skip = args.output.as_deref().and_then(|o| absolute(o).ok());
        collect(input, &mut files, skip.as_deref()).map_err(|e| format!("{}: {e}", input.display()))?;
        files.sort();
        for file in files {
            let relative = file.strip_prefix(input).unwrap_or(&file).to_path_buf();
            let output = args.output.as_ref().map(|o| o.join(&relative));
            match fs::read_to_string(&file) {
                Ok(source) => {
                    let name = file.display().to_string();
                    one_file(args, Some(&file), &name, &source, output.as_deref(), outcome)?;
                }
                Err(e) => {
                    eprintln!("{}: {e}", file.display());
                    outcome.errors += 1;
                }
            }
        }
        Ok(())
    } else {
        let source = fs::read_to_string(input).map_err(|e| format!("{}: {e}", input.display()))?;
        let name = input.display().to_string();
        one_file(args, Some(input), &name, &source, args.output.as_deref(), outcome)
    }
}

const EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];

fn is_source(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    EXTENSIONS.contains(&ext) && ![".d.ts", ".d.mts", ".d.cts"].iter().any(|d| name.ends_with(d))
}

/// Source files below `dir` (symlinked directories are not followed; `skip` is the output
/// directory when it lies inside the input).
fn collect(dir: &Path, files: &mut Vec<PathBuf>, skip: Option<&Path>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if kind.is_dir() {
            if name == "node_modules" || name.starts_with('.') {
                continue;
            }
            if skip.is_some_and(|s| absolute(&path).is_ok_and(|p| p == s)) {
                continue;
            }
            collect(&path, files, skip)?;
        } else if (kind.is_file() || (kind.is_symlink() && path.is_file())) && is_source(&path) {
            files.push(path);
        }
    }
    Ok(())
}

fn one_file(
    args: &Args,
    input: Option<&Path>,
    display: &str,
    source: &str,
    output: Option<&Path>,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let mut options = Options {
        filename: input.map(|p| p.display().to_string()),
        source_kind: args.kind,
        ..Options::default()
    };
    if let (Some(input), Some(output)) = (input, output) {
        // Paths in the map are relative to the map's directory.
        let map_dir = output.parent().unwrap_or(Path::new(""));
        options.map_source = Some(relative_path(map_dir, input));
        options.map_file = output.file_name().map(|n| n.to_string_lossy().into_owned());
    }
    let result = match transform(source, &options) {
        Ok(result) => result,
        Err(error) => {
            eprintln!("{display}:{}:{}: {}", error.line, error.column, error.message);
            outcome.errors += 1;
            return Ok(());
        }
    };
    if !args.quiet {
        for note in &result.notes {
            eprintln!("{display}:{}:{}: note: {}", note.line, note.column, note.message);
        }
    }
    if args.check {
        if result.changed {
            println!("{display}: would change");
            outcome.would_change += 1;
        }
        return Ok(());
    }
    let Some(output) = output else {
        if args.source_map {
            return Err("--source-map needs -o OUTPUT".into());
        }
        io::stdout().write_all(result.code.as_bytes()).map_err(|e| format!("standard output: {e}"))?;
        return Ok(());
    };
    let mut code = result.code;
    if args.source_map {
        strip_source_mapping_url(&mut code);
        let map_name = format!("{}.map", output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        if !code.ends_with('\n') && !code.is_empty() {
            code.push('\n');
        }
        code.push_str(&format!("//# sourceMappingURL={}\n", encode_url_path(&map_name)));
        write_file(&output.with_file_name(&map_name), result.map.as_bytes(), outcome);
    }
    write_file(output, code.as_bytes(), outcome);
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8], outcome: &mut Outcome) {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            if let Err(e) = fs::create_dir_all(parent) {
                eprintln!("{}: {e}", parent.display());
                outcome.errors += 1;
                return;
            }
        }
    }
    if let Err(e) = fs::write(path, bytes) {
        eprintln!("{}: {e}", path.display());
        outcome.errors += 1;
    }
}

/// Removes a trailing `//# sourceMappingURL=` comment (the input's own map no longer applies).
fn strip_source_mapping_url(code: &mut String) {
    let trimmed = code.trim_end();
    let line_start = trimmed.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let last = &trimmed[line_start..];
    if last.starts_with("//# sourceMappingURL=") || last.starts_with("//@ sourceMappingURL=") {
        code.truncate(line_start);
    }
}

fn encode_url_path(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn absolute(path: &Path) -> io::Result<PathBuf> {
    std::path::absolute(path).map(|p| normalize(&p))
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// `to` relative to the directory `from`, with `/` separators (as source maps want).
fn relative_path(from: &Path, to: &Path) -> String {
    let (Ok(from), Ok(to)) = (absolute(from), absolute(to)) else {
        return to.display().to_string();
    };
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return to.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(to_parts[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}
