// Nothing here suspends: the output is the input, byte for byte.
"use strict";
function add(a, b) {
  try {
    return a + b;
  } catch (error) {
    throw error;
  } finally {
    cleanup();
  }
}
const square = (x) => x * x;
class Point {
  #x = 0;
  static origin = new Point();
  get x() { return this.#x; }
  static { Point.count = 0; }
}
const then = (p) => p.then((v) => v + 1);
for (const x of [1, 2, 3]) console.log(x);
