// Resource loading events (semantics.md §3: "img/script/link/iframe/style load/error (the src/href set or
// insertion)" run in the context of the causing call; js-shim/patches/resource-loading.js and attributes.js).
// Resources come from the runner's delayed-response endpoint, so two flows can be interleaved: flow A starts
// first and finishes last. Listeners are registered in a context of their own.

import { test, assert, sleep, collectGarbage, liveNodes, liveSlots } from "../harness.js";
import { flowVariable, delayUrl, imageUrl, brokenImageUrl, withContainer, ASSETS } from "../assets/events-common.js";

const flow = flowVariable();
const SLOW = 250;
const FAST = 20;

/** Listens for load and error on `element` in context "listeners"; resolves on the first of them. */
function watch(element, seen, label) {
  return new Promise((resolve) => {
    flow.run("listeners", () => {
      for (const type of ["load", "error"]) {
        element.addEventListener(type, () => {
          seen.push(`${label} ${type}:${flow.get()}`);
          resolve();
        });
      }
    });
  });
}


const scriptUrl = (ms) => delayUrl(ms, { file: `${ASSETS}/noop.js` });
const styleUrl = (ms) => delayUrl(ms, { file: `${ASSETS}/empty.css` });
const frameUrl = (ms) => delayUrl(ms, { file: `${ASSETS}/frame.html` });

test("img load listeners run in the context of the src set, two images interleaved", async () => {
  const a = document.createElement("img");
  const b = new Image();
  const seen = [];
  const done = Promise.all([watch(a, seen, "A"), watch(b, seen, "B")]);
  flow.run("A", () => {
    a.src = imageUrl(SLOW);
  });
  flow.run("B", () => {
    b.src = imageUrl(FAST);
  });
  await done;
  assert.deepEqual(seen.slice().sort(), ["B load:B", "A load:A"].sort()); // completion order is up to the network
});

test("img error listeners run in the context of the src set", async () => {
  const a = document.createElement("img");
  const b = document.createElement("img");
  const seen = [];
  const done = Promise.all([watch(a, seen, "A"), watch(b, seen, "B")]);
  flow.run("A", () => {
    a.src = brokenImageUrl(SLOW);
  });
  flow.run("B", () => {
    b.src = delayUrl(FAST, { status: 404 });
  });
  await done;
  assert.deepEqual(seen.slice().sort(), ["B error:B", "A error:A"].sort()); // completion order is up to the network
});

test("img onload and onerror handlers set in another context run in the context of the src set", async () => {
  const a = document.createElement("img");
  const b = document.createElement("img");
  const seen = [];
  let resolveA;
  let resolveB;
  const done = Promise.all([new Promise((r) => (resolveA = r)), new Promise((r) => (resolveB = r))]);
  flow.run("listeners", () => {
    a.onload = () => resolveA(seen.push(`A load:${flow.get()}`));
    b.onerror = () => resolveB(seen.push(`B error:${flow.get()}`));
  });
  flow.run("A", () => {
    a.src = imageUrl(SLOW);
  });
  flow.run("B", () => {
    b.src = brokenImageUrl(FAST);
  });
  await done;
  assert.deepEqual(seen.slice().sort(), ["B error:B", "A load:A"].sort()); // completion order is up to the network
});

test("img load listeners run in the context of setAttribute(\"src\")", async () => {
  const a = document.createElement("img");
  const b = document.createElement("img");
  const seen = [];
  const done = Promise.all([watch(a, seen, "A"), watch(b, seen, "B")]);
  flow.run("A", () => a.setAttribute("src", imageUrl(SLOW)));
  flow.run("B", () => b.setAttribute("SRC", imageUrl(FAST)));
  await done;
  assert.deepEqual(seen.slice().sort(), ["B load:B", "A load:A"].sort()); // completion order is up to the network
});

test("a later src set in another context replaces the context of an img's load", async () => {
  const img = document.createElement("img");
  const seen = [];
  const done = watch(img, seen, "img");
  flow.run("first", () => {
    img.src = imageUrl(SLOW);
  });
  flow.run("second", () => {
    img.src = imageUrl(FAST);
  });
  await done;
  await sleep(SLOW + 50);
  assert.deepEqual(seen, ["img load:second"]);
});

