// assistant-ui image and file parts (and a user message's attachments) are stored through core's
// parts: their bytes go to the Blob table once, they count toward the message's context tokens,
// and load() gives the message back as the runtime had it.
import { createThreadHistoryAdapter } from '@ai-session-manager/assistant-ui';
import { DexieSessionStore, SessionManager } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { uniqueDbName } from '../helpers';
import { item, message } from './messages';

const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PNG = `data:image/png;base64,${PNG_B64}`;
const PDF_B64 = btoa('%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF');

describe('assistant-ui files as Blobs', () => {
  it('image and file parts and attachments: stored once, counted, loaded back exactly', async () => {
    const store = new DexieSessionStore({ name: uniqueDbName('aui-files') });
    const adapter = createThreadHistoryAdapter({ store, model: 'gpt-4o' });
    const question = message(
      'u1',
      'user',
      [
        { type: 'text', text: 'What are these?' },
        { type: 'image', image: PNG, filename: 'dot.png' },
        { type: 'file', data: PDF_B64, mimeType: 'application/pdf', filename: 'brief.pdf' },
      ],
      {
        attachments: [
          {
            id: 'att-1',
            type: 'image',
            name: 'dot.png',
            contentType: 'image/png',
            status: { type: 'complete' },
            content: [{ type: 'image', image: PNG }],
          },
        ],
      },
    );
    await adapter.append(item(null, question));
    await adapter.append(
      item('u1', message('a1', 'assistant', [{ type: 'text', text: 'A dot and a brief.' }])),
    );
    await adapter.idle();

    const [row] = await store.db.events.toArray();
    expect(JSON.stringify(row)).not.toContain(PNG_B64);
    expect(JSON.stringify(row)).not.toContain(PDF_B64);
    expect(await store.attachmentUsage()).toMatchObject({ count: 2 });

    const reopened = createThreadHistoryAdapter({
      store: new DexieSessionStore({ name: store.name }),
      conversationId: adapter.conversationId!,
    });
    const repo = await reopened.load();
    const loaded = repo.messages.find((m) => m.message.id === 'u1')!.message;
    expect(loaded.content).toEqual(question.content);
    expect(loaded.attachments).toEqual(question.attachments);

    // The image and the PDF count toward the question's context.
    const manager = await SessionManager.open(adapter.conversationId!, { store });
    const [user] = await manager.getEvents();
    expect(user!.tokenUsage!.mediaTokens).toBeGreaterThan(3000);
  });
});
