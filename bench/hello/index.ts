// The baseline: a bare Hono "hello" Worker served exactly like Motor (wrangler dev, same runtime).
// Every scenario's rps is reported as a ratio to this one, measured in the same run.
//
// `/after-d1` answers the same hello at once and then writes to D1 in `waitUntil` (as Motor's
// checkout commits its stock and relays its events after answering). In production the answer
// leaves before that work; the sequential scenario measures how much the local runtime delays it.
import { Hono } from "hono";

const app = new Hono<{ Bindings: { DB: D1Database } }>();
app.get("/", (c) => c.json({ hello: "world" }));
app.get("/after-d1", (c) => {
  c.executionCtx.waitUntil(
    c.env.DB.batch([
      c.env.DB.prepare("CREATE TABLE IF NOT EXISTS after_answer (at INTEGER)"),
      c.env.DB.prepare("INSERT INTO after_answer VALUES (?)").bind(Date.now()),
    ]).then(() =>
      c.env.DB.prepare("DELETE FROM after_answer WHERE at < ?")
        .bind(Date.now() - 60_000)
        .run(),
    ),
  );
  return c.json({ hello: "world" });
});

export default app;
