import type { Browser } from "playwright-core";

export function chromiumPath(
  env?: Record<string, string | undefined>,
  exists?: (path: string) => boolean,
  candidates?: (string | undefined)[],
): string;
export function launchChromium(): Promise<Browser>;
