/** Fields Mingbai adds to Moleculer's schemas, declared once. */
import type { AuthRule } from "./auth";
import "moleculer-web";

declare module "moleculer" {
  interface ActionSchema {
    /** Who may call this action; enforced by the authz middleware in every service. */
    auth?: AuthRule;
    /** Open to a user who must change their password first (the change itself, sign-out, their account). */
    beforePasswordChange?: boolean;
  }

  /** A durable @moleculer/channels subscription. */
  interface ChannelSchema<TThis> {
    group?: string;
    maxInFlight?: number;
    maxRetries?: number;
    handler: (this: TThis, payload: never, raw?: unknown) => unknown;
  }

  interface ServiceSchema<TSettings, TMethods, TVars, TThis> {
    channels?: Record<string, ChannelSchema<TThis>>;
  }

  /**
   * An action module's table (`export const taskActions: ServiceActionsSchema<This> = {...}`).
   * Moleculer 0.15 declares it only on the `Service` namespace; this names it at the package root.
   */
  type ServiceActionsSchema<TThis = Service> = Service.ServiceActionsSchema<TThis>;
}
