// TypeScript syntax passes through; only suspension points change.
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response: Response = await fetch(url, init);
  return (await response.json()) as T;
}
export const parse = async <T,>(text: string): Promise<T> => JSON.parse(await Promise.resolve(text)) as T;
function* typed(this: Window, count: number = 1, label?: string): Generator<number, void, unknown> {
  yield count;
}
function* onlyThis(this: Window) { yield 1; }
class Repository<T extends { id: string }> {
  private items = new Map<string, T>();
  async save(item: T): Promise<void> {
    await this.persist(item!);
  }
  async *all(): AsyncGenerator<T> {
    for (const item of this.items.values()) yield await Promise.resolve(item satisfies T);
  }
  declare persist: (item: T) => Promise<void>;
}
