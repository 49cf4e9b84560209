/** The technician's day: each booking's floor state, the ready WhatsApp texts, the day board and one booking's floor screen. */
import type { DbOrTx } from "#db/connection";
import type { Facility, Machine } from "#db/schema";
import { translate } from "~/i18n";
import { formatDateLong, formatRupiah, formatTime, formatTimeRange } from "~/i18n/format";
import {
  MINUTE_MS,
  checkInOpen,
  checkInWindow,
  dayRange,
  localDateKey,
} from "~/scheduling";
import {
  dayBookings,
  floorMachines,
  getFloorBooking,
  maintenanceAround,
} from "~/models/floor.server";
import { getMachine, loadCalendar, loadFacility } from "~/models/scheduling.server";
import type { Ctx } from "../booking/decision-input.server";
import { notFound } from "../errors.server";
import { telLink, waLink } from "../contact.server";
import { maintenanceAt } from "./check-in-out.server";
import { UNIT_OPERATOR_NAME, inputTime, requireFloor } from "./common.server";
import { feeAtTariff } from "./fees.server";
import type { FeeBreakdown } from "~/views/floor";
import { noShowOutlook } from "./no-show.server";

export type FloorState = "pending" | "waiting" | "late" | "noShowCandidate" | "inUse" | "done" | "noShow";

export function floorState(b: { status: string; start_at: number; end_at: number }, now: number, graceMinutes: number): FloorState {
  switch (b.status) {
    case "pending":
      return "pending";
    case "checked_in":
      return "inUse";
    case "completed":
      return "done";
    case "no_show":
      return "noShow";
    default:
      if (now < Number(b.start_at)) return "waiting";
      return now < Number(b.start_at) + graceMinutes * MINUTE_MS ? "late" : "noShowCandidate";
  }
}

interface WaBooking {
  ikm_name: string;
  machine_code: string;
  machine_name: string;
  start_at: number;
  end_at: number;
  purpose: string;
  fee?: number | null;
}

/**
 * The booking's day as the IKM reads it on the day the message is sent: "hari ini, Selasa,
 * 1 Desember 2026", "besok, Rabu, 2 Desember 2026", else "pada Kamis, 3 Desember 2026".
 */
export function relativeDay(start: number, now: number, tz: string): string {
  const date = formatDateLong(start, "id", tz);
  const day = localDateKey(start, tz);
  if (day === localDateKey(now, tz)) return translate("id", "floor.wa.today", { date });
  if (day === localDateKey(dayRange(now, tz).end, tz)) return translate("id", "floor.wa.tomorrow", { date });
  return translate("id", "floor.wa.onDate", { date });
}

/** The ready WhatsApp text about a booking in its floor state, sent at `now` (always Indonesian: it goes to the IKM). */
export function waText(b: WaBooking, state: FloorState, facilityName: string, tz: string, graceMinutes: number, now: number): string {
  const params = {
    ikm: b.ikm_name,
    facility: facilityName,
    machine: `${b.machine_code} (${b.machine_name})`,
    date: formatDateLong(Number(b.start_at), "id", tz),
    when: relativeDay(Number(b.start_at), now, tz),
    time: formatTimeRange(Number(b.start_at), Number(b.end_at), "id", tz),
    start: formatTime(Number(b.start_at), "id", tz),
    graceEnd: formatTime(Number(b.start_at) + graceMinutes * MINUTE_MS, "id", tz),
    job: b.purpose ? translate("id", "floor.wa.job", { purpose: b.purpose }) : "",
    fee: b.fee == null ? "" : formatRupiah(Number(b.fee)),
  };
  const key =
    state === "waiting" || state === "pending"
      ? "floor.wa.reminder"
      : state === "late" || state === "noShowCandidate"
        ? "floor.wa.late"
        : state === "done" && b.fee != null
          ? "floor.wa.done"
          : "floor.wa.generic";
  return translate("id", key, params);
}

/** The ready WhatsApp text telling an IKM its booking was moved or cancelled for maintenance (Indonesian). */
export function waResolutionText(
  e: { ikmName: string; action: string; from?: { machineCode: string; start: number; end: number }; to?: { machineCode: string; start: number; end: number } },
  reason: string,
  facilityName: string,
  tz: string,
): string {
  const when = (x: { start: number; end: number }) => `${formatDateLong(x.start, "id", tz)} ${formatTimeRange(x.start, x.end, "id", tz)}`;
  return translate("id", e.action === "moved" ? "floor.wa.moved" : "floor.wa.cancelled", {
    ikm: e.ikmName,
    facility: facilityName,
    reason,
    from: e.from ? `${e.from.machineCode}, ${when(e.from)}` : "",
    to: e.to ? `${e.to.machineCode}, ${when(e.to)}` : "",
  });
}

export type BoardItem = ReturnType<typeof boardItem>;

