export function renderContract(): string;
export function renderServedDocument(): string;
