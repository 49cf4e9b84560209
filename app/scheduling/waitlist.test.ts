import { describe, expect, it } from "vitest";
import { candidateSlots, offerExpiry, wishFits } from "./waitlist";
import { wib } from "./test-fixtures";

const TZ = "Asia/Jakarta";
const wish = (over: Partial<Parameters<typeof wishFits>[0]> = {}) => ({
  machineId: null,
  machineTypeId: 3,
  earliestStart: wib("2026-12-07 07:30"),
  latestEnd: wib("2026-12-07 16:00"),
  durationMinutes: 60,
  ...over,
});

describe("wishFits", () => {
  const freed = { start: wib("2026-12-07 09:00"), end: wib("2026-12-07 11:00") };
  it("a type-wide wish fits any machine of that type", () => {
    expect(wishFits(wish(), { id: 9, typeId: 3 }, freed)).toBe(true);
    expect(wishFits(wish(), { id: 9, typeId: 4 }, freed)).toBe(false);
  });
  it("a machine wish fits only that machine", () => {
    expect(wishFits(wish({ machineId: 9 }), { id: 9, typeId: 3 }, freed)).toBe(true);
    expect(wishFits(wish({ machineId: 8 }), { id: 9, typeId: 3 }, freed)).toBe(false);
  });
  it("the window must leave the whole duration inside the freed stretch", () => {
    expect(wishFits(wish({ durationMinutes: 120 }), { id: 9, typeId: 3 }, freed)).toBe(true);
    expect(wishFits(wish({ durationMinutes: 150 }), { id: 9, typeId: 3 }, freed)).toBe(false);
    expect(wishFits(wish({ earliestStart: wib("2026-12-07 10:30") }), { id: 9, typeId: 3 }, freed)).toBe(false);
  });
});

describe("candidateSlots", () => {
  const freed = { start: wib("2026-12-07 09:10"), end: wib("2026-12-07 11:00") };
  it("proposes grid starts inside freed ∩ window, earliest first", () => {
    const slots = candidateSlots(wish(), freed, { slotMinutes: 30, timeZone: TZ, notBefore: wib("2026-12-01 09:00") });
    expect(slots.map((s) => s.start)).toEqual([wib("2026-12-07 09:30"), wib("2026-12-07 10:00")]);
    expect(slots.every((s) => s.end - s.start === 60 * 60_000)).toBe(true);
  });
  it("never starts before notBefore", () => {
    const slots = candidateSlots(wish(), freed, { slotMinutes: 30, timeZone: TZ, notBefore: wib("2026-12-07 09:45") });
    expect(slots.map((s) => s.start)).toEqual([wib("2026-12-07 10:00")]);
  });
  it("is empty when nothing of the duration fits", () => {
    expect(candidateSlots(wish({ durationMinutes: 120 }), freed, { slotMinutes: 30, timeZone: TZ, notBefore: 0 })).toEqual([]);
  });
});

describe("offerExpiry", () => {
  it("is the offer time after now, but never past the slot's start", () => {
    expect(offerExpiry(wib("2026-12-07 08:00"), 120, wib("2026-12-08 08:00"))).toBe(wib("2026-12-07 10:00"));
    expect(offerExpiry(wib("2026-12-07 08:00"), 120, wib("2026-12-07 09:00"))).toBe(wib("2026-12-07 09:00"));
  });
});
