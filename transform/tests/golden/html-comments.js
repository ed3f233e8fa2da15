--> an HTML-like closing comment at the start of the input
async function f(o) { return await(o) <!-- an HTML-like opening comment
}
/*
*/ --> after a multi-line comment
function* g(o) { yield<!--o
  (o); }