test("an img whose error listener sets a fallback src runs the fallback's load in the same context", async () => {
  const img = document.createElement("img");
  const seen = [];
  flow.run("listeners", () => {
    img.addEventListener("error", () => seen.push(`error:${flow.get()}`));
    img.addEventListener("load", () => seen.push(`load:${flow.get()}`));
  });
  const loaded = new Promise((resolve) => img.addEventListener("load", resolve));
  img.addEventListener("error", () => {
    img.src = imageUrl(FAST); // the fallback image, from the same flow
  });
  flow.run("A", () => {
    img.src = brokenImageUrl(FAST);
  });
  await loaded;
  assert.deepEqual(seen, ["error:A", "load:A"]);
});

test("an img src set in the empty context runs listeners added inside run in the empty context", async () => {
  const img = document.createElement("img");
  const seen = [];
  let done = watch(img, seen, "img");
  flow.run("first", () => {
    img.src = imageUrl(FAST);
  });
  await done;
  done = new Promise((resolve) => img.addEventListener("load", resolve, { once: true }));
  img.src = imageUrl(FAST);
  await done;
  assert.deepEqual(seen, ["img load:first", "img load:empty"]);
});

test("inserting an img whose src was set elsewhere leaves its load in the context of the src set", () =>
  withContainer(async (container) => {
    const img = document.createElement("img");
    const seen = [];
    const done = watch(img, seen, "img");
    flow.run("src", () => {
      img.src = imageUrl(SLOW);
    });
    flow.run("insertion", () => container.append(img));
    await done;
    assert.deepEqual(seen, ["img load:src"]);
  }));

test("innerHTML creating an img runs its load listeners in the context of the innerHTML set", () =>
  withContainer(async (container) => {
    const a = document.createElement("div");
    const b = document.createElement("div");
    container.append(a, b);
    const seen = [];
    flow.run("A", () => {
      a.innerHTML = `<p><img src="${imageUrl(SLOW)}"></p>`;
    });
    flow.run("B", () => {
      b.innerHTML = `<img src="${brokenImageUrl(FAST)}">`;
    });
    await Promise.all([watch(a.querySelector("img"), seen, "A"), watch(b.querySelector("img"), seen, "B")]);
    assert.deepEqual(seen.slice().sort(), ["B error:B", "A load:A"].sort()); // completion order is up to the network
  }));

test("insertAdjacentHTML creating an img runs its load listeners in the context of the call", () =>
  withContainer(async (container) => {
    const a = document.createElement("div");
    const b = document.createElement("div");
    container.append(a, b);
    const seen = [];
    flow.run("A", () => a.insertAdjacentHTML("beforeend", `<img src="${imageUrl(SLOW)}">`));
    flow.run("B", () => b.insertAdjacentHTML("afterbegin", `<img src="${imageUrl(FAST)}">`));
    await Promise.all([watch(a.querySelector("img"), seen, "A"), watch(b.querySelector("img"), seen, "B")]);
    assert.deepEqual(seen.slice().sort(), ["B load:B", "A load:A"].sort()); // completion order is up to the network
  }));

test("an inline onload attribute of an img created by innerHTML runs in the context of the innerHTML set", () =>
  withContainer(async (container) => {
    const seen = [];
    let done;
    const loaded = new Promise((resolve) => (done = resolve));
    globalThis.__eventsInlineHandler = () => done(seen.push(flow.get()));
    try {
      flow.run("markup", () => {
        container.innerHTML = `<img src="${imageUrl(FAST)}" onload="__eventsInlineHandler()">`;
      });
      await loaded;
    } finally {
      delete globalThis.__eventsInlineHandler;
    }
    assert.deepEqual(seen, ["markup"]);
  }));

test("outerHTML creating an img runs its load listeners in the context of the outerHTML set", () =>
  withContainer(async (container) => {
    const placeholder = document.createElement("span");
    container.append(placeholder);
    const seen = [];
    flow.run("A", () => {
      placeholder.outerHTML = `<img id="events-outer" src="${imageUrl(FAST)}">`;
    });
    await watch(container.querySelector("#events-outer"), seen, "img");
    assert.deepEqual(seen, ["img load:A"]);
  }));

test("an img created by Range.createContextualFragment inside run runs its load listeners in that context", () =>
  withContainer(async (container) => {
    const seen = [];
    const done = [];
    for (const [name, ms] of [["A", SLOW], ["B", FAST]]) {
      const fragment = flow.run(name, () => document.createRange().createContextualFragment(`<img src="${imageUrl(ms)}">`));
      done.push(watch(fragment.querySelector("img"), seen, name));
      container.append(fragment);
    }
    await Promise.all(done);
    assert.deepEqual(seen.slice().sort(), ["A load:A", "B load:B"]);
  }));

