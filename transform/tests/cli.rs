//! The command line: files and directories, --check, --source-map, --module/--script, errors and
//! exit codes.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_asynccontext-transform");

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn cli(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const ASYNC: &str = "export async function f() {\n  return await g();\n}\n";
const PLAIN: &str = "export function f() {\n  return g();\n}\n";

#[test]
fn a_file_without_output_is_written_to_standard_output() {
    let dir = scratch("stdout");
    let input = dir.join("a.mjs");
    fs::write(&input, ASYNC).unwrap();
    let out = cli(&[input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, g()))"));
}

#[test]
fn standard_input_is_read_when_input_is_a_dash() {
    let mut child = Command::new(BIN).arg("-").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(ASYNC.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("await __asyncContext.suspend("));
}

#[test]
fn a_file_is_written_to_the_output_path_with_a_source_map_beside_it() {
    let dir = scratch("file-map");
    let input = dir.join("src/a.mjs");
    fs::create_dir_all(input.parent().unwrap()).unwrap();
    fs::write(&input, format!("{ASYNC}//# sourceMappingURL=old.map\n")).unwrap();
    let output = dir.join("out/a.mjs");
    let out = cli(&[input.to_str().unwrap(), "-o", output.to_str().unwrap(), "--source-map"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let code = fs::read_to_string(&output).unwrap();
    assert!(code.ends_with("//# sourceMappingURL=a.mjs.map\n"), "{code}");
    assert!(!code.contains("old.map"), "the input's own map comment is replaced");
    let map = fs::read_to_string(dir.join("out/a.mjs.map")).unwrap();
    assert!(map.contains("\"sources\":[\"../src/a.mjs\"]"), "{map}");
    assert!(map.contains("\"file\":\"a.mjs\""), "{map}");
}

#[test]
fn a_directory_is_mirrored_with_only_javascript_and_typescript_files_written() {
    let dir = scratch("dir");
    let src = dir.join("src");
    for (path, content) in [
        ("a.mjs", ASYNC),
        ("nested/deeper/b.ts", "export async function b(): Promise<void> { await c(); }\n"),
        ("nested/plain.js", PLAIN),
        ("types.d.ts", "export declare function f(): Promise<void>;\n"),
        ("style.css", "body {}\n"),
        ("node_modules/dep/index.js", ASYNC),
        (".cache/x.js", ASYNC),
    ] {
        let file = src.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, content).unwrap();
    }
    let out_dir = dir.join("out");
    let out = cli(&[src.to_str().unwrap(), "-o", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(fs::read_to_string(out_dir.join("a.mjs")).unwrap().contains("__asyncContext.suspend"));
    assert!(fs::read_to_string(out_dir.join("nested/deeper/b.ts")).unwrap().contains("__asyncContext.suspend"));
    assert_eq!(fs::read_to_string(out_dir.join("nested/plain.js")).unwrap(), PLAIN);
    for skipped in ["types.d.ts", "style.css", "node_modules", ".cache"] {
        assert!(!out_dir.join(skipped).exists(), "{skipped} should not be written");
    }
}

#[test]
fn an_output_directory_inside_the_input_is_not_transformed_again() {
    let dir = scratch("nested-out");
    fs::write(dir.join("a.mjs"), ASYNC).unwrap();
    let out_dir = dir.join("build");
    for _ in 0..2 {
        let out = cli(&[dir.to_str().unwrap(), "-o", out_dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    assert!(!out_dir.join("build").exists());
}

#[test]
fn transforming_a_directory_in_place_twice_changes_it_only_once() {
    let dir = scratch("in-place");
    fs::write(dir.join("a.mjs"), ASYNC).unwrap();
    let path = dir.to_str().unwrap();
    assert_eq!(cli(&[path, "-o", path]).status.code(), Some(0));
    let once = fs::read_to_string(dir.join("a.mjs")).unwrap();
    assert_ne!(once, ASYNC);
    assert_eq!(cli(&[path, "-o", path]).status.code(), Some(0));
    assert_eq!(fs::read_to_string(dir.join("a.mjs")).unwrap(), once);
}

#[test]
fn check_exits_1_and_lists_files_that_would_change_without_writing_anything() {
    let dir = scratch("check");
    fs::write(dir.join("a.mjs"), ASYNC).unwrap();
    fs::write(dir.join("b.mjs"), PLAIN).unwrap();
    let out = cli(&["--check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("a.mjs: would change"), "{stdout}");
    assert!(!stdout.contains("b.mjs"), "{stdout}");
    assert_eq!(fs::read_to_string(dir.join("a.mjs")).unwrap(), ASYNC);
}

#[test]
fn check_exits_0_when_nothing_would_change() {
    let dir = scratch("check-clean");
    fs::write(dir.join("b.mjs"), PLAIN).unwrap();
    let out = cli(&["--check", dir.join("b.mjs").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn a_parse_error_is_reported_as_path_line_column_and_exits_2() {
    let dir = scratch("parse-error");
    let input = dir.join("bad.mjs");
    fs::write(&input, "const ok = 1;\nasync function f() {\n  await (;\n}\n").unwrap();
    let out = cli(&[input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with(&format!("{}:3:10: ", input.display())), "{stderr}");
}

#[test]
fn a_parse_error_in_one_file_of_a_directory_still_transforms_the_others_and_exits_2() {
    let dir = scratch("dir-error");
    let src = dir.join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("bad.js"), "let = ;").unwrap();
    fs::write(src.join("good.mjs"), ASYNC).unwrap();
    let out = cli(&[src.to_str().unwrap(), "-o", dir.join("out").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.js:1:"), "{}", text(&out.stderr));
    assert!(dir.join("out/good.mjs").exists());
    assert!(!dir.join("out/bad.js").exists());
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(cli(&[]).status.code(), Some(2));
    assert_eq!(cli(&["--frobnicate", "a.js"]).status.code(), Some(2));
    assert_eq!(cli(&["--module", "--script", "a.js"]).status.code(), Some(2));
    assert_eq!(cli(&["does-not-exist.js"]).status.code(), Some(2));
    let dir = scratch("usage");
    assert_eq!(cli(&[dir.to_str().unwrap()]).status.code(), Some(2), "a directory needs -o");
}

#[test]
fn help_and_version_exit_0() {
    let help = cli(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("--source-map"));
    let version = cli(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert!(text(&version.stdout).starts_with("asynccontext-transform "));
}

#[test]
fn module_forces_the_module_form_and_script_forces_the_script_form() {
    let dir = scratch("force");
    let input = dir.join("a.js");
    fs::write(&input, "async function f() { await g(); }\n").unwrap();
    let module = text(&cli(&["--module", input.to_str().unwrap()]).stdout);
    assert!(module.contains("function __asyncContextInit()"), "{module}");
    let script = text(&cli(&["--script", input.to_str().unwrap()]).stdout);
    assert!(script.starts_with("var __asyncContext_"), "{script}");
    // `await` as an identifier only parses as a script.
    fs::write(&input, "var await = 1;\n").unwrap();
    assert_eq!(cli(&["--module", input.to_str().unwrap()]).status.code(), Some(2));
    assert_eq!(cli(&["--script", input.to_str().unwrap()]).status.code(), Some(0));
}

#[test]
fn notes_about_late_captured_generators_go_to_standard_error_unless_quiet() {
    let dir = scratch("notes");
    let input = dir.join("g.mjs");
    fs::write(&input, "export function* g(...rest) { yield rest; }\n").unwrap();
    let out = cli(&[input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains(":1:8: note: generator"), "{}", text(&out.stderr));
    let quiet = cli(&["-q", input.to_str().unwrap()]);
    assert_eq!(text(&quiet.stderr), "");
}
