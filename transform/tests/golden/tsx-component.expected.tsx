// TSX passes through.
var __asyncContext: any = __asyncContextInit(); function __asyncContextInit(): any { return __asyncContext || (__asyncContext = (globalThis as any)[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_: any, v: any) { return v; }, resume(_: any, v: any) { return v; }, exit() {}, forAwait(_: any, it: any) { return it; } }); } type Props = { id: string };
export async function Card({ id }: Props): Promise<JSX.Element> { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  const data = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, load<{ title: string }>(id)));
  return <div title={data.title}>{__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, render(data)))}</div>;
 } finally { __asyncContext.exit(__acState); }}
