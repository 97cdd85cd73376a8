// Streaming replies and branches: loaded by SessionManager on first use (one dynamic import),
// and the `@ai-session-manager/core/chat` entry for apps and the React hooks.
export {
  activeMessageIds,
  activePath,
  branchParents,
  isBranchNode,
  versionGroup,
  versionsByGroup,
} from './branches/activePath';
export { BranchError, ReplyStateError } from './errors';
export { lessCountedCompletion } from './streaming/billedOnce';
export {
  editMessage,
  getActivePathStats,
  getAlternatives,
  regenerate,
  selectAlternative,
} from './branches/branchActions';
export type { Alternatives, EditResult } from './branches/branchActions';
export { beginResponse, discardResponse, resumeResponse } from './streaming/replyActions';
export type { BeginResponseOptions } from './streaming/replyActions';
export { isFinished, replyStatus } from './streaming/replyStatus';
export type { ReplyStatus } from './streaming/replyStatus';
export {
  DEFAULT_FLUSH_MS,
  DEFAULT_LEASE_MS,
  ResponseStream,
} from './streaming/responseStream';
export type { FinishResponseOptions, ResponseStatus, StreamTiming } from './streaming/responseStream';

// This entry may be used without SessionManager having loaded the chunk: hand it its kit now.
import { chatKit } from './chatKit';
import { setKit } from './streaming/kit';

setKit(chatKit);
