// The source already uses the default names: the output picks others.
const __acState = "mine";
const __asyncContext = { mine: true };
export async function f() {
  return [__acState, __asyncContext, await g()];
}
