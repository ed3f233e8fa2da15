// TSX passes through.
type Props = { id: string };
export async function Card({ id }: Props): Promise<JSX.Element> {
  const data = await load<{ title: string }>(id);
  return <div title={data.title}>{await render(data)}</div>;
}
