// The chunk SessionManager loads on the first streamed reply or branch call.
import type { ChatKit } from './chatKit.ts';
import { setKit } from './streaming/kit.ts';

export {
  editMessage,
  getActivePathStats,
  getAlternatives,
  regenerate,
  selectAlternative,
} from './branches/branchActions.ts';
export { beginResponse, discardResponse, resumeResponse } from './streaming/replyActions.ts';

/** Hand the chunk the up-front functions it uses; returns the chunk. */
export function withKit<T>(kit: ChatKit, chunk: T): T {
  setKit(kit);
  return chunk;
}
