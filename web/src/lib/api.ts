/** fetch with the bearer token, one silent retry after TOKEN_EXPIRED, and the platform's error shape. */
import { session } from "./session";

export interface FieldError {
  field: string;
  message: string;
  type?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function qs(query?: Query): string {
  if (!query) return "";
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const token = session.get()?.accessToken;
  return fetch(path, {
    method,
    headers: {
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

async function toError(res: Response): Promise<ApiError> {
  const data = (await res.json().catch(() => null)) as {
    error?: { type?: string; message?: string; fields?: FieldError[] };
  } | null;
  const e = data?.error;
  return new ApiError(
    res.status,
    e?.type ?? "HTTP_" + res.status,
    e?.message ?? `请求失败（${res.status}）`,
    e?.fields,
  );
}

/** Sends a request; on TOKEN_EXPIRED refreshes once and retries. */
export async function raw(method: string, path: string, body?: unknown): Promise<Response> {
  let res = await send(method, path, body);
  if (res.status === 401) {
    const err = await toError(res.clone());
    if (err.type === "TOKEN_EXPIRED" && (await session.refresh())) res = await send(method, path, body);
    else if (["SESSION_EXPIRED", "TOKEN_INVALID", "TOKEN_EXPIRED"].includes(err.type) && session.get())
      session.clear(err.type === "TOKEN_INVALID" ? "登录凭证已失效，请重新登录" : "登录已过期，请重新登录");
  }
  if (!res.ok) throw await toError(res);
  return res;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await raw(method, path, body);
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: Query): Promise<T> => api<T>("GET", path + qs(query));

/** Where a download is: waiting for the server to build the file, then receiving it (bytes of total, when known). */
export type DownloadProgress = { phase: "building" } | { phase: "receiving"; received: number; total: number | null };

/** Reads a response body while reporting the bytes received. */
async function readWithProgress(res: Response, onProgress: (p: DownloadProgress) => void): Promise<Blob> {
  const total = Number(res.headers.get("Content-Length")) || null;
  if (!res.body) return res.blob();
  const reader = res.body.getReader();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  onProgress({ phase: "receiving", received, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.byteLength;
    onProgress({ phase: "receiving", received, total });
  }
  return new Blob(parts, { type: res.headers.get("Content-Type") ?? "application/octet-stream" });
}

/**
 * Downloads a file the API returns (an .xlsx export) and saves it under its server-given name.
 * `onProgress` hears when the server has answered and how much has arrived, for large exports.
 */
export async function download(
  path: string,
  query: Query | undefined,
  fallbackName: string,
  onProgress?: (p: DownloadProgress) => void,
): Promise<void> {
  onProgress?.({ phase: "building" });
  const res = await raw("GET", path + qs(query));
  const cd = res.headers.get("Content-Disposition") ?? "";
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) ?? /filename="?([^";]+)"?/i.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : fallbackName;
  const blob = onProgress ? await readWithProgress(res, onProgress) : await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Reads a File as base64 (the import actions take the .xlsx as a base64 string). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}
