// The security gates fail on a finding: npm audit's verdicts on recorded answers, and secretlint on
// a planted key (assembled at run time, so the repository itself never holds one).
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditVerdict } from "../../scripts/audit.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("npm run audit", () => {
  const report = (high: number, critical = 0) =>
    JSON.stringify({
      auditReportVersion: 2,
      vulnerabilities: high + critical > 0 ? { hono: { name: "hono", severity: critical ? "critical" : "high" } } : {},
      metadata: { vulnerabilities: { info: 0, low: 1, moderate: 0, high, critical, total: 1 + high + critical } },
    });

  it("fails on a high or critical advisory", () => {
    expect(auditVerdict(1, report(1))).toEqual({ verdict: "finding", detail: "1 high or critical: hono (high)" });
    expect(auditVerdict(1, report(0, 1)).verdict).toBe("finding");
  });

  it("passes a report with only lower advisories", () => {
    expect(auditVerdict(0, report(0)).verdict).toBe("pass");
  });

  it("tolerates an unreachable audit service, and only that", () => {
    const refused = JSON.stringify({
      message:
        "request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9",
    });
    const mirror = JSON.stringify({
      message: "405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk",
      statusCode: 405,
      uri: "https://registry.example/-/npm/v1/security/advisories/bulk",
    });
    expect(auditVerdict(1, refused).verdict).toBe("unavailable");
    expect(auditVerdict(1, mirror).verdict).toBe("unavailable");
    expect(auditVerdict(1, JSON.stringify({ message: "ERESOLVE could not resolve" })).verdict).toBe("error");
    expect(auditVerdict(1, "npm ERR! something").verdict).toBe("error");
  });
});

describe("npm run scan:secrets", () => {
  it("fails on a private key committed by mistake", () => {
    const dir = mkdtempSync(join(tmpdir(), "motor-secretlint-"));
    try {
      const { privateKey } = generateKeyPairSync("ec", {
        namedCurve: "P-256",
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      writeFileSync(join(dir, "leak.txt"), `const key = \`${privateKey}\`;\n`);
      const result = spawnSync(
        process.execPath,
        [
          join(ROOT, "node_modules/secretlint/bin/secretlint.js"),
          "--secretlintrc",
          join(ROOT, ".secretlintrc.json"),
          "--maskSecrets",
          join(dir, "leak.txt"),
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      expect(result.status).not.toBe(0);
      expect(result.stdout + result.stderr).toMatch(/PrivateKey/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
