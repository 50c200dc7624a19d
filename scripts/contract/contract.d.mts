export interface Difference {
  code: string;
  sourceSpecEntityDetails: { location: string }[];
  destinationSpecEntityDetails: { location: string }[];
}
export const SNAPSHOT: string;
export function renderContract(): string;
export function diffContracts(
  before: object,
  after: object,
): Promise<{ breaking: Difference[]; nonBreaking: Difference[]; unclassified: Difference[] }>;
export function describe(difference: Difference): string;
