/** Messages on the JOBS queue: domain events relayed from the outbox, each with a unique id. */
export interface JobMessage {
  /** Unique event id: consumers record it to make redelivery harmless. */
  id: string;
  type: string;
  /** Version of `data`'s schema for this type; a consumer refuses versions it does not know. */
  version: number;
  occurredAt: number;
  data: Record<string, unknown>;
  /** W3C traceparent of the request or message that produced it: the consumer continues that trace. */
  traceparent?: string;
}

/** A queue may hold anything (a replayed or hand-sent message): check the envelope before use. */
export function isJobMessage(value: unknown): value is JobMessage {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<JobMessage>;
  return (
    typeof candidate.id === "string" &&
    candidate.id.length > 0 &&
    typeof candidate.type === "string" &&
    Number.isInteger(candidate.version) &&
    typeof candidate.occurredAt === "number" &&
    typeof candidate.data === "object" &&
    candidate.data !== null
  );
}
