// A conversation deleted in another tab: every later write of a manager that had it open is a
// ConversationDeletedError naming the conversation (not a SessionNotFoundError about a segment),
// and nothing is written again.
import { ConversationDeletedError, SessionManager } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

describe.each(storeFactories)(
  'writes after another tab deleted the conversation ($kind store)',
  (factory) => {
    it('every write of a manager that had it open is a ConversationDeletedError', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('hello');
      await sm.aiResponds('hi there');
      const [user, reply] = await sm.getEvents();
      const left = await sm.beginResponse();
      const run = await sm.createRun();
      const otherTab = factory.reopen(store);
      await otherTab.deleteConversation(sm.conversationId);
      const writes: [string, () => Promise<unknown>][] = [
        ['userSays', () => sm.userSays('still here?')],
        ['aiResponds', () => sm.aiResponds('yes')],
        ['toolUsed', () => sm.toolUsed('calc', { a: 1 }, 2)],
        ['updateMetadata', () => sm.updateMetadata({ title: 'renamed' })],
        ['updateSystemPrompt', () => sm.updateSystemPrompt('be brief')],
        ['beginResponse', () => sm.beginResponse()],
        ['regenerate', () => sm.regenerate(reply!.id)],
        ['editMessage', () => sm.editMessage(user!.id, 'hello again')],
        ['selectAlternative', () => sm.selectAlternative(user!.id)],
        ['resumeResponse', () => sm.resumeResponse(reply!.id)],
        ['discardResponse', () => sm.discardResponse(left.eventId)],
        ['createRun', () => sm.createRun()],
        ['run.start', () => run.start()],
      ];
      for (const [name, write] of writes) {
        const error = await write().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, name).toBeInstanceOf(ConversationDeletedError);
        expect(error, name).toMatchObject({ conversationId: sm.conversationId });
      }
      expect(await store.getSegments(sm.conversationId)).toEqual([]);
      expect(await store.listConversations()).toEqual([]);
    });

    it('a manager on a later segment (its id is not the conversation id) gets it too', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
      for (let i = 0; i < 3; i++) {
        await sm.userSays(`q${i}`);
        await sm.aiResponds(`a${i}`);
      }
      expect(sm.sessionId).not.toBe(sm.conversationId);
      const other = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      await factory.reopen(store).deleteConversation(other.conversationId);
      await expect(sm.userSays('after')).rejects.toBeInstanceOf(ConversationDeletedError);
      await expect(sm.updateMetadata({ title: 't' })).rejects.toBeInstanceOf(ConversationDeletedError);
      expect(await store.getSession(sm.sessionId)).toBeUndefined();
    });
  },
);
