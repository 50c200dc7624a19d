/** The operations console at /admin: staff and admins only (the API enforces it; the page hides what a role cannot use). */
import "../shared/base.css";
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { interceptLinks, match, useLocation, type Location } from "../shared/router";
import { logout } from "../shared/session";
import { Button, Notice, useAction, useFocusOnNavigate, useSession } from "../shared/ui";
import { SignInForm } from "../storefront/account";
import { DiscountsPage } from "./discounts";
import { EmailsPage } from "./emails";
import { InventoryPage } from "./inventory";
import { JobsPage } from "./jobs";
import { MetricsPage } from "./metrics";
import { OrderDetailPage } from "./order-detail";
import { OrdersPage } from "./orders";
import { canUse, type Section } from "./permissions";
import { ProductsPage } from "./products";

const SECTIONS: [Section, string][] = [
  ["orders", "Orders"],
  ["inventory", "Inventory"],
  ["products", "Products"],
  ["discounts", "Discounts"],
  ["jobs", "Failed jobs"],
  ["emails", "Emails"],
  ["metrics", "Metrics"],
];

function view(section: Section, where: Location) {
  const order = match("/admin/orders/:id", where.path);
  if (order) return <OrderDetailPage id={order.id ?? ""} />;
  switch (section) {
    case "orders":
      return <OrdersPage where={where} />;
    case "inventory":
      return <InventoryPage where={where} />;
    case "products":
      return <ProductsPage where={where} />;
    case "discounts":
      return <DiscountsPage />;
    case "jobs":
      return <JobsPage />;
    case "emails":
      return <EmailsPage where={where} />;
    case "metrics":
      return <MetricsPage />;
  }
}

function App() {
  const where = useLocation();
  const session = useSession();
  const out = useAction(() => logout());
  useFocusOnNavigate(where.path);
  const section = (where.path.split("/")[2] || "orders") as Section;
  const label = SECTIONS.find(([key]) => key === section)?.[1] ?? "Console";
  useEffect(() => {
    document.title = `${label} · Motor console`;
  }, [label]);
  const role = session?.user.role;
  let content;
  if (!session || !role)
    content = (
      <div class="stack">
        <h1>Operations console</h1>
        <p>Staff and admins only.</p>
        <SignInForm />
      </div>
    );
  else if (role === "customer")
    content = <Notice kind="error">This account is a customer account; the console is for staff and admins.</Notice>;
  else if (!SECTIONS.some(([key]) => key === section))
    content = (
      <p>
        No such page. <a href="/admin">Back to orders</a>.
      </p>
    );
  else if (!canUse(role, section))
    content = (
      <Notice kind="error">
        Your role ({role}) cannot use {label.toLowerCase()}.
      </Notice>
    );
  else content = view(section, where);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/admin">
          Motor console
        </a>
        {role && role !== "customer" ? (
          <nav aria-label="Console">
            <ul>
              {SECTIONS.filter(([key]) => canUse(role, key)).map(([key, text]) => (
                <li key={key}>
                  <a href={`/admin/${key}`} aria-current={key === section ? "page" : undefined}>
                    {text}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {session ? (
          <span class="row">
            <span class="muted">
              {session.user.email} ({session.user.role})
            </span>
            <Button kind="secondary" busy={out.busy} onClick={() => void out.run()}>
              Sign out
            </Button>
          </span>
        ) : (
          <a href="/">Shop</a>
        )}
      </header>
      <main id="main" tabIndex={-1} class="container">
        {content}
      </main>
    </>
  );
}

interceptLinks((path) => path === "/admin" || path.startsWith("/admin/"));
const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App />, root);
}
