/** Messages on the JOBS queue: domain events relayed from the outbox, each with a unique id. */
export interface JobMessage {
  /** Unique event id: consumers record it to make redelivery harmless. */
  id: string;
  type: string;
  version: number;
  occurredAt: number;
  data: Record<string, unknown>;
}
