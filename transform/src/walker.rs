//! The AST walk: finds every suspension point and records the text edits that bracket it with the
//! runtime calls (see the crate documentation for the shapes).

use std::collections::HashMap;

use oxc_ast::ast::*;
use oxc_ast_visit::{walk, Visit};
use oxc_span::{GetSpan, Span};
use oxc_syntax::scope::ScopeFlags;

use crate::edits::Edits;

/// The identifiers the output introduces (chosen so that none occurs in the input).
#[derive(Clone, Debug)]
pub struct Names {
    /// File-level binding of the runtime object.
    pub runtime: String,
    /// Hoisted function that initialises `runtime` (modules only).
    pub runtime_init: String,
    /// Per-invocation state (one per function; one at module level for top-level await).
    pub state: String,
    /// Prefix of the loop variables that replace `for (await using x of ...)` heads.
    pub using_value: String,
    /// Prefix of the `using` guards around `await using` declarations.
    pub guard: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// ES module: the runtime binding is initialised lazily (functions may run before the module
    /// body through import cycles); top-level await gets a module-level state.
    Module,
    /// Classic script or CommonJS module: a plain `var` binding.
    Script,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CtxKind {
    /// Neither async nor a generator (nothing to do), or a script's top level.
    Plain,
    /// Async function, async arrow, async method.
    Async,
    /// Generator or async generator.
    Generator { is_async: bool },
    /// A module's top level (top-level await).
    Module,
}

struct Ctx {
    kind: CtxKind,
    is_arrow: bool,
    strict: bool,
    /// Suspension points (await, yield, for await, await using) directly in this function.
    suspensions: u32,
    /// `arguments` or a direct `eval` is used by this function (or an arrow inside it).
    uses_arguments: bool,
}

impl Ctx {
    fn awaits(&self) -> bool {
        matches!(self.kind, CtxKind::Async | CtxKind::Module | CtxKind::Generator { is_async: true })
    }
}

pub struct Walker<'s> {
    source: &'s str,
    names: &'s Names,
    file_kind: FileKind,
    typescript: bool,
    pub edits: Edits,
    stack: Vec<Ctx>,
    in_class: bool,
    /// Start of the outermost label of a labelled loop, keyed by the loop's start.
    label_start: HashMap<u32, u32>,
    counter: u32,
    /// Top-level await (or for await / await using) was found in a module.
    pub module_state_needed: bool,
    /// Generators whose state is captured at their first resumption instead of at creation
    /// (parameter lists that cannot take the extra parameter); reported to the caller.
    pub late_capture: Vec<Span>,
}

impl<'s> Walker<'s> {
    pub fn new(source: &'s str, names: &'s Names, file_kind: FileKind, typescript: bool) -> Self {
        Walker {
            source,
            names,
            file_kind,
            typescript,
            edits: Edits::default(),
            stack: Vec::new(),
            in_class: false,
            label_start: HashMap::new(),
            counter: 0,
            module_state_needed: false,
            late_capture: Vec::new(),
        }
    }

    fn ctx(&mut self) -> &mut Ctx {
        self.stack.last_mut().expect("context stack is never empty during the walk")
    }

    fn next_id(&mut self) -> u32 {
        self.counter += 1;
        self.counter
    }

    /// `__asyncContext` (scripts) or `(__asyncContext || __asyncContextInit())` (modules): the
    /// expression used where a state is created, which may run before the module body.
    fn runtime_at_entry(&self) -> String {
        match self.file_kind {
            FileKind::Script => self.names.runtime.clone(),
            FileKind::Module => format!("({} || {}())", self.names.runtime, self.names.runtime_init),
        }
    }

    fn resume_call(&self) -> String {
        format!("{}.resume({})", self.names.runtime, self.names.state)
    }

    fn suspend_call(&self) -> String {
        format!("{}.suspend({})", self.names.runtime, self.names.state)
    }

