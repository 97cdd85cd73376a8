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
} from './branches/activePath.ts';
import { BranchError, InvalidInputError, ReplyStateError } from './errors.ts';
import { laterIso, newId, nowIso } from './ids.ts';
import { replyUsage, userMessageUsage } from './messageUsage.ts';
import { statsFromSegments } from './sessionStats.ts';
import { isFinished, replyStatus } from './streaming/replyStatus.ts';
import { addEventToTotals, emptyTotals, sumTotals } from './totals.ts';
import { toTurns } from './transcript.ts';
import { assertNonEmptyString, assertPositiveInteger, assertString } from './validate.ts';

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
