/**
 * Connection options of a NATS URL list (`nats://user:pass@host:4222,nats://…`): the servers and,
 * when the URL carries them, the user and password (the same reading as Moleculer's transporter),
 * for the connections Mingbai opens itself (streams, the channel adapter, tests).
 */
export function natsConnectOptions(url: string): { servers: string[]; user?: string; pass?: string } {
  const urls = url.split(",").map((u) => new URL(u.trim()));
  const withAuth = urls.find((u) => u.username);
  return {
    servers: urls.map((u) => u.host),
    ...(withAuth ? { user: decodeURIComponent(withAuth.username), pass: decodeURIComponent(withAuth.password) } : {}),
  };
}
