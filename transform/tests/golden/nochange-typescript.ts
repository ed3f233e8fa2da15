// TypeScript without suspension points: types, overloads and declarations pass through.
interface Shape { area(): number }
type Maybe<T> = T | undefined;
enum Color { Red, Green }
declare function external(x: number): Promise<void>;
function overloaded(x: string): string;
function overloaded(x: number): number;
function overloaded(x: any): any { return x; }
abstract class Base<T> {
  abstract run(value: T): Promise<T>;
  protected constructor(private readonly name: string) {}
}
export const id = <T,>(x: T): T => x;
