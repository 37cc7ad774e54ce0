/**
 * The one typed, validated configuration of Mingbai.
 * Every key has its environment variable, a default and a one-line doc.
 * A bad value stops start-up with a message naming the variable.
 */

type Parser<T> = (raw: string) => T;

interface Entry<T> {
  env: string;
  doc: string;
  default: string;
  parse: Parser<T>;
}

const str =
  (pattern?: RegExp): Parser<string> =>
  (raw) => {
    if (pattern && !pattern.test(raw)) throw new Error(`must match ${pattern}`);
    return raw;
  };

const int =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`must be an integer from ${min} to ${max}`);
    return n;
  };

const oneOf =
  <T extends string>(...values: T[]): Parser<T> =>
  (raw) => {
    if (!(values as string[]).includes(raw)) throw new Error(`must be one of ${values.join(", ")}`);
    return raw as T;
  };

const entry = <T>(env: string, def: string, parse: Parser<T>, doc: string): Entry<T> => ({
  env,
  default: def,
  parse,
  doc,
});

export const configSchema = {
  namespace: entry(
    "MINGBAI_NAMESPACE",
    "mingbai",
    str(/^[a-z][a-z0-9_]{0,30}$/),
    "Moleculer namespace; also prefixes JetStream streams and database names",
  ),
  nodeId: entry("MINGBAI_NODE_ID", "", str(), "Moleculer node id; empty means hostname-pid"),
  services: entry("SERVICES", "all", str(/^[a-z,]+$/), "Comma-separated services this process runs, or 'all'"),
  mongoUrl: entry(
    "MONGO_URL",
    "mongodb://127.0.0.1:27017/",
    str(/^mongodb(\+srv)?:\/\//),
    "MongoDB (or FerretDB) connection string; each service uses its own database",
  ),
  mongoMaxTimeMs: entry(
    "MONGO_MAX_TIME_MS",
    "60000",
    int(0, 3600000),
    "Server-side time limit of each mongoose find, findOne, count, findOneAnd… and aggregate that sets none; 0 = none",
  ),
  mongoSocketTimeoutMs: entry(
    "MONGO_SOCKET_TIMEOUT_MS",
    "120000",
    int(0, 3600000),
    "The driver fails a request that has had no answer for this long and closes its connection; 0 = never",
  ),
  dbHealthTimeoutMs: entry(
    "DB_HEALTH_TIMEOUT_MS",
    "2000",
    int(100, 2500),
    "A service's database is reported not ready when a one-document read takes longer (under the gateway's 3 s)",
  ),
  dbWatchdogStallSeconds: entry(
    "MINGBAI_DB_WATCHDOG_STALL_S",
    "90",
    int(0, 3600),
    "The launcher restarts the FerretDB it started when a database has not answered a read for this long (a restart fails the requests in flight, so well above what a saturated machine takes); 0 = off",
  ),
  dbWatchdogIntervalSeconds: entry(
    "MINGBAI_DB_WATCHDOG_INTERVAL_S",
    "5",
    int(1, 300),
    "Seconds between two rounds of the launcher's watchdog reads",
  ),
  natsUrl: entry(
    "NATS_URL",
    "nats://127.0.0.1:4222",
    str(/^nats:\/\//),
    "NATS server with JetStream, for service calls and durable events",
  ),
  serviceSecret: entry(
    "MINGBAI_SERVICE_SECRET",
    "mingbai-dev-service-secret",
    str(/^.{16,}$/),
    "Shared secret of the services: system calls over the bus carry an HMAC of it (at least 16 characters; set your own outside a developer's machine)",
  ),
  redisUrl: entry(
    "REDIS_URL",
    "redis://127.0.0.1:6379",
    str(/^rediss?:\/\//),
    "Redis for sessions, locks, rate limits and the socket.io adapter",
  ),
  port: entry("PORT", "3000", int(0, 65535), "HTTP port of the gateway (0 picks a free one)"),
  logLevel: entry(
    "LOG_LEVEL",
    "info",
    oneOf("fatal", "error", "warn", "info", "debug", "trace"),
    "Log level of every broker",
  ),
  bodyLimit: entry("BODY_LIMIT", "256kb", str(/^\d+(b|kb|mb)$/), "Largest JSON request body the gateway accepts"),
  bodyMaxDepth: entry(
    "BODY_MAX_DEPTH",
    "32",
    int(2, 1000),
    "Deepest nesting of objects and arrays in a JSON request body (deeper: 400)",
  ),
  bodyMaxKeys: entry(
    "BODY_MAX_KEYS",
    "10000",
    int(10, 1_000_000),
    "Most keys and array items in one JSON request body (more: 400)",
  ),
  uploadLimitBytes: entry(
    "UPLOAD_LIMIT_BYTES",
    "10485760",
    int(1024, 104857600),
    "Largest uploaded file (for .xlsx imports), in bytes",
  ),
  fileStore: entry(
    "FILE_STORE",
    "local",
    oneOf("local", "s3"),
    "Where attachments are kept: a local directory (FILE_DIR) or an S3-compatible bucket (S3_*)",
  ),
  fileDir: entry(
    "FILE_DIR",
    ".data/files",
    str(),
    "The local file store's directory, relative to the working directory",
  ),
  fileLimitBytes: entry(
    "FILE_LIMIT_BYTES",
    "10485760",
    int(1024, 1073741824),
    "Largest attachment streamed through POST /api/files/:owner (bigger: 413), in bytes",
  ),
  s3Endpoint: entry("S3_ENDPOINT", "", str(/^(https?:\/\/\S+)?$/), "S3 API endpoint (empty = AWS for the region)"),
  s3Region: entry("S3_REGION", "us-east-1", str(), "S3 region of the file store's bucket"),
  s3Bucket: entry(
    "S3_BUCKET",
    "mingbai-files",
    str(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
    "S3 bucket of the file store",
  ),
  s3AccessKeyId: entry("S3_ACCESS_KEY_ID", "", str(), "S3 access key id (empty = the SDK's default credential chain)"),
  s3SecretAccessKey: entry("S3_SECRET_ACCESS_KEY", "", str(), "S3 secret access key"),
  accessTokenMinutes: entry("ACCESS_TOKEN_MINUTES", "15", int(1, 120), "Lifetime of an access token"),
  refreshTokenDays: entry(
    "REFRESH_TOKEN_DAYS",
    "7",
    int(1, 90),
    "Lifetime of a refresh token (a session's absolute limit)",
  ),
  idleTimeoutMinutes: entry(
    "IDLE_TIMEOUT_MINUTES",
    "30",
    int(1, 1440),
    "A session with no request for this long is ended",
  ),
  lockoutFailures: entry(
    "LOCKOUT_FAILURES",
    "5",
    int(1, 100),
    "Failed logins within the lockout window that lock an account",
  ),
  lockoutWindowMinutes: entry(
    "LOCKOUT_WINDOW_MINUTES",
    "15",
    int(1, 1440),
    "Window for counting failed logins, and how long the lock lasts",
  ),
  passwordMinLength: entry("PASSWORD_MIN_LENGTH", "8", int(8, 128), "Minimum password length"),
  passwordRequireClasses: entry(
    "PASSWORD_REQUIRE_CLASSES",
    "3",
    int(1, 4),
    "How many of lower/upper/digit/symbol a password needs (MLPS complexity)",
  ),
  passwordMaxAgeDays: entry(
    "PASSWORD_MAX_AGE_DAYS",
    "0",
    int(0, 3650),
    "Force a password change after this many days; 0 = never (ASVS advice)",
  ),
  loginRateLimit: entry("LOGIN_RATE_LIMIT", "20", int(1, 10000), "Login attempts per minute per client IP"),
  loginAccountSlowdownFailures: entry(
    "LOGIN_ACCOUNT_SLOWDOWN_FAILURES",
    "20",
    int(2, 100000),
    "Wrong passwords for one account from all IPs within the lockout window after which IPs it never signed in from get one attempt a minute",
  ),
  trustedProxies: entry(
    "TRUSTED_PROXIES",
    "",
    str(/^[0-9a-fA-F.:/,\s]*$/),
    "Comma-separated addresses or CIDR ranges of the reverse proxies (the Ingress) whose X-Forwarded-For names the client; empty = trust none",
  ),
  timezone: entry("TZ_CALENDAR", "Asia/Shanghai", str(), "Time zone for calendar facts (work days, weeks, months)"),
  smsProvider: entry(
    "SMS_PROVIDER",
    "none",
    oneOf("none", "twilio"),
    "Who sends SMS reminders; 'none' keeps reminders in-app only",
  ),
  twilioAccountSid: entry("TWILIO_ACCOUNT_SID", "", str(/^(AC[0-9a-fA-F]{32})?$/), "Twilio account SID (AC…)"),
  twilioAuthToken: entry("TWILIO_AUTH_TOKEN", "", str(), "Twilio auth token; also checks status-callback signatures"),
  twilioFrom: entry(
    "TWILIO_FROM",
    "",
    str(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})?$/),
    "Sender: an E.164 number or a Messaging Service SID (MG…)",
  ),
  twilioStatusCallbackUrl: entry(
    "TWILIO_STATUS_CALLBACK_URL",
    "",
    str(/^(https?:\/\/\S+)?$/),
    "Public URL of the gateway's /api/sms/status route, exactly as Twilio will post to it",
  ),
  twilioApiBaseUrl: entry(
    "TWILIO_API_BASE_URL",
    "",
    str(/^(https?:\/\/[^/\s]+)?$/),
    "Send Twilio API requests to this origin instead (a proxy, or the local fake in tests); empty = Twilio",
  ),
  smsPerMinuteLimit: entry(
    "SMS_PER_MINUTE_LIMIT",
    "60",
    int(0, 100000),
    "Most SMS sent per minute across all replicas (protects the account); 0 = no limit",
  ),
  smsTimeoutMs: entry("SMS_TIMEOUT_MS", "10000", int(100, 120000), "Timeout of one provider request"),
  smsMaxAttempts: entry("SMS_MAX_ATTEMPTS", "4", int(1, 10), "Attempts per SMS for transient provider errors"),
  smsRetryBaseMs: entry(
    "SMS_RETRY_BASE_MS",
    "1000",
    int(1, 60000),
    "First retry delay; doubled on each further attempt (with jitter)",
  ),
  smsConcurrency: entry("SMS_CONCURRENCY", "10", int(1, 200), "SMS requests in flight at once per replica"),
  smsPendingRecheckMinutes: entry(
    "SMS_PENDING_RECHECK_MINUTES",
    "10",
    int(1, 1440),
    "A message still pending after this long is checked at the provider, then adopted or sent",
  ),
  quietHoursStart: entry(
    "QUIET_HOURS_START",
    "21:00",
    str(/^([01]\d|2[0-3]):[0-5]\d$/),
    "Local time from which no reminder is sent",
  ),
  quietHoursEnd: entry(
    "QUIET_HOURS_END",
    "08:00",
    str(/^([01]\d|2[0-3]):[0-5]\d$/),
    "Local time until which no reminder is sent",
  ),
  remindersCron: entry(
    "REMINDERS_CRON",
    "*/5 * * * *",
    str(),
    "node-cron schedule of the reminder run (Asia/Shanghai); empty = no schedule",
  ),
  streamMaxAgeDays: entry(
    "STREAM_MAX_AGE_DAYS",
    "30",
    int(1, 3650),
    "Days a durable event stays in its JetStream stream, consumed or not",
  ),
  streamMaxMb: entry(
    "STREAM_MAX_MB",
    "0",
    int(0, 1_048_576),
    "Largest size of one durable channel's JetStream stream, in MiB (the oldest events go first); 0 = no limit. JetStream reserves this much storage per stream when the stream is created",
  ),
  channelMaxRetries: entry(
    "CHANNEL_MAX_RETRIES",
    "10",
    int(0, 1000),
    "Failed redeliveries of a durable event before it goes to its channel's dead-letter stream (audit entries and staff changes are retried until they succeed)",
  ),
  channelRetryBaseMs: entry(
    "CHANNEL_RETRY_BASE_MS",
    "1000",
    int(1, 600000),
    "Delay before a failed durable event is redelivered the first time; doubled on each further redelivery",
  ),
  channelRetryMaxMs: entry(
    "CHANNEL_RETRY_MAX_MS",
    "60000",
    int(1, 3600000),
    "Longest delay between two redeliveries of a failed durable event",
  ),
  webRoot: entry(
    "WEB_ROOT",
    "web/dist",
    str(),
    "Folder of the built web client that the gateway serves, relative to the working directory",
  ),
} satisfies Record<string, Entry<unknown>>;

type Schema = typeof configSchema;
export type Config = { [K in keyof Schema]: Schema[K] extends Entry<infer T> ? T : never };

export class ConfigError extends Error {}

/** Read and validate the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, e] of Object.entries(configSchema) as [string, Entry<unknown>][]) {
    const raw = env[e.env] ?? e.default;
    try {
      out[key] = e.parse(raw);
    } catch (err) {
      throw new ConfigError(`Invalid ${e.env}=${JSON.stringify(raw)}: ${(err as Error).message}. (${e.doc})`);
    }
  }
  return out as Config;
}

let cached: Config | undefined;
/** The process-wide configuration, loaded once. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
