import { describe, expect, it } from "vitest";
import { SECTION_PERMISSIONS, type Section } from "../../web/console/permissions";
import { callJson } from "../helpers/http";

// the endpoint each console section's page lists from
const LISTS: Record<Section, string> = {
  orders: "/v1/admin/orders",
  inventory: "/v1/admin/inventory/{sku}",
  products: "/v1/admin/products",
  discounts: "/v1/admin/discounts",
  jobs: "/v1/admin/jobs/failed",
  emails: "/v1/admin/emails",
  metrics: "/v1/admin/metrics",
};

describe("console sections", () => {
  it("are shown to the roles that hold the permission their page's endpoint requires", async () => {
    const { body } = await callJson<{ paths: Record<string, { get?: Record<string, unknown> }> }>("/openapi.json");
    const required = Object.entries(LISTS).map(([section, path]) => [section, body.paths[path]?.get?.["x-permission"]]);
    expect(Object.fromEntries(required)).toEqual(SECTION_PERMISSIONS);
  });
});
