// JSX passes through.
export async function Profile({ id }) {
  const user = await load(id);
  return <section className="profile">{user.name} {await badge(user)}</section>;
}
export const List = ({ items }) => <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;
