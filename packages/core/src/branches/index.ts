// `@ai-session-manager/core/branches`: versions of a message and the active path, as a tree over
// the append-only log (`event.branch`). The manager's regenerate, editMessage, getAlternatives
// and selectAlternative write and choose versions; these read them without a manager.
export type { BranchLink } from '../domain/types.ts';
export {
  activeMessageIds,
  activePath,
  branchParents,
  isBranchNode,
  remapBranch,
  versionGroup,
  versionsByGroup,
} from '../domain/activePath.ts';
export { BranchError } from '../domain/errors.ts';
export type { Alternatives, EditMessageOptions, EditResult } from './branchActions.ts';
