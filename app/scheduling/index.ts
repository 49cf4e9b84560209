/** The scheduling engine: pure functions of time, rules and busy intervals. See types.ts. */
export * from "./types";
export {
  MINUTE_MS,
  HOUR_MS,
  DAY_MS,
  overlaps,
  intersect,
  intersectLists,
  subtract,
  normalize,
  clip,
  minutesOf,
  totalMinutes,
  minutesWithin,
  maxConcurrency,
} from "./intervals";
export {
  type IsoWeekday,
  type LocalDay,
  localDateKey,
  localDay,
  daysTouching,
  zonedInstant,
  parseLocalTime,
  isoWeekday,
  isoWeekRange,
  dayRange,
  isOnSlotGrid,
  ceilToSlot,
  floorToSlot,
  openIntervals,
  breakIntervals,
  openPeriodsLabel,
} from "./calendar";
export { decide, overridesSoftRules, effectiveAssisted } from "./decide";
export { ALTERNATIVE_SEARCH_DAYS, findAlternatives, alternativeDurationMs, inReadingOrder, type AlternativeOptions } from "./alternatives";
export { freeBusy, freeIntervals, freeUntil, blockedIntervals, type BusyPeriod, type FreeBusy } from "./availability";
export { computeFee, type Fee, type FeeInput } from "./fees";
export { rankCompetitors, type Competitor, type PriorityReason, type Ranked } from "./priority";
export {
  allocateRound,
  stateAfter,
  lotteryPositions,
  roundWeek,
  roundCutoff,
  type AllocationInput,
  type AllocationResult,
  type IkmPlace,
  type RefusalReason,
  type RequestOutcome,
  type RoundIkm,
  type RoundRequest,
} from "./allocation";
export { candidateSlots, offerExpiry, wishFits, type WaitlistWish } from "./waitlist";
export { restrictionUntil, DEFAULT_RESTRICTION_POLICY, type RestrictionPolicy } from "./restriction";
export { EARLY_CHECKIN_ASK_MINUTES, checkInOpen, checkInWindow, earlyStartMinutes } from "./check-in";