    fn span_text(&self, span: Span) -> &'s str {
        &self.source[span.start as usize..span.end as usize]
    }

    /// The first significant character at or after `at` (skipping whitespace and comments, and
    /// in scripts the HTML-like `<!--` comment).
    fn next_significant(&self, mut at: usize) -> Option<(usize, u8)> {
        let bytes = self.source.as_bytes();
        while at < bytes.len() {
            let c = bytes[at];
            let html_open = self.file_kind == FileKind::Script && bytes[at..].starts_with(b"<!--");
            if html_open || (c == b'/' && bytes.get(at + 1) == Some(&b'/')) {
                while at < bytes.len() && bytes[at] != b'\n' && bytes[at] != b'\r' {
                    at += 1;
                }
            } else if c == b'/' && bytes.get(at + 1) == Some(&b'*') {
                at += 2;
                while at + 1 < bytes.len() && !(bytes[at] == b'*' && bytes[at + 1] == b'/') {
                    at += 1;
                }
                at += 2;
            } else if c.is_ascii_whitespace() {
                at += 1;
            } else if c >= 0x80 {
                // Unicode whitespace (NBSP, LS, PS, ...) only: the positions scanned here lie
                // between tokens.
                let ch = self.source[at..].chars().next().unwrap();
                if ch.is_whitespace() || ch == '\u{feff}' {
                    at += ch.len_utf8();
                } else {
                    return Some((at, c));
                }
            } else {
                return Some((at, c));
            }
        }
        None
    }

    fn push(&mut self, kind: CtxKind, is_arrow: bool, own_strict: bool) {
        let parent_strict = self.stack.last().is_some_and(|c| c.strict);
        self.stack.push(Ctx {
            kind,
            is_arrow,
            strict: parent_strict || own_strict || self.in_class,
            suspensions: 0,
            uses_arguments: false,
        });
    }

    /// Marks the nearest non-arrow function as using `arguments` (or direct eval).
    fn mark_arguments(&mut self) {
        for ctx in self.stack.iter_mut().rev() {
            if !ctx.is_arrow {
                ctx.uses_arguments = true;
                return;
            }
        }
    }

    fn count_suspension(&mut self) {
        let ctx = self.ctx();
        ctx.suspensions += 1;
        if ctx.kind == CtxKind::Module {
            self.module_state_needed = true;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Function bodies

    /// Where the body prologue goes: after `{` and the directive prologue. Returns the offset and
    /// whether a `;` is needed first (a last directive without one).
    fn body_prologue_point(&self, body: &FunctionBody) -> (u32, bool) {
        match body.directives.last() {
            Some(d) => (d.span.end, !self.span_text(d.span).ends_with(';')),
            None => (body.span.start + 1, false),
        }
    }

    fn finish_async(&mut self, body: &ArrowOrBody) {
        let enter = format!("const {} = {}.enter();", self.names.state, self.runtime_at_entry());
        let exit = format!("{}.exit({});", self.names.runtime, self.names.state);
        match body {
            ArrowOrBody::Body(body) => {
                let (at, semi) = self.body_prologue_point(body);
                let len = body.span.size();
                self.edits.open(at, len, format!("{} {enter} try {{", if semi { ";" } else { "" }));
                self.edits.close(body.span.end - 1, len, format!(" }} finally {{ {exit} }}"));
            }
            ArrowOrBody::Expression(arrow_span, expr) => {
                let len = arrow_span.size();
                let expr = expr.span();
                self.edits.open(expr.start, len, format!("{{ {enter} try {{ return "));
                self.edits.close(expr.end, len, format!("; }} finally {{ {exit} }} }}"));
            }
        }
    }

    fn finish_generator(&mut self, func: &Function, ctx: &Ctx) {
        let Some(body) = &func.body else { return };
        if body.statements.is_empty() {
            // Nothing runs when it resumes: no context to restore.
            return;
        }
        let params = &func.params;
        let simple = params.rest.is_none()
            && params.items.iter().all(|p| p.initializer.is_none() && matches!(p.pattern, BindingPattern::BindingIdentifier(_)));
        // Adding a parameter makes the list non-simple, which is a SyntaxError with a "use strict"
        // directive and unmaps a sloppy function's `arguments` from its parameters.
        let strict_directive_conflict = simple && body.has_use_strict_directive();
        let unmaps_arguments = simple && !ctx.strict && !params.items.is_empty() && ctx.uses_arguments;
        let param_ok = params.rest.is_none() && !strict_directive_conflict && !unmaps_arguments;
        let entry = self.runtime_at_entry();
        let state = &self.names.state;
        let (at, semi) = self.body_prologue_point(body);
        let body_len = body.span.size();
        let semi = if semi { ";" } else { "" };
        if param_ok {
            // `...{ state = enter() }` as a last parameter: evaluated when the generator object
            // is created, whatever the number of arguments, and `length` does not change.
            let ts = if self.typescript { ": any" } else { "" };
            let param = format!("...{{ {state} = {entry}.enter() }}{ts}");
            let last_end = params.items.last().map(|p| p.span.end).or(func.this_param.as_ref().map(|t| t.span.end));
            match last_end {
                None => self.edits.open(params.span.start + 1, params.span.size(), param),
                Some(end) => match self.next_significant(end as usize) {
                    Some((comma, b',')) => self.edits.close(comma as u32 + 1, params.span.size(), format!(" {param}")),
                    _ => self.edits.close(end, params.span.size(), format!(", {param}")),
                },
            }
            self.edits.open(at, body_len, format!("{semi} {}; try {{", self.resume_call()));
        } else {
            self.late_capture.push(func.span);
            self.edits.open(at, body_len, format!("{semi} const {state} = {entry}.enter(); try {{"));
        }
        self.edits.close(
            body.span.end - 1,
            body_len,
            format!(" }} finally {{ {}.exit({state}); }}", self.names.runtime),
        );
    }

    /// A statement that ended without `;`, by automatic semicolon insertion at a line break, and
    /// that now ends with inserted closing text: `yield` + newline + `(a)` would become
    /// `resume(s, yield suspend(s))(a)`, a call, because `)` can be continued where `yield` (or
    /// `x++`, or an arrow function) could not. An explicit `;` keeps the statement's end.
    fn terminate(&mut self, span: Span) {
        if self.span_text(span).ends_with(';') || !self.edits.closes_at(span.end) {
            return;
        }
        let Some((next, _)) = self.next_significant(span.end as usize) else { return };
        let gap = &self.source[span.end as usize..next];
        if gap.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
            self.edits.close(span.end, span.size(), ";");
        }
    }

    // ---------------------------------------------------------------------------------------
    // await using

    fn guard(&mut self, call: String) -> String {
        let id = self.next_id();
        format!("using {}{id} = {{ [Symbol.dispose]() {{ {call}; }} }};", self.names.guard)
    }

    /// `await using` declaration in a statement list: a guard declared before it resumes after
    /// the disposal awaits; one declared after it suspends before them.
    fn await_using_statement(&mut self, decl: &VariableDeclaration) {
        let len = decl.span.size();
        let before = self.guard(self.resume_call());
        let after = self.guard(self.suspend_call());
        let semi = if self.span_text(decl.span).ends_with(';') { "" } else { ";" };
        self.edits.open(decl.span.start, len, format!("{before} "));
        self.edits.close(decl.span.end, len, format!("{semi} {after}"));
        self.count_suspension();
    }
}

