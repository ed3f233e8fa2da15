// Valid as a module too, but with no module syntax: emitted in the script form.
async function main() {
  await start();
}
main();
