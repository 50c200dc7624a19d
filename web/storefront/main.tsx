/** The storefront: one Preact app, routed in the browser; the Worker serves this shell for every store path. */
import "../shared/base.css";
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { interceptLinks, match, useLocation, type Location } from "../shared/router";
import { useFocusOnNavigate, useSession } from "../shared/ui";
import { AccountPage } from "./account";
import { CartPage } from "./cart";
import { loadCart, useCart } from "./cart-state";
import { Catalog } from "./catalog";
import { CheckoutPage } from "./checkout";
import { RETURN_QUERY } from "./checkout-action";
import { OrderHistory, OrderPage } from "./orders";
import { ProductPage } from "./product";
import { ResetPasswordPage } from "./reset-password";

function route(where: Location) {
  const { path, query } = where;
  if (path === "/") return { title: "Shop", view: <Catalog where={where} /> };
  const product = match("/products/:slug", path);
  if (product) return { title: "Product", view: <ProductPage slug={product.slug ?? ""} /> };
  if (path === "/cart") return { title: "Cart", view: <CartPage /> };
  if (path === "/checkout") return { title: "Checkout", view: <CheckoutPage returned={query.has(RETURN_QUERY)} /> };
  if (path === "/orders") return { title: "My orders", view: <OrderHistory /> };
  const order = match("/orders/:id", path);
  if (order) return { title: "Order", view: <OrderPage id={order.id ?? ""} placed={query.get("placed") === "1"} /> };
  if (path === "/account") return { title: "Account", view: <AccountPage /> };
  if (path === "/reset-password")
    return { title: "Reset password", view: <ResetPasswordPage token={query.get("token") ?? ""} /> };
  return {
    title: "Not found",
    view: (
      <p>
        This page does not exist. <a href="/">Back to the shop</a>.
      </p>
    ),
  };
}

const NAV = [
  ["/", "Shop"],
  ["/orders", "Orders"],
  ["/account", "Account"],
] as const;

function App() {
  const where = useLocation();
  const session = useSession();
  const cart = useCart();
  useFocusOnNavigate(where.path);
  useEffect(() => void loadCart().catch(() => undefined), [session?.user.id]);
  const { title, view } = route(where);
  useEffect(() => {
    document.title = `${title} · Motor shop`;
  }, [title]);
  const count = cart?.lines.reduce((sum, line) => sum + line.quantity, 0) ?? 0;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/">
          Motor shop
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([href, label]) => (
              <li key={href}>
                <a href={href} aria-current={where.path === href ? "page" : undefined}>
                  {label}
                </a>
              </li>
            ))}
            <li>
              <a href="/cart" aria-current={where.path === "/cart" ? "page" : undefined} data-testid="cart-link">
                Cart ({count})
              </a>
            </li>
          </ul>
        </nav>
        <span class="muted">{session ? `Hi, ${session.user.name}` : "Guest"}</span>
      </header>
      <main id="main" tabIndex={-1} class="container">
        {view}
      </main>
    </>
  );
}

interceptLinks((path) => !path.startsWith("/admin") && !path.startsWith("/docs") && !path.startsWith("/v1/"));
const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App />, root);
}
