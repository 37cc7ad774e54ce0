/** Every service of the platform, in start order. The gateway is listed last. */
export const SERVICE_NAMES = [
  "audit",
  "personnel",
  "accounts",
  "worklog",
  "inbox",
  "plans",
  "info",
  "notices",
  "documents",
  "assessment",
  "pages",
  "reminders",
  "gateway",
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Services that own a database; the gateway's readiness probe asks each of them. */
export const DB_SERVICES: ServiceName[] = [
  "audit",
  "personnel",
  "accounts",
  "worklog",
  "inbox",
  "plans",
  "info",
  "notices",
  "documents",
  "assessment",
  "reminders",
];

/** Services whose actions the gateway exposes: every DB service, plus the stateless page composer. */
export const GATEWAY_SERVICES: ServiceName[] = [...DB_SERVICES, "pages"];
