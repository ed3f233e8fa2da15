//! Text edits at byte offsets of the original source, applied in one pass, and the source map that
//! follows from them.
//!
//! Every change the transform makes is an insertion (or, rarely, the replacement of a short range)
//! attached to the AST node that caused it. Several insertions can land on the same offset, e.g.
//! `await await x` puts the outer await's `suspend(` and the inner await's `resume(` at the start
//! of the inner await. Their order follows the nesting of the nodes:
//!   - at one offset, closing text (text placed after the end of a node) comes before opening text
//!     (text placed at or after the start of a node): a node that ends there is disjoint from one
//!     that starts there;
//!   - opening texts: the larger node first (outer constructs open before inner ones);
//!   - closing texts: the smaller node first (inner constructs close before outer ones);
//!   - ties (same node size): the order in which the edits were recorded.

use crate::sourcemap::SourceMapBuilder;

/// Where an edit sits relative to the node that produced it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// At the start of the node or inside it (opening text).
    Open,
    /// Right after the end of the node (closing text).
    Close,
}

#[derive(Clone, Debug)]
pub struct Edit {
    /// Byte offset in the original source where the edit starts.
    pub start: u32,
    /// Byte offset where the replaced range ends (`== start` for an insertion).
    pub end: u32,
    pub text: String,
    pub side: Side,
    /// Size of the node the edit belongs to; orders edits at the same offset.
    pub node_len: u32,
    /// Recording order, the last tie-breaker.
    pub seq: u32,
}

#[derive(Default)]
pub struct Edits {
    list: Vec<Edit>,
}

impl Edits {
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Some closing text was recorded at `at`.
    pub fn closes_at(&self, at: u32) -> bool {
        self.list.iter().any(|e| e.side == Side::Close && e.start == at)
    }

    /// Text placed at `at`, opening a node of size `node_len`.
    pub fn open(&mut self, at: u32, node_len: u32, text: impl Into<String>) {
        self.push(at, at, text.into(), Side::Open, node_len);
    }

    /// Text placed at `at`, closing a node of size `node_len`.
    pub fn close(&mut self, at: u32, node_len: u32, text: impl Into<String>) {
        self.push(at, at, text.into(), Side::Close, node_len);
    }

    /// Replaces `start..end` (which must contain no other edit).
    pub fn replace(&mut self, start: u32, end: u32, text: impl Into<String>) {
        self.push(start, end, text.into(), Side::Open, end - start);
    }

    fn push(&mut self, start: u32, end: u32, text: String, side: Side, node_len: u32) {
        let seq = self.list.len() as u32;
        self.list.push(Edit { start, end, text, side, node_len, seq });
    }

    fn sorted(mut self) -> Vec<Edit> {
        self.list.sort_by(|a, b| {
            a.start.cmp(&b.start).then_with(|| match (a.side, b.side) {
                (Side::Close, Side::Open) => std::cmp::Ordering::Less,
                (Side::Open, Side::Close) => std::cmp::Ordering::Greater,
                (Side::Open, Side::Open) => b.node_len.cmp(&a.node_len).then(a.seq.cmp(&b.seq)),
                (Side::Close, Side::Close) => a.node_len.cmp(&b.node_len).then(a.seq.cmp(&b.seq)),
            })
        });
        self.list
    }

