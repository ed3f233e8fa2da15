#!/usr/bin/env node
// Browser test runner.
//
//   node tests/browser/run.mjs [filter] [--load=global|esm|tracking|both|all] [--engine=chromium,firefox,webkit]
//                              [--specs-dir=DIR]
//
// Serves the repository root on 127.0.0.1 (random port), starts each engine in turn (scripts/engines.mjs; default
// all three: Chromium, Firefox ESR, WebKitGTK) and, in a fresh browser context per file, runs
//   - every tests/browser/specs/*.spec.js through harness.html?spec=specs/<file> (polyfill as a classic script by
//     default; --load=esm uses the ES module, --load=tracking the tracking build's classic script,
//     --load=both runs each spec as global and esm, --load=all as all three; specs/tracking*.spec.js
//     always run against a tracking build: its classic script, or for esm its ES module imported
//     beside the core one; specs named *.transformed.spec.js are served through the await transform,
//     transform/pkg/node, so that they test what transformed code sees), and
//   - every tests/browser/fixtures/*.html page, which publishes window.__results = [{ name, ok, message }] and
//     sets window.__done = true.
// `filter` keeps only files whose path (relative to tests/browser) contains it.
//
// Output: one `ok - [engine] file > name` / `not ok - [engine] file > name: message` / `skip - [engine] file > name:
// reason` line per test (a spec skips a test by feature detection when the browser lacks what it is about: see
// skip() in harness.js), `# ...` lines for console errors, uncaught page errors and failed requests (with the file
// and, when known, the running test), one `engine: N passed, N failed, N skipped (S s)` line per engine, and finally
// `N passed, N failed, N skipped`. Exit status 1 if anything failed or nothing ran.
//
// Test endpoints (for specs that need a real network peer; all bounded, 127.0.0.1 only):
//   GET  /__test__/delay?ms=&status=&type=&body=   responds after `ms` (≤ 10 s) with `status` (default 200), `body`
//        /__test__/delay?ms=&file=<repo path>      or the file's bytes with its MIME type; `&chunks=n` sends the body in
//                                                  n pieces `ms` apart (after the first wait) so progress events fire;
//                                                  `&hangup=1` closes the connection after `ms` instead (a network error)
//   GET  /__test__/sse?count=&interval=            text/event-stream: `count` (≤ 100) messages "0", "1", … every
//                                                  `interval` ms (≤ 5 s), then the response ends
//   GET  /__test__/wav?ms=&delay=[&ranges=1]       a silent 8 kHz mono 16-bit PCM WAV lasting `ms` (≤ 5 s), sent after
//                                                  `delay` ms (≤ 10 s); with ranges=1 it answers byte-range requests
//   POST /__test__/upload                          reads the request body (≤ 16 MB) and answers its byte count
//   WS   /__test__/ws                              WebSocket echo (RFC 6455: text and binary frames ≤ 64 KB, ping, close)
// Responses of /__test__/ URLs with an error status, their failed requests and the console errors they cause are
// asked for by the tests and not reported as notes.
//
// User input bridge: every page gets `window.__asynccontextInput(action)` (an exposed function), which performs
// real browser-originated input and resolves when done: { click: selector } → page.click, { press: key[, selector] } →
// page.press (after focusing selector, if given), { type: text } → page.type (scripts/engines.mjs). harness.js wraps
// it as userClick/userPress/userType. Where the driver cannot expose functions (WebKit's classic WebDriver), the
// harness page is loaded with `&bridge=poll` and this runner polls it instead (harness.js __harnessPoll: progress
// events, input requests, notes). Where the engine's garbage collection is triggered by the driver (Firefox), pages
// also get `window.__asynccontextGC()`, which harness.js's collectGarbage calls.

import http from "node:http";
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { ENGINES, launchEngine } from "../../scripts/engines.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const REPORT_PREFIX = "@@asynccontext-harness@@ ";
// Page load budget before the first test starts, slack on top of a test's own timeout (for a page whose main
// thread is stuck, the in-page timeout cannot fire), and how long a fixture page may take in total.
const LOAD_BUDGET_MS = 30_000;
const WATCHDOG_SLACK_MS = 5_000;
const FIXTURE_BUDGET_MS = 20_000;

