// TypeScript: a type assertion right after the keyword.
export async function f(o: unknown): Promise<number> { return await<Promise<number>>o; }
export function* g(o: unknown): Generator<number, void, unknown> { yield<number>o; yield*<number[]>[1]; }
