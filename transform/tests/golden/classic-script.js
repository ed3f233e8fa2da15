// A classic script (no import/export, sloppy code that is not valid in a module): `var` binding
// whose name is unique to the file, since every classic script shares the global scope.
var await = 1;
with (Math) { var r = round(await); }
async function greet(name) {
  await delay(1);
  return "hello " + name;
}