enum ArrowOrBody<'b, 'a> {
    Body(&'b FunctionBody<'a>),
    Expression(Span, &'b Expression<'a>),
}

fn is_await_using(decl: &VariableDeclaration) -> bool {
    decl.kind == VariableDeclarationKind::AwaitUsing
}

impl<'a> Visit<'a> for Walker<'_> {
    fn visit_program(&mut self, it: &Program<'a>) {
        // A file emitted in the script form may run as a classic script even when it was parsed
        // as a module: it is sloppy unless it says otherwise.
        let (kind, strict) = match self.file_kind {
            FileKind::Module => (CtxKind::Module, true),
            FileKind::Script => (CtxKind::Plain, it.has_use_strict_directive()),
        };
        self.push(kind, false, strict);
        walk::walk_program(self, it);
        self.stack.pop();
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        if it.body.is_none() {
            // TypeScript overloads and `declare function`: no code.
            return;
        }
        let kind = match (it.r#async, it.generator) {
            (_, true) => CtxKind::Generator { is_async: it.r#async },
            (true, false) => CtxKind::Async,
            (false, false) => CtxKind::Plain,
        };
        self.push(kind, false, it.has_use_strict_directive());
        let saved_class = self.in_class;
        self.in_class = false;
        walk::walk_function(self, it, flags);
        self.in_class = saved_class;
        let ctx = self.stack.pop().unwrap();
        match ctx.kind {
            CtxKind::Async if ctx.suspensions > 0 => {
                self.finish_async(&ArrowOrBody::Body(it.body.as_ref().unwrap()));
            }
            CtxKind::Generator { .. } => self.finish_generator(it, &ctx),
            _ => {}
        }
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        let kind = if it.r#async { CtxKind::Async } else { CtxKind::Plain };
        self.push(kind, true, it.has_use_strict_directive());
        walk::walk_arrow_function_expression(self, it);
        let ctx = self.stack.pop().unwrap();
        if ctx.kind == CtxKind::Async && ctx.suspensions > 0 {
            match &it.body {
                ArrowFunctionBody::FunctionBody(body) => self.finish_async(&ArrowOrBody::Body(body)),
                expr => {
                    if let Some(expr) = expr.as_expression() {
                        self.finish_async(&ArrowOrBody::Expression(it.span, expr));
                    }
                }
            }
        }
    }

    fn visit_class(&mut self, it: &Class<'a>) {
        let saved = self.in_class;
        self.in_class = true;
        walk::walk_class(self, it);
        self.in_class = saved;
    }

    fn visit_property_definition(&mut self, it: &PropertyDefinition<'a>) {
        self.visit_decorators(&it.decorators);
        self.visit_property_key(&it.key);
        if let Some(type_annotation) = &it.type_annotation {
            self.visit_ts_type_annotation(type_annotation);
        }
        if let Some(value) = &it.value {
            // A field initializer is its own function-like scope.
            self.push(CtxKind::Plain, false, true);
            self.visit_expression(value);
            self.stack.pop();
        }
    }

    fn visit_accessor_property(&mut self, it: &AccessorProperty<'a>) {
        self.visit_decorators(&it.decorators);
        self.visit_property_key(&it.key);
        if let Some(type_annotation) = &it.type_annotation {
            self.visit_ts_type_annotation(type_annotation);
        }
        if let Some(value) = &it.value {
            self.push(CtxKind::Plain, false, true);
            self.visit_expression(value);
            self.stack.pop();
        }
    }

    fn visit_static_block(&mut self, it: &StaticBlock<'a>) {
        self.push(CtxKind::Plain, false, true);
        walk::walk_static_block(self, it);
        self.stack.pop();
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        if it.name == "arguments" {
            self.mark_arguments();
        }
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if matches!(&it.callee, Expression::Identifier(id) if id.name == "eval") {
            self.mark_arguments();
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_await_expression(&mut self, it: &AwaitExpression<'a>) {
        if self.ctx().awaits() {
            let len = it.span.size();
            let arg = it.argument.span();
            self.edits.open(it.span.start, len, format!("{}.resume({}, ", self.names.runtime, self.names.state));
            self.edits.open(arg.start, len, format!("{}.suspend({}, ", self.names.runtime, self.names.state));
            self.edits.close(it.span.end, len, "))");
            self.count_suspension();
        }
        walk::walk_await_expression(self, it);
    }

    fn visit_yield_expression(&mut self, it: &YieldExpression<'a>) {
        if matches!(self.ctx().kind, CtxKind::Generator { .. }) {
            let len = it.span.size();
            // TypeScript: `(yield x) as unknown`, or a generator without a return type annotation
            // would get "yield expression implicitly results in an 'any' type" (TS7057) now that
            // the result is used.
            let (open, close) = if self.typescript { ("(", ") as unknown") } else { ("", "") };
            self.edits.open(it.span.start, len, format!("{}.resume({}, {open}", self.names.runtime, self.names.state));
            match &it.argument {
                Some(arg) => {
                    self.edits.open(arg.span().start, len, format!("{}.suspend({}, ", self.names.runtime, self.names.state));
                    self.edits.close(it.span.end, len, format!("){close})"));
                }
                None => {
                    self.edits.close(it.span.end, len, format!(" {}{close})", self.suspend_call()));
                }
            }
            self.count_suspension();
        }
        walk::walk_yield_expression(self, it);
    }

    fn visit_return_statement(&mut self, it: &ReturnStatement<'a>) {
        // `return X` in an async generator awaits X before its finally blocks run: a suspension
        // point with no keyword of its own.
        if let (CtxKind::Generator { is_async: true }, Some(arg)) = (self.ctx().kind, &it.argument) {
            let len = it.span.size();
            let arg = arg.span();
            self.edits.open(arg.start, len, format!("{}.suspend({}, ", self.names.runtime, self.names.state));
            self.edits.close(arg.end, len, ")");
            self.count_suspension();
        }
        walk::walk_return_statement(self, it);
    }

    fn visit_labeled_statement(&mut self, it: &LabeledStatement<'a>) {
        let mut inner = &it.body;
        while let Statement::LabeledStatement(l) = inner {
            inner = &l.body;
        }
        self.label_start.entry(inner.span().start).or_insert(it.span.start);
        walk::walk_labeled_statement(self, it);
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        if !self.ctx().awaits() {
            walk::walk_for_of_statement(self, it);
            return;
        }
        let stmt_len = it.span.size();
        let mut body_prefix = String::new();
        if it.r#await {
            body_prefix.push_str(&format!("{}; ", self.resume_call()));
        }
        let mut using = false;
        if let ForStatementLeft::VariableDeclaration(decl) = &it.left {
            if is_await_using(decl) && it.r#await {
                // The binding's disposal (at the end of each iteration) is followed by the loop's
                // next step, which forAwait resumes: only the suspension before it is needed.
                body_prefix.push_str(&format!("{} ", self.guard(self.suspend_call())));
                using = true;
                self.count_suspension();
            } else if is_await_using(decl) {
                if let Some(BindingPattern::BindingIdentifier(name)) = decl.declarations.first().map(|d| &d.id) {
                    // `for (await using x of xs) B` -> `for (const x of xs) { R; await using u = x; S; B }`:
                    // the head keeps its binding, so `xs` is evaluated while `x` is uninitialised
                    // (TDZ) as before; the body disposes the same value through `u`.
                    let id = self.next_id();
                    let value = format!("{}{id}", self.names.using_value);
                    let using_end = self
                        .next_significant(decl.span.start as usize + "await".len())
                        .map_or(decl.span.start + "await using".len() as u32, |(at, _)| (at + "using".len()) as u32);
                    self.edits.replace(decl.span.start, using_end, "const");
                    let before = self.guard(self.resume_call());
                    let after = self.guard(self.suspend_call());
                    body_prefix.push_str(&format!("{before} await using {value} = {}; {after} ", name.name));
                    using = true;
                    self.count_suspension();
                }
            }
        }
        if it.r#await {
            let wrap_start = self.label_start.get(&it.span.start).copied().unwrap_or(it.span.start);
            let wrap_len = it.span.end - wrap_start;
            self.edits.open(wrap_start, wrap_len, "try { ");
            let right = it.right.span();
            self.edits.open(right.start, stmt_len, format!("{}.forAwait({}, ", self.names.runtime, self.names.state));
            self.edits.close(right.end, stmt_len, ")");
            self.count_suspension();
        }
        if !body_prefix.is_empty() {
            let body = it.body.span();
            match &it.body {
                Statement::BlockStatement(_) if !using => {
                    self.edits.open(body.start + 1, body.size(), format!(" {}", body_prefix.trim_end()));
                }
                _ => {
                    self.edits.open(body.start, stmt_len, format!("{{ {body_prefix}"));
                    self.edits.close(body.end, stmt_len, " }");
                }
            }
        }
        if it.r#await {
            let wrap_start = self.label_start.get(&it.span.start).copied().unwrap_or(it.span.start);
            let wrap_len = it.span.end - wrap_start;
            self.edits.close(it.span.end, wrap_len, format!(" }} finally {{ {}; }}", self.resume_call()));
        }
        walk::walk_for_of_statement(self, it);
    }

    fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
        if self.ctx().awaits() {
            if let Some(ForStatementInit::VariableDeclaration(decl)) = &it.init {
                if is_await_using(decl) {
                    // The declaration's resources are disposed when the loop ends. An extra
                    // `await using` declarator suspends before their awaits (it costs one await
                    // of its own); a finally after the loop resumes.
                    let id = self.next_id();
                    let guard = format!(
                        "{}{id} = {{ [Symbol.asyncDispose]() {{ {}; }} }}",
                        self.names.guard,
                        self.suspend_call()
                    );
                    self.edits.close(decl.span.end, decl.span.size(), format!(", {guard}"));
                    let wrap_start = self.label_start.get(&it.span.start).copied().unwrap_or(it.span.start);
                    let wrap_len = it.span.end - wrap_start;
                    self.edits.open(wrap_start, wrap_len, "try { ");
                    self.edits.close(it.span.end, wrap_len, format!(" }} finally {{ {}; }}", self.resume_call()));
                    self.count_suspension();
                }
            }
        }
        walk::walk_for_statement(self, it);
    }

    fn visit_statement(&mut self, it: &Statement<'a>) {
        walk::walk_statement(self, it);
        let ends_with_expression = match it {
            Statement::ExpressionStatement(_)
            | Statement::VariableDeclaration(_)
            | Statement::ReturnStatement(_)
            | Statement::ThrowStatement(_)
            | Statement::ExportDefaultDeclaration(_) => true,
            Statement::ExportDeclaration(e) => matches!(e.declaration, Declaration::VariableDeclaration(_)),
            _ => false,
        };
        if ends_with_expression {
            self.terminate(it.span());
        }
    }

    fn visit_statements(&mut self, it: &oxc_allocator::Vec<'a, Statement<'a>>) {
        for stmt in it {
            if let Statement::VariableDeclaration(decl) = stmt {
                if is_await_using(decl) && self.ctx().awaits() {
                    self.await_using_statement(decl);
                }
            }
            self.visit_statement(stmt);
        }
    }

    fn visit_try_statement(&mut self, it: &TryStatement<'a>) {
        let tracking = !matches!(self.ctx().kind, CtxKind::Plain);
        let before = self.ctx().suspensions;
        self.visit_block_statement(&it.block);
        let after_block = self.ctx().suspensions;
        if let Some(handler) = &it.handler {
            if tracking && after_block > before {
                let body = handler.body.span;
                self.edits.open(body.start + 1, body.size(), format!(" {};", self.resume_call()));
            }
            self.visit_catch_clause(handler);
        }
        let after_handler = self.ctx().suspensions;
        if let Some(finalizer) = &it.finalizer {
            if tracking && after_handler > before {
                let body = finalizer.span;
                self.edits.open(body.start + 1, body.size(), format!(" {};", self.resume_call()));
            }
            self.visit_block_statement(finalizer);
        }
    }
}
