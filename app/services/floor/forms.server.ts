
import { type Lang, translate } from "~/i18n";
import { violationMessage } from "~/i18n/violations";
import { formatDateShort, formatTimeRange } from "~/i18n/format";
import { type Alternative, type Violation, inReadingOrder, zonedInstant } from "~/scheduling";
import { ServiceError } from "../errors.server";
import type { Affected, MaintenanceChoice } from "./maintenance-plan.server";
import type { FloorAffectedItem } from "~/views/floor";

/** "YYYY-MM-DD" + "HH:mm" in the facility zone. */
export function localInstant(date: string, time: string, timeZone: string): number {
  return zonedInstant(date, time, timeZone);
}

/** "YYYY-MM-DDTHH:mm" (datetime-local) in the facility zone. */
export function localDateTime(value: string, timeZone: string): number {
  return zonedInstant(value.slice(0, 10), value.slice(11, 16), timeZone);
}

/** A refusal as the page shows it: one sentence per violation, and the alternatives. */
export function refusalView(violations: Violation[], alternatives: Alternative[], lang: Lang, tz: string, requestStart: number) {
  return {
    messages: violations.map((v) => violationMessage(v, lang, tz, requestStart)),
    codes: [...new Set(violations.map((v) => v.code))],
    alternatives: inReadingOrder(alternatives, tz).map((a) => ({
      machineId: a.machineId,
      label: `${a.machineCode} · ${formatDateShort(a.start, lang, tz)} ${formatTimeRange(a.start, a.end, lang, tz)}`,
      start: a.start,
      end: a.end,
    })),
    title: translate(lang, "floor.refused.title"),
  };
}

/** Form fields as strings, to refill a form after an error. */
export function formValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
  return out;
}

/** The per-booking choices of a maintenance form: `choice-<bookingId>` = move|machine|start|end, cancel or keep. */
export function parseChoices(form: FormData): MaintenanceChoice[] {
  const out: MaintenanceChoice[] = [];
  for (const [key, value] of form.entries()) {
    const m = /^choice-(\d{1,10})$/.exec(key);
    if (!m || typeof value !== "string") continue;
    const bookingId = Number(m[1]);
    if (value === "cancel" || value === "keep") {
      out.push({ bookingId, action: value });
      continue;
    }
    const move = /^move\|(\d{1,10})\|(\d{1,15})\|(\d{1,15})$/.exec(value);
    if (!move) throw new ServiceError("invalid", "floor.validation.action", { field: key });
    out.push({ bookingId, action: "move", target: { machineId: Number(move[1]), start: Number(move[2]), end: Number(move[3]) } });
  }
  return out;
}

/** An affected booking as the pages show it. */
export function affectedView(a: Affected): FloorAffectedItem {
  return {
    bookingId: a.booking.id,
    ikmName: a.booking.ikm_name,
    machineCode: a.booking.machine_code,
    start: Number(a.booking.start_at),
    end: Number(a.booking.end_at),
    status: a.booking.status,
    movable: a.movable,
    proposal: a.proposal ? { machineId: a.proposal.machineId, machineCode: a.proposal.machineCode, start: a.proposal.start, end: a.proposal.end } : null,
  };
}
