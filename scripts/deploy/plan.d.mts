export interface PlanOptions {
  env: string;
  tag: string;
  message: string;
  percent?: number;
  version?: string;
}
export function parsePercent(value: string): number;
export function migrate(options: PlanOptions): string[];
export function upload(options: PlanOptions): string[];
export function currentDeployment(options: PlanOptions): string[];
export function split(options: PlanOptions & { percent: number }, newVersion: string, currentVersion: string): string[];
export function promote(options: PlanOptions): string[];
export function rollback(options: PlanOptions): string[];
export function uploadedVersionId(output: string): string;
export function servingVersionId(json: string): string;
