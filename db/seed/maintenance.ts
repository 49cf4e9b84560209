/**
 * Maintenance of the demo: two past planned windows, one past breakdown (resolved), and one
 * planned window about ten days ahead. None is open. Bookings are generated around them.
 */
import { localDay, openIntervals, zonedInstant } from "../../app/scheduling/calendar";
import type { LocalDay } from "../../app/scheduling/calendar";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../app/scheduling/intervals";
import type { Instant, Interval } from "../../app/scheduling/types";
import type { BookingGenerator } from "./bookings";
import type { PlanContext, Row, SeedMachine } from "./model";

interface Window extends Interval {
  machine: SeedMachine;
  kind: "planned" | "breakdown";
  reason: string;
}

export interface MaintenancePlan {
  windows: Window[];
  rows: Row<"maintenance_windows">[];
  /** The windows of each machine (by id), for the booking generator to keep clear. */
  byMachine: Map<number, Interval[]>;
}

export function planMaintenance(ctx: PlanContext, historyStart: Instant): MaintenancePlan {
  const windows = [
    fullDay(ctx, "PRS-02", historyStart + 30 * DAY_MS, "Penggantian oli hidrolik dan seal silinder"),
    morning(ctx, "PWD-01", ctx.today - 25 * DAY_MS, "Kalibrasi suhu oven curing dan pembersihan bilik semprot"),
    breakdown(ctx, "CNC-02", historyStart + 50 * DAY_MS, "Spindle panas berlebih; bearing spindle diganti"),
    fullDay(ctx, "CNC-03", ctx.today + 10 * DAY_MS, "Servis berkala: kalibrasi sumbu dan ganti oli spindle"),
  ];
  const byMachine = new Map<number, Interval[]>();
  for (const w of windows) byMachine.set(w.machine.id, [...(byMachine.get(w.machine.id) ?? []), w]);
  const technician = ctx.staff.technicians[0].id;
  const rows = windows.map((w) => ({
    machine_id: w.machine.id,
    start_at: w.start,
    end_at: w.end,
    kind: w.kind,
    reason: w.reason,
    created_by: technician,
    // A breakdown is reported as it happens and resolved when the machine runs again.
    resolved_at: w.kind === "breakdown" ? w.end : null,
    created_at: createdAt(ctx, w),
  }));
  return { windows, rows, byMachine };
}

/** Planned work is announced a week ahead (or a few days ago for the upcoming window). */
function createdAt(ctx: PlanContext, w: Window): Instant {
  return w.kind === "breakdown" ? w.start : Math.min(w.start - 7 * DAY_MS, ctx.today - 3 * DAY_MS);
}

function machineByCode(ctx: PlanContext, code: string): SeedMachine {
  const machine = ctx.machines.find((m) => m.spec.code === code);
  if (!machine) throw new Error(`Demo machine ${code} missing`);
  return machine;
}

/** The first day on or after `from` on which the machine is open, with its open periods. */
function firstOpenDay(ctx: PlanContext, machine: SeedMachine, from: Instant): { day: LocalDay; open: Interval[] } {
  for (let day = localDay(from, ctx.calendar.timeZone); ; day = localDay(day.end, ctx.calendar.timeZone)) {
    const open = openIntervals(day, ctx.calendar, machine.spec.hours);
    if (open.length > 0) return { day, open };
  }
}

function fullDay(ctx: PlanContext, code: string, from: Instant, reason: string): Window {
  const machine = machineByCode(ctx, code);
  const { open } = firstOpenDay(ctx, machine, from);
  return { machine, kind: "planned", reason, start: open[0].start, end: open[open.length - 1].end };
}

function morning(ctx: PlanContext, code: string, from: Instant, reason: string): Window {
  const machine = machineByCode(ctx, code);
  const { open } = firstOpenDay(ctx, machine, from);
  return { machine, kind: "planned", reason, start: open[0].start, end: open[0].end };
}

/** Broke down at 10.00 and ran again at 12.00 on its next open day. */
function breakdown(ctx: PlanContext, code: string, from: Instant, reason: string): Window {
  const machine = machineByCode(ctx, code);
  const tz = ctx.calendar.timeZone;
  const first = firstOpenDay(ctx, machine, from).day;
  const next = firstOpenDay(ctx, machine, first.end).day;
  return {
    machine,
    kind: "breakdown",
    reason,
    start: zonedInstant(first.key, "10:00", tz),
    end: zonedInstant(next.key, "12:00", tz),
  };
}

/**
 * Requests refused because they fall in a maintenance window (MAINTENANCE): three per window,
 * two hours each inside its open time, asked after the window was announced.
 */
export function refuseDuringMaintenance(ctx: PlanContext, plan: MaintenancePlan, generator: BookingGenerator): void {
  const { rng } = ctx;
  const slotMs = ctx.facility.slot_minutes * MINUTE_MS;
  for (const w of plan.windows) {
    const open = openIntervals(w, ctx.calendar, w.machine.spec.hours);
    for (let i = 0; i < 3; i++) {
      const period = rng.pick(open);
      const latestStart = Math.max(period.start, period.end - 2 * HOUR_MS);
      const start = period.start + rng.int(0, (latestStart - period.start) / slotMs) * slotMs;
      const request = { start, end: Math.min(period.end, start + 2 * HOUR_MS) };
      const askedAt = rng.minuteBetween(createdAt(ctx, w), Math.min(start - 2 * HOUR_MS, ctx.today - MINUTE_MS));
      const ikm = generator.eligibleIkm(w.machine, request.end, []);
      if (askedAt !== null && ikm) generator.refuse(ikm, w.machine, request, ["MAINTENANCE"], askedAt);
    }
  }
}
