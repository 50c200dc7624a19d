/**
 * The test provider's authentication page: where `nextAction.url` sends a buyer whose
 * payment needs 3-D Secure, when PAYMENT_PROVIDER is `test`. It offers "Complete" and "Fail" (plain
 * forms, no script), decides the charge at the provider, sends the provider's webhook (`?webhook=`
 * queued | before | twice | never) and redirects to the checkout's return URL with
 * `payment_intent=<id>`, as Stripe does. Served only with the test provider and outside production:
 * anywhere else these paths are 404s like any unknown path.
 */
import { Hono, type Context } from "hono";
import { configOf } from "../../env";
import type { AppBindings } from "../../platform/context";
import { NotFoundError } from "../../platform/errors";
import { escapeHtml } from "../email/email.markup";
import { createDatabase } from "../../db/client";
import { authenticationPath, TestPaymentProvider } from "./test-provider";
import { paymentEventBody, sendTestProviderEvent, WEBHOOK_ARRIVALS, type WebhookArrival } from "./test-provider.events";

const CHOICES = ["complete", "fail"] as const;

function providerOf(c: Context<AppBindings>): TestPaymentProvider {
  const config = configOf(c.env);
  if (config.PAYMENT_PROVIDER !== "test" || config.APP_ENV === "production")
    throw new NotFoundError({ detail: "No route matches this method and path" });
  return new TestPaymentProvider(
    createDatabase(c.env.DB),
    c.env.TEST_PAYMENT_WEBHOOK_SECRET,
    Date.now,
    config.PUBLIC_BASE_URL,
  );
}

const arrivalOf = (value: string | undefined): WebhookArrival =>
  (WEBHOOK_ARRIVALS as readonly string[]).includes(value ?? "") ? (value as WebhookArrival) : "queued";

function page(body: string, formAction: string): Response {
  const csp = `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" ` +
    `content="width=device-width,initial-scale=1"><title>Test bank: authenticate</title></head><body ` +
    `style="font-family:system-ui;max-width:32rem;margin:3rem auto">${body}</body></html>`;
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": csp,
      "Cache-Control": "no-store",
    },
  });
}

/** The form may post here and the answer may redirect to the return URL's origin (browsers apply form-action to that redirect). */
const formActionFor = (returnUrl: string | null) =>
  ["'self'", ...(returnUrl ? [new URL(returnUrl).origin] : [])].join(" ");

export const testProviderPages = new Hono<AppBindings>()
  .get("/test-provider/authenticate/:paymentId", async (c) => {
    const provider = providerOf(c);
    const paymentId = c.req.param("paymentId");
    const charge = await provider.describeCharge(paymentId);
    if (!charge) throw new NotFoundError({ detail: "No such payment" });
    const webhook = arrivalOf(c.req.query("webhook"));
    const button = (choice: (typeof CHOICES)[number], label: string) =>
      `<form method="post" ` +
      `action="${escapeHtml(authenticationPath(paymentId))}/${choice}?webhook=${webhook}" ` +
      `style="display:inline"><button type="submit" style="font-size:1.1rem;padding:.5rem ` +
      `1.5rem">${label}</button></form>`;
    const waiting = charge.status === "requires_action";
    const body = waiting
      ? `<h1>Test bank</h1><p>Authenticate payment <code>${escapeHtml(paymentId)}</code>? This page ` +
        `exists only with the test payment provider.</p><p>${button("complete", "Complete")} ` +
        `${button("fail", "Fail")}</p>`
      : `<h1>Test bank</h1><p>Payment <code>${escapeHtml(paymentId)}</code> is ` +
        `${escapeHtml(charge.status)}; nothing is left to decide.</p>`;
    return page(body, formActionFor(charge.returnUrl));
  })
  .post("/test-provider/authenticate/:paymentId/:choice", async (c) => {
    const provider = providerOf(c);
    const choice = c.req.param("choice");
    if (!(CHOICES as readonly string[]).includes(choice))
      throw new NotFoundError({ detail: "No route matches this method and path" });
    const paymentId = c.req.param("paymentId");
    const decided = await provider.authenticate(paymentId, choice as (typeof CHOICES)[number]);
    if (!decided) throw new NotFoundError({ detail: "No such payment" });
    // only the click that decided the charge makes the provider speak; a second click sends nothing
    if (decided.changed)
      await sendTestProviderEvent(c.env, paymentEventBody(decided), arrivalOf(c.req.query("webhook")));
    if (!decided.returnUrl)
      return page(`<h1>Test bank</h1><p>Payment ${escapeHtml(decided.status)}. Return to the shop.</p>`, "'self'");
    const back = new URL(decided.returnUrl);
    back.searchParams.set("payment_intent", paymentId);
    return c.redirect(back.toString(), 303);
  });
