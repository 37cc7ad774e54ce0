/**
 * The SMS provider interface, and Twilio as its first implementation. Another provider (Aliyun or
 * Tencent Cloud SMS, which Chinese bureaus use) implements the same three methods.
 */
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import type { Config } from "../../../shared/config";

export interface OutgoingSms {
  to: string;
  body: string;
  /** Our idempotency key. Twilio has no idempotency header for messages, so it rides on the callback URL. */
  reference: string;
}

export interface ProviderMessage {
  providerId: string;
  /** The provider's own status word (Twilio: queued, sent, delivered, undelivered, failed, …). */
  status: string;
}

/** A provider failure. `transient` ones (429, 5xx, network, timeout) may be retried; others never. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly transient: boolean,
    /** No answer came back: the provider may have accepted the message, so look before resending. */
    readonly ambiguous = false,
  ) {
    super(message);
  }
}

export interface StatusUpdate {
  providerId: string;
  reference: string | null;
  status: string;
  errorCode: string | null;
}

export interface SmsProvider {
  readonly name: string;
  send(sms: OutgoingSms): Promise<ProviderMessage>;
  /** A message already accepted for this recipient and text since `since`, if any (crash recovery). */
  findSent(to: string, body: string, since: Date): Promise<ProviderMessage | null>;
  /** Checks a status callback's signature and reads it; null when the signature is wrong. */
  parseCallback(url: string, form: Record<string, string>, signature: string | undefined): StatusUpdate | null;
}

/** What is missing for SMS to work, or null. Named by environment variable, for the start-up message. */
export function smsConfigProblem(cfg: Config): string | null {
  if (cfg.smsProvider !== "twilio") return null;
  const missing = [
    ["TWILIO_ACCOUNT_SID", cfg.twilioAccountSid],
    ["TWILIO_AUTH_TOKEN", cfg.twilioAuthToken],
    ["TWILIO_FROM", cfg.twilioFrom],
    ["TWILIO_STATUS_CALLBACK_URL", cfg.twilioStatusCallbackUrl],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k);
  return missing.length
    ? `SMS_PROVIDER=twilio needs ${missing.join(", ")} (set them, or SMS_PROVIDER=none to keep reminders in-app only)`
    : null;
}

/** Twilio's RequestClient with the request origin rewritten (to a proxy, or the fake server in tests). */
class OriginRequestClient extends twilio.RequestClient {
  constructor(
    private readonly origin: string,
    opts: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(opts);
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    return super.request<T>({ ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, this.origin) });
  }
}

type TwilioClient = ReturnType<typeof twilio>;

export class TwilioProvider implements SmsProvider {
  readonly name = "twilio";
  private readonly client: TwilioClient;

  constructor(private readonly cfg: Config) {
    const opts = { timeout: cfg.smsTimeoutMs, keepAlive: true };
    this.client = twilio(cfg.twilioAccountSid, cfg.twilioAuthToken, {
      // Our own retries decide what is transient; the SDK's own 429 retry stays off.
      httpClient: cfg.twilioApiBaseUrl
        ? new OriginRequestClient(cfg.twilioApiBaseUrl, opts)
        : new twilio.RequestClient(opts),
    });
  }

  callbackUrl(reference: string): string {
    const url = new URL(this.cfg.twilioStatusCallbackUrl);
    url.searchParams.set("ref", reference);
    return url.toString();
  }

  async send(sms: OutgoingSms): Promise<ProviderMessage> {
    const from = this.cfg.twilioFrom;
    try {
      const m = await this.client.messages.create({
        to: sms.to,
        body: sms.body,
        ...(from.startsWith("MG") ? { messagingServiceSid: from } : { from }),
        statusCallback: this.callbackUrl(sms.reference),
      });
      return { providerId: m.sid, status: m.status };
    } catch (err) {
      throw classify(err);
    }
  }

  async findSent(to: string, body: string, since: Date): Promise<ProviderMessage | null> {
    try {
      // DateSent filters by day; the body is compared exactly (it names the person and the period).
      const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
      const list = await this.client.messages.list({ to, dateSentAfter: day, limit: 200 });
      const m = list.find((x) => x.body === body);
      return m ? { providerId: m.sid, status: m.status } : null;
    } catch (err) {
      throw classify(err);
    }
  }

  parseCallback(url: string, form: Record<string, string>, signature: string | undefined): StatusUpdate | null {
    if (!signature || !twilio.validateRequest(this.cfg.twilioAuthToken, signature, url, form)) return null;
    const ref = new URL(url).searchParams.get("ref");
    return {
      providerId: form.MessageSid ?? form.SmsSid ?? "",
      reference: ref,
      status: form.MessageStatus ?? form.SmsStatus ?? "",
      errorCode: form.ErrorCode || null,
    };
  }
}

/** Twilio's RestException carries the HTTP status and Twilio's error code; anything else is the network. */
export function classify(err: unknown): ProviderError {
  const e = err as { status?: number; code?: number | string; message?: string };
  if (typeof e.status === "number") {
    const transient = e.status === 429 || e.status >= 500;
    return new ProviderError(e.message ?? `HTTP ${e.status}`, String(e.code ?? e.status), transient);
  }
  const code = typeof e.code === "string" ? e.code : "NETWORK";
  return new ProviderError(e.message ?? String(err), code, true, true);
}
