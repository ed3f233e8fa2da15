// Source of the await-loop benchmark (www/bench-transform.html). Loaded as a classic script in one
// of three forms: as written (native await), through our transform, or through Babel's
// async-to-generator. Each loop checks the variable after every await and returns how many
// checks did not see `expected`, so the page can verify a form keeps the context before timing it.

// Awaits a plain value n times.
async function awaitValueLoop(variable, n, expected) {
  let lost = 0;
  for (let i = 0; i < n; i++) {
    await i;
    if (variable.get() !== expected) lost++;
  }
  return lost;
}

// Awaits the same already-resolved promise n times.
async function awaitPromiseLoop(variable, n, expected) {
  const resolved = Promise.resolve(0);
  let lost = 0;
  for (let i = 0; i < n; i++) {
    await resolved;
    if (variable.get() !== expected) lost++;
  }
  return lost;
}

globalThis.__awaitLoops = { value: awaitValueLoop, promise: awaitPromiseLoop };
