#!/usr/bin/env node
// Static file server for the demo and benchmark pages: serves the repository root on 127.0.0.1.
//
//   node scripts/serve.mjs            port from $PORT, else 8080; a free port if that one is taken
//
// Prints exactly one line once listening: `asynccontext demo: http://127.0.0.1:PORT/www/index.html`.
// `/` redirects to the demo page. Ctrl-C stops it. Development only: no caching, no compression.

import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const HOST = "127.0.0.1";
const DEMO_PATH = "/www/index.html";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

function send(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers });
  res.end(body);
}

async function handle(req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return send(res, 405, "method not allowed\n", { Allow: "GET, HEAD" });
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
  } catch {
    return send(res, 400, "bad request\n");
  }
  if (pathname === "/" || pathname === "/www" || pathname === "/www/") {
    return send(res, 302, "", { Location: DEMO_PATH });
  }
  // Resolve inside ROOT only: `..` segments and NUL bytes never escape it.
  const file = resolve(ROOT, "." + pathname);
  if (pathname.includes("\0") || (file !== ROOT && !file.startsWith(ROOT + sep))) {
    return send(res, 403, "forbidden\n");
  }
  let target = file;
  let info = await stat(target).catch(() => null);
  if (info && info.isDirectory()) {
    target = join(file, "index.html");
    info = await stat(target).catch(() => null);
  }
  if (!info || !info.isFile()) {
    return send(res, 404, `not found: ${pathname}\n`);
  }
  res.writeHead(200, {
    "Content-Type": MIME[extname(target).toLowerCase()] ?? "application/octet-stream",
    "Content-Length": info.size,
    "Cache-Control": "no-store",
  });
  if (req.method === "HEAD") return res.end();
  createReadStream(target)
    .on("error", () => res.destroy())
    .pipe(res);
}

function listen(server, port) {
  return new Promise((resolvePort, reject) => {
    const onError = (err) => {
      server.off("listening", onListening);
      reject(err);
    };
    const onListening = () => {
      server.off("error", onError);
      resolvePort(server.address().port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, HOST);
  });
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (!res.headersSent) send(res, 500, `internal error: ${err.message}\n`);
    else res.destroy();
  });
});

const wanted = process.env.PORT === undefined || process.env.PORT === "" ? 8080 : Number(process.env.PORT);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`serve.mjs: PORT must be an integer between 0 and 65535, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}

let port;
try {
  port = await listen(server, wanted);
} catch (err) {
  if (err.code !== "EADDRINUSE" && err.code !== "EACCES") throw err;
  port = await listen(server, 0); // taken: let the OS pick a free one
}
console.log(`asynccontext demo: http://${HOST}:${port}${DEMO_PATH}`);

function stop() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
