/** A random UUID v4; available synchronously so ids are known before any write. */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}

/** The current time as ISO 8601 UTC. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** The later of two ISO 8601 UTC timestamps (they sort as strings). */
export function laterIso(a: string, b: string): string {
  return a > b ? a : b;
}
