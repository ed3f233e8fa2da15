// asynccontext demo: several simulated requests run at once, each inside
// requestId.run(id, ...), and every asynchronous hop prints what requestId.get() returns there.
//
// The request code below uses promise chains (.then/.catch/.finally), not `await`: native await
// does not propagate the context yet (see the panel at the bottom of the page).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);

  if (typeof AsyncContext === "undefined") {
    const banner = $("load-error");
    banner.hidden = false;
    banner.textContent =
      "AsyncContext is not defined: ../pkg/asynccontext.global.js did not load. " +
      "Build it with `npm run build` (or run `npm start`, which builds and serves this page).";
    $("implementation").textContent = "none";
    for (const button of document.querySelectorAll("button")) button.disabled = true;
    return;
  }

  // ---- the variable every request binds -----------------------------------------------------

  const requestId = new AsyncContext.Variable({ name: "requestId" });

  // ---- which implementation is active ----------------------------------------------------------

  const info = globalThis[Symbol.for("asynccontext")];
  const active = info ? info.active : "unknown (no asynccontext info object)";
  $("implementation").textContent = info ? `${active} ${info.version}` : active;
  $("implementation-note").textContent =
    active === "asynccontext"
      ? "this polyfill installed itself"
      : active === "native"
        ? "the browser's own AsyncContext was kept; the polyfill installed nothing"
        : "another AsyncContext was already on the page; the polyfill installed nothing";

  // ---- small helpers ---------------------------------------------------------------------------

  const LANES = ["A", "B", "C", "D", "E"].map((key, index) => ({ key, index, count: 0, list: null }));
  const random = (min, max) => Math.round(min + Math.random() * (max - min));
  const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms, ms));
  const show = (value) => (value === undefined ? "undefined" : JSON.stringify(value));

  let t0 = performance.now();
  let hops = 0;
  let mismatches = 0;
  let running = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function updateSummary() {
    const state = running > 0 ? `${running} running` : "all finished";
    const verdict =
      mismatches === 0
        ? `every hop saw its own request id`
        : `${mismatches} hop${mismatches === 1 ? "" : "s"} saw another value`;
    $("summary").textContent = hops === 0 ? "No request started yet." : `${hops} hops, ${verdict} · ${state}`;
    $("summary").classList.toggle("bad", mismatches > 0);
  }

  // The chart: one row per lane, one dot per hop, x = time since the first request started.
  const chart = { rows: [], dots: [], scale: 1000, end: null };

  function buildChart() {
    const box = $("chart");
    for (const lane of LANES) {
      const row = el("div", `chart-row lane-${lane.index}`);
      const track = el("div", "track");
      row.append(el("span", "chart-label", lane.key), track);
      box.append(row);
      chart.rows.push(track);
    }
    const axis = el("div", "chart-axis");
    axis.append(el("span", "", "0 ms"), (chart.end = el("span", "", `${chart.scale} ms`)));
    box.append(axis);
  }

  function plot(lane, ms, ok, title) {
    const dot = el("span", ok ? "pt" : "pt bad");
    dot.title = title;
    dot.dataset.ms = ms;
    chart.rows[lane.index].append(dot);
    chart.dots.push(dot);
    const scale = Math.max(1000, Math.ceil(ms / 500) * 500);
    if (scale !== chart.scale) {
      chart.scale = scale;
      chart.end.textContent = `${scale} ms`;
      for (const d of chart.dots) d.style.left = `${(100 * d.dataset.ms) / scale}%`;
    } else {
      dot.style.left = `${(100 * ms) / scale}%`;
    }
  }

  function clearChart() {
    for (const d of chart.dots) d.remove();
    chart.dots = [];
    chart.scale = 1000;
    chart.end.textContent = `${chart.scale} ms`;
  }

  /** Records one hop of request `id`: reads requestId.get() right here, in the hop's own context. */
  function hop(lane, id, where) {
    const seen = requestId.get();
    const ok = seen === id;
    hops++;
    if (!ok) mismatches++;
    const ms = (performance.now() - t0).toFixed(0).padStart(5, " ");

    const row = el("li", ok ? "hop ok" : "hop bad");
    const seenText = typeof seen === "string" ? seen : show(seen); // lanes: ids without quotes
    row.append(el("span", "where", where), el("span", typeof seen === "string" ? "seen" : "seen none", seenText));
    row.append(el("span", "mark", ok ? "✓" : `✗ expected ${id}`));
    lane.list.append(row);
    lane.list.scrollTop = lane.list.scrollHeight;

    plot(lane, performance.now() - t0, ok, `${id} · ${where} · sees ${show(seen)}`);

    const item = el("li", `entry lane-${lane.index}${ok ? "" : " bad"}`);
    item.append(el("span", "time", `${ms} ms`), el("span", "chip", id), el("span", "where", where));
    item.append(el("span", "seen", `sees ${show(seen)}${ok ? "" : " ✗"}`));
    $("timeline").append(item);
    updateSummary();
  }

  // A job queue shared by every request and drained by one setInterval started at page load, in
  // the empty context: the pattern of a framework scheduler or a batching tracer. Jobs are wrapped
  // with Snapshot.wrap when enqueued, so each runs in the context of whoever enqueued it.
  const jobs = [];
  setInterval(() => {
    for (const job of jobs.splice(0)) job();
  }, 120);
  const enqueue = (fn) => jobs.push(AsyncContext.Snapshot.wrap(fn));

  // ---- one request -----------------------------------------------------------------------------

  function startRequest(lane) {
    const id = `req-${lane.key}${++lane.count}`;
    if (hops === 0 && running === 0) t0 = performance.now();
    running++;
    lane.list.append(el("li", "start", `${id} started`));
    updateSummary();

    requestId.run(id, () => {
      hop(lane, id, "run() body");

      // Timers: the callback runs in the context of the setTimeout / setInterval call.
      const first = random(20, 400);
      setTimeout(() => {
        hop(lane, id, `setTimeout ${first} ms`);
        queueMicrotask(() => hop(lane, id, "queueMicrotask"));
      }, first);

      let ticks = 0;
      const interval = setInterval(() => {
        hop(lane, id, `setInterval tick ${++ticks}`);
        if (ticks === 2) clearInterval(interval);
      }, random(150, 300));

      // A promise chain: each reaction runs in the context of its .then/.catch/.finally call.
      const wait = random(50, 500);
      delay(wait)
        .then(() => hop(lane, id, `.then after ${wait} ms`))
        .then(() => {
          throw new Error("simulated failure");
        })
        .catch(() => hop(lane, id, ".catch"))
        .then(
          () =>
            new Promise((resolve) =>
              requestAnimationFrame(() => {
                hop(lane, id, "requestAnimationFrame");
                resolve();
              }),
            ),
        )
        .then(() => {
          if (typeof requestIdleCallback !== "function") return;
          return new Promise((resolve) =>
            requestIdleCallback(
              () => {
                hop(lane, id, "requestIdleCallback");
                resolve();
              },
              { timeout: 500 },
            ),
          );
        })
        .then(() => {
          if (typeof scheduler === "undefined" || typeof scheduler.postTask !== "function") return;
          return scheduler.postTask(() => hop(lane, id, "scheduler.postTask"), { delay: random(0, 200) });
        })
        .then(() => new Promise((resolve) => enqueue(() => resolve(hop(lane, id, "shared queue (Snapshot.wrap)")))))
        .then(() => delay(random(50, 400)))
        .finally(() => {
          hop(lane, id, ".finally: done");
          running--;
          updateSummary();
        });
    });
  }

  // ---- page wiring -----------------------------------------------------------------------------

  function showOutside() {
    // Event listeners run at task top level: no run() is active, so get() returns the default.
    $("outside-value").textContent = show(requestId.get());
  }

  buildChart();
  const lanes = $("lanes");
  for (const lane of LANES) {
    const box = el("article", `lane lane-${lane.index}`);
    const head = el("header", "lane-head");
    head.append(el("span", "dot"), el("h3", "", `Request ${lane.key}`));
    const button = el("button", "", "start request");
    button.type = "button";
    button.addEventListener("click", () => {
      showOutside();
      startRequest(lane);
    });
    head.append(button);
    lane.list = el("ol", "hops");
    box.append(head, lane.list);
    lanes.append(box);
  }

  $("start-all").addEventListener("click", () => {
    showOutside();
    for (const lane of LANES) startRequest(lane);
  });

  $("clear").addEventListener("click", () => {
    for (const lane of LANES) lane.list.replaceChildren();
    $("timeline").replaceChildren();
    clearChart();
    hops = 0;
    mismatches = 0;
    t0 = performance.now();
    updateSummary();
  });

  // ---- native await ----------------------------------------------------------------------------

  function cell(id, value, expected, note) {
    const td = $(id);
    const ok = value === expected;
    td.className = ok ? "ok" : "bad";
    td.textContent = `${show(value)} ${ok ? "✓" : `— ${note}`}`;
  }

  function awaitDemo() {
    for (const id of ["await-before", "await-after", "await-then"]) {
      $(id).className = "";
      $(id).textContent = "…";
    }
    requestId.run("await-demo", async () => {
      cell("await-before", requestId.get(), "await-demo", "unexpected");
      await null;
      cell("await-after", requestId.get(), "await-demo", "needs the await transform (not applied to this page)");
    });
    requestId.run("await-demo", () =>
      Promise.resolve().then(() => cell("await-then", requestId.get(), "await-demo", "unexpected")),
    );
  }
  $("await-again").addEventListener("click", awaitDemo);

  showOutside();
  awaitDemo();
})();
