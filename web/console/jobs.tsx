/** Failed jobs (dead letters and retries) with replay. */
import { api, type Page } from "../shared/api";
import type { FailedJob } from "../shared/api-types";
import { formatDate } from "../shared/format";
import { Button, Loading, ProblemNotice, useAction, useLoad } from "../shared/ui";

function JobRow({ job, onDone }: { job: FailedJob; onDone: () => void }) {
  const replay = useAction(async () => {
    await api(`/v1/admin/jobs/failed/${encodeURIComponent(job.id)}/replay`, { method: "POST" });
    onDone();
  });
  return (
    <tr>
      <td>
        {job.type}
        <br />
        <small class="muted">{job.id}</small>
      </td>
      <td>{job.status}</td>
      <td class="num">{job.attempts}</td>
      <td>{job.lastError ?? "—"}</td>
      <td>{formatDate(job.updatedAt)}</td>
      <td>
        {job.status === "dead" ? (
          <Button
            kind="secondary"
            busy={replay.busy}
            busyLabel="Replaying…"
            onClick={() => void replay.run()}
            aria-label={`Replay ${job.id}`}
          >
            Replay
          </Button>
        ) : null}
        {replay.error ? <ProblemNotice error={replay.error} /> : null}
      </td>
    </tr>
  );
}

export function JobsPage() {
  const list = useLoad(() => api<Page<FailedJob>>("/v1/admin/jobs/failed?limit=100", { cache: "no-store" }), []);
  return (
    <section class="stack">
      <h1>Failed jobs</h1>
      <div>
        <Button kind="secondary" busy={list.loading} busyLabel="Refreshing…" onClick={list.reload}>
          Refresh
        </Button>
      </div>
      {list.error ? <ProblemNotice error={list.error} /> : null}
      {list.loading && !list.data ? <Loading label="Loading failed jobs…" /> : null}
      {list.data && list.data.data.length === 0 ? <p>No failed jobs. All queues are healthy.</p> : null}
      {list.data?.data.length ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Failed jobs</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Attempts
                </th>
                <th scope="col">Last error</th>
                <th scope="col">Updated</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((job) => (
                <JobRow key={job.id} job={job} onDone={list.reload} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
