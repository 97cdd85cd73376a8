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
} from './domain/activePath.ts';
import { BranchError, InvalidInputError, ReplyStateError } from './domain/errors.ts';
import { laterIso, newId, nowIso } from './domain/ids.ts';
import { replyUsage, userMessageUsage } from './pricing/messageUsage.ts';
import { statsFromSegments } from './domain/sessionStats.ts';
import { isFinished, replyStatus } from './domain/replyStatus.ts';
import { addEventToTotals, emptyTotals, sumTotals } from './domain/totals.ts';
import { toTurns } from './domain/transcript.ts';
import { assertNonEmptyString, assertPositiveInteger, assertString } from './domain/validate.ts';

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
