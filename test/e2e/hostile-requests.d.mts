export interface HostileRequest {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status?: number;
  below500?: boolean;
}
export const HOSTILE_REQUESTS: HostileRequest[];
export function hostileAnswerProblems(
  hostile: HostileRequest,
  answer: { status: number; headers: Headers; text: string },
): string[];
export function runHostileSet(baseUrl: string): Promise<string[]>;
