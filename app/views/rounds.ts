/**
 * What the allocation-round pages show: plain, serialisable view types that the services build and
 * the components render. Types only, safe for the browser bundle.
 */
import type { AllocationResult, Alternative, IkmPlace, Interval, OperatorMode, RefusalReason, Violation } from "~/scheduling";


/** Why a request got what it got, stored with it (explanation_json) and shown to its IKM. */
export interface Explanation {
  status: "granted" | "refused";
  reason: "GRANTED" | RefusalReason;
  pass: number;
  rank: number;
  ikmCount: number;
  recentTypeMinutes: number;
  lotteryTicket: number;
  tiedWith: number;
  bookingId: number | null;
  bookingStatus: "pending" | "confirmed" | null;
  violations: Violation[];
  conflictWithRequestId: number | null;
  /** The IKM whose grant this request collided with, anonymously. */
  winner: { rank: number; recentTypeMinutes: number; pass: number } | null;
  alternatives: Alternative[];
}

export interface RoundMachineView {
  id: number;
  code: string;
  name: string;
  operatorMode: OperatorMode;
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  requiresApproval: boolean;
}

export interface RequestView {
  id: number;
  /** Staff, or the IKM's own requests; null for another IKM's (never shown to an IKM). */
  ikmId: number;
  ikmName: string | null;
  userName: string | null;
  own: boolean;
  start: number;
  end: number;
  purpose: string;
  assisted: boolean;
  status: string;
  bookingId: number | null;
  createdAt: number;
  explanation: Explanation | null;
}

export interface OrderView extends IkmPlace {
  /** Null for an IKM viewer looking at another IKM. */
  ikmName: string | null;
  you: boolean;
}

export interface RoundView {
  id: number;
  machine: RoundMachineView;
  weekStart: number;
  weekEnd: number;
  cutoffAt: number;
  status: "open" | "allocated";
  acceptsRequests: boolean;
  allocatedAt: number | null;
  seed: string | null;
  requestCount: number;
  ikmCount: number;
  maxRequestsPerIkm: number;
  /** Staff: every request; IKM: its own. */
  requests: RequestView[];
  /** After allocation: the IKM order with reasons (anonymous for an IKM except its own place). */
  order: OrderView[] | null;
  totals: AllocationResult["totals"] | null;
  passes: number | null;
}

export interface RoundFormDay {
  date: string;
  /** Free time of the machine that day (open hours minus bookings and maintenance). */
  free: Interval[];
}

export interface RoundActionData {
  intent: "request" | "withdraw" | "book" | "allocate" | "replay" | "unknown";
  ok: boolean;
  status: number;
  roundId?: number | null;
  requestId?: number | null;
  /** Field → i18n key. */
  errors?: Record<string, string>;
  /** An i18n key for the whole form, with its params. */
  error?: string | null;
  params?: Record<string, string | number>;
  violations?: Violation[];
  booking?: { id: number; start: number; end: number; status: string };
  totals?: AllocationResult["totals"];
  replay?: { matches: boolean; seed: string };
}

/** The request form's choices for one round: its days and the start/end times offered. */
export interface FormOptionsView {
  days: RoundFormDay[];
  times: string[];
}
