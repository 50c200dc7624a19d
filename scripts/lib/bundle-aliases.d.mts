export function bundleAliases(configPath?: string): { find: RegExp; replacement: string }[];
