// Two flows run concurrently, each inside its own value of `request`; every suspension point of
// each flow records what `request.get()` says, and `order` records how the flows interleaved.
const request = new AsyncContext.Variable({ name: "request" });
export const order = [];

function later(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function fetchPart(id, part) {
  await null;
  order.push(`${id}:${part}`);
  const seen = request.get();
  await later(part === 1 ? 4 : 1);
  return [seen, request.get()];
}

async function flow(id) {
  const seen = [request.get()];
  for (let part = 0; part < 3; part++) {
    const [inner, after] = await fetchPart(id, part);
    seen.push(inner, after, request.get());
  }
  try {
    await Promise.reject(new Error(id));
  } catch {
    seen.push(request.get());
  }
  for await (const value of [Promise.resolve(1), 2]) {
    seen.push(`${value}:${request.get()}`);
  }
  return seen;
}

export async function runFlows() {
  const [a, b] = await Promise.all([request.run("a", () => flow("a")), request.run("b", () => flow("b"))]);
  return { a, b, order, outside: request.get() };
}