const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".webm": "video/webm",
  ".mp4": "video/mp4",
  ".wav": "audio/wav",
};

// ---------------------------------------------------------------------------------------------------------
// Arguments

/** With --specs-dir: spec files are listed from this directory and served as /tests/browser/specs/<name>. */
let specsDir;

function parseArgs(argv) {
  let filter = "";
  let load = "global";
  let engines = [...ENGINES];
  for (const arg of argv) {
    if (arg.startsWith("--specs-dir=")) {
      // Specs generated elsewhere (the await transform's execution tests) run with this harness;
      // fixture pages are not run then.
      specsDir = path.resolve(arg.slice("--specs-dir=".length));
    } else if (arg.startsWith("--load=")) {
      load = arg.slice("--load=".length);
      if (!["global", "esm", "tracking", "both", "all"].includes(load)) throw new Error(`--load must be global, esm, tracking, both or all, not ${load}`);
    } else if (arg.startsWith("--engine=")) {
      engines = arg.slice("--engine=".length).split(",").filter(Boolean);
      const unknown = engines.filter((e) => !ENGINES.includes(e));
      if (unknown.length > 0 || engines.length === 0) throw new Error(`--engine takes a list of ${ENGINES.join(", ")}, not ${arg.slice(9)}`);
    } else if (arg === "--help" || arg === "-h") {
      console.log("usage: node tests/browser/run.mjs [filter] [--load=global|esm|tracking|both|all] [--engine=chromium,firefox,webkit] [--specs-dir=DIR]");
      process.exit(0);
    } else if (arg.startsWith("--")) {
      throw new Error(`unknown option ${arg}`);
    } else {
      filter = arg;
    }
  }
  return { filter, load, engines };
}

// ---------------------------------------------------------------------------------------------------------
// Static server

