/** Plots: p50/p95/p99 per route over time, dependency shares, and SLO burn. */
import { useEffect, useState } from "preact/hooks";
import { api, isMissingEndpoint } from "../shared/api";
import { Loading, Notice, ProblemNotice, useLoad } from "../shared/ui";
import { BarChart, LineChart } from "./chart-kinds";
import { busiest, objectivesOf, routesOf, sharesOf, type Sample, type Share } from "./metrics-data";

const POLL_MS = 3_000;
const KEEP = 60;
const COLOURS = { p50: "#0b5cad", p95: "#8a5a00", p99: "#a4161a" };

function useSamples() {
  const [samples, setSamples] = useState<Sample[]>([]);
  const [shares, setShares] = useState<Share[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    let live = true;
    const take = async () => {
      try {
        const report = await api<Record<string, unknown>>("/v1/admin/metrics", { cache: "no-store" });
        if (!live) return;
        setError(undefined);
        setSamples((kept) => [...kept, { at: Date.now(), routes: routesOf(report) }].slice(-KEEP));
        setShares(sharesOf(report));
      } catch (caught) {
        if (live) setError(caught);
      }
    };
    void take();
    const timer = setInterval(() => void take(), POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return { samples, shares, error };
}

function LatencyCharts({ samples }: { samples: Sample[] }) {
  const routes = busiest(samples);
  if (routes.length === 0) return <p>No requests recorded yet.</p>;
  const start = samples[0]?.at ?? 0;
  return (
    <div class="charts" data-testid="latency-charts">
      {routes.map((route) => {
        const rows = samples.flatMap((sample) => {
          const row = sample.routes.find((item) => item.route === route);
          return row ? [{ x: (sample.at - start) / 1000, row }] : [];
        });
        const series = (["p50", "p95", "p99"] as const).map((name) => ({
          name,
          colour: COLOURS[name],
          points: rows.map(({ x, row }) => ({ x, y: row[name] })),
        }));
        return <LineChart key={route} label={route} unit="ms" series={series} />;
      })}
    </div>
  );
}

function SloBurn() {
  const slo = useLoad(() => api<Record<string, unknown>>("/v1/admin/slo", { cache: "no-store" }), []);
  if (slo.loading) return <Loading label="Loading SLOs…" />;
  if (isMissingEndpoint(slo.error)) return <Notice>SLO burn rates are not available on this server yet.</Notice>;
  if (slo.error) return <ProblemNotice error={slo.error} />;
  const objectives = objectivesOf(slo.data ?? {});
  if (objectives.length === 0) return <p>No SLOs defined.</p>;
  const burning = objectives.filter((objective) => objective.burnRate !== null);
  return (
    <>
      {burning.length ? (
        <BarChart
          label="Burn rate (1 = spending the error budget exactly on time)"
          marker={1}
          bars={burning.map((objective) => ({
            name: objective.name,
            value: objective.burnRate ?? 0,
            text: `${(objective.burnRate ?? 0).toFixed(2)}×`,
          }))}
        />
      ) : null}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Service level objectives</caption>
          <thead>
            <tr>
              <th scope="col">Objective</th>
              <th scope="col" class="num">
                Attainment
              </th>
              <th scope="col" class="num">
                Budget left
              </th>
              <th scope="col" class="num">
                Burn rate
              </th>
            </tr>
          </thead>
          <tbody>
            {objectives.map((objective) => (
              <tr key={objective.name}>
                <td>{objective.name}</td>
                <td class="num">
                  {objective.attainment === null ? "—" : `${(objective.attainment * 100).toFixed(2)}%`}
                </td>
                <td class="num">
                  {objective.budgetRemaining === null ? "—" : `${(objective.budgetRemaining * 100).toFixed(1)}%`}
                </td>
                <td class="num">{objective.burnRate === null ? "—" : objective.burnRate.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function MetricsPage() {
  const { samples, shares, error } = useSamples();
  const latest = samples.at(-1)?.routes ?? [];
  return (
    <section class="stack">
      <h1>Metrics</h1>
      <p class="muted">
        Measured by the running service (this isolate), sampled every {POLL_MS / 1000} s while this page is open.
      </p>
      {error ? <ProblemNotice error={error} /> : null}
      <h2>Latency per route</h2>
      {samples.length === 0 && !error ? <Loading label="Loading metrics…" /> : <LatencyCharts samples={samples} />}
      {latest.length ? (
        <details>
          <summary>Latest numbers as a table</summary>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Latency per route</caption>
              <thead>
                <tr>
                  <th scope="col">Route</th>
                  <th scope="col" class="num">
                    Requests
                  </th>
                  <th scope="col" class="num">
                    p50 ms
                  </th>
                  <th scope="col" class="num">
                    p95 ms
                  </th>
                  <th scope="col" class="num">
                    p99 ms
                  </th>
                </tr>
              </thead>
              <tbody>
                {latest.map((row) => (
                  <tr key={row.route}>
                    <td>{row.route}</td>
                    <td class="num">{row.count}</td>
                    <td class="num">{row.p50}</td>
                    <td class="num">{row.p95}</td>
                    <td class="num">{row.p99}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
      <h2>Dependency shares</h2>
      {shares ? (
        <BarChart
          label="Share of request time per dependency"
          max={1}
          bars={shares.map((share) => ({
            name: share.name,
            value: share.share,
            text: `${Math.round(share.share * 100)}%`,
          }))}
        />
      ) : samples.length ? (
        <Notice>Dependency shares are not available on this server yet.</Notice>
      ) : null}
      <h2>SLO burn</h2>
      <SloBurn />
    </section>
  );
}