    /// Applies the edits to `source`. Returns the new text and, when `map` is given, fills it:
    /// unchanged text maps 1:1 (one mapping per token start), inserted text maps to the original
    /// position it was inserted at.
    pub fn apply(self, source: &str, mut map: Option<&mut SourceMapBuilder>) -> String {
        let edits = self.sorted();
        let extra: usize = edits.iter().map(|e| e.text.len()).sum();
        let mut out = String::with_capacity(source.len() + extra);
        let mut cursor = Cursor::default();
        let mut pos = 0usize;
        // The last piece written was inserted text: the next piece must not join with it.
        let mut after_insertion = false;
        for edit in edits {
            let start = edit.start as usize;
            let end = edit.end as usize;
            debug_assert!(start >= pos, "overlapping edits at {start}");
            if start < pos {
                // Overlapping edits would be a bug in the transform; never produce broken text.
                continue;
            }
            if start > pos {
                if after_insertion {
                    cursor.separate(&mut out, &source[pos..start]);
                }
                cursor.copy(source, pos, start, &mut out, map.as_deref_mut());
                after_insertion = false;
            }
            if !edit.text.is_empty() {
                cursor.separate(&mut out, &edit.text);
                if let Some(map) = map.as_deref_mut() {
                    map.add(cursor.gen_line, cursor.gen_col, cursor.orig_line, cursor.orig_col);
                }
                cursor.emit(&edit.text, &mut out);
                after_insertion = true;
            }
            // A replaced range is skipped in the original (no mapping for it).
            cursor.skip(source, start, end);
            pos = end;
        }
        if after_insertion && pos < source.len() {
            cursor.separate(&mut out, &source[pos..]);
        }
        cursor.copy(source, pos, source.len(), &mut out, map);
        out
    }
}

/// Whether `left` followed directly by `right` (the last character of one piece of output and the
/// first of the next) could lex differently than the two pieces apart: two parts of one identifier,
/// keyword or number (`await` + `x`, `1` + `.x`, `.` + `5`), or punctuators that form a longer one
/// or a comment (`+ +`, `= >`, `? .`, `/ /`, `/ *`, `< !` and `! -` of `<!--`, `- >` of `-->`).
pub fn would_join(left: char, right: char) -> bool {
    // Non-ASCII: any identifier character (a byte order mark or a space never is).
    let word = |c: char| {
        c.is_alphanumeric() || c == '_' || c == '$' || c == '\\' || (!c.is_ascii() && !c.is_whitespace() && c != '\u{feff}')
    };
    (word(left) && word(right))
        || ((word(left) || left == '.') && right == '.')
        || (left == '.' && right.is_ascii_digit())
        || (right == '=' && "=!<>+-*/%&|^?".contains(left))
        || (left == right && "+-&|*?<>./".contains(left))
        || matches!((left, right), ('=', '>') | ('/', '*') | ('?', '.') | ('<', '!') | ('!', '-') | ('-', '>'))
}

/// Line/column positions (columns in UTF-16 code units, as source maps count them) in the
/// generated and the original text.
#[derive(Default)]
struct Cursor {
    gen_line: u32,
    gen_col: u32,
    orig_line: u32,
    orig_col: u32,
    /// The previous original character copied was a `\r` (so a following `\n` is the same break).
    after_cr_gen: bool,
    after_cr_orig: bool,
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

impl Cursor {
    /// Copies `source[from..to]` unchanged, adding a mapping at each token start.
    fn copy(&mut self, source: &str, from: usize, to: usize, out: &mut String, mut map: Option<&mut SourceMapBuilder>) {
        if from >= to {
            return;
        }
        let text = &source[from..to];
        out.push_str(text);
        let mut prev: Option<char> = None;
        let mut first = true;
        for c in text.chars() {
            if is_line_terminator(c) {
                self.gen_break(c);
                self.orig_break(c);
            } else {
                self.after_cr_gen = false;
                self.after_cr_orig = false;
                if !c.is_whitespace() {
                    let boundary = first || !is_word(c) || prev.is_none_or(|p| !is_word(p));
                    if boundary {
                        if let Some(map) = map.as_deref_mut() {
                            map.add(self.gen_line, self.gen_col, self.orig_line, self.orig_col);
                        }
                    }
                }
                let w = c.len_utf16() as u32;
                self.gen_col += w;
                self.orig_col += w;
            }
            first = false;
            prev = Some(c);
        }
    }

