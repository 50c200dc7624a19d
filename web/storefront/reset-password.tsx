/** /reset-password?token=…: the page the reset email links to. */
import { useState } from "preact/hooks";
import { api } from "../shared/api";
import { Button, Field, Notice, ProblemNotice, formValues, useAction } from "../shared/ui";

export function ResetPasswordPage({ token }: { token: string }) {
  const [done, setDone] = useState(false);
  const [mismatch, setMismatch] = useState(false);
  const reset = useAction(async (values: Record<string, string>) => {
    const [typed, repeated] = [values["new-password"] ?? "", values["confirm-password"] ?? ""];
    const differ = typed !== repeated; // the user's own two entries, compared in their browser
    setMismatch(differ);
    if (differ) return;
    await api("/v1/auth/password/reset", { method: "POST", json: { token, password: typed } });
    setDone(true);
  });
  if (!token)
    return (
      <Notice kind="error">
        This reset link is incomplete. Ask for a new one on the <a href="/account">account page</a>.
      </Notice>
    );
  if (done) {
    return (
      <section>
        <h1>Password changed</h1>
        <Notice kind="success">
          Your password was changed and you were signed out everywhere. <a href="/account">Sign in</a> with the new
          password.
        </Notice>
      </section>
    );
  }
  return (
    <section>
      <h1>Choose a new password</h1>
      <form class="stack" onSubmit={(event) => void reset.run(formValues(event))}>
        <Field
          label="New password"
          id="new-password"
          type="password"
          autocomplete="new-password"
          required
          minLength={10}
          hint="At least 10 characters."
        />
        <Field
          label="Repeat the new password"
          id="confirm-password"
          type="password"
          autocomplete="new-password"
          required
          error={mismatch ? "The two passwords differ" : undefined}
        />
        <div>
          <Button type="submit" busy={reset.busy} busyLabel="Saving…">
            Change password
          </Button>
        </div>
        {reset.error ? <ProblemNotice error={reset.error} /> : null}
      </form>
    </section>
  );
}
