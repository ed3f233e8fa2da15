//! A source map (version 3, ECMA-426) for one generated file with one source and no names.

#[derive(Default)]
pub struct SourceMapBuilder {
    /// (generated line, generated column, original line, original column), in emission order.
    mappings: Vec<(u32, u32, u32, u32)>,
}

impl SourceMapBuilder {
    pub fn add(&mut self, gen_line: u32, gen_col: u32, orig_line: u32, orig_col: u32) {
        if let Some(&(gl, gc, ol, oc)) = self.mappings.last() {
            if gl == gen_line && gc == gen_col {
                // Two mappings for one generated position: the later one is what follows it.
                if (ol, oc) != (orig_line, orig_col) {
                    self.mappings.pop();
                } else {
                    return;
                }
            }
        }
        self.mappings.push((gen_line, gen_col, orig_line, orig_col));
    }

    /// The map as JSON. `file` is the generated file's name (omitted when `None`), `source` the
    /// name of the original, `content` its text (for `sourcesContent`).
    pub fn to_json(&self, file: Option<&str>, source: &str, content: Option<&str>) -> String {
        let mut json = String::with_capacity(self.mappings.len() * 6 + content.map_or(0, str::len) + 128);
        json.push_str("{\"version\":3,");
        if let Some(file) = file {
            json.push_str("\"file\":");
            push_json_string(&mut json, file);
            json.push(',');
        }
        json.push_str("\"sources\":[");
        push_json_string(&mut json, source);
        json.push(']');
        if let Some(content) = content {
            json.push_str(",\"sourcesContent\":[");
            push_json_string(&mut json, content);
            json.push(']');
        }
        json.push_str(",\"names\":[],\"mappings\":\"");
        self.encode_mappings(&mut json);
        json.push_str("\"}");
        json
    }

    fn encode_mappings(&self, out: &mut String) {
        let mut line = 0u32;
        let mut prev_gen_col = 0i64;
        let mut prev_orig_line = 0i64;
        let mut prev_orig_col = 0i64;
        let mut first_in_line = true;
        for &(gl, gc, ol, oc) in &self.mappings {
            while line < gl {
                out.push(';');
                line += 1;
                prev_gen_col = 0;
                first_in_line = true;
            }
            if !first_in_line {
                out.push(',');
            }
            first_in_line = false;
            vlq(out, gc as i64 - prev_gen_col);
            vlq(out, 0); // source index: always the single source
            vlq(out, ol as i64 - prev_orig_line);
            vlq(out, oc as i64 - prev_orig_col);
            prev_gen_col = gc as i64;
            prev_orig_line = ol as i64;
            prev_orig_col = oc as i64;
        }
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn vlq(out: &mut String, value: i64) {
    let mut v: u64 = if value < 0 { ((-value as u64) << 1) | 1 } else { (value as u64) << 1 };
    loop {
        let mut digit = (v & 31) as u8;
        v >>= 5;
        if v > 0 {
            digit |= 32;
        }
        out.push(BASE64[digit as usize] as char);
        if v == 0 {
            break;
        }
    }
}

pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // JSON allows U+2028/U+2029 raw, but escaping keeps the map valid as JavaScript too.
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(v: i64) -> String {
        let mut s = String::new();
        vlq(&mut s, v);
        s
    }

    #[test]
    fn vlq_encodes_small_large_and_negative_numbers_as_base64_digits() {
        assert_eq!(enc(0), "A");
        assert_eq!(enc(1), "C");
        assert_eq!(enc(-1), "D");
        assert_eq!(enc(15), "e");
        assert_eq!(enc(16), "gB");
        assert_eq!(enc(-17), "jB");
        assert_eq!(enc(1000), "w+B");
    }

    #[test]
    fn mappings_are_relative_within_a_line_and_across_lines() {
        let mut b = SourceMapBuilder::default();
        b.add(0, 0, 0, 0);
        b.add(0, 4, 0, 4);
        b.add(2, 2, 1, 2);
        let json = b.to_json(None, "a.js", None);
        assert!(json.contains("\"mappings\":\"AAAA,IAAI;;EACF\""), "{json}");
    }

    #[test]
    fn json_strings_escape_quotes_controls_and_line_separators() {
        let mut s = String::new();
        push_json_string(&mut s, "a\"b\\c\nd\u{1}\u{2028}");
        assert_eq!(s, "\"a\\\"b\\\\c\\nd\\u0001\\u2028\"");
    }
}