    /// Advances the original position over `source[from..to]` without output.
    fn skip(&mut self, source: &str, from: usize, to: usize) {
        for c in source[from..to].chars() {
            if is_line_terminator(c) {
                self.orig_break(c);
            } else {
                self.after_cr_orig = false;
                self.orig_col += c.len_utf16() as u32;
            }
        }
    }

    /// Writes a space before `next` if it would otherwise join with the output's last character.
    /// The space counts as inserted text: it moves only the generated position.
    fn separate(&mut self, out: &mut String, next: &str) {
        if let (Some(left), Some(right)) = (out.chars().next_back(), next.chars().next()) {
            if would_join(left, right) {
                self.emit(" ", out);
            }
        }
    }

    /// Emits inserted text (advances only the generated position).
    fn emit(&mut self, text: &str, out: &mut String) {
        out.push_str(text);
        for c in text.chars() {
            if is_line_terminator(c) {
                self.gen_break(c);
            } else {
                self.after_cr_gen = false;
                self.gen_col += c.len_utf16() as u32;
            }
        }
    }

    fn gen_break(&mut self, c: char) {
        if c == '\n' && self.after_cr_gen {
            self.after_cr_gen = false;
            return;
        }
        self.gen_line += 1;
        self.gen_col = 0;
        self.after_cr_gen = c == '\r';
    }

    fn orig_break(&mut self, c: char) {
        if c == '\n' && self.after_cr_orig {
            self.after_cr_orig = false;
            return;
        }
        self.orig_line += 1;
        self.orig_col = 0;
        self.after_cr_orig = c == '\r';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insertions_at_one_offset_nest_outer_first_when_opening_and_inner_first_when_closing() {
        let mut edits = Edits::default();
        // "ab": an inner node [0,1) and an outer node [0,2), recorded inner first.
        edits.open(0, 1, "<i>");
        edits.close(1, 1, "</i>");
        edits.open(0, 2, "<o>");
        edits.close(2, 2, "</o>");
        assert_eq!(edits.apply("ab", None), "<o><i>a</i>b</o>");
    }

    #[test]
    fn closing_text_comes_before_opening_text_at_the_same_offset() {
        let mut edits = Edits::default();
        edits.open(1, 1, "[");
        edits.close(1, 1, ")");
        assert_eq!(edits.apply("ab", None), "a)[b");
    }

    #[test]
    fn replacement_removes_its_range() {
        let mut edits = Edits::default();
        edits.replace(2, 5, "X");
        assert_eq!(edits.apply("a(bcd)e", None), "a(X)e");
    }

    #[test]
    fn inserted_text_is_separated_from_a_keyword_or_punctuator_it_would_join() {
        let mut edits = Edits::default();
        // `await(x)` and `yield/re/`: a name inserted after the keyword.
        edits.open(5, 3, "f(");
        edits.close(8, 3, ")");
        assert_eq!(edits.apply("await(x)", None), "await f((x))");
        let mut edits = Edits::default();
        edits.open(5, 4, "g(");
        edits.close(9, 4, ")");
        assert_eq!(edits.apply("yield/re/", None), "yield g(/re/)");
        // Text that ends in a word before source that starts with one, and punctuators.
        let mut edits = Edits::default();
        edits.open(0, 1, "of");
        edits.open(1, 1, "-");
        edits.open(2, 1, "<"); // `-<` cannot join; `<!` could (`<!--`).
        assert_eq!(edits.apply("x-!", None), "of x- -< !");
    }

    #[test]
    fn nothing_is_added_where_the_pieces_cannot_join() {
        let mut edits = Edits::default();
        edits.open(6, 3, "f(");
        edits.close(9, 3, "))");
        assert_eq!(edits.apply("await (x);", None), "await f((x)));");
    }

    #[test]
    fn no_edits_gives_the_source_back() {
        let src = "let a = 1;\r\nlet b = 2;\u{2028}é;";
        assert_eq!(Edits::default().apply(src, None), src);
    }
}
