/**
 * The signed-in session: tokens and user, kept in localStorage so a reload stays signed in.
 * Access tokens are refreshed silently a minute before expiry, but only while the user is active,
 * so the server's 30-minute idle timeout still ends an abandoned session.
 */
import type { AuthUser } from "@shared/auth";
import type { LoginResult, TokenPair } from "@shared/contracts/accounts";

export interface Session extends TokenPair {
  user: AuthUser;
  mustChangePassword: boolean;
}

const KEY = "mingbai.session";
const REFRESH_AHEAD_MS = 60_000;
const IDLE_MS = 30 * 60_000;

type Listener = () => void;
const listeners = new Set<Listener>();
let current: Session | null = read();
let lastActivity = Date.now();
let timer: ReturnType<typeof setTimeout> | null = null;
let inflight: Promise<Session | null> | null = null;
/** Why the last session ended, shown on the login page. */
let endReason: string | null = null;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function emit(): void {
  for (const l of listeners) l();
}

export const session = {
  get: (): Session | null => current,
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  endReason(): string | null {
    const r = endReason;
    endReason = null;
    return r;
  },
  set(s: LoginResult | Session): void {
    current = { ...s };
    localStorage.setItem(KEY, JSON.stringify(current));
    schedule();
    emit();
  },
  /** Ends the session on this client. `reason` is shown on the login page. */
  clear(reason?: string): void {
    current = null;
    endReason = reason ?? null;
    localStorage.removeItem(KEY);
    if (timer) clearTimeout(timer);
    timer = null;
    emit();
  },
  /** Exchanges the refresh token for a new pair; one request at a time. Null when the session is over. */
  refresh(): Promise<Session | null> {
    if (inflight) return inflight;
    const s = current;
    if (!s) return Promise.resolve(null);
    inflight = (async () => {
      try {
        const res = await fetch("/api/accounts/refresh", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refreshToken: s.refreshToken }),
        });
        if (!res.ok) {
          const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
          if (res.status === 401) session.clear(body?.error?.message ?? "登录已过期，请重新登录");
          return null;
        }
        const pair = (await res.json()) as TokenPair;
        // Another tab may have signed out meanwhile.
        if (current?.refreshToken !== s.refreshToken) return current;
        session.set({ ...s, ...pair });
        return current;
      } catch {
        return null; // network trouble: keep the session, the next call retries
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  },
};

function schedule(): void {
  if (timer) clearTimeout(timer);
  if (!current) return;
  const wait = Math.max(current.accessExpiresAt - Date.now() - REFRESH_AHEAD_MS, 1000);
  timer = setTimeout(() => {
    if (Date.now() - lastActivity < IDLE_MS) void session.refresh();
  }, wait);
}

if (typeof window !== "undefined") {
  const touch = () => {
    lastActivity = Date.now();
  };
  for (const ev of ["pointerdown", "keydown", "scroll", "touchstart"])
    window.addEventListener(ev, touch, { passive: true });
  // Another tab signed in, refreshed or signed out.
  window.addEventListener("storage", (e) => {
    if (e.key !== KEY) return;
    current = read();
    schedule();
    emit();
  });
  schedule();
}