let transformModule;
/** The await transform's output for a spec (module), with its source map inlined. */
function transformSpec(source, file) {
  transformModule ??= createRequire(import.meta.url)(path.join(ROOT, "transform/pkg/node/asynccontext_transform.js"));
  const { code, map } = transformModule.transform(source, { filename: path.basename(file), sourceKind: "module" });
  return `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString("base64")}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Test endpoints (see the header comment)

const TEST_PREFIX = "/__test__/";
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const clampedNumber = (value, fallback, max) => {
  const n = Number(value ?? fallback);
  return Number.isFinite(n) ? Math.min(Math.max(n, 0), max) : fallback;
};

function silentWav(ms) {
  const rate = 8000;
  const samples = Math.max(1, Math.round((rate * ms) / 1000));
  const data = samples * 2;
  const wav = Buffer.alloc(44 + data); // zeroed: silence
  wav.write("RIFF", 0, "ascii");
  wav.writeUInt32LE(36 + data, 4);
  wav.write("WAVEfmt ", 8, "ascii");
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write("data", 36, "ascii");
  wav.writeUInt32LE(data, 40);
  return wav;
}

async function handleTestRequest(root, req, res, url) {
  const send = (status, body, type = "text/plain; charset=utf-8", extra = {}) => {
    res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...extra });
    res.end(req.method === "HEAD" ? undefined : body);
  };
  const q = url.searchParams;
  switch (url.pathname.slice(TEST_PREFIX.length)) {
    case "delay": {
      const ms = clampedNumber(q.get("ms"), 0, 10_000);
      const status = clampedNumber(q.get("status"), 200, 599) || 200;
      let body = Buffer.from(q.get("body") ?? "");
      let type = q.get("type") ?? "text/plain; charset=utf-8";
      if (q.has("file")) {
        const file = path.resolve(root, "." + path.posix.normalize("/" + q.get("file")));
        if (!file.startsWith(root + path.sep)) return send(403, "forbidden");
        try {
          body = await readFile(file);
        } catch {
          return send(404, "not found");
        }
        type = q.get("type") ?? MIME_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
      }
      await wait(ms);
      if (q.get("hangup") === "1") return res.destroy();
      const chunks = Math.min(Math.max(Math.floor(Number(q.get("chunks")) || 1), 1), 50);
      if (chunks === 1 || req.method === "HEAD") return send(status, body, type);
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", "Content-Length": body.length });
      const size = Math.ceil(body.length / chunks);
      for (let i = 0; i < chunks; i++) {
        if (i > 0) await wait(ms);
        if (res.destroyed) return;
        res.write(body.subarray(i * size, (i + 1) * size));
      }
      return res.end();
    }
    case "sse": {
      const count = Math.floor(clampedNumber(q.get("count"), 1, 100));
      const interval = clampedNumber(q.get("interval"), 10, 5_000);
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store" });
      res.write("retry: 60000\n\n");
      for (let i = 0; i < count; i++) {
        await wait(interval);
        if (res.destroyed) return;
        res.write(`data: ${i}\n\n`);
      }
      return res.end();
    }
    case "wav": {
      await wait(clampedNumber(q.get("delay"), 0, 10_000));
      const wav = silentWav(clampedNumber(q.get("ms"), 200, 5_000));
      // &ranges=1 answers byte-range requests (WebKit's media stack seeks only through them).
      const range = q.get("ranges") === "1" ? /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "") : null;
      if (q.get("ranges") !== "1") return send(200, wav, "audio/wav", { "Accept-Ranges": "none" });
      if (!range) return send(200, wav, "audio/wav", { "Accept-Ranges": "bytes" });
      const start = Math.min(Number(range[1]), wav.length - 1);
      const end = Math.min(range[2] === "" ? wav.length - 1 : Number(range[2]), wav.length - 1);
      return send(206, wav.subarray(start, end + 1), "audio/wav", { "Accept-Ranges": "bytes", "Content-Range": `bytes ${start}-${end}/${wav.length}` });
    }
    case "upload": {
      if (req.method !== "POST") return send(405, "method not allowed");
      let size = 0;
      for await (const chunk of req) {
        size += chunk.length;
        if (size > 16 * 1024 * 1024) return send(413, "too large");
      }
      return send(200, String(size));
    }
    default:
      return send(404, "no such test endpoint");
  }
}

/** Minimal RFC 6455 echo server for /__test__/ws: text/binary frames up to 64 KB, ping → pong, close → close. */
function handleWebSocket(req, socket) {
  const key = req.headers["sec-websocket-key"];
  if (new URL(req.url, "http://127.0.0.1").pathname !== TEST_PREFIX + "ws" || typeof key !== "string" ||
      String(req.headers.upgrade).toLowerCase() !== "websocket") {
    socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    return;
  }
  const accept = createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const frame = (opcode, payload) => {
    const header = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length]) : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
    return Buffer.concat([header, payload]);
  };
  let buffered = Buffer.alloc(0);
  socket.on("data", (data) => {
    buffered = Buffer.concat([buffered, data]);
    for (;;) {
      if (buffered.length < 2) return;
      const opcode = buffered[0] & 0x0f;
      const masked = (buffered[1] & 0x80) !== 0;
      let length = buffered[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127 || !masked || (buffered[0] & 0x80) === 0) {
        socket.destroy(); // 64-bit lengths, unmasked client frames and fragmentation are not supported
        return;
      }
      if (buffered.length < offset + 4 + length) return;
      const mask = buffered.subarray(offset, offset + 4);
      const payload = Buffer.from(buffered.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
      buffered = buffered.subarray(offset + 4 + length);
      if (opcode === 0x1 || opcode === 0x2) socket.write(frame(opcode, payload));
      else if (opcode === 0x9) socket.write(frame(0xa, payload));
      else if (opcode === 0x8) {
        socket.end(frame(0x8, payload.subarray(0, 2)));
        return;
      }
    }
  });
  socket.on("error", () => {});
}

function startServer(root) {
  const server = http.createServer(async (req, res) => {
    const send = (status, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.url.startsWith(TEST_PREFIX)) {
      try {
        return await handleTestRequest(root, req, res, new URL(req.url, "http://127.0.0.1"));
      } catch {
        if (!res.headersSent) return send(500, "test endpoint failed");
        return res.destroy();
      }
    }
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed");
    if (req.url === "/favicon.ico") {
      res.writeHead(204, { "Cache-Control": "max-age=3600" });
      return res.end();
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      return send(400, "bad request");
    }
    const specsPrefix = "/tests/browser/specs/";
    const base = specsDir !== undefined && pathname.startsWith(specsPrefix) ? specsDir : root;
    const relative = base === root ? pathname : pathname.slice(specsPrefix.length - 1);
    const file = path.resolve(base, "." + path.posix.normalize(relative));
    if (file !== base && !file.startsWith(base + path.sep)) return send(403, "forbidden");
    try {
      const info = await stat(file);
      if (!info.isFile()) return send(404, "not found");
      let body = await readFile(file);
      // Specs named *.transformed.spec.js are served through the await transform (its node wasm
      // build, transform/pkg/node), so they can test what transformed code sees.
      if (file.endsWith(".transformed.spec.js")) body = Buffer.from(transformSpec(body.toString("utf8"), file));
      const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
      send(200, body, type);
    } catch {
      send(404, "not found");
    }
  });
  server.on("upgrade", handleWebSocket);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Discovery

async function listFiles(dir, suffix) {
  try {
    return (await readdir(dir === "specs" && specsDir !== undefined ? specsDir : path.join(HERE, dir)))
      .filter((name) => name.endsWith(suffix))
      .sort()
      .map((name) => `${dir}/${name}`);
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw error;
  }
}

async function discover({ filter, load }) {
  const jobs = [];
  const modes = load === "both" ? ["global", "esm"] : load === "all" ? ["global", "esm", "tracking"] : [load];
  for (const spec of await listFiles("specs", ".spec.js")) {
    // Tracking specs need a tracking build: its classic script, and its ES module entry imported
    // beside the core one (they must share one polyfill).
    const specModes = /^specs\/tracking/.test(spec) ? [...new Set(modes.map((m) => (m === "esm" ? "tracking-esm" : "tracking")))] : modes;
    for (const mode of specModes) {
      const label = mode === "global" ? spec : `${spec} [${mode}]`;
      const query = `spec=${encodeURIComponent(spec)}${mode === "global" ? "" : `&load=${mode}`}`;
      jobs.push({ kind: "spec", label, file: spec, url: `/tests/browser/harness.html?${query}` });
    }
  }
  for (const fixture of specsDir === undefined ? await listFiles("fixtures", ".html") : []) {
    jobs.push({ kind: "fixture", label: fixture, file: fixture, url: `/tests/browser/${fixture}` });
  }
  return jobs.filter((job) => job.file.includes(filter));
}

// ---------------------------------------------------------------------------------------------------------
// User input bridge (see the header comment)

async function performInput(page, action) {
  if (action && typeof action.click === "string") {
    await page.click(action.click);
  } else if (action && typeof action.press === "string") {
    await page.press(action.press, typeof action.selector === "string" ? action.selector : undefined);
  } else if (action && typeof action.type === "string") {
    await page.type(action.type);
  } else {
    throw new Error(`unknown input action ${JSON.stringify(action)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Running one page

const oneLine = (text) => String(text).replace(/\s*\n\s*/g, " ⏎ ").trim();

/**
 * Runs one spec or fixture page. Resolves to { results: [{ name, ok, message }], notes: [string] }.
 */
async function runPage(engine, origin, job) {
  const page = await engine.newPage();
  const polled = !engine.can.expose && job.kind === "spec";
  if (engine.can.expose) {
    await page.expose("__asynccontextInput", (action) => performInput(page, action));
    if (engine.can.gc === "driver") await page.expose("__asynccontextGC", () => engine.collectGarbage());
  }
  const results = [];
  const notes = [];
  let current = null; // name of the spec test that is running, if any
  let currentBudget = 0;
  const where = () => (current ? ` (during "${current}")` : "");
  const wsOrigin = origin.replace(/^http/, "ws");

  let finishPage;
  const finished = new Promise((resolve) => (finishPage = resolve));
  let deadline = Date.now() + LOAD_BUDGET_MS;
  let stopReason = null;
  let pageDone = false;
  finished.then(() => (pageDone = true));

  const onEvent = (event) => {
    if (event.type === "start") {
      current = event.name;
      currentBudget = (Number(event.timeout) || 10_000) + WATCHDOG_SLACK_MS;
      deadline = Date.now() + currentBudget;
    } else if (event.type === "result") {
      current = null;
      deadline = Date.now() + LOAD_BUDGET_MS;
      results.push({ name: event.name, ok: Boolean(event.ok), skipped: event.skipped === true, message: event.message ?? "" });
    } else if (event.type === "done") {
      finishPage("done");
    } else if (event.type === "note") {
      notes.push(`${oneLine(event.text)}${where()}`);
    }
  };
  page.on("console", ({ type, text, url, line }) => {
    if (text.startsWith(REPORT_PREFIX)) {
      let event;
      try {
        event = JSON.parse(text.slice(REPORT_PREFIX.length));
      } catch {
        return;
      }
      onEvent(event);
      return;
    }
    if (type === "error" || type === "assert") {
      // An error response or failed connection a test asked for.
      if ((url && url.startsWith(origin + TEST_PREFIX)) || text.includes(wsOrigin + TEST_PREFIX)) return;
      const at = url ? ` [${url.replace(origin, "")}${line ? `:${line + 1}` : ""}]` : "";
      notes.push(`console.${type}${where()}: ${oneLine(text)}${at}`);
    }
  });
  page.on("pageerror", (message) => {
    notes.push(`uncaught page error${where()}: ${oneLine(message)}`);
  });
  const httpErrors = new Set();
  page.on("requestfailed", ({ url, error }) => {
    if (httpErrors.has(url)) return; // already reported with its status
    if (url.startsWith(origin + TEST_PREFIX)) return; // a failure a test asked for
    notes.push(`request failed${where()}: ${url.replace(origin, "")} (${error})`);
  });
  page.on("response", ({ url, status }) => {
    if (status < 400 || url.startsWith(origin + TEST_PREFIX)) return;
    httpErrors.add(url);
    notes.push(`HTTP ${status}${where()}: ${url.replace(origin, "")}`);
  });
  page.on("crash", () => {
    stopReason = "the page crashed";
    finishPage("crash");
  });

  const watchdog = setInterval(() => {
    if (Date.now() > deadline) {
      stopReason = current
        ? `no result within ${currentBudget} ms (the in-page timeout did not fire: main thread stuck?)`
        : job.kind === "fixture"
          ? `window.__done was not set within ${FIXTURE_BUDGET_MS} ms`
          : `no progress within ${LOAD_BUDGET_MS} ms`;
      finishPage("watchdog");
    }
  }, 250);

  try {
    if (job.kind === "fixture") deadline = Date.now() + FIXTURE_BUDGET_MS;
    try {
      await page.goto(origin + job.url + (polled ? "&bridge=poll" : ""), { timeout: LOAD_BUDGET_MS });
    } catch (error) {
      stopReason = `navigation failed: ${oneLine(error.message)}`;
      finishPage("navigation");
    }

    if (polled && !stopReason) {
      // The harness's progress, notes and input requests, read from the page (see the header comment).
      const poll = (async () => {
        while (!stopReason && !pageDone) {
          let taken = null;
          try {
            taken = await page.evaluate(() => (typeof globalThis.__harnessPoll === "function" ? globalThis.__harnessPoll() : null));
          } catch {
            // Between documents: try again.
          }
          for (const event of taken?.events ?? []) onEvent(event);
          for (const { id, action } of taken?.inputs ?? []) {
            let error = null;
            try {
              await performInput(page, action);
            } catch (e) {
              error = `input ${JSON.stringify(action)} failed: ${e.message}`;
            }
            await page.evaluate((reply) => globalThis.__harnessInputDone(reply), { id, error }).catch(() => {});
          }
          if (!taken?.events?.length && !taken?.inputs?.length) await wait(50);
        }
      })();
      poll.catch(() => {});
    }

    if (job.kind === "fixture" && !stopReason) {
      // Fixtures publish their results as page globals; poll for them.
      const poll = (async () => {
        for (;;) {
          let state;
          try {
            state = await page.evaluate(() =>
              window.__done === true ? { done: true, results: JSON.parse(JSON.stringify(window.__results ?? [])) } : { done: false },
            );
          } catch (error) {
            // A navigation in progress destroys the execution context; try again.
            state = { done: false, error };
          }
          if (state.done) {
            for (const r of state.results) {
              results.push({ name: String(r.name), ok: r.ok === true, skipped: r.skipped === true, message: r.message == null ? "" : String(r.message) });
            }
            return finishPage("done");
          }
          if (stopReason) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      poll.catch(() => {});
    }

    const how = await finished;
    if (how !== "done") {
      const label = current ?? (job.kind === "fixture" ? "fixture finishes and publishes __results" : "page finishes");
      results.push({ name: label, ok: false, message: stopReason ?? how });
    } else if (job.kind === "fixture" && results.length === 0) {
      results.push({ name: "fixture publishes at least one result", ok: false, message: "window.__results was empty" });
    }
  } finally {
    clearInterval(watchdog);
    let closeTimer;
    await Promise.race([
      page.close().catch(() => {}),
      new Promise((resolve) => (closeTimer = setTimeout(resolve, 10_000))),
    ]);
    clearTimeout(closeTimer);
  }
  return { results, notes };
}

// ---------------------------------------------------------------------------------------------------------
// Main

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.log(`not ok - run.mjs > arguments: ${error.message}`);
    console.log("0 passed, 1 failed");
    return 1;
  }

  const totals = { passed: 0, failed: 0, skipped: 0 };
  const perEngine = [];
  const jobs = await discover(options);
  if (jobs.length === 0) {
    console.log(`# no spec or fixture matches ${JSON.stringify(options.filter)}`);
    console.log("0 passed, 0 failed");
    return 1;
  }
  try {
    await stat(path.join(ROOT, "pkg/asynccontext.global.js"));
  } catch {
    console.log("# pkg/asynccontext.global.js is missing: run `npm run build` first");
  }

  const server = await startServer(ROOT);
  const origin = `http://127.0.0.1:${server.address().port}`;
  try {
    for (const name of options.engines) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const print = (label, { name: test, ok, skipped, message }) => {
        const key = skipped ? "skipped" : ok ? "passed" : "failed";
        counts[key]++;
        totals[key]++;
        if (skipped) console.log(`skip - [${name}] ${label} > ${test}: ${oneLine(message || "skipped")}`);
        else if (ok) console.log(`ok - [${name}] ${label} > ${test}`);
        else console.log(`not ok - [${name}] ${label} > ${test}: ${oneLine(message || "failed")}`);
      };
      let engine;
      try {
        engine = await launchEngine(name);
      } catch (error) {
        print("run.mjs", { name: `launch ${name}`, ok: false, message: error.message });
      }
      if (engine) {
        console.log(`# ${name}: ${engine.version}`);
        try {
          for (const job of jobs) {
            let outcome;
            // A driver failure (not a test's) gets one more try with a fresh page; a second one is reported.
            for (let attempt = 1; attempt <= 2 && !outcome; attempt++) {
              try {
                outcome = await runPage(engine, origin, job);
              } catch (error) {
                if (attempt === 2) outcome = { results: [{ name: "run page", ok: false, message: `harness error: ${error.message}` }], notes: [] };
                else console.log(`# [${name}] ${job.label}: harness error, trying the page again: ${oneLine(error.message)}`);
              }
            }
            for (const result of outcome.results) print(job.label, result);
            for (const note of outcome.notes) console.log(`# [${name}] ${job.label}: ${note}`);
          }
        } finally {
          await engine.close().catch(() => {});
        }
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const cpu = process.cpuUsage(cpuStarted);
      perEngine.push(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${seconds} s, runner CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`);
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }

  for (const line of perEngine) console.log(line);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return totals.failed > 0 || totals.passed === 0 ? 1 : 0;
}

process.exitCode = await main();
