// Files as Blobs (schema v5): out of the event rows, once per content (SHA-256), shared by every
// event and conversation holding the same bytes, freed with the last conversation that does;
// a write that hits the quota leaves nothing half-written; export/import carry and check them.
import {
  DexieSessionStore,
  exportConversation,
  getStorageEstimate,
  importConversation,
  SessionManager,
  StorageQuotaError,
} from '@ai-session-manager/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { uniqueDbName } from '../../helpers.ts';

const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PNG = `data:image/png;base64,${PNG_B64}`;
const image = { type: 'file', mediaType: 'image/png', filename: 'dot.png', url: PNG };
const withImage = (text: string) => ({ parts: [{ type: 'text', text }, image] });

const open = () => new DexieSessionStore({ name: uniqueDbName('files') });

afterEach(() => vi.restoreAllMocks());

describe('attachments are Blobs apart from the event rows', () => {
  it('the row holds a reference, the Blob the bytes; reads give the data URL back', async () => {
    const store = open();
    const sm = new SessionManager({ store });
    await sm.userSays('look', {}, withImage('look'));
    const [row] = await store.db.events.toArray();
    expect(JSON.stringify(row)).not.toContain(PNG_B64);
    expect(row!.parts![1]!.url).toMatch(/^attachment:sha256-[0-9a-f]{64}$/);
    const [file] = await store.db.attachments.toArray();
    expect(file!.blob).toBeInstanceOf(Blob);
    expect(file).toMatchObject({ mediaType: 'image/png', size: 70 });
    // Another handle (another tab, a reload) reads it back whole.
    const reopened = new DexieSessionStore({ name: store.name });
    expect((await reopened.getEvents(sm.sessionId))[0]!.parts).toEqual([
      { type: 'text', text: 'look' },
      image,
    ]);
  });

  it('one Blob per content across messages, conversations and forks; freed with the last conversation', async () => {
    const store = open();
    const a = new SessionManager({ store });
    await a.userSays('one', {}, withImage('one'));
    await a.userSays('two', {}, withImage('two'));
    const b = new SessionManager({ store });
    await b.userSays('three', {}, withImage('three'));
    expect(await store.attachmentUsage()).toEqual({ count: 1, bytes: 70 });
    await store.deleteConversation(a.conversationId);
    expect(await store.attachmentUsage()).toEqual({ count: 1, bytes: 70 });
    expect((await b.getEvents())[0]!.parts![1]).toEqual(image);
    await store.deleteConversation(b.conversationId);
    expect(await store.attachmentUsage()).toEqual({ count: 0, bytes: 0 });
    expect(await store.db.attachmentRoots.count()).toBe(0);
  });

  it('streaming a reply writes its files once, at the end; its flushes never touch attachments', async () => {
    const store = open();
    const sm = new SessionManager({ store });
    await sm.userSays('draw', {}, withImage('draw'));
    const add = vi.spyOn(store.db.attachments, 'bulkAdd');
    const reply = await sm.beginResponse({ flushMs: 1 });
    for (const piece of ['Here ', 'is ', 'one.']) {
      reply.append(piece);
      await new Promise((r) => setTimeout(r, 5));
    }
    await reply.flush();
    expect((await sm.getEvents()).at(-1)!.message).toBe('Here is one.');
    expect(add).not.toHaveBeenCalled();
    const drawn = `data:image/png;base64,${PNG_B64.slice(0, -4)}AAA=`;
    const event = await reply.finish({
      parts: [
        { type: 'text', text: 'Here is one.' },
        { type: 'file', mediaType: 'image/png', url: drawn },
      ],
    });
    expect(add).toHaveBeenCalledTimes(1);
    expect(event.parts![1]!.url).toBe(drawn);
    expect((await sm.getEvents()).at(-1)!.parts![1]!.url).toBe(drawn);
  });

  it('a write that hits the quota is a StorageQuotaError and leaves nothing behind', async () => {
    const store = open();
    const sm = new SessionManager({ store });
    await sm.userSays('before');
    const before = await store.getHead(sm.conversationId);
    vi.spyOn(store.db.attachments, 'bulkAdd').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    await expect(sm.userSays('big', {}, withImage('big'))).rejects.toBeInstanceOf(StorageQuotaError);
    expect(await store.db.events.count()).toBe(1);
    expect(await store.db.attachmentRoots.count()).toBe(0);
    expect((await store.getHead(sm.conversationId))!.totals).toEqual(before!.totals);
  });

  it('getStorageEstimate counts the files once', async () => {
    const store = open();
    const sm = new SessionManager({ store });
    await sm.userSays('a', {}, withImage('a'));
    await sm.userSays('b', {}, withImage('b'));
    vi.stubGlobal('navigator', {
      storage: { estimate: async () => ({ usage: 1000, quota: 10_000 }), persisted: async () => false },
    });
    try {
      expect(await getStorageEstimate({ store })).toEqual({
        usage: 1000,
        quota: 10_000,
        persisted: false,
        attachments: { count: 1, bytes: 70 },
      });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('export and import carry the files', () => {
  async function conversation() {
    const store = open();
    const sm = new SessionManager({ store });
    await sm.userSays('look', {}, withImage('look'));
    await sm.aiResponds('A dot.');
    return { store, sm };
  }

  it('inside the JSON, listed with hash and size; a fresh profile reads them back', async () => {
    const { store, sm } = await conversation();
    const doc = await exportConversation(sm.conversationId, { store });
    expect(doc.version).toBe(3);
    expect(doc.attachments).toEqual([
      { hash: expect.stringMatching(/^[0-9a-f]{64}$/), mediaType: 'image/png', size: 70, included: true },
    ]);
    const fresh = open();
    await importConversation(JSON.parse(JSON.stringify(doc)), { store: fresh });
    expect((await fresh.getEvents(sm.sessionId))[0]!.parts![1]).toEqual(image);
    expect(await fresh.attachmentUsage()).toEqual({ count: 1, bytes: 70 });
  });

  it('without them: parts reference the hash; the same profile resolves them, a fresh one keeps the reference', async () => {
    const { store, sm } = await conversation();
    const doc = await exportConversation(sm.conversationId, { store, attachments: false });
    expect(JSON.stringify(doc)).not.toContain(PNG_B64);
    expect(doc.attachments![0]!.included).toBe(false);
    const copy = await importConversation(doc, { store, newIds: true });
    const copied = await store.getEvents(copy.headSessionId);
    expect(copied[0]!.parts![1]).toEqual(image);
    // The copy holds the Blob too: deleting the original keeps it.
    await store.deleteConversation(sm.conversationId);
    expect(await store.attachmentUsage()).toEqual({ count: 1, bytes: 70 });
    const fresh = open();
    await importConversation(doc, { store: fresh });
    expect((await fresh.getEvents(sm.sessionId))[0]!.parts![1]!.url).toMatch(/^attachment:sha256-/);
  });

  it('refuses a damaged file with its path, writing nothing', async () => {
    const { store, sm } = await conversation();
    const doc = await exportConversation(sm.conversationId, { store });
    const withUrl = (url: string, mediaType = 'image/png') => {
      const copy = structuredClone(doc);
      copy.events[0]!.parts![1] = { ...image, url, mediaType };
      return copy;
    };
    const fresh = open();
    const cases: [unknown, RegExp, object?][] = [
      [withUrl(PNG, 'image/jpeg'), /the data is image\/png, the part says image\/jpeg/],
      [withUrl('data:image/png;base64,@@@'), /not base64/],
      [
        withUrl(`data:image/png;base64,${PNG_B64.replace('iVBOR', 'iVBOQ')}`),
        /not a file the document lists/,
      ],
      [doc, /more than the 10 allowed/, { maxAttachmentBytes: 10 }],
    ];
    for (const [input, message, options] of cases) {
      await expect(importConversation(input, { store: fresh, ...options })).rejects.toMatchObject({
        name: 'InvalidInputError',
        path: 'events[0].parts[1].url',
        message: expect.stringMatching(message),
      });
    }
    expect(await fresh.listConversations()).toEqual([]);
    expect(await fresh.attachmentUsage()).toEqual({ count: 0, bytes: 0 });
  });
});

describe('a data URL with parameters reads back exactly', () => {
  it('keeps its header (charset) through the Blob, a reload and export without files', async () => {
    const store = open();
    const sm = new SessionManager({ store });
    const text = {
      type: 'file',
      mediaType: 'text/plain',
      filename: 'a.txt',
      url: `data:text/plain;charset=utf-8;base64,${btoa('héllo')}`,
    };
    await sm.userSays('notes', {}, { parts: [{ type: 'text', text: 'notes' }, text, image] });
    const reopened = new DexieSessionStore({ name: store.name });
    expect((await reopened.getEvents(sm.sessionId))[0]!.parts).toEqual([
      { type: 'text', text: 'notes' },
      text,
      image,
    ]);
    const doc = await exportConversation(sm.conversationId, { store, attachments: false });
    const copy = await importConversation(doc, { store: reopened, newIds: true });
    expect((await reopened.getEvents(copy.headSessionId))[0]!.parts![1]).toEqual(text);
  });
});

describe('bad input around parts and files is refused, nothing half-written', () => {
  it('finish/abort with bad parts reject and leave the reply streaming; a corrected finish then works', async () => {
    const store = open();
    const sm = new SessionManager({ store });
    await sm.userSays('q');
    const reply = await sm.beginResponse({ flushMs: 1 });
    reply.append('partial');
    await expect(reply.finish({ parts: 'nope' as never })).rejects.toMatchObject({
      name: 'InvalidInputError',
    });
    await expect(reply.abort('x', { parts: [{ type: 7 }] as never })).rejects.toMatchObject({
      name: 'InvalidInputError',
    });
    expect(reply.status).toBe('streaming');
    const done = await reply.finish({ parts: [{ type: 'text', text: 'partial' }, image] });
    expect(done.parts![1]).toEqual(image);
    expect((await sm.getStats()).aiMessages).toBe(1);
  });

  it('export and import options are checked', async () => {
    const store = open();
    const sm = new SessionManager({ store });
    await sm.userSays('q', {}, withImage('q'));
    await expect(
      exportConversation(sm.conversationId, { store, attachments: 'no' as never }),
    ).rejects.toMatchObject({
      name: 'InvalidInputError',
      path: 'options.attachments',
    });
    const doc = await exportConversation(sm.conversationId, { store });
    for (const bad of [-1, 1.5, '10']) {
      await expect(
        importConversation(doc, { store: open(), maxAttachmentBytes: bad as never }),
      ).rejects.toMatchObject({ name: 'InvalidInputError', path: 'options.maxAttachmentBytes' });
    }
    // A listed file whose entry disagrees with the bytes (size) is refused too.
    const wrong = structuredClone(doc);
    wrong.attachments![0]!.size = 71;
    const fresh = open();
    await expect(importConversation(wrong, { store: fresh })).rejects.toMatchObject({
      path: 'events[0].parts[1].url',
    });
    expect(await fresh.listConversations()).toEqual([]);
  });
});
