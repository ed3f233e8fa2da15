export async function run(): Promise<number> { return await 1; }
