// `npm run audit`: `npm audit --omit=dev --audit-level=high`, where a finding always fails, and
// the audit service being out of reach (no network, or a registry mirror without the advisory
// endpoint) is reported and tolerated — unless AUDIT_REQUIRED=1, which GitHub CI sets, since it
// has the network. Why: docs/operations.md, "Security checks".
import { spawnSync } from "node:child_process";

const NETWORK =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up|network/i;

/** @returns {{ verdict: "pass" | "finding" | "unavailable" | "error", detail: string }} */
export function auditVerdict(status, stdout) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    return { verdict: "error", detail: `npm audit printed no JSON (exit ${status})` };
  }
  if (report.auditReportVersion) {
    const counts = report.metadata?.vulnerabilities ?? {};
    const serious = (counts.high ?? 0) + (counts.critical ?? 0);
    if (serious > 0) {
      const names = Object.values(report.vulnerabilities ?? {})
        .filter((v) => ["high", "critical"].includes(v.severity))
        .map((v) => `${v.name} (${v.severity})`);
      return { verdict: "finding", detail: `${serious} high or critical: ${names.join(", ")}` };
    }
    return status === 0
      ? { verdict: "pass", detail: `no high or critical advisory (${counts.total ?? 0} lower)` }
      : { verdict: "error", detail: `npm audit exited ${status}` };
  }
  const message = String(report.message ?? report.error?.summary ?? "");
  const auditEndpoint = /\/-\/npm\/v1\/security\//.test(message + String(report.uri ?? ""));
  if (NETWORK.test(message) || (auditEndpoint && Number(report.statusCode) >= 400))
    return { verdict: "unavailable", detail: message };
  return { verdict: "error", detail: message || `npm audit exited ${status}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];
  const result = spawnSync(npm[0], [...npm.slice(1), "audit", "--omit=dev", "--audit-level=high", "--json"], {
    encoding: "utf8",
  });
  const { verdict, detail } = auditVerdict(result.status, result.stdout);
  if (verdict === "pass") console.log(`audit: ${detail}`);
  else if (verdict === "unavailable" && process.env.AUDIT_REQUIRED !== "1")
    console.warn(
      `audit: SKIPPED, the audit service is out of reach (${detail}); GitHub CI runs it with AUDIT_REQUIRED=1`,
    );
  else {
    console.error(`audit failed (${verdict}): ${detail}`);
    process.exit(1);
  }
}