test("an img cloned with cloneNode inside run runs its load listeners in the context of the clone", () =>
  withContainer(async (container) => {
    const original = document.createElement("img");
    const loaded = new Promise((resolve) => original.addEventListener("load", resolve));
    original.src = imageUrl(FAST);
    await loaded;
    const seen = [];
    const clones = [];
    for (const name of ["A", "B"]) {
      const clone = flow.run(name, () => original.cloneNode());
      clones.push(watch(clone, seen, name));
    }
    await Promise.all(clones);
    assert.deepEqual(seen.slice().sort(), ["A load:A", "B load:B"]);
  }));

test("insertAdjacentHTML in one context leaves a sibling img's pending load in the context that started it", () =>
  withContainer(async (container) => {
    const sibling = document.createElement("img");
    const anchor = document.createElement("span");
    container.append(sibling, anchor);
    const seen = [];
    const done = watch(sibling, seen, "sibling");
    flow.run("A", () => {
      sibling.src = imageUrl(SLOW);
    });
    flow.run("B", () => anchor.insertAdjacentHTML("beforeend", "<b>text</b>"));
    await done;
    assert.deepEqual(seen, ["sibling load:A"]);
  }));

test("an appended script runs its load listeners in the context of the insertion, two scripts interleaved", () =>
  withContainer(async (container) => {
    const a = document.createElement("script");
    const b = document.createElement("script");
    a.src = scriptUrl(SLOW);
    b.src = scriptUrl(FAST);
    const seen = [];
    const done = Promise.all([watch(a, seen, "A"), watch(b, seen, "B")]);
    flow.run("A", () => container.appendChild(a));
    flow.run("B", () => container.append(b));
    await done;
    assert.deepEqual(seen.slice().sort(), ["B load:B", "A load:A"].sort()); // completion order is up to the network
  }));

test("an appended script that fails to load runs its error listeners in the context of the insertion", () =>
  withContainer(async (container) => {
    const a = document.createElement("script");
    const b = document.createElement("script");
    a.src = delayUrl(SLOW, { status: 404 });
    b.src = delayUrl(FAST, { hangup: 1 });
    const seen = [];
    const done = Promise.all([watch(a, seen, "A"), watch(b, seen, "B")]);
    flow.run("A", () => container.append(a));
    flow.run("B", () => container.append(b));
    await done;
    assert.deepEqual(seen.slice().sort(), ["B error:B", "A error:A"].sort()); // completion order is up to the network
  }));

test("an appended module script runs its load listeners in the context of the insertion", () =>
  withContainer(async (container) => {
    const seen = [];
    const done = [];
    for (const [name, ms] of [["A", SLOW], ["B", FAST]]) {
      const script = document.createElement("script");
      script.type = "module";
      script.src = scriptUrl(ms);
      done.push(watch(script, seen, name));
      flow.run(name, () => container.append(script));
    }
    await Promise.all(done);
    assert.deepEqual(seen.slice().sort(), ["B load:B", "A load:A"].sort()); // completion order is up to the network
  }));

test("a script's src set after insertion runs its load listeners in the context of the src set", () =>
  withContainer(async (container) => {
    const script = document.createElement("script");
    container.append(script); // no src yet: nothing is fetched
    const seen = [];
    const done = watch(script, seen, "script");
    flow.run("src", () => {
      script.src = scriptUrl(FAST);
    });
    await done;
    assert.deepEqual(seen, ["script load:src"]);
  }));

test("every insertion method runs an inserted script's load listeners in the context of the insertion", () =>
  withContainer(async (container) => {
    const methods = {
      appendChild: (s) => container.appendChild(s),
      insertBefore: (s) => container.insertBefore(s, null),
      replaceChild: (s) => container.replaceChild(s, container.appendChild(document.createElement("i"))),
      append: (s) => container.append(s),
      prepend: (s) => container.prepend(s),
      before: (s) => container.appendChild(document.createElement("i")).before(s),
      after: (s) => container.appendChild(document.createElement("i")).after(s),
      replaceWith: (s) => container.appendChild(document.createElement("i")).replaceWith(s),
      replaceChildren: (s) => container.appendChild(document.createElement("div")).replaceChildren(s),
      insertAdjacentElement: (s) => container.insertAdjacentElement("beforeend", s),
    };
    const seen = [];
    const done = [];
    Object.entries(methods).forEach(([name, insert], i) => {
      const script = document.createElement("script");
      script.src = scriptUrl(((i * 7) % 10) * 10);
      done.push(watch(script, seen, name));
      flow.run(name, () => insert(script));
    });
    await Promise.all(done);
    const wrong = seen.filter((entry) => {
      const [label, value] = entry.split(":");
      return label !== `${value} load`;
    });
    assert.deepEqual(wrong, []);
    assert.equal(seen.length, Object.keys(methods).length);
  }));

