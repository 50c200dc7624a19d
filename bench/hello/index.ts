// The baseline: a bare Hono "hello" Worker served exactly like Motor (wrangler dev, same runtime).
// Every scenario's rps is reported as a ratio to this one, measured in the same run.
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.json({ hello: "world" }));

export default app;
