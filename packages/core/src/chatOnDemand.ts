// The chunk SessionManager loads on the first streamed reply or branch call.
import type { ChatKit } from './chatKit';
import { setKit } from './streaming/kit';

export {
  editMessage,
  getActivePathStats,
  getAlternatives,
  regenerate,
  selectAlternative,
} from './branches/branchActions';
export { beginResponse, discardResponse, resumeResponse } from './streaming/replyActions';

/** Hand the chunk the up-front functions it uses; returns the chunk. */
export function withKit<T>(kit: ChatKit, chunk: T): T {
  setKit(kit);
  return chunk;
}
