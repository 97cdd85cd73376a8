// Streaming replies and branches: loaded by SessionManager on first use (one dynamic import),
// and the `@ai-session-manager/core/chat` entry for apps and the React hooks.
export {
  activeMessageIds,
  activePath,
  branchParents,
  isBranchNode,
  versionGroup,
  versionsByGroup,
} from './domain/activePath.ts';
export { BranchError, ReplyStateError } from './domain/errors.ts';
export { lessCountedCompletion } from './streaming/billedOnce.ts';
export {
  editMessage,
  getActivePathStats,
  getAlternatives,
  regenerate,
  selectAlternative,
} from './branches/branchActions.ts';
export type { Alternatives, EditResult } from './branches/branchActions.ts';
export { beginResponse, discardResponse, resumeResponse } from './streaming/replyActions.ts';
export type { BeginResponseOptions } from './streaming/replyActions.ts';
export { isFinished, replyStatus } from './domain/replyStatus.ts';
export type { ReplyStatus } from './domain/replyStatus.ts';
export {
  DEFAULT_FLUSH_MS,
  DEFAULT_LEASE_MS,
  ResponseStream,
} from './streaming/responseStream.ts';
export type { FinishResponseOptions, ResponseStatus, StreamTiming } from './streaming/responseStream.ts';

// This entry may be used without SessionManager having loaded the chunk: hand it its kit now.
import { chatKit } from './chatKit.ts';
import { setKit } from './streaming/kit.ts';

setKit(chatKit);
