// A .js file with JSX parses with JSX enabled when it does not parse without.
export async function View() {
  return <p>{await text()}</p>;
}
