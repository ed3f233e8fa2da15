// Native async/await demo. This file is bundled by `npm run build` through the await transform's
// esbuild plugin (asynccontext/transform/esbuild) into await-demo/dist/app.js: the async functions
// below stay native, and each flow keeps its own requestId across every await.
const requestId = new AsyncContext.Variable({ name: "requestId", defaultValue: "-" });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const randomDelay = () => 5 + Math.floor(Math.random() * 60);

async function fetchUser(log) {
  await sleep(randomDelay());
  log("after await sleep()");
  const response = await fetch("/www/await-demo/user.json");
  log("after await fetch()");
  return response.json();
}

async function* pages(log) {
  for (let page = 1; page <= 2; page++) {
    await sleep(randomDelay());
    log(`generator resumed for page ${page}`);
    yield page;
  }
}

async function failing(log) {
  await sleep(randomDelay());
  throw new Error("boom");
}

/** One request: every step records which requestId it sees. */
export async function handleRequest(id, report) {
  return requestId.run(id, async () => {
    const log = (step) => report({ id, step, seen: requestId.get() });
    log("start");
    await fetchUser(log);
    for await (const page of pages(log)) log(`for await got page ${page}`);
    try {
      await failing(log);
    } catch {
      log("catch after a rejected await");
    } finally {
      log("finally");
    }
    await Promise.all([sleep(randomDelay()), sleep(randomDelay())]);
    log("after await Promise.all()");
  });
}

export { requestId };
