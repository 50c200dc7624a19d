/** Sign in, create an account, forgotten password, and sign out. */
import { useState } from "preact/hooks";
import { api } from "../shared/api";
import type { SessionAnswer } from "../shared/api-types";
import { logout, startSession } from "../shared/session";
import { Button, Field, Notice, ProblemNotice, formValues, useAction, useSession } from "../shared/ui";
import { claimCart } from "./cart-state";

async function signIn(path: string, body: Record<string, string>) {
  startSession(await api<SessionAnswer>(path, { method: "POST", json: body }));
  await claimCart();
}

export function SignInForm({ onDone }: { onDone?: () => void }) {
  const login = useAction(async (values: Record<string, string>) => {
    await signIn("/v1/auth/login", { email: values["login-email"] ?? "", password: values["login-password"] ?? "" });
    onDone?.();
  });
  return (
    <form class="stack" aria-labelledby="login-title" onSubmit={(event) => void login.run(formValues(event))}>
      <h2 id="login-title">Sign in</h2>
      <Field label="Email" id="login-email" type="email" autocomplete="username" required />
      <Field label="Password" id="login-password" type="password" autocomplete="current-password" required />
      <div>
        <Button type="submit" busy={login.busy} busyLabel="Signing in…">
          Sign in
        </Button>
      </div>
      {login.error ? <ProblemNotice error={login.error} /> : null}
    </form>
  );
}

function RegisterForm() {
  const register = useAction((values: Record<string, string>) =>
    signIn("/v1/auth/register", {
      name: values["register-name"] ?? "",
      email: values["register-email"] ?? "",
      password: values["register-password"] ?? "",
    }),
  );
  return (
    <form class="stack" aria-labelledby="register-title" onSubmit={(event) => void register.run(formValues(event))}>
      <h2 id="register-title">Create an account</h2>
      <Field label="Name" id="register-name" autocomplete="name" required />
      <Field label="Email" id="register-email" type="email" autocomplete="email" required />
      <Field
        label="Password"
        id="register-password"
        type="password"
        autocomplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters, not containing your email."
      />
      <div>
        <Button type="submit" busy={register.busy} busyLabel="Creating…">
          Create account
        </Button>
      </div>
      {register.error ? <ProblemNotice error={register.error} /> : null}
    </form>
  );
}

function ForgotForm() {
  const [sent, setSent] = useState(false);
  const forgot = useAction(async (values: Record<string, string>) => {
    await api("/v1/auth/password/forgot", { method: "POST", json: { email: values["forgot-email"] ?? "" } });
    setSent(true);
  });
  return (
    <form class="stack" aria-labelledby="forgot-title" onSubmit={(event) => void forgot.run(formValues(event))}>
      <h2 id="forgot-title">Forgot your password?</h2>
      <Field label="Email" id="forgot-email" type="email" autocomplete="email" required />
      <div>
        <Button type="submit" kind="secondary" busy={forgot.busy} busyLabel="Sending…">
          Email me a reset link
        </Button>
      </div>
      {forgot.error ? <ProblemNotice error={forgot.error} /> : null}
      {sent ? <Notice kind="success">If an account exists for that email, a reset link is on its way.</Notice> : null}
    </form>
  );
}

export function AccountPage() {
  const session = useSession();
  const out = useAction(() => logout());
  if (session) {
    return (
      <section class="stack">
        <h1>My account</h1>
        <p>
          Signed in as <strong>{session.user.name}</strong> ({session.user.email}).
        </p>
        <ul>
          <li>
            <a href="/orders">My orders</a>
          </li>
          {session.user.role !== "customer" ? (
            <li>
              <a href="/admin">Operations console</a>
            </li>
          ) : null}
        </ul>
        <div>
          <Button kind="secondary" busy={out.busy} busyLabel="Signing out…" onClick={() => void out.run()}>
            Sign out
          </Button>
        </div>
      </section>
    );
  }
  return (
    <section>
      <h1>Account</h1>
      <div class="grid account-forms">
        <SignInForm />
        <RegisterForm />
        <ForgotForm />
      </div>
    </section>
  );
}
