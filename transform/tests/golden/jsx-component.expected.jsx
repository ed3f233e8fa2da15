// JSX passes through.
var __asyncContext = __asyncContextInit(); function __asyncContextInit() { return __asyncContext || (__asyncContext = globalThis[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_, v) { return v; }, resume(_, v) { return v; }, exit() {}, forAwait(_, it) { return it; } }); } export async function Profile({ id }) { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  const user = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, load(id)));
  return <section className="profile">{user.name} {__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, badge(user)))}</section>;
 } finally { __asyncContext.exit(__acState); }}
export const List = ({ items }) => <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;
