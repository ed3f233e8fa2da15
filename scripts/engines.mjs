// One interface over the three browser engines the tests (and later the benchmark) run in:
//
//   chromium  Debian's /usr/bin/chromium through playwright-core, with scripts/chromium.mjs's flags
//   firefox   Firefox ESR (/usr/bin/firefox-esr) through puppeteer-core over WebDriver BiDi
//   webkit    WebKitGTK's MiniBrowser through WebKitWebDriver (classic WebDriver, the small client below),
//             on a virtual display (xvfb-run) unless $DISPLAY is set
//
//   const engine = await launchEngine("firefox");
//   const page = await engine.newPage();          // a fresh isolated context (profile) with one page
//   page.on("console", ({ type, text, url, line }) => …); page.on("pageerror", (message) => …);
//   await page.expose("name", async (arg) => …);  // window.name(arg) → promise, in every document of the page
//   await page.goto(url);                        // resolves once navigation has started (not at load)
//   await page.evaluate((arg) => …, arg);        // runs in the page (CSP does not apply); arg and result are JSON
//   await page.click(selector); await page.press(key, selector?); await page.type(text);  // trusted input
//   await page.close(); await engine.close();
//
// Not every engine can do everything: `engine.can` says which, so callers fall back instead of asking
// for an engine by name:
//   can.console   page.on("console"/"pageerror"/"requestfailed"/"response") report (WebKit's classic WebDriver
//                 has no events: nothing is reported there)
//   can.expose    page.expose works (not in classic WebDriver: the page must be polled with evaluate instead)
//   can.gc        where a full garbage collection comes from: "page" (globalThis.gc, Chromium's --expose-gc),
//                 "driver" (engine.collectGarbage(), Firefox: the parent process asks every content process to
//                 collect garbage and cycles), or null (WebKitGTK release builds offer none)
// Key names for press are the DOM `key` values ("a", "Enter", "Escape", "Tab") plus "Space".

import { spawn } from "node:child_process";
import net from "node:net";
import { launchChromium } from "./chromium.mjs";

export const ENGINES = Object.freeze(["chromium", "firefox", "webkit"]);
export const FIREFOX_PATH = "/usr/bin/firefox-esr";
export const WEBKIT_DRIVER_PATH = "/usr/bin/WebKitWebDriver";
export const WEBKIT_BROWSER_PATH = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

const INPUT_TIMEOUT_MS = 5_000;
const UNDEFINED_MARK = "\u0000asynccontext:undefined";

/**
 * Starts one engine. `options.headless` (default true) applies to Chromium and Firefox;
 * `options.prefs` adds Firefox preferences (the benchmark turns off timer-precision reduction).
 */
export async function launchEngine(name, options = {}) {
  switch (name) {
    case "chromium":
      return launchChromiumEngine(options);
    case "firefox":
      return launchFirefoxEngine(options);
    case "webkit":
      return launchWebKitEngine(options);
    default:
      throw new Error(`unknown engine ${JSON.stringify(name)} (expected ${ENGINES.join(", ")})`);
  }
}

