// TypeScript syntax passes through; only suspension points change.
var __asyncContext: any = __asyncContextInit(); function __asyncContextInit(): any { return __asyncContext || (__asyncContext = (globalThis as any)[Symbol.for("asynccontext.suspension")] || { enter() {}, suspend(_: any, v: any) { return v; }, resume(_: any, v: any) { return v; }, exit() {}, forAwait(_: any, it: any) { return it; } }); } export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
  const response: Response = __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, fetch(url, init)));
  return (__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, response.json()))) as T;
 } finally { __asyncContext.exit(__acState); }}
export const parse = async <T,>(text: string): Promise<T> => { const __acState = (__asyncContext || __asyncContextInit()).enter(); try { return JSON.parse(__asyncContext.resume(__acState, await __asyncContext.suspend(__acState, Promise.resolve(text)))) as T; } finally { __asyncContext.exit(__acState); } };
function* typed(this: Window, count: number = 1, label?: string, ...{ __acState = (__asyncContext || __asyncContextInit()).enter() }: any): Generator<number, void, unknown> { __asyncContext.resume(__acState); try {
  __asyncContext.resume(__acState, (yield __asyncContext.suspend(__acState, count)) as unknown);
 } finally { __asyncContext.exit(__acState); }}
function* onlyThis(this: Window, ...{ __acState = (__asyncContext || __asyncContextInit()).enter() }: any) { __asyncContext.resume(__acState); try { __asyncContext.resume(__acState, (yield __asyncContext.suspend(__acState, 1)) as unknown);  } finally { __asyncContext.exit(__acState); }}
class Repository<T extends { id: string }> {
  private items = new Map<string, T>();
  async save(item: T): Promise<void> { const __acState = (__asyncContext || __asyncContextInit()).enter(); try {
    __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, this.persist(item!)));
   } finally { __asyncContext.exit(__acState); }}
  async *all(...{ __acState = (__asyncContext || __asyncContextInit()).enter() }: any): AsyncGenerator<T> { __asyncContext.resume(__acState); try {
    for (const item of this.items.values()) __asyncContext.resume(__acState, (yield __asyncContext.suspend(__acState, __asyncContext.resume(__acState, await __asyncContext.suspend(__acState, Promise.resolve(item satisfies T))))) as unknown);
   } finally { __asyncContext.exit(__acState); }}
  declare persist: (item: T) => Promise<void>;
}
