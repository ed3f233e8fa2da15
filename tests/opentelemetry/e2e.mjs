// The end-to-end scenario of run.mjs: project setup, the two clicks, and what is asserted.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const FLOWS = ["a", "b"];
/** Spans each flow makes besides its click span: fetch, XHR, manual span, fetch from a timer. */
const CHILDREN_PER_FLOW = 4;
const REQUESTS_PER_FLOW = 3;
const SPANS_EXPECTED = FLOWS.length * (1 + CHILDREN_PER_FLOW);

/**
 * A scratch project: node_modules/asynccontext holds the files this package publishes (its
 * `files` list), as an install would; the app is copied beside it. Other packages (the SDK, vite)
 * resolve from the repository's node_modules, up the directory tree.
 */
export function prepareProject({ root, scratch, appSource }) {
  const dir = path.join(scratch, "project");
  rmSync(dir, { recursive: true, force: true });
  const packageDir = path.join(dir, "node_modules", "asynccontext");
  mkdirSync(packageDir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  cpSync(path.join(root, "package.json"), path.join(packageDir, "package.json"));
  for (const entry of manifest.files) {
    const dirName = path.dirname(entry);
    const base = path.basename(entry);
    const names = base.includes("*")
      ? readdirSync(path.join(root, dirName)).filter((n) => new RegExp(`^${base.replace(/\./g, "\\.").replace(/\*/g, ".*")}$`).test(n))
      : [base];
    for (const name of names) {
      mkdirSync(path.join(packageDir, dirName), { recursive: true });
      cpSync(path.join(root, dirName, name), path.join(packageDir, dirName, name));
    }
  }
  // The project's own package.json: without it, resolution would find the repository's package.json
  // up the tree and resolve "asynccontext/..." to the repository itself (a package self-reference).
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "otel-e2e-app", private: true, type: "module" }, null, 2)}\n`);
  const app = path.join(dir, "app");
  cpSync(appSource, app, { recursive: true });
  return { dir, app, packageDir };
}

/**
 * A trusted click (real input through the browser, event.isTrusted) in the middle of `selector`.
 * page.click would do too, but it first adds its own click listener on window (its hit-target
 * check), and the user-interaction instrumentation makes a span for every click listener: that
 * span would be a test artifact in the trace.
 */
export async function trustedClick(page, selector) {
  const box = await page.locator(selector).boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** Two trusted clicks, one right after the other; waits for both flows and for every span. */
export async function runScenario({ page, run, requests }) {
  await trustedClick(page, "#a");
  await trustedClick(page, "#b");
  await page.waitForFunction(() => window.__otel.flows.length === 2, null, { timeout: 20_000 });
  // fetch and XHR spans end ~300 ms after their response (the instrumentations wait for resource
  // timing); the idle-tracked click spans end after them. Wait for the expected count, then until
  // no span has ended for 500 ms (so that an unexpected extra span shows up too).
  try {
    await page.waitForFunction((n) => window.__otel.spans().length >= n, SPANS_EXPECTED, { timeout: 15_000, polling: 50 });
    let count = -1;
    for (let waited = 0; waited < 5000; waited += 500) {
      const now = await page.evaluate(() => window.__otel.spans().length);
      if (now === count) break;
      count = now;
      await page.waitForTimeout(500);
    }
  } catch {
    // reported by the assertions, with what did arrive
  }
  const { spans, flows, onePolyfill } = await page.evaluate(() => ({ spans: window.__otel.spans(), flows: window.__otel.flows, onePolyfill: window.__otel.onePolyfill }));
  return { run, spans, flows, onePolyfill, requests: requests.filter((r) => r.run === run) };
}

function flowOf(span, run) {
  if (span.flow) return span.flow;
  const clicked = span.xpath && /@id="([^"]+)"/.exec(span.xpath);
  if (clicked) return clicked[1];
  const m = span.url && new RegExp(`/api/${run}/([^/]+)/`).exec(span.url);
  return m ? m[1] : undefined;
}
/**
 * The user-interaction instrumentation makes a click span per click listener on the event's path
 * (nested: each under the previous one). Playwright's injected script keeps a capturing click
 * listener on window, so a click has two: the flow's click span is the outermost (the trace root).
 */
const clickSpansOf = (result, flow) => result.spans.filter((s) => s.scope.includes("user-interaction") && flowOf(s, result.run) === flow);
const clickOf = (result, flow) => {
  const clicks = clickSpansOf(result, flow);
  return clicks.find((s) => !clicks.some((c) => c.spanId === s.parentSpanId));
};
const childrenOf = (result, flow) => result.spans.filter((s) => !s.scope.includes("user-interaction") && flowOf(s, result.run) === flow);
function descendsFrom(result, span, ancestor) {
  const byId = new Map(result.spans.map((s) => [s.spanId, s]));
  for (let at = span, steps = 0; at && steps < 50; steps++) {
    if (at.parentSpanId === ancestor.spanId) return true;
    at = byId.get(at.parentSpanId);
  }
  return false;
}
const show = (s) => `${s.name}${s.url ? ` ${new URL(s.url).pathname}` : ""}${s.xpath ? ` ${s.xpath}` : ""} (${s.spanId.slice(0, 6)} < ${(s.parentSpanId ?? "").slice(0, 6)})`;

function clicks(result) {
  const out = {};
  for (const flow of FLOWS) {
    const click = clickOf(result, flow);
    if (!click) throw new Error(`no click span for flow ${flow} (spans: ${result.spans.map(show).join(", ")})`);
    out[flow] = click;
  }
  return out;
}

export function assertOverlap(result) {
  const [a, b] = FLOWS.map((f) => result.flows.find((x) => x.name === f));
  if (!a || !b) throw new Error(`flows finished: ${JSON.stringify(result.flows)}`);
  for (const f of [a, b]) if (f.error) throw new Error(`flow ${f.name} failed: ${f.error}`);
  if (!(b.start < a.end)) throw new Error(`flow b started at ${b.start.toFixed(0)} ms, after flow a ended at ${a.end.toFixed(0)} ms`);
}

export function assertParentage(result) {
  const click = clicks(result);
  for (const flow of FLOWS) {
    const children = childrenOf(result, flow);
    if (children.length !== CHILDREN_PER_FLOW) throw new Error(`flow ${flow}: ${children.length} spans besides the click, expected ${CHILDREN_PER_FLOW}: ${children.map(show).join(", ")}`);
    const orphans = children.filter((s) => !descendsFrom(result, s, click[flow]));
    if (orphans.length) throw new Error(`flow ${flow}: not descendants of its click span: ${orphans.map(show).join(", ")}`);
  }
}

export function assertSeparation(result) {
  const click = clicks(result);
  if (click.a.traceId === click.b.traceId) throw new Error("both clicks are in one trace");
  for (const flow of FLOWS) {
    const other = FLOWS.find((f) => f !== flow);
    const inOther = result.spans.filter((s) => s.traceId === click[other].traceId && s !== click[other] && flowOf(s, result.run) !== other);
    if (inOther.length) throw new Error(`spans in flow ${other}'s trace that are not flow ${other}'s: ${inOther.map(show).join(", ")}`);
    const strays = childrenOf(result, flow).filter((s) => s.traceId !== click[flow].traceId);
    if (strays.length) throw new Error(`flow ${flow}: spans outside its click's trace: ${strays.map(show).join(", ")}`);
  }
}

