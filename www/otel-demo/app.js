// The OpenTelemetry demo (www/otel.html): the real web SDK with AsyncContextManager, the fetch,
// XHR and user-interaction instrumentations, and two buttons whose click handlers are native
// async/await. `npm run build` bundles this file through asynccontext/transform/esbuild into
// dist/app.js. Every finished span is drawn as a trace waterfall (SVG), one block per trace.
import { WebTracerProvider } from "@opentelemetry/sdk-trace-web";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { FetchInstrumentation } from "@opentelemetry/instrumentation-fetch";
import { XMLHttpRequestInstrumentation } from "@opentelemetry/instrumentation-xml-http-request";
import { UserInteractionInstrumentation } from "@opentelemetry/instrumentation-user-interaction";
import { ROOT_CONTEXT, context } from "@opentelemetry/api";
import { AsyncContextManager } from "../../pkg/asynccontext.opentelemetry.mjs";

const SVG = "http://www.w3.org/2000/svg";
const COLORS = { a: "#2563eb", b: "#d97706", other: "#6b7280" };
const DELAYS = { a: { timer: 120, manual: 60, timerFetch: 80 }, b: { timer: 30, manual: 140, timerFetch: 20 } };
const dataUrl = (flow, step) => new URL(`../data.json?flow=${flow}&step=${step}`, import.meta.url).href;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (time) => time[0] * 1e3 + time[1] / 1e6;

function xhr(url) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("GET", url);
    request.onload = () => resolve(request.responseText);
    request.onerror = () => reject(new Error(`XHR ${url} failed`));
    request.send();
  });
}

/** Builds the demo into `root` (buttons, status line, waterfall). */
export function mountDemo(root) {
  const exporter = new InMemorySpanExporter();
  let scheduled = false;
  const redraw = { onStart() {}, onEnd() { if (!scheduled) { scheduled = true; requestAnimationFrame(() => { scheduled = false; draw(); }); } }, forceFlush: async () => {}, shutdown: async () => {} };
  const provider = new WebTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter), redraw] });
  provider.register({ contextManager: new AsyncContextManager() });
  // The "click both" helper button gets no span of its own (it only clicks the two others).
  const userInteraction = new UserInteractionInstrumentation({ shouldPreventSpanCreation: (type, element) => element.id === "otel-both" });
  registerInstrumentations({ instrumentations: [userInteraction, new FetchInstrumentation(), new XMLHttpRequestInstrumentation()] });
  const tracer = provider.getTracer("otel-demo");

  root.innerHTML = `
    <p class="controls">
      <button id="otel-a" class="primary flow-a" type="button">Flow A</button>
      <button id="otel-b" class="primary flow-b" type="button">Flow B</button>
      <button id="otel-both" type="button">Click both (overlapping)</button>
      <span id="otel-status" class="summary">Click a button: each click starts a trace.</span>
    </p>
    <div id="otel-waterfall" class="waterfall"></div>`;
  const status = root.querySelector("#otel-status");
  const flows = [];

  for (const name of ["a", "b"]) {
    const d = DELAYS[name];
    root.querySelector(`#otel-${name}`).addEventListener("click", async () => {
      const flow = { name, start: performance.now(), end: undefined };
      flows.push(flow);
      const response = await fetch(dataUrl(name, "fetch"));
      await response.text();
      await sleep(d.timer);
      await Promise.resolve();
      await sleep(0);
      await xhr(dataUrl(name, "xhr"));
      const span = tracer.startSpan(`${name.toUpperCase()}: manual span`, { attributes: { "app.flow": name } });
      await sleep(d.manual);
      span.end();
      await new Promise((resolve, reject) => {
        setTimeout(() => fetch(dataUrl(name, "timer-fetch")).then((r) => r.text()).then(resolve, reject), d.timerFetch);
      });
      flow.end = performance.now();
    });
  }
  // Two clicks 40 ms apart need quick hands; this button clicks A, then B from a timer. Both run
  // outside any context (as two real clicks do), so that each click starts its own trace.
  root.querySelector("#otel-both").addEventListener("click", () => {
    context.with(ROOT_CONTEXT, () => {
      root.querySelector("#otel-a").click();
      setTimeout(() => root.querySelector("#otel-b").click(), 40);
    });
  });

  function spans() {
    return exporter.getFinishedSpans().map((s) => {
      const url = s.attributes["http.url"] ?? s.attributes["url.full"];
      const xpath = s.attributes["target_xpath"];
      const flow = s.attributes["app.flow"] ?? (xpath ? /otel-([ab])/.exec(xpath)?.[1] : url && new URL(url).searchParams.get("flow")) ?? undefined;
      return {
        name: s.name,
        kind: s.instrumentationScope.name.replace("@opentelemetry/instrumentation-", ""),
        traceId: s.spanContext().traceId,
        spanId: s.spanContext().spanId,
        parentSpanId: s.parentSpanContext?.spanId,
        start: ms(s.startTime),
        end: ms(s.endTime),
        label: xpath ? `${s.name} on button ${flow?.toUpperCase()}` : url ? `${s.name} ${new URL(url).searchParams.get("step")}` : s.name,
        flow,
      };
    });
  }

  function draw() {
    const all = spans();
    const container = root.querySelector("#otel-waterfall");
    container.replaceChildren(waterfall(all));
    const traces = new Set(all.map((s) => s.traceId));
    status.textContent = `${all.length} spans in ${traces.size} trace${traces.size === 1 ? "" : "s"}`;
  }

  window.otelDemo = { spans, flows };
  return { provider, exporter };
}

