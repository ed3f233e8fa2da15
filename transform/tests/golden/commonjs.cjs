// CommonJS: top-level return is allowed, the binding is a plain var.
const fs = require("fs");
if (!fs) return;
module.exports = async function read(path) {
  return await fs.promises.readFile(path, "utf8");
};