export function assertTraceparents(result) {
  const click = clicks(result);
  for (const flow of FLOWS) {
    const received = result.requests.filter((r) => r.flow === flow);
    if (received.length !== REQUESTS_PER_FLOW) throw new Error(`flow ${flow}: the server received ${received.length} requests, expected ${REQUESTS_PER_FLOW}`);
    const wrong = received.filter((r) => !r.traceparent || r.traceparent.split("-")[1] !== click[flow].traceId);
    if (wrong.length) throw new Error(`flow ${flow} (trace ${click[flow].traceId}): ${wrong.map((r) => `${r.step}: ${r.traceparent}`).join(", ")}`);
  }
}

function coverage(result, flow, click = clickOf(result, flow)) {
  if (!click) return undefined;
  const descendants = result.spans.filter((s) => descendsFrom(result, s, click));
  if (descendants.length === 0) return { click, last: undefined };
  return { click, last: descendants.reduce((a, b) => (b.end > a.end ? b : a)) };
}

/**
 * Every click span of each flow (the nested ones too) ends after all its descendants. Measured by
 * the order in which spans ended (InMemorySpanExporter keeps it: SimpleSpanProcessor exports at
 * end), which is exact; the SDK's end timestamps of two spans can disagree by a fraction of a ms.
 */
export function assertClickCoversChildren(result) {
  const order = new Map(result.spans.map((s, i) => [s, i]));
  for (const flow of FLOWS) {
    const clicks = clickSpansOf(result, flow);
    if (clicks.length === 0) throw new Error(`no click span for flow ${flow}`);
    if (childrenOf(result, flow).length === 0) throw new Error(`flow ${flow}: no span besides the click`);
    for (const click of clicks) {
      const later = result.spans.filter((s) => descendsFrom(result, s, click) && order.get(s) > order.get(click));
      if (later.length) throw new Error(`flow ${flow}: ${show(click)} ended before ${later.map(show).join(", ")}`);
    }
  }
}

export function describeCoverage(result) {
  return FLOWS.map((flow) => {
    const c = coverage(result, flow);
    if (!c || !c.last) return `${flow}: n/a`;
    const d = c.click.end - c.last.end;
    return `${flow}: click ends ${Math.abs(d).toFixed(0)} ms ${d >= 0 ? "after" : "before"} its last descendant (SDK timestamps)`;
  }).join(", ");
}

/** One line per flow: how many of its spans and requests are in its click's trace. */
export function summarize(result) {
  return FLOWS.map((flow) => {
    const click = clickOf(result, flow);
    const children = childrenOf(result, flow);
    const received = result.requests.filter((r) => r.flow === flow);
    if (!click) return `flow ${flow}: no click span; ${children.length} other spans`;
    const inTrace = children.filter((s) => s.traceId === click.traceId).length;
    const headers = received.filter((r) => r.traceparent && r.traceparent.split("-")[1] === click.traceId).length;
    const traces = new Set(children.map((s) => s.traceId)).size;
    return `flow ${flow}: ${inTrace}/${children.length} spans in its click's trace (${traces} trace${traces === 1 ? "" : "s"} in all), ${headers}/${received.length} requests with its click's trace id`;
  });
}
