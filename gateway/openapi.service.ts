/** The OpenAPI document, generated from the actions' own `params` and `rest` declarations. */
import type { ServiceSchema, ServiceSettingSchema } from "moleculer";
import Openapi from "moleculer-auto-openapi";

const OpenapiService: ServiceSchema<ServiceSettingSchema & Record<string, unknown>> = {
  name: "openapi",
  mixins: [Openapi as unknown as ServiceSchema],
  settings: {
    collectOnlyFromWebServices: ["gateway"],
    openapi: {
      info: { title: "Mingbai 明白 API", version: "0.1.0", description: "干部管理平台 — REST API" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  },
  actions: {
    generateDocs: { auth: "public" },
    ui: { auth: "public" },
    assets: { auth: "public" },
  },
  methods: {
    fetchServicesWithActions() {
      return this.broker.call("$node.services", { withActions: true, onlyAvailable: true });
    },
    fetchAliasesForService(service: string) {
      return this.broker.call(`${service}.listAliases`, {}, { meta: { system: true } });
    },
  },
};

export default OpenapiService;
