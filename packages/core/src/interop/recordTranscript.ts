// The shared back half of every "from" converter: each format is first read and checked into
// steps (so bad input throws before anything is written), then the steps are recorded here.
import { SessionManager, type SessionManagerOptions } from '../session/sessionManager.ts';
import { objectArg } from '../domain/validate.ts';
import type { TranscriptStep } from './transcriptSteps.ts';

export interface FromConverterOptions extends SessionManagerOptions {
  /** Record into this manager; without one, a new SessionManager is made from the other options. */
  manager?: SessionManager;
}

/**
 * Record `steps` and resolve to the manager used. System messages become the system prompt
 * (joined, in order) rather than events, since a session keeps its system prompt on the segment.
 */
export async function recordTranscript(
  steps: TranscriptStep[],
  options: FromConverterOptions | undefined,
): Promise<SessionManager> {
  const { manager: given, ...managerOptions } = objectArg<FromConverterOptions>(options, 'options');
  const manager = given ?? new SessionManager(managerOptions);
  const system = steps.filter((s) => s.kind === 'system').map((s) => s.text);
  if (system.length) await manager.updateSystemPrompt(system.join('\n\n'));
  for (const step of steps) {
    if (step.kind === 'system') continue;
    const parts = step.parts ? { parts: step.parts } : {};
    if (step.kind === 'user') await manager.userSays(step.text, step.link, parts);
    else if (step.kind === 'assistant') {
      await manager.aiResponds(step.text, {
        ...step.link,
        ...step.metadata,
        ...parts,
        eventId: step.eventId,
      });
    } else {
      await manager.toolUsed(step.name, step.input, step.error === null ? step.output : null, {
        ...step.link,
        ...step.metadata,
        ...parts,
        error: step.error,
        toolCallId: step.toolCallId,
        ...(step.parentEventId === undefined ? {} : { parentEventId: step.parentEventId }),
      });
    }
  }
  return manager;
}
