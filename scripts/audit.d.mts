export function auditVerdict(
  status: number | null,
  stdout: string,
): { verdict: "pass" | "finding" | "unavailable" | "error"; detail: string };
