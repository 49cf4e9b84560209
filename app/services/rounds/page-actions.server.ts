
import type { Db } from "#db/connection";
import { AllocateFormSchema, BookAlternativeFormSchema, RoundRequestFormSchema, WithdrawFormSchema } from "~/schemas/rounds";
import { requestBooking } from "../booking/commands.server";
import type { Ctx } from "../booking/decision-input.server";
import { failureOf } from "~/utils/forms.server";
import { fieldErrors } from "~/schemas/parse";
import { allocate, replayRound } from "./allocate.server";
import { submitRoundRequest, withdrawRoundRequest } from "./requests.server";
import { localInstant } from "./views.server";
import type { RoundActionData } from "~/views/rounds";

/** A failed intent as the rounds pages show it: the message, and the field it belongs to (the one mapping of forms.server). */
function serviceErrorData(intent: RoundActionData["intent"], error: unknown, extra: Partial<RoundActionData> = {}): RoundActionData {
  const failure = failureOf(error);
  const errors: Record<string, string> = {};
  for (const [field, e] of Object.entries(failure.errors)) if (field !== "_form") errors[field] = e.key;
  return { intent, ok: false, status: failure.status, error: failure.message.key, params: failure.message.params ?? {}, errors, ...extra };
}

/**
 * Handle a form post of the rounds pages: request, withdraw, book (an offered alternative, first
 * come first served), allocate and replay (the caller checks allocation:run / staff first).
 */
export async function roundPageAction(db: Db, ctx: Ctx, form: FormData): Promise<RoundActionData> {
  const values: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = v;
  const intent = values.intent;
  if (intent === "request") {
    const parsed = RoundRequestFormSchema.safeParse(values);
    const roundId = Number(values.roundId) || null;
    if (!parsed.success) return { intent, ok: false, status: 400, roundId, errors: fieldErrors(parsed.error) };
    const f = parsed.data;
    try {
      const start = await localInstant(db, f.date, f.start);
      const end = await localInstant(db, f.date, f.end);
      const out = await submitRoundRequest(db, ctx, { roundId: f.roundId, start, end, purpose: f.purpose, assisted: f.assisted, ikmId: f.ikmId });
      if (out.ok) return { intent, ok: true, status: 200, roundId: f.roundId, requestId: out.request.id };
      return { intent, ok: false, status: 409, roundId: f.roundId, violations: out.violations };
    } catch (error) {
      return serviceErrorData(intent, error, { roundId: f.roundId });
    }
  }
  if (intent === "withdraw") {
    const parsed = WithdrawFormSchema.safeParse(values);
    if (!parsed.success) return { intent, ok: false, status: 400, errors: fieldErrors(parsed.error) };
    try {
      const r = await withdrawRoundRequest(db, ctx, parsed.data.requestId);
      return { intent, ok: true, status: 200, roundId: r.round_id, requestId: r.id };
    } catch (error) {
      return serviceErrorData(intent, error, { requestId: parsed.data.requestId });
    }
  }
  if (intent === "book") {
    const parsed = BookAlternativeFormSchema.safeParse(values);
    const requestId = Number(values.requestId) || null;
    if (!parsed.success) return { intent, ok: false, status: 400, requestId, errors: fieldErrors(parsed.error) };
    const f = parsed.data;
    try {
      const out = await requestBooking(db, ctx, { machineId: f.machineId, start: f.start, end: f.end, purpose: f.purpose, assisted: f.assisted, source: "web" });
      if (out.ok) return { intent, ok: true, status: 200, requestId, booking: { id: out.booking.id, start: Number(out.booking.start_at), end: Number(out.booking.end_at), status: out.booking.status } };
      return { intent, ok: false, status: 409, requestId, violations: out.violations };
    } catch (error) {
      return serviceErrorData(intent, error, { requestId });
    }
  }
  if (intent === "allocate") {
    const parsed = AllocateFormSchema.safeParse(values);
    const roundId = Number(values.roundId);
    if (!parsed.success) return { intent, ok: false, status: 400, roundId, errors: fieldErrors(parsed.error) };
    try {
      const out = await allocate(db, ctx, roundId, parsed.data.seed);
      return { intent, ok: true, status: 200, roundId, totals: out.result.totals };
    } catch (error) {
      return serviceErrorData(intent, error, { roundId });
    }
  }
  if (intent === "replay") {
    const roundId = Number(values.roundId);
    try {
      const out = await replayRound(db, roundId);
      return { intent, ok: true, status: 200, roundId, replay: { matches: out.matches, seed: out.seed } };
    } catch (error) {
      return serviceErrorData(intent, error, { roundId });
    }
  }
  return { intent: "unknown", ok: false, status: 400, error: "round.error.unknownAction" };
}