/** A tiny event emitter for page events. */
function emitter() {
  const listeners = new Map();
  return {
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, []);
      listeners.get(event).push(fn);
    },
    emit(event, ...args) {
      for (const fn of listeners.get(event) ?? []) fn(...args);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Chromium (playwright-core)

async function launchChromiumEngine({ headless = true } = {}) {
  const browser = await launchChromium({ headless });
  return {
    name: "chromium",
    version: browser.version(),
    can: Object.freeze({ console: true, expose: true, gc: "page" }),
    async newPage() {
      const context = await browser.newContext();
      const page = await context.newPage();
      const events = emitter();
      page.on("console", (msg) => {
        const loc = msg.location();
        events.emit("console", { type: msg.type(), text: msg.text(), url: loc?.url ?? "", line: loc?.lineNumber ?? 0 });
      });
      page.on("pageerror", (error) => events.emit("pageerror", `${error.name}: ${error.message}`));
      page.on("requestfailed", (request) => events.emit("requestfailed", { url: request.url(), error: request.failure()?.errorText ?? "?" }));
      page.on("response", (response) => events.emit("response", { url: response.url(), status: response.status() }));
      page.on("crash", () => events.emit("crash"));
      return {
        on: events.on,
        expose: (name, fn) => page.exposeFunction(name, fn),
        goto: (url, { timeout = 30_000 } = {}) => page.goto(url, { waitUntil: "commit", timeout }),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        click: (selector) => page.click(selector, { timeout: INPUT_TIMEOUT_MS }),
        async press(key, selector) {
          if (selector !== undefined) await page.focus(selector, { timeout: INPUT_TIMEOUT_MS });
          await page.keyboard.press(key);
        },
        type: (text) => page.keyboard.type(text),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Firefox (puppeteer-core over WebDriver BiDi)

async function launchFirefoxEngine({ headless = true, prefs = {} } = {}) {
  const { default: puppeteer } = await import("puppeteer-core");
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless,
    // System access lets the driver evaluate in the browser's own (chrome) window: the only way to ask
    // content processes for a full garbage collection, which pages cannot trigger themselves.
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: {
      // Media specs play silent sounds without a user gesture, as Chromium's headless shell allows.
      "media.autoplay.default": 0,
      "media.autoplay.blocking_policy": 0,
      // Permission requests are answered "denied" at once, as in headless Chromium, instead of waiting
      // for a prompt nobody answers.
      "permissions.default.desktop-notification": 2,
      "permissions.default.geo": 2,
      ...prefs,
    },
  });
  const connection = browser.connection;
  let chromeContext;
  async function collectGarbage() {
    if (chromeContext === undefined) {
      const tree = await connection.send("browsingContext.getTree", { "moz:scope": "chrome" });
      chromeContext = tree.result.contexts[0].context;
    }
    // child-gc-request / child-cc-request reach every content process over the same IPC channel as the
    // reply to the page's call, so the collection has run there before the page's promise resolves.
    await connection.send("script.evaluate", {
      target: { context: chromeContext },
      expression: `Services.obs.notifyObservers(null, "child-gc-request");
        Services.obs.notifyObservers(null, "child-cc-request");
        Services.obs.notifyObservers(null, "child-gc-request");`,
      awaitPromise: false,
    });
  }
  return {
    name: "firefox",
    version: await browser.version(),
    can: Object.freeze({ console: true, expose: true, gc: "driver" }),
    collectGarbage,
    async newPage() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const events = emitter();
      page.on("console", (msg) => {
        const loc = msg.location();
        events.emit("console", { type: msg.type(), text: msg.text(), url: loc?.url ?? "", line: loc?.lineNumber ?? 0 });
      });
      page.on("pageerror", (error) => events.emit("pageerror", error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
      page.on("requestfailed", (request) => events.emit("requestfailed", { url: request.url(), error: request.failure()?.errorText ?? "?" }));
      page.on("response", (response) => events.emit("response", { url: response.url(), status: response.status() }));
      page.on("error", () => events.emit("crash"));
      return {
        on: events.on,
        expose: (name, fn) => page.exposeFunction(name, fn),
        async goto(url, { timeout = 30_000 } = {}) {
          // puppeteer has no "commit" wait: start the navigation and let the caller poll.
          page.goto(url, { waitUntil: "load", timeout: 0 }).catch(() => {});
          // The wait can fail when the navigation replaces the document it runs in ("Waiting
          // failed"): wait again in the new one, until the timeout.
          const deadline = Date.now() + timeout;
          for (;;) {
            const left = Math.max(1, deadline - Date.now());
            try {
              await withTimeout(page.waitForFunction(() => location.href !== "about:blank", { polling: 50, timeout: left }), left, "navigation");
              return;
            } catch (error) {
              if (Date.now() >= deadline) throw error;
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          }
        },
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        click: (selector) => withTimeout(page.click(selector), INPUT_TIMEOUT_MS, `click ${selector}`),
        async press(key, selector) {
          if (selector !== undefined) await withTimeout(page.focus(selector), INPUT_TIMEOUT_MS, `focus ${selector}`);
          await page.keyboard.press(key === "Space" ? " " : key);
        },
        type: (text) => page.keyboard.type(text),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------------------
// WebKitGTK (classic WebDriver over HTTP: just the commands used here)

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// WebDriver's key codes for the non-printable keys the specs press.
const WEBDRIVER_KEYS = { Enter: "\uE007", Escape: "\uE00C", Tab: "\uE004", Backspace: "\uE003", Space: " ", ArrowLeft: "\uE012", ArrowUp: "\uE013", ArrowRight: "\uE014", ArrowDown: "\uE015" };

async function startWebKitDriver() {
  const port = await freePort();
  const command = process.env.DISPLAY ? [WEBKIT_DRIVER_PATH] : ["xvfb-run", "-a", WEBKIT_DRIVER_PATH];
  // Its own process group, so stop() ends xvfb-run, Xvfb, the driver and every MiniBrowser at once.
  const driver = spawn(command[0], [...command.slice(1), `--port=${port}`, "--host=127.0.0.1"], { stdio: ["ignore", "ignore", "pipe"], detached: true });
  let log = "";
  driver.stderr.on("data", (data) => (log = (log + data).slice(-2000)));
  const exited = new Promise((resolve) => driver.once("exit", resolve));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      process.kill(-driver.pid, "SIGTERM");
    } catch {}
    const ended = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(resolve, 5_000, false))]);
    // A stuck driver or browser that ignores SIGTERM must not outlive the run.
    if (!ended) {
      try {
        process.kill(-driver.pid, "SIGKILL");
      } catch {}
    }
  };
  for (let i = 0; i < 200; i++) {
    try {
      const status = await (await fetch(`${base}/status`)).json();
      return { base, stop, alive: () => driver.exitCode === null && driver.signalCode === null, version: status?.value?.build?.version ?? "" };
    } catch {
      if (driver.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await stop();
  throw new Error(`WebKitWebDriver did not start: ${log.trim() || "no output"}`);
}

async function launchWebKitEngine() {
  // The driver (and with it the browser) can die with a page: newPage then starts a new one.
  let driver = await startWebKitDriver();
  const version = driver.version;

  async function request(method, path, body) {
    const { base } = driver;
    const response = await fetch(base + path, {
      method,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: body === undefined ? undefined : JSON.stringify(body),
      // Longer than the session's script timeout: only a stuck driver gets here.
      signal: AbortSignal.timeout(90_000),
    }).catch(async (error) => {
      // A stuck driver is replaced by the next newPage.
      if (error.name === "TimeoutError" && driver.base === base) await driver.stop();
      throw error;
    });
    const json = await response.json();
    if (json.value && typeof json.value === "object" && typeof json.value.error === "string") {
      throw new Error(`WebDriver ${path.replace(/^\/session\/[^/]+/, "")}: ${json.value.error}: ${json.value.message}`);
    }
    return json.value;
  }

  // WebKitWebDriver allows one session at a time: newPage waits until the previous page is closed.
  let sessionFree = Promise.resolve();
  return {
    name: "webkit",
    version: `WebKitGTK ${version || "(version unknown)"}`,
    can: Object.freeze({ console: false, expose: false, gc: null }),
    async newPage() {
      const previous = sessionFree;
      let release;
      sessionFree = new Promise((resolve) => (release = resolve));
      await previous;
      // A session is a fresh MiniBrowser with an ephemeral profile: the isolated context.
      const newSession = () =>
        request("POST", "/session", {
          capabilities: {
            alwaysMatch: {
              pageLoadStrategy: "none",
              timeouts: { script: 60_000 },
              "webkitgtk:browserOptions": { binary: WEBKIT_BROWSER_PATH, args: ["--automation"] },
            },
          },
        });
      let session;
      try {
        if (!driver.alive()) {
          await driver.stop();
          driver = await startWebKitDriver();
        }
        session = await newSession().catch(async (error) => {
          if (driver.alive()) throw error;
          await driver.stop();
          driver = await startWebKitDriver();
          return newSession();
        });
      } catch (error) {
        release();
        throw error;
      }
      const prefix = `/session/${session.sessionId}`;
      const events = emitter();
      const execute = (script, args = []) => request("POST", `${prefix}/execute/sync`, { script, args });
      // WebDriver returns JSON, where undefined becomes null: the page marks undefined values, node restores them.
      const evaluate = async (fn, arg) => {
        const text = await execute(
          `return Promise.resolve((${fn}).apply(null, arguments)).then((value) =>
            JSON.stringify([value], (key, v) => (v === undefined ? ${JSON.stringify(UNDEFINED_MARK)} : v)));`,
          [arg],
        );
        return JSON.parse(text, (key, v) => (v === UNDEFINED_MARK ? undefined : v))[0];
      };
      const findElement = async (selector) => {
        const found = await request("POST", `${prefix}/element`, { using: "css selector", value: selector });
        return Object.values(found)[0];
      };
      const keys = (list) =>
        request("POST", `${prefix}/actions`, {
          actions: [{ type: "key", id: "keyboard", actions: list.flatMap((value) => [{ type: "keyDown", value }, { type: "keyUp", value }]) }],
        });
      let closed = false;
      return {
        on: events.on,
        expose() {
          throw new Error("WebKitWebDriver cannot expose functions to the page (engine.can.expose is false)");
        },
        async goto(url) {
          await request("POST", `${prefix}/url`, { url });
        },
        evaluate,
        async click(selector) {
          await withTimeout(request("POST", `${prefix}/element/${await findElement(selector)}/click`, {}), INPUT_TIMEOUT_MS, `click ${selector}`);
        },
        async press(key, selector) {
          if (selector !== undefined) {
            await evaluate((s) => {
              const element = document.querySelector(s);
              if (!element) throw new Error(`no element matches ${s}`);
              element.focus();
            }, selector);
          }
          await keys([WEBDRIVER_KEYS[key] ?? key]);
        },
        async type(text) {
          await keys([...text]);
        },
        async close() {
          if (closed) return;
          closed = true;
          try {
            await request("DELETE", prefix);
          } catch (error) {
            // A driver that cannot end its session is replaced by the next newPage.
            await driver.stop();
            throw error;
          } finally {
            release();
          }
        },
      };
    },
    close: () => driver.stop(),
  };
}

/** Polls `page.evaluate(fn)` until it returns a truthy value (resolved to), or rejects after `timeout` ms. */
export async function waitForPage(page, fn, { timeout = 10_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    let value;
    try {
      value = await page.evaluate(fn);
    } catch {
      // Between documents.
    }
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waitForPage: ${String(fn)} stayed falsy for ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
