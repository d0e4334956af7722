/**
 * One request to a running API with a bearer token: JSON bodies parsed, anything else (a PDF) as bytes. POST when a
 * body is given or `method` says so.
 */
export async function callApi(
  baseUrl: string,
  token: string,
  path: string,
  { body, method }: { body?: unknown; method?: 'GET' | 'POST' } = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    body: type.startsWith('application/json')
      ? await response.json()
      : Buffer.from(await response.arrayBuffer()),
  };
}
