/**
 * A local fake of Twilio's Messages API on loopback, for the real `twilio` SDK (pointed at it with
 * TWILIO_API_BASE_URL). It records every request, answers with scripted errors and delays, and
 * posts status callbacks signed the way Twilio signs them.
 */
import { randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import twilio from "twilio";

export interface FakeMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
  status: string;
  dateCreated: Date;
}

/** One scripted answer to the next create request. `accept` with `dropMs` stores the message, then hangs up. */
export type Behaviour =
  | { kind: "error"; status: number; code: number; message?: string }
  | { kind: "delay"; ms: number }
  | { kind: "acceptThenDrop" };

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  /** Every accepted message, in order. */
  messages: FakeMessage[];
  /** Every create request, accepted or not. */
  createRequests: { to: string; body: string; answered: number }[];
  listRequests: number;
  /** Queue answers for the next create requests. */
  script(...b: Behaviour[]): void;
  /** Fails each create request with this probability (0..1) with a 500 or 429 (transient). */
  setFailureRate(rate: number, random?: () => number): void;
  /** Posts a signed status callback for a message. */
  callback(sid: string, status: string, opts?: { errorCode?: string; forge?: boolean }): Promise<number>;
  close(): Promise<void>;
}

const sidOf = (prefix: string): string => prefix + randomBytes(16).toString("hex");

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = `AC${randomBytes(16).toString("hex")}`;
  const authToken = randomBytes(16).toString("hex");
  const messages: FakeMessage[] = [];
  const createRequests: FakeTwilio["createRequests"] = [];
  const queue: Behaviour[] = [];
  let failureRate = 0;
  let rand = Math.random;
  let listRequests = 0;
  const view = (m: FakeMessage) => ({
    sid: m.sid,
    account_sid: accountSid,
    to: m.to,
    from: m.from,
    body: m.body,
    status: m.status,
    direction: "outbound-api",
    num_segments: "1",
    date_created: m.dateCreated.toUTCString(),
    date_updated: m.dateCreated.toUTCString(),
    date_sent: m.dateCreated.toUTCString(),
    error_code: null,
    error_message: null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  });

  const server = http.createServer(async (req, res) => {
    const auth = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
    if (auth !== `${accountSid}:${authToken}`)
      return json(res, 401, { code: 20003, message: "Authenticate", status: 401 });
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname !== `/2010-04-01/Accounts/${accountSid}/Messages.json`)
      return json(res, 404, { code: 20404, message: "Not found", status: 404 });
    if (req.method === "GET") {
      listRequests++;
      const to = url.searchParams.get("To");
      const after = url.searchParams.get("DateSent>");
      const found = messages.filter(
        (m) => (!to || m.to === to) && (!after || m.dateCreated.getTime() >= Date.parse(after)),
      );
      return json(res, 200, {
        messages: found.map(view),
        end: found.length,
        first_page_uri: url.pathname,
        next_page_uri: null,
        page: 0,
        page_size: 200,
        previous_page_uri: null,
        start: 0,
        uri: url.pathname,
      });
    }
    const form = new URLSearchParams(await readBody(req));
    const to = form.get("To") ?? "";
    const body = form.get("Body") ?? "";
    const entry = { to, body, answered: 0 };
    createRequests.push(entry);
    let b = queue.shift();
    if (!b && failureRate > 0 && rand() < failureRate)
      b = rand() < 0.5 ? { kind: "error", status: 500, code: 20500 } : { kind: "error", status: 429, code: 20429 };
    if (b?.kind === "error") {
      entry.answered = b.status;
      return json(res, b.status, { code: b.code, message: b.message ?? `fake error ${b.status}`, status: b.status });
    }
    if (b?.kind === "delay") await new Promise((r) => setTimeout(r, b.ms));
    if (!/^\+[1-9]\d{6,14}$/.test(to)) {
      entry.answered = 400;
      return json(res, 400, {
        code: 21211,
        message: `The 'To' number ${to} is not a valid phone number.`,
        status: 400,
      });
    }
    const m: FakeMessage = {
      sid: sidOf("SM"),
      to,
      from: form.get("From") ?? form.get("MessagingServiceSid") ?? "",
      body,
      statusCallback: form.get("StatusCallback"),
      status: "queued",
      dateCreated: new Date(),
    };
    messages.push(m);
    if (b?.kind === "acceptThenDrop") {
      entry.answered = -1;
      return void req.socket.destroy();
    }
    entry.answered = 201;
    json(res, 201, view(m));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    accountSid,
    authToken,
    messages,
    createRequests,
    get listRequests() {
      return listRequests;
    },
    script: (...b) => void queue.push(...b),
    setFailureRate(rate, random = Math.random) {
      failureRate = rate;
      rand = random;
    },
    async callback(sid, status, opts = {}) {
      const m = messages.find((x) => x.sid === sid);
      if (!m?.statusCallback) throw new Error(`no callback URL for ${sid}`);
      m.status = status;
      const params: Record<string, string> = {
        AccountSid: accountSid,
        MessageSid: sid,
        SmsSid: sid,
        MessageStatus: status,
        SmsStatus: status,
        To: m.to,
        From: m.from,
        ApiVersion: "2010-04-01",
      };
      if (opts.errorCode) params.ErrorCode = opts.errorCode;
      const signature = opts.forge
        ? twilio.getExpectedTwilioSignature("not-the-token", m.statusCallback, params)
        : twilio.getExpectedTwilioSignature(authToken, m.statusCallback, params);
      const res = await fetch(m.statusCallback, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
        body: new URLSearchParams(params).toString(),
      });
      await res.text();
      return res.status;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * Points the reminders service (and the gateway, on a free port, for the delivery callbacks) at a
 * fake Twilio through the environment, with no per-minute limit; `extra` adds or overrides variables.
 * Returns the gateway's port.
 */
export async function smsEnvFor(fake: FakeTwilio, extra: Record<string, string> = {}): Promise<number> {
  const port = await freePort();
  Object.assign(process.env, {
    PORT: String(port),
    SMS_PROVIDER: "twilio",
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_FROM: "+15005550006",
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_STATUS_CALLBACK_URL: `http://127.0.0.1:${port}/api/sms/status`,
    SMS_PER_MINUTE_LIMIT: "0",
    ...extra,
  });
  return port;
}