test("appending a DocumentFragment containing a script runs its load listeners in the context of the append", () =>
  withContainer(async (container) => {
    const seen = [];
    const done = [];
    for (const [name, ms] of [["A", SLOW], ["B", FAST]]) {
      const fragment = document.createDocumentFragment();
      const wrapper = fragment.appendChild(document.createElement("div"));
      const script = wrapper.appendChild(document.createElement("script"));
      script.src = scriptUrl(ms);
      done.push(watch(script, seen, name));
      flow.run(name, () => container.appendChild(fragment));
    }
    await Promise.all(done);
    assert.deepEqual(seen.slice().sort(), ["B load:B", "A load:A"].sort()); // completion order is up to the network
  }));

test("a template cloned and appended inside run (the web-component pattern) runs its img load listeners in that context", () =>
  withContainer(async (container) => {
    const template = document.createElement("template");
    template.innerHTML = `<div><img src="${imageUrl(FAST)}"></div>`;
    const seen = [];
    let done;
    flow.run("component", () => {
      const fragment = template.content.cloneNode(true);
      done = watch(fragment.querySelector("img"), seen, "img");
      container.append(fragment);
    });
    await done;
    assert.deepEqual(seen, ["img load:component"]);
  }));

test("an appended stylesheet link runs its load and error listeners in the context of the insertion", () =>
  withContainer(async (container) => {
    const a = document.createElement("link");
    a.rel = "stylesheet";
    a.href = styleUrl(SLOW);
    const b = document.createElement("link");
    b.rel = "stylesheet";
    b.href = delayUrl(FAST, { status: 404, type: "text/css" });
    const seen = [];
    const done = Promise.all([watch(a, seen, "A"), watch(b, seen, "B")]);
    flow.run("A", () => container.append(a));
    flow.run("B", () => container.append(b));
    await done;
    assert.deepEqual(seen.slice().sort(), ["B error:B", "A load:A"].sort()); // completion order is up to the network
  }));

test("a connected stylesheet link runs its load listeners in the context of the href set", () =>
  withContainer(async (container) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    container.append(link);
    const seen = [];
    const done = watch(link, seen, "link");
    flow.run("href", () => {
      link.href = styleUrl(FAST);
    });
    await done;
    assert.deepEqual(seen, ["link load:href"]);
  }));

test("an appended style element with an @import runs its load listeners in the context of the insertion", () =>
  withContainer(async (container) => {
    const seen = [];
    const done = [];
    for (const [name, ms] of [["A", SLOW], ["B", FAST]]) {
      const style = document.createElement("style");
      style.textContent = `@import url("${styleUrl(ms)}");`;
      done.push(watch(style, seen, name));
      flow.run(name, () => container.append(style));
    }
    await Promise.all(done);
    assert.deepEqual(seen.slice().sort(), ["B load:B", "A load:A"].sort()); // completion order is up to the network
  }));

test("an appended iframe runs its load listeners in the context of the insertion", () =>
  withContainer(async (container) => {
    const seen = [];
    const done = [];
    for (const [name, ms] of [["A", SLOW], ["B", FAST]]) {
      const frame = document.createElement("iframe");
      frame.src = frameUrl(ms);
      done.push(watch(frame, seen, name));
      flow.run(name, () => container.append(frame));
    }
    await Promise.all(done);
    assert.deepEqual(seen.slice().sort(), ["B load:B", "A load:A"].sort()); // completion order is up to the network
  }));

test("a connected iframe runs its load listeners in the context of the src set", () =>
  withContainer(async (container) => {
    const a = document.createElement("iframe");
    const b = document.createElement("iframe");
    container.append(a, b);
    await sleep(50); // the initial about:blank loads are over
    const seen = [];
    const done = Promise.all([watch(a, seen, "A"), watch(b, seen, "B")]);
    flow.run("A", () => {
      a.src = frameUrl(SLOW);
    });
    flow.run("B", () => b.setAttribute("src", frameUrl(FAST)));
    await done;
    assert.deepEqual(seen.slice().sort(), ["B load:B", "A load:A"].sort()); // completion order is up to the network
  }));

