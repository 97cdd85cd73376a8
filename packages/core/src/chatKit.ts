// What the lazily loaded streaming/branch chunk (chatOnDemand) uses of the up-front code. It
// is handed over when the chunk loads instead of imported there: a lazy chunk that imports a
// module of the main chunk makes the bundler split that module out into a shared chunk, and
// every extra chunk costs compression (core's up-front size gate counts each chunk's gzip).
import {
  activeMessageIds,
  activePath,
  branchParents,
  isBranchNode,
  versionGroup,
} from './branches/activePath';
import { BranchError, InvalidInputError, ReplyStateError } from './errors';
import { laterIso, newId, nowIso } from './ids';
import { replyUsage, userMessageUsage } from './messageUsage';
import { statsFromSegments } from './sessionStats';
import { isFinished, replyStatus } from './streaming/replyStatus';
import { addEventToTotals, emptyTotals, sumTotals } from './totals';
import { toTurns } from './transcript';
import { assertNonEmptyString, assertPositiveInteger, assertString } from './validate';

export const chatKit = {
  activeMessageIds,
  addEventToTotals,
  assertNonEmptyString,
  assertPositiveInteger,
  assertString,
  BranchError,
  emptyTotals,
  InvalidInputError,
  laterIso,
  newId,
  nowIso,
  ReplyStateError,
  sumTotals,
  activePath,
  branchParents,
  isBranchNode,
  isFinished,
  replyStatus,
  replyUsage,
  userMessageUsage,
  statsFromSegments,
  toTurns,
  versionGroup,
};

export type ChatKit = typeof chatKit;
