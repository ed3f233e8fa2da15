//! WebAssembly bindings (built by scripts/build-wasm.mjs):
//!
//! ```js
//! import { transform } from "asynccontext-transform";
//! const { code, map, changed, kind, notes } = transform(source, { filename: "app.ts" });
//! ```
//!
//! Options: `filename`, `sourceKind` ("auto" | "module" | "script"), `mapSource`, `mapFile`,
//! `omitSourcesContent`. A parse error throws a `SyntaxError` whose message is
//! `line:column: message`, with `line` and `column` properties (1-based, UTF-16 columns).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::{Options, ParsedAs, SourceKind};

fn get(options: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(options, &JsValue::from_str(key))
}

fn string_option(options: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let value = get(options, key)?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| js_sys::TypeError::new(&format!("options.{key} must be a string")).into())
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Defining a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// `transform(code, options?)`: see the module documentation.
#[wasm_bindgen]
pub fn transform(code: &str, options: JsValue) -> Result<JsValue, JsValue> {
    if !(options.is_undefined() || options.is_null() || options.is_object()) {
        return Err(js_sys::TypeError::new("options must be an object").into());
    }
    let source_kind = match string_option(&options, "sourceKind")?.as_deref() {
        None | Some("auto") => SourceKind::Auto,
        Some("module") => SourceKind::Module,
        Some("script") => SourceKind::Script,
        Some(other) => {
            return Err(js_sys::TypeError::new(&format!("options.sourceKind must be \"auto\", \"module\" or \"script\", not {other:?}")).into())
        }
    };
    let options = Options {
        filename: string_option(&options, "filename")?,
        source_kind,
        map_source: string_option(&options, "mapSource")?,
        map_file: string_option(&options, "mapFile")?,
        omit_sources_content: get(&options, "omitSourcesContent")?.is_truthy(),
    };
    match crate::transform(code, &options) {
        Ok(output) => {
            let result = Object::new();
            set(&result, "code", &JsValue::from_str(&output.code));
            set(&result, "map", &JsValue::from_str(&output.map));
            set(&result, "changed", &JsValue::from_bool(output.changed));
            let kind = match output.kind {
                ParsedAs::Module => "module",
                ParsedAs::Script => "script",
                ParsedAs::CommonJs => "commonjs",
                ParsedAs::Declaration => "declaration",
            };
            set(&result, "kind", &JsValue::from_str(kind));
            let notes = Array::new();
            for note in &output.notes {
                let n = Object::new();
                set(&n, "message", &JsValue::from_str(&note.message));
                set(&n, "line", &JsValue::from_f64(note.line.into()));
                set(&n, "column", &JsValue::from_f64(note.column.into()));
                notes.push(&n);
            }
            set(&result, "notes", &notes);
            Ok(result.into())
        }
        Err(error) => {
            let e = js_sys::SyntaxError::new(&format!("{}:{}: {}", error.line, error.column, error.message));
            set(&e, "line", &JsValue::from_f64(error.line.into()));
            set(&e, "column", &JsValue::from_f64(error.column.into()));
            Err(e.into())
        }
    }
}
