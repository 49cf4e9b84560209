/**
 * planDemo(): the whole demo data set as rows, computed in memory from `now`, the facility
 * settings and the closure days. Pure and deterministic: every random choice comes from a PRNG
 * seeded with the local date of `now`, and every generated instant is derived from that day
 * (not from the exact `now`), so seeding twice on one day gives the same rows.
 */
import { localDateKey, localDay, zonedInstant } from "../../app/scheduling/calendar";
import { DAY_MS } from "../../app/scheduling/intervals";
import type { Instant, WeeklyHours } from "../../app/scheduling/types";
import { BookingGenerator } from "./bookings";
import { planNotifications, planWaitlist } from "./followups";
import { planMaintenance, refuseDuringMaintenance } from "./maintenance";
import type { DemoPlan, FacilitySettings, IdBases, PlanContext, Row } from "./model";
import { Rng, hashSeed } from "./random";
import { buildReference } from "./reference";

export interface PlanInput {
  now: Instant;
  facility: FacilitySettings;
  closures: ReadonlySet<string>;
  passwordHash: string;
  ids: IdBases;
}

/** Days of completed history before today. */
export const HISTORY_DAYS = 90;

export function planDemo(input: PlanInput): DemoPlan {
  const { facility } = input;
  const timeZone = facility.time_zone;
  const todayKey = localDateKey(input.now, timeZone);
  const today = localDay(input.now, timeZone).start;
  const historyStart = localDay(input.now - HISTORY_DAYS * DAY_MS, timeZone).start;
  const rng = new Rng(hashSeed(`giliran-demo:${todayKey}`));
  // The unit went live in mid-2025, or a month before the history when seeding much later.
  const setupAt = Math.min(zonedInstant("2025-06-02", "08:00", timeZone), historyStart - 30 * DAY_MS);
  const reference = buildReference({ rng, ids: input.ids, passwordHash: input.passwordHash, facility, setupAt, today });
  const ctx: PlanContext = {
    rng,
    today,
    calendar: { timeZone, hours: JSON.parse(facility.hours_json) as WeeklyHours, closures: input.closures },
    facility,
    setupAt,
    machines: reference.seedMachines,
    ikms: reference.seedIkms,
    staff: reference.staff,
  };

  const maintenance = planMaintenance(ctx, historyStart);
  const generator = new BookingGenerator(ctx, input.ids.bookings, maintenance.byMachine);
  generator.generateHistory(historyStart);
  generator.generateFuture();
  generator.generateToday();
  refuseDuringMaintenance(ctx, maintenance, generator);
  const waitlist = planWaitlist(ctx, generator);
  const notifications = planNotifications(ctx, generator);
  // Last, so that everything above depends on the date only, not on the time of day.
  generator.settleToday(input.now);

  return {
    machineTypes: reference.machineTypes,
    machines: reference.machines,
    tariffs: reference.tariffs,
    ikms: withRestrictions(reference.ikms, ctx, generator),
    users: reference.users,
    qualifications: reference.qualifications,
    maintenance: maintenance.rows,
    bookings: generator.bookings,
    usage: generator.usage,
    attempts: generator.attempts.sort((a, b) => a.created_at - b.created_at),
    waitlist,
    notifications,
  };
}

/** The IKM rows with the no-show restriction of those whose history earned one. */
function withRestrictions(rows: Row<"ikms">[], ctx: PlanContext, generator: BookingGenerator): Row<"ikms">[] {
  const { noshow_count: count, noshow_window_days: days } = ctx.facility;
  return rows.map((row, i) => {
    const until = generator.restrictedUntil(ctx.ikms[i]);
    if (until === null) return row;
    return { ...row, restricted_until: until, restriction_reason: `Tidak hadir ${count} kali dalam ${days} hari` };
  });
}