/** The SVG: a time axis, then per trace a header row and one row per span, indented by depth. */
function waterfall(all) {
  const byId = new Map(all.map((s) => [s.spanId, s]));
  const depth = (s) => { let d = 0; for (let p = byId.get(s.parentSpanId); p && d < 20; p = byId.get(p.parentSpanId)) d++; return d; };
  const traces = [];
  for (const s of [...all].sort((x, y) => x.start - y.start)) {
    let t = traces.find((t) => t.id === s.traceId);
    if (!t) traces.push((t = { id: s.traceId, spans: [] }));
    t.spans.push(s);
  }
  // Within a trace: depth-first from the roots, children by start time.
  for (const t of traces) {
    const ordered = [];
    const visit = (s) => { ordered.push(s); t.spans.filter((c) => c.parentSpanId === s.spanId).sort((x, y) => x.start - y.start).forEach(visit); };
    t.spans.filter((s) => !byId.has(s.parentSpanId) || byId.get(s.parentSpanId).traceId !== t.id).forEach(visit);
    t.spans = ordered;
  }
  const t0 = Math.min(...all.map((s) => s.start));
  const t1 = Math.max(...all.map((s) => s.end));
  const width = 1100, labelWidth = 330, right = 80, rowHeight = 24, headerHeight = 28, axisHeight = 30;
  const plot = width - labelWidth - right;
  const scale = plot / Math.max(t1 - t0, 1);
  const rows = traces.reduce((n, t) => n + t.spans.length, 0);
  const height = axisHeight + traces.length * (headerHeight + 8) + rows * rowHeight + 10;
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": "Trace waterfall", class: "waterfall-svg" });
  svg.append(el("rect", { x: 0, y: 0, width, height, fill: "#fff" }));
  // Time axis with ticks at a round step.
  const span = t1 - t0;
  const step = [10, 20, 50, 100, 200, 250, 500, 1000, 2000].find((s) => span / s <= 10) ?? 5000;
  for (let t = 0; t <= span; t += step) {
    const x = labelWidth + t * scale;
    svg.append(el("line", { x1: x, x2: x, y1: axisHeight - 6, y2: height, stroke: "#e5e7eb" }));
    svg.append(text(x, axisHeight - 10, `${t} ms`, { "text-anchor": "middle", fill: "#6b7280", "font-size": 12 }));
  }
  let y = axisHeight;
  for (const [i, t] of traces.entries()) {
    const root = t.spans[0];
    const color = COLORS[root.flow] ?? COLORS.other;
    const flowName = root.flow ? `Flow ${root.flow.toUpperCase()}` : "no click";
    svg.append(el("rect", { x: 0, y, width, height: headerHeight, fill: color, opacity: 0.12 }));
    svg.append(text(8, y + 19, `Trace ${i + 1} · ${flowName} · ${t.spans.length} span${t.spans.length === 1 ? "" : "s"} · trace id ${t.id.slice(0, 8)}…`, { "font-weight": 700, fill: "#111827", "font-size": 14 }));
    y += headerHeight + 4;
    for (const s of t.spans) {
      const d = depth(s);
      const c = COLORS[s.flow] ?? COLORS.other;
      svg.append(text(8 + d * 16, y + 16, `${d ? "└ " : ""}${s.label}`, { fill: s.flow === root.flow ? "#111827" : "#b91c1c", "font-size": 13 }));
      const x = labelWidth + (s.start - t0) * scale;
      const w = Math.max((s.end - s.start) * scale, 2);
      svg.append(el("rect", { x, y: y + 4, width: w, height: rowHeight - 8, rx: 3, fill: c, "data-span": s.spanId }));
      svg.append(text(x + w + 6, y + 16, `${(s.end - s.start).toFixed(0)} ms`, { fill: "#374151", "font-size": 12 }));
      y += rowHeight;
    }
    y += 4;
  }
  return svg;
}

function el(name, attributes) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}
function text(x, y, content, attributes = {}) {
  const node = el("text", { x, y, "font-family": "system-ui, sans-serif", ...attributes });
  node.textContent = content;
  return node;
}