function boardItem(
  b: Awaited<ReturnType<typeof dayBookings>>[number],
  now: number,
  facility: Facility,
  machineDown: boolean,
) {
  const tz = facility.time_zone;
  const state = floorState({ status: b.status, start_at: Number(b.start_at), end_at: Number(b.end_at) }, now, facility.grace_minutes);
  return {
    id: b.id,
    start: Number(b.start_at),
    end: Number(b.end_at),
    status: b.status,
    state,
    lateMinutes: state === "late" || state === "noShowCandidate" ? Math.floor((now - Number(b.start_at)) / MINUTE_MS) : 0,
    graceEnd: Number(b.start_at) + facility.grace_minutes * MINUTE_MS,
    ikmId: b.ikm_id,
    ikmName: b.ikm_name,
    phone: b.ikm_phone,
    tel: telLink(b.ikm_phone),
    wa: waLink(b.ikm_phone, waText({ ...b, fee: b.fee === null ? null : Number(b.fee) }, state, facility.name, tz, facility.grace_minutes, now)),
    purpose: b.purpose,
    assisted: b.assisted === 1,
    source: b.source,
    operatorName: b.operator_name,
    actualStart: b.actual_start === null ? null : Number(b.actual_start),
    actualEnd: b.actual_end === null ? null : Number(b.actual_end),
    fee: b.fee === null ? null : Number(b.fee),
    condition: b.condition,
    overdueCheckout: b.status === "checked_in" && localDateKey(Number(b.start_at), tz) !== localDateKey(now, tz),
    // One tap records now as the start: only before the end.
    canCheckIn: checkInOpen(b, now, tz) && now < Number(b.end_at) && !machineDown,
    /** Starts within the hour (or already started): the check-in button is the big one. */
    soon: Number(b.start_at) - now <= 60 * MINUTE_MS,
    canCheckOut: b.status === "checked_in",
    canNoShow: state === "noShowCandidate",
  };
}

/** Today's floor (facility-local day): every machine with its bookings, open faults and maintenance. */
export async function loadBoard(db: DbOrTx, now: number) {
  const facility = await loadFacility(db);
  const tz = facility.time_zone;
  const day = dayRange(now, tz);
  const [rows, machines, windows] = await Promise.all([dayBookings(db, day), floorMachines(db), maintenanceAround(db, day)]);
  const groups = machines.map((m) => {
    const mine = windows.filter((w) => w.machine_id === m.id);
    const faults = mine.filter((w) => w.end_at === null);
    const maintenance = mine.filter((w) => w.end_at !== null);
    const down = mine.some((w) => Number(w.start_at) <= now && (w.end_at === null || Number(w.end_at) > now));
    return {
      id: m.id,
      code: m.code,
      name: m.name,
      typeName: m.type_name,
      status: m.status,
      down,
      faults: faults.map((w) => ({ id: w.id, start: Number(w.start_at), reason: w.reason })),
      maintenance: maintenance.map((w) => ({ id: w.id, start: Number(w.start_at), end: Number(w.end_at), reason: w.reason, kind: w.kind })),
      items: rows.filter((b) => b.machine_id === m.id).map((b) => boardItem(b, now, facility, down)),
    };
  });
  // What needs the technician first: faults and late arrivals, then machines in use, then the rest.
  const urgency = (g: (typeof groups)[number]) =>
    g.faults.length || g.items.some((i) => i.state === "late" || i.state === "noShowCandidate") ? 0 : g.items.some((i) => i.state === "inUse") ? 1 : g.items.some((i) => i.state === "waiting" || i.state === "pending") ? 2 : 3;
  groups.sort((a, b) => urgency(a) - urgency(b) || a.code.localeCompare(b.code));
  const items = groups.flatMap((g) => g.items);
  const count = (s: FloorState) => items.filter((i) => i.state === s).length;
  return {
    now,
    dayStart: day.start,
    graceMinutes: facility.grace_minutes,
    machines: groups,
    counts: {
      waiting: count("waiting"),
      late: count("late") + count("noShowCandidate"),
      inUse: count("inUse"),
      done: count("done"),
      pending: count("pending"),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One booking's floor screen

export async function loadFloorBooking(db: DbOrTx, ctx: Ctx, id: number) {
  requireFloor(ctx);
  const b = await getFloorBooking(db, id);
  if (!b) throw notFound();
  const facility = await loadFacility(db);
  const tz = facility.time_zone;
  const machine = (await getMachine(db, b.machine_id)) as Machine;
  const state = floorState({ status: b.status, start_at: Number(b.start_at), end_at: Number(b.end_at) }, ctx.now, facility.grace_minutes);
  const calendar = await loadCalendar(db, facility);
  let preview: FeeBreakdown | null = null;
  if (b.status === "checked_in" && b.actual_start !== null && ctx.now > Number(b.actual_start)) {
    preview = await feeAtTariff(db, machine, facility, calendar, Number(b.actual_start), ctx.now);
  }
  const noShow = b.status === "confirmed" ? await noShowOutlook(db, ctx, b) : null;
  const down = await maintenanceAt(db, b.machine_id, ctx.now);
  return {
    booking: b,
    facility,
    machine,
    state,
    preview,
    noShow,
    machineDown: !!down,
    tel: telLink(b.ikm_phone),
    wa: waLink(b.ikm_phone, waText({ ...b, fee: b.fee === null ? null : Number(b.fee) }, state, facility.name, tz, facility.grace_minutes, ctx.now)),
    canCheckIn: checkInOpen(b, ctx.now, tz),
    checkInFrom: checkInWindow(b, tz).start,
    defaultOperator: {
      kind: (b.assisted ? "unit" : "ikm") as "ikm" | "unit",
      name: b.assisted ? UNIT_OPERATOR_NAME : b.booker_role === "ikm" ? b.booker_name : b.ikm_owner,
    },
    nowTime: inputTime(ctx.now, tz),
  };
}
