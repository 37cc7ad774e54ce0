/** A small HTTP client for gateway tests. */
export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export function client(baseUrl: string) {
  async function request<T = any>(
    method: string,
    path: string,
    opts: { token?: string; json?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(opts.json);
    } else if (opts.raw !== undefined) {
      headers["content-type"] ??= "application/json";
      body = opts.raw;
    }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    request,
    get: <T = any>(path: string, token?: string) => request<T>("GET", path, { token }),
    post: <T = any>(path: string, json: unknown, token?: string) => request<T>("POST", path, { json, token }),
    put: <T = any>(path: string, json: unknown, token?: string) => request<T>("PUT", path, { json, token }),
  };
}
