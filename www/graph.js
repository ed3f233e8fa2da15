// The call-graph page (graph.html): records one interaction with an experimental task tracker and
// draws which task caused which. A browser script that graph.html loads as www/dist/graph.js, built
// through the await transform by scripts/build.mjs; needs the tracking build.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const experimental = globalThis.AsyncContext && AsyncContext.experimental;
  if (!experimental) {
    $("load-error").hidden = false;
    $("load-error").textContent = "AsyncContext.experimental is missing: build the polyfill (npm run build) and load pkg/asynccontext.tracking.global.js.";
    $("record").disabled = true;
    return;
  }
  const { Tracker, asyncStack, label } = experimental;
  const user = new AsyncContext.Variable({ name: "user", defaultValue: "(none)" });

  // ---- The interaction: click → XHR → load listener → timers → fetch → promise chain and awaits →
  // timer → frame → DOM.

  let updateStack = [];

  function loadProfile(done) {
    $("profile").textContent = "Loading…";
    const xhr = new XMLHttpRequest();
    xhr.open("GET", "demo.css");
    xhr.addEventListener("load", () => {
      const styles = xhr.responseText.length;
      // A short "debounce" timer, then the second request, in a native async function: this file
      // is bundled through the await transform (scripts/build.mjs), so each await is a task too.
      setTimeout(async () => {
        const body = label("fetch page", () => fetch("graph.html")).then((response) => response.text());
        const text = await body; // ready once the reaction that reads the body has run
        const sizes = await Promise.resolve(text).then((page) => ({ styles, page: page.length }));
        await new Promise((resolve) => setTimeout(resolve, 10)); // a short pause
        queueMicrotask(() => console.debug("sizes", sizes));
        requestAnimationFrame(() => {
          updateStack = asyncStack();
          $("profile").textContent = `${user.get()}: demo.css is ${sizes.styles} bytes, graph.html is ${sizes.page} bytes.`;
          done();
        });
      }, 30);
      // A timer that is cancelled before it fires: it shows up as cancelled, not as work.
      const stale = setTimeout(() => {}, 1000);
      clearTimeout(stale);
    });
    xhr.send();
  }

  // ---- Recording

  function record() {
    const tasks = new Map();
    const t0 = performance.now();
    const tracker = new Tracker({
      name: "interaction",
      scheduled(task) {
        tasks.set(task.id, { task, scheduled: task.scheduledAt - t0, start: undefined, end: undefined, cancelled: false });
      },
      before(task) {
        const entry = tasks.get(task.id);
        if (entry && entry.start === undefined) entry.start = performance.now() - t0;
      },
      after(task) {
        const entry = tasks.get(task.id);
        if (entry) entry.end = performance.now() - t0;
      },
      cancelled(task) {
        const entry = tasks.get(task.id);
        if (entry) {
          entry.cancelled = true;
          entry.end = performance.now() - t0;
        }
      },
    });
    $("record").disabled = true;
    $("status").textContent = "Recording…";
    let updated = false;
    user.run("ada", () => label("click on Load profile", () => tracker.run(() => loadProfile(() => (updated = true)))));
    return tracker.whenIdle().then(() => {
      $("record").disabled = false;
      $("status").textContent = `${tasks.size} tasks; idle after ${(performance.now() - t0).toFixed(1)} ms.`;
      const result = { tasks: [...tasks.values()], stack: updateStack, updated };
      draw(result.tasks);
      showStack(result.stack);
      window.__graph = result;
      return result;
    });
  }

  // ---- Drawing: one row per task in depth-first order of the link tree, a box indented by depth,
  // solid elbows for link edges, dashed curves for ready edges, and a timeline bar per task.

  const SVG = "http://www.w3.org/2000/svg";
  const ROW = 34, BOX_H = 24, INDENT = 26, BOX_W = 290, BAR_X0 = 600, BAR_W = 420;

  function el(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function draw(entries) {
    const byId = new Map(entries.map((e) => [e.task.id, e]));
    const children = new Map();
    const roots = [];
    for (const e of entries) {
      const parent = byId.get(e.task.parentId);
      if (parent) (children.get(parent.task.id) ?? children.set(parent.task.id, []).get(parent.task.id)).push(e);
      else roots.push(e);
    }
    const rows = [];
    const visit = (e, depth) => {
      e.depth = depth;
      e.row = rows.length;
      rows.push(e);
      for (const child of (children.get(e.task.id) ?? []).sort((a, b) => a.task.id - b.task.id)) visit(child, depth + 1);
    };
    roots.sort((a, b) => a.task.id - b.task.id).forEach((r) => visit(r, 0));

    const end = Math.max(1, ...rows.map((e) => e.end ?? e.scheduled));
    const x = (ms) => BAR_X0 + (ms / end) * BAR_W;
    const height = rows.length * ROW + 40;
    const svg = el("svg", { width: BAR_X0 + BAR_W + 20, height, viewBox: `0 0 ${BAR_X0 + BAR_W + 20} ${height}` });
    svg.append(el("title", {}, "Async call graph"));
    const boxLeft = (e) => 10 + e.depth * INDENT;
    const mid = (e) => 20 + e.row * ROW + BOX_H / 2;

    for (const e of rows) {
      const parent = byId.get(e.task.parentId);
      if (parent) {
        const px = boxLeft(parent) + 10;
        svg.append(el("path", { class: "link", d: `M ${px} ${mid(parent) + BOX_H / 2} V ${mid(e)} H ${boxLeft(e)}`, "marker-end": "url(#arrow)" }));
      }
      const ready = byId.get(e.task.readyId);
      if (ready) {
        const rx = boxLeft(ready) + BOX_W - 20;
        const ex = boxLeft(e) + BOX_W - 20;
        const bend = Math.max(rx, ex) + 40;
        svg.append(el("path", { class: "ready", d: `M ${rx + 20} ${mid(ready)} C ${bend} ${mid(ready)}, ${bend} ${mid(e)}, ${ex + 20} ${mid(e)}`, "marker-end": "url(#arrow-ready)" }));
      }
    }
    for (const e of rows) {
      const y = 20 + e.row * ROW;
      const t = e.task;
      const group = el("g", {});
      group.append(el("title", {}, `#${t.id} ${t.kind} (${t.api})${t.detail ? ` ${t.detail}` : ""}${t.label ? ` [${t.label}]` : ""}`));
      group.append(el("rect", { class: `box${t.kind === "run" ? " root" : ""}`, x: boxLeft(e), y, width: BOX_W, height: BOX_H, rx: 4 }));
      const text = el("text", { x: boxLeft(e) + 6, y: y + 16 });
      text.append(el("tspan", { class: "kind" }, `${t.kind}${e.cancelled ? " ✕" : ""}`));
      text.append(el("tspan", { class: "api", dx: 6 }, `${t.api}${t.detail ? ` ${t.detail}` : ""}${t.label ? ` · ${t.label}` : ""}`.slice(0, 40)));
      group.append(text);
      const start = e.start ?? e.end ?? e.scheduled;
      group.append(el("rect", { class: "wait", x: x(e.scheduled), y: y + 4, width: Math.max(1, x(start) - x(e.scheduled)), height: BOX_H - 8 }));
      if (e.start !== undefined) group.append(el("rect", { class: "ran", x: x(e.start), y: y + 4, width: Math.max(2, x(e.end ?? e.start) - x(e.start)), height: BOX_H - 8 }));
      svg.append(group);
    }
    const axisY = height - 14;
    svg.append(el("line", { class: "axis", x1: BAR_X0, x2: BAR_X0 + BAR_W, y1: axisY - 8, y2: axisY - 8 }));
    for (let i = 0; i <= 4; i++) svg.append(el("text", { class: "tick", x: BAR_X0 + (i * BAR_W) / 4, y: axisY + 4, "text-anchor": "middle" }, `${((end * i) / 4).toFixed(0)} ms`));
    const defs = el("defs", {});
    for (const [id, color] of [["arrow", "var(--text)"], ["arrow-ready", "var(--accent)"]]) {
      const marker = el("marker", { id, viewBox: "0 0 8 8", refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
      marker.append(el("path", { d: "M 0 0 L 8 4 L 0 8 z", style: `fill: ${color}; stroke: none` }));
      defs.append(marker);
    }
    svg.prepend(defs);
    $("graph").replaceChildren(svg);
  }

  function showStack(stack) {
    const list = $("stack");
    list.replaceChildren(
      ...stack.map((entry) => {
        const item = document.createElement("li");
        if (entry.kind === "elided") item.textContent = `… ${entry.elided} earlier tasks`;
        else {
          item.textContent = `${entry.kind} · ${entry.api}${entry.detail ? ` ${entry.detail}` : ""}${entry.label ? ` [${entry.label}]` : ""}${entry.repeat ? ` ×${entry.repeat + 1}` : ""}`;
          if (entry.ready) item.textContent += `  (ready after #${entry.ready.id} ${entry.ready.kind})`;
        }
        return item;
      }),
    );
  }

  $("record").addEventListener("click", () => record());
  window.__recordInteraction = record;
})();
