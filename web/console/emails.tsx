/** The email outbox: what the email adapter sent (locally, the local outbox), filterable by recipient. */
import { api, query, type Page } from "../shared/api";
import type { SentEmail } from "../shared/api-types";
import { formatDate } from "../shared/format";
import { navigate, type Location } from "../shared/router";
import { Button, Loading, ProblemNotice, formValues, useLoad } from "../shared/ui";

export function EmailsPage({ where }: { where: Location }) {
  const to = where.query.get("to") ?? "";
  const list = useLoad(
    () => api<Page<SentEmail>>(`/v1/admin/emails${query({ to, limit: 50 })}`, { cache: "no-store" }),
    [to],
  );
  return (
    <section class="stack">
      <h1>Email outbox</h1>
      <form
        role="search"
        class="row"
        onSubmit={(event) => navigate(`/admin/emails${query({ to: formValues(event).to?.trim() })}`)}
      >
        <div class="field">
          <label for="to">Recipient</label>
          <input id="to" name="to" type="search" defaultValue={to} />
        </div>
        <Button type="submit" kind="secondary">
          Filter
        </Button>
      </form>
      {list.loading ? <Loading label="Loading emails…" /> : null}
      {list.error ? <ProblemNotice error={list.error} /> : null}
      {list.data && list.data.data.length === 0 ? <p>No emails.</p> : null}
      <ul class="stack">
        {list.data?.data.map((email) => (
          <li key={email.id}>
            <details>
              <summary>
                <strong>{email.subject}</strong> — to {email.to}, {formatDate(email.createdAt)}
              </summary>
              <pre>{email.text}</pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
