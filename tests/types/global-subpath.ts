// Bundler users who include the classic-script build by its subpath.
import "asynccontext/global";

// test: import "asynccontext/global" declares the global AsyncContext namespace
{
  const v = new AsyncContext.Variable({ defaultValue: 0 });
  const n: number = v.get();
  void n;
}

export {};
