// Without the package, there is no AsyncContext global (TypeScript's own libs do not have it yet),
// so the other files' passes really come from asynccontext.d.ts.

// test: without importing or referencing asynccontext, AsyncContext is not declared
// @ts-expect-error AsyncContext is unknown here
void AsyncContext;
