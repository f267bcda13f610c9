// Types of scripts/build.mjs, for the TypeScript that imports it (src/bench/run.ts).
export const ROOT: string;
export const DIST: string;
/** The current build's folder, or null when there is none or a source changed since. */
export function freshBuild(): string | null;
/** Builds the bundle and makes it current; returns its folder. */
export function build(): Promise<string>;