test("an iframe's onload handler set in another context runs in the context of the src set", () =>
  withContainer(async (container) => {
    const frame = document.createElement("iframe");
    container.append(frame);
    await sleep(50);
    const seen = [];
    let resolve;
    const done = new Promise((r) => (resolve = r));
    flow.run("listeners", () => {
      frame.onload = () => resolve(seen.push(flow.get()));
    });
    flow.run("src", () => {
      frame.src = frameUrl(FAST);
    });
    await done;
    assert.deepEqual(seen, ["src"]);
  }));

// ---------------------------------------------------------------------------------------------------------
// Memory (§4)

/** Live counts once at or below `baseline` (polling with GC for at most ~4 s). */
async function countsAfterGc(baseline) {
  const counts = () => ({ nodes: liveNodes(), slots: liveSlots() });
  let after;
  const deadline = performance.now() + 4000;
  do {
    await collectGarbage();
    after = counts();
  } while ((after.nodes > baseline.nodes || after.slots > baseline.slots) && performance.now() < deadline);
  return after;
}

/** Loads an img that stays in the document, its src set inside run; `before(img)` runs first. Returns the counts. */
async function loadKeptImage(container, before = () => {}) {
  await collectGarbage();
  const baseline = { nodes: liveNodes(), slots: liveSlots() };
  const img = document.createElement("img");
  container.append(img);
  const loaded = new Promise((resolve) => img.addEventListener("load", resolve, { once: true }));
  before(img);
  await (async () => {
    const variable = new AsyncContext.Variable();
    variable.run({ payload: new Array(1000).fill(0) }, () => {
      img.src = imageUrl(FAST);
    });
    await loaded;
  })();
  const after = await countsAfterGc(baseline);
  assert.ok(img.complete && img.isConnected);
  return { baseline, after };
}

const show = ({ baseline, after }) =>
  `${after.nodes} nodes / ${after.slots} slots live after GC, baseline ${baseline.nodes} / ${baseline.slots}`;
const released = ({ baseline, after }) => after.nodes <= baseline.nodes && after.slots <= baseline.slots;

test("an img that stays in the document releases the context of its src set once it has loaded", () =>
  withContainer(async (container) => {
    const result = await loadKeptImage(container);
    assert.ok(released(result), show(result));
  }));

test("an img whose load listener stops immediate propagation still releases the context of its src set", () =>
  withContainer(async (container) => {
    const result = await loadKeptImage(container, (img) => {
      img.onload = (event) => event.stopImmediatePropagation();
    });
    assert.ok(released(result), show(result));
  }));

/** Appends `build()`'s elements (which never fire load or error) inside run and checks the counts after GC. */
async function insertNothingLoading(container, build) {
  await collectGarbage();
  const baseline = { nodes: liveNodes(), slots: liveSlots() };
  (() => {
    const variable = new AsyncContext.Variable();
    variable.run({ payload: new Array(1000).fill(0) }, () => container.append(...build()));
  })();
  const after = await countsAfterGc(baseline);
  assert.ok(container.children.length > 0);
  return { baseline, after };
}

test("an inline script appended inside run holds no context after GC while it stays in the document", () =>
  withContainer(async (container) => {
    const result = await insertNothingLoading(container, () => {
      const code = document.createElement("script");
      code.textContent = "globalThis.__eventsInlineRan = true;";
      const data = document.createElement("script");
      data.type = "application/ld+json";
      data.textContent = "{}";
      return [code, data];
    });
    assert.equal(globalThis.__eventsInlineRan, true);
    delete globalThis.__eventsInlineRan;
    assert.ok(released(result), show(result));
  }));

test("a link that loads nothing, appended inside run, holds no context after GC while it stays in the document", () =>
  withContainer(async (container) => {
    const result = await insertNothingLoading(container, () => {
      const canonical = document.createElement("link");
      canonical.rel = "canonical";
      canonical.href = "/canonical";
      const preconnect = document.createElement("link");
      preconnect.rel = "preconnect";
      preconnect.href = "/";
      return [canonical, preconnect];
    });
    assert.ok(released(result), show(result));
  }));
