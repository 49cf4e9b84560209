import { TZDate, tzOffset } from "@date-fns/tz";
import { addDays, format, getISODay, startOfDay, startOfISOWeek } from "date-fns";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  breakIntervals,
  ceilToSlot,
  dayRange,
  daysTouching,
  floorToSlot,
  isOnSlotGrid,
  isoWeekRange,
  isoWeekday,
  localDateKey,
  offsetMinutes,
  openIntervals,
  openPeriodsLabel,
  parseLocalTime,
  zonedInstant,
} from "./calendar";
import { CALENDAR, FACILITY_TZ, wib } from "./test-fixtures";
import type { FacilityCalendar, WeeklyHours } from "./types";

const range = (from: string, to: string) => ({ start: wib(from), end: wib(to) });

describe("zonedInstant and localDateKey", () => {
  it("reads a WIB wall-clock time as UTC+7", () => {
    expect(zonedInstant("2026-12-07", "07:30", FACILITY_TZ)).toBe(Date.UTC(2026, 11, 7, 0, 30));
  });
  it('takes "24:00" as the next midnight', () => {
    expect(zonedInstant("2026-12-07", "24:00", FACILITY_TZ)).toBe(zonedInstant("2026-12-08", "00:00", FACILITY_TZ));
  });
  it("refuses malformed times and dates that do not exist", () => {
    expect(() => zonedInstant("2026-12-07", "7:30", FACILITY_TZ)).toThrow(RangeError);
    expect(() => zonedInstant("2026-12-07", "24:30", FACILITY_TZ)).toThrow(RangeError);
    expect(() => zonedInstant("2026-02-30", "08:00", FACILITY_TZ)).toThrow(RangeError);
    expect(() => parseLocalTime("12:60")).toThrow(RangeError);
  });
  it("refuses an unknown time zone", () => {
    expect(() => localDateKey(0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });
  it("gives the facility date, not the UTC date: Sunday 23.00 WIB and Monday 00.30 WIB are both 13 December in UTC", () => {
    const sundayNight = wib("2026-12-13 23:00");
    const mondayEarly = wib("2026-12-14 00:30");
    expect(new Date(sundayNight).toISOString().slice(0, 10)).toBe("2026-12-13");
    expect(new Date(mondayEarly).toISOString().slice(0, 10)).toBe("2026-12-13");
    expect(localDateKey(sundayNight, FACILITY_TZ)).toBe("2026-12-13");
    expect(localDateKey(mondayEarly, FACILITY_TZ)).toBe("2026-12-14");
    expect(isoWeekday(sundayNight, FACILITY_TZ)).toBe(7);
    expect(isoWeekday(mondayEarly, FACILITY_TZ)).toBe(1);
  });
});

describe("days and weeks", () => {
  it("dayRange runs from local midnight to the next", () => {
    expect(dayRange(wib("2026-12-24 15:00"), FACILITY_TZ)).toEqual(range("2026-12-24 00:00", "2026-12-25 00:00"));
  });
  it("daysTouching treats the end as exclusive", () => {
    const days = daysTouching(range("2026-12-07 22:00", "2026-12-08 00:00"), FACILITY_TZ);
    expect(days.map((d) => d.key)).toEqual(["2026-12-07"]);
    const two = daysTouching(range("2026-12-07 22:00", "2026-12-08 00:30"), FACILITY_TZ);
    expect(two.map((d) => [d.key, d.weekday])).toEqual([
      ["2026-12-07", 1],
      ["2026-12-08", 2],
    ]);
  });
  it("the ISO week runs Monday 00.00 to Monday 00.00 facility time", () => {
    expect(isoWeekRange(wib("2026-12-13 23:00"), FACILITY_TZ)).toEqual(range("2026-12-07 00:00", "2026-12-14 00:00"));
    expect(isoWeekRange(wib("2026-12-14 00:30"), FACILITY_TZ)).toEqual(range("2026-12-14 00:00", "2026-12-21 00:00"));
  });
  it("an ISO week may span two years", () => {
    expect(isoWeekRange(wib("2027-01-01 10:00"), FACILITY_TZ)).toEqual(range("2026-12-28 00:00", "2027-01-04 00:00"));
  });
});

describe("slot grid", () => {
  it("a 30-minute grid starts at local midnight", () => {
    expect(isOnSlotGrid(wib("2026-12-07 07:30"), 30, FACILITY_TZ)).toBe(true);
    expect(isOnSlotGrid(wib("2026-12-07 07:45"), 30, FACILITY_TZ)).toBe(false);
    expect(isOnSlotGrid(wib("2026-12-07 07:30") + 1000, 30, FACILITY_TZ)).toBe(false);
  });
  it("a grid that does not divide the day restarts at local midnight", () => {
    // 45-minute slots: …, 22.30, 23.15, then 00.00 (not 00.45).
    expect(ceilToSlot(wib("2026-12-07 23:20"), 45, FACILITY_TZ)).toBe(wib("2026-12-08 00:00"));
    expect(floorToSlot(wib("2026-12-07 23:59"), 45, FACILITY_TZ)).toBe(wib("2026-12-07 23:15"));
    expect(isOnSlotGrid(wib("2026-12-08 00:45"), 45, FACILITY_TZ)).toBe(true);
  });
  it("ceil and floor keep a point already on the grid", () => {
    expect(ceilToSlot(wib("2026-12-07 09:00"), 30, FACILITY_TZ)).toBe(wib("2026-12-07 09:00"));
    expect(floorToSlot(wib("2026-12-07 09:00"), 30, FACILITY_TZ)).toBe(wib("2026-12-07 09:00"));
    expect(ceilToSlot(wib("2026-12-07 09:01"), 30, FACILITY_TZ)).toBe(wib("2026-12-07 09:30"));
    expect(floorToSlot(wib("2026-12-07 09:29"), 30, FACILITY_TZ)).toBe(wib("2026-12-07 09:00"));
  });
});

describe("openIntervals", () => {
  it("Monday to Thursday open 07.30–12.00 and 13.00–16.00, the break excluded", () => {
    expect(openIntervals(range("2026-12-07 00:00", "2026-12-08 00:00"), CALENDAR, null)).toEqual([
      range("2026-12-07 07:30", "2026-12-07 12:00"),
      range("2026-12-07 13:00", "2026-12-07 16:00"),
    ]);
  });
  it("Friday opens 07.30–11.30 and 13.00–16.30", () => {
    expect(openIntervals(range("2026-12-11 00:00", "2026-12-12 00:00"), CALENDAR, null)).toEqual([
      range("2026-12-11 07:30", "2026-12-11 11:30"),
      range("2026-12-11 13:00", "2026-12-11 16:30"),
    ]);
  });
  it("the weekend and closure days (Christmas Eve leave, Christmas) have no open time", () => {
    expect(openIntervals(range("2026-12-12 00:00", "2026-12-14 00:00"), CALENDAR, null)).toEqual([]);
    expect(openIntervals(range("2026-12-24 00:00", "2026-12-26 00:00"), CALENDAR, null)).toEqual([]);
  });
  it("clips to the range", () => {
    expect(openIntervals(range("2026-12-07 10:00", "2026-12-07 14:00"), CALENDAR, null)).toEqual([
      range("2026-12-07 10:00", "2026-12-07 12:00"),
      range("2026-12-07 13:00", "2026-12-07 14:00"),
    ]);
  });
  it("machine hours narrow the facility hours and never widen them", () => {
    const machineHours: WeeklyHours = {
      1: [{ start: "06:00", end: "15:00" }],
      2: [],
      3: [],
      4: [],
      5: [],
      6: [{ start: "08:00", end: "12:00" }],
      7: [],
    };
    expect(openIntervals(range("2026-12-07 00:00", "2026-12-08 00:00"), CALENDAR, machineHours)).toEqual([
      range("2026-12-07 07:30", "2026-12-07 12:00"),
      range("2026-12-07 13:00", "2026-12-07 15:00"),
    ]);
    expect(openIntervals(range("2026-12-08 00:00", "2026-12-13 00:00"), CALENDAR, machineHours)).toEqual([]);
  });
  it("periods touching across midnight merge into one open interval", () => {
    const allDay = { start: "00:00", end: "24:00" };
    const calendar: FacilityCalendar = {
      timeZone: FACILITY_TZ,
      hours: { 1: [allDay], 2: [allDay], 3: [], 4: [], 5: [], 6: [], 7: [] },
      closures: new Set(),
    };
    expect(openIntervals(range("2026-12-07 00:00", "2026-12-10 00:00"), calendar, null)).toEqual([
      range("2026-12-07 00:00", "2026-12-09 00:00"),
    ]);
  });
});

describe("breakIntervals and openPeriodsLabel", () => {
  it("the breaks are the gaps between a day's periods", () => {
    expect(breakIntervals(range("2026-12-07 00:00", "2026-12-12 00:00"), CALENDAR)).toEqual([
      range("2026-12-07 12:00", "2026-12-07 13:00"),
      range("2026-12-08 12:00", "2026-12-08 13:00"),
      range("2026-12-09 12:00", "2026-12-09 13:00"),
      range("2026-12-10 12:00", "2026-12-10 13:00"),
      range("2026-12-11 11:30", "2026-12-11 13:00"),
    ]);
  });
  it("a closure day has no break", () => {
    expect(breakIntervals(range("2026-12-24 00:00", "2026-12-25 00:00"), CALENDAR)).toEqual([]);
  });
  it("labels a day's periods the Indonesian way", () => {
    expect(openPeriodsLabel(wib("2026-12-07 12:30"), CALENDAR, null)).toBe("07.30–12.00, 13.00–16.00");
    expect(openPeriodsLabel(wib("2026-12-11 12:30"), CALENDAR, null)).toBe("07.30–11.30, 13.00–16.30");
    expect(openPeriodsLabel(wib("2026-12-12 12:30"), CALENDAR, null)).toBe("");
  });
});

describe("agreement with TZDate and date-fns in any zone (property)", () => {
  // Zones with daylight saving, half-hour and 45-minute offsets, and a half-hour DST shift.
  const zones = ["Asia/Jakarta", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Europe/London"];
  const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
  const zone = fc.constantFrom(...zones);

  it("offsetMinutes equals tzOffset, also next to offset changes", () => {
    const lordHoweChange = Date.UTC(2026, 3, 4, 15, 0); // 02:00 local, +11:00 → +10:30
    const near = fc.integer({ min: lordHoweChange - 3_600_000, max: lordHoweChange + 3_600_000 });
    fc.assert(
      fc.property(fc.oneof(instant, near), zone, (t, tz) => {
        expect(offsetMinutes(t, tz)).toBe(tzOffset(tz, new Date(t)));
      }),
      { numRuns: 2000 },
    );
  });

  it("localDateKey, isoWeekday, dayRange and isoWeekRange", () => {
    fc.assert(
      fc.property(instant, zone, (t, tz) => {
        const date = new TZDate(t, tz);
        expect(localDateKey(t, tz)).toBe(format(date, "yyyy-MM-dd"));
        expect(isoWeekday(t, tz)).toBe(getISODay(date));
        expect(dayRange(t, tz)).toEqual({
          start: startOfDay(date).getTime(),
          end: startOfDay(addDays(date, 1)).getTime(),
        });
        expect(isoWeekRange(t, tz).start).toBe(startOfISOWeek(date).getTime());
      }),
      { numRuns: 500 },
    );
  });

  it("zonedInstant reads wall-clock times as TZDate does", () => {
    const minuteOfDay = fc.integer({ min: 0, max: 1439 });
    fc.assert(
      fc.property(instant, minuteOfDay, zone, (t, m, tz) => {
        const key = localDateKey(t, tz);
        const [y, mo, d] = key.split("-").map(Number);
        const expected = new TZDate(y, mo - 1, d, Math.floor(m / 60), m % 60, tz);
        // Skip wall-clock times a DST jump skips (TZDate moves them forward; not a WIB case).
        fc.pre(expected.getHours() * 60 + expected.getMinutes() === m);
        const hhmm = `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
        expect(zonedInstant(key, hhmm, tz)).toBe(expected.getTime());
      }),
      { numRuns: 500 },
    );
  });
});
