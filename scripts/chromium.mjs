// The one place that says how this project starts Chromium (tests, packaging test, benchmark):
// Debian's /usr/bin/chromium, headless, with a fresh profile (playwright's launch() makes one),
// no network chatter (this machine's network is closed), and gc() exposed for leak tests.
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS = Object.freeze([
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--js-flags=--expose-gc",
]);

/** Launches headless Chromium with the project's flags; `options` are passed on to playwright. */
export function launchChromium(options = {}) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, ...options, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
}
