// Types for scripts/find-chrome.mjs, shared by scripts/start.mjs and the e2e helpers.

export function candidatePaths(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): string[];
export function findChrome(options?: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform }): { path: string | null; tried: string[] };
export function notFoundMessage(tried: string[]): string;
export function runningAsRoot(): boolean;
export function extensionArgs(extensionDir: string): string[];
