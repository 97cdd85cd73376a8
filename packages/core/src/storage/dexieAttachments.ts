// DexieSessionStore's attachments (loaded with the first file it meets): Blobs added in the write transaction that references them,
// released with the last conversation that does, and turned back into data URLs on read (a few
// recent ones cached, so a live query re-reading a window does not re-encode its images).
import { Dexie } from 'dexie';
import type { MessagePart } from '../domain/messageParts.ts';
import type { SessionEvent } from '../domain/types.ts';
import { BoundedCache } from '../tools/boundedCache.ts';
import { hashOf, hasInlineFiles, type MovedFile, referencesIn, withDataUrls } from './attachmentRows.ts';
import { blobDataUrl, moveOutFiles, parseReference } from './fileBytes.ts';
import type { SessionDatabase } from './sessionDatabase.ts';

/** Data URLs kept decoded: about a screenful of images. */
const CACHED_URLS = 32;

export class DexieAttachments {
  private readonly urls = new BoundedCache<string, string>(CACHED_URLS);
  private readonly db: SessionDatabase;

  constructor(db: SessionDatabase) {
    this.db = db;
  }

  /** `parts` as the row stores them, and the files to add (none: parts unchanged). Before the transaction: hashing is async. */
  async prepare(
    parts: MessagePart[] | undefined,
  ): Promise<{ parts: MessagePart[] | undefined; moved: MovedFile[] }> {
    if (!parts || !hasInlineFiles(parts)) return { parts, moved: [] };
    const out = await moveOutFiles(parts);
    for (const file of out.moved) this.urls.set(file.ref, file.dataUrl);
    return out;
  }

  /** Inside a write transaction: store the files not stored yet, and note that `rootId` references them. */
  async add(moved: readonly MovedFile[], rootId: string): Promise<void> {
    if (!moved.length) return;
    const hashes = [...new Set(moved.map((m) => m.hash))];
    const stored = new Set(await this.db.attachments.where('hash').anyOf(hashes).primaryKeys());
    const createdAt = new Date().toISOString();
    const fresh = new Map<string, MovedFile>();
    for (const m of moved) if (!stored.has(m.hash)) fresh.set(m.hash, m);
    if (fresh.size)
      await this.db.attachments.bulkAdd(
        [...fresh.values()].map(({ hash, blob, mediaType, size }) => ({
          hash,
          blob,
          mediaType,
          size,
          createdAt,
        })),
      );
    await this.db.attachmentRoots.bulkPut(hashes.map((hash) => ({ hash, rootId })));
  }

  /**
   * Inside a write transaction: `rootId` references these stored files too (parts imported by
   * reference: a document exported without its files). Files this store lacks stay unresolved.
   */
  async link(hashes: readonly string[], rootId: string): Promise<void> {
    if (!hashes.length) return;
    const stored = await this.db.attachments
      .where('hash')
      .anyOf([...new Set(hashes)])
      .primaryKeys();
    await this.db.attachmentRoots.bulkPut(stored.map((hash) => ({ hash, rootId })));
  }

  /** Inside the delete transaction: drop `rootId`'s references, and each Blob no other conversation references. */
  async release(rootId: string): Promise<void> {
    const refs = await this.db.attachmentRoots.where('rootId').equals(rootId).toArray();
    if (!refs.length) return;
    await this.db.attachmentRoots.bulkDelete(refs.map((r) => [r.hash, r.rootId] as [string, string]));
    for (const { hash } of refs) {
      const others = await this.db.attachmentRoots
        .where('[hash+rootId]')
        .between([hash, Dexie.minKey], [hash, Dexie.maxKey])
        .count();
      if (others === 0) await this.db.attachments.delete(hash);
    }
  }

  /** `events` with their files' data URLs back in place (a file this store lacks stays a reference). */
  async hydrate(events: SessionEvent[]): Promise<SessionEvent[]> {
    const wanted = new Set<string>();
    for (const e of events) for (const ref of referencesIn(e)) wanted.add(ref);
    if (!wanted.size) return events;
    const urls = new Map<string, string>();
    const missing: string[] = [];
    for (const ref of wanted) {
      const url = this.urls.get(ref);
      if (url === undefined) missing.push(ref);
      else urls.set(ref, url);
    }
    const hashes = missing.map(hashOf);
    const rows = missing.length ? await this.db.attachments.bulkGet(hashes) : [];
    for (const [i, row] of rows.entries()) {
      if (!row) continue;
      const ref = missing[i]!;
      const url = await blobDataUrl(row.blob, parseReference(ref, row.mediaType).header);
      this.urls.set(ref, url);
      urls.set(ref, url);
    }
    return events.map((e) => (e.parts ? withDataUrls(e, urls) : e));
  }

  /** How many files are stored and their bytes (each counted once, however many events share it). */
  async usage(): Promise<{ count: number; bytes: number }> {
    let bytes = 0;
    let count = 0;
    await this.db.attachments.each((row) => {
      count += 1;
      bytes += row.size;
    });
    return { count, bytes };
  }
}
