import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "./decide";
import { MINUTE_MS, gapMs } from "./intervals";
import {
  IKM_ID,
  MANAGER,
  NOW,
  TECHNICIAN,
  at,
  booking,
  input,
  machine,
  maintenanceWindow,
  platingLine,
  wib,
} from "./test-fixtures";
import type { BusyBooking, Decision, FacilityCalendar } from "./types";

const codes = (d: Decision) => d.violations.map((v) => v.code);

describe("decide: a request that breaks no rule", () => {
  it("is confirmed with no violations, overrides or notices", () => {
    expect(decide(input())).toEqual({ ok: true, status: "confirmed", violations: [], overridden: [], notices: [] });
  });
});

describe("IN_PAST", () => {
  it("an IKM request starting before now is IN_PAST (and not also TOO_SOON)", () => {
    const d = decide(input({ request: at("2026-11-30 07:30", "2026-11-30 08:30") }));
    expect(codes(d)).toEqual(["IN_PAST"]);
    expect(d.violations[0]).toEqual({ code: "IN_PAST", params: {}, overridable: false });
  });
  it("staff may backfill the paper logbook and record walk-ins in the past", () => {
    for (const source of ["backfill", "walk_in"] as const) {
      const d = decide(
        input({ actor: TECHNICIAN, request: { ...at("2026-11-27 13:00", "2026-11-27 15:00"), source } }),
      );
      expect(d.ok).toBe(true);
    }
  });
  it("staff entering a normal web booking in the past is still IN_PAST", () => {
    const d = decide(input({ actor: TECHNICIAN, request: at("2026-11-27 13:00", "2026-11-27 15:00") }));
    expect(codes(d)).toEqual(["IN_PAST"]);
  });
  it("an IKM cannot use the backfill exemption", () => {
    const d = decide(input({ request: { ...at("2026-11-27 13:00", "2026-11-27 15:00"), source: "backfill" } }));
    expect(codes(d)).toEqual(["IN_PAST"]);
  });
});

describe("MISALIGNED", () => {
  it("a start off the 30-minute grid is misaligned", () => {
    const d = decide(input({ request: at("2026-12-07 08:15", "2026-12-07 10:15") }));
    expect(d.violations).toEqual([{ code: "MISALIGNED", params: { slotMinutes: 30 }, overridable: false }]);
  });
  it("an end off the grid is misaligned", () => {
    expect(codes(decide(input({ request: at("2026-12-07 08:00", "2026-12-07 09:45") })))).toEqual(["MISALIGNED"]);
  });
  it("the grid counts from local midnight in the facility zone (hourly slots: 08.00 fits, 08.30 not)", () => {
    const hourly = machine({ rules: { slotMinutes: 60, minMinutes: 60 } });
    expect(decide(input({ machine: hourly, request: at("2026-12-07 08:00", "2026-12-07 10:00") })).ok).toBe(true);
    expect(codes(decide(input({ machine: hourly, request: at("2026-12-07 08:30", "2026-12-07 10:30") })))).toEqual([
      "MISALIGNED",
    ]);
  });
});

describe("TOO_SHORT and TOO_LONG", () => {
  it("shorter than the minimum is too short", () => {
    const d = decide(
      input({ machine: machine({ rules: { minMinutes: 60 } }), request: at("2026-12-07 08:00", "2026-12-07 08:30") }),
    );
    expect(d.violations).toEqual([
      { code: "TOO_SHORT", params: { minMinutes: 60, maxMinutes: 480 }, overridable: false },
    ]);
  });
  it("an end at or before the start is too short, even with a zero minimum", () => {
    const noMinimum = machine({ rules: { minMinutes: 0 } });
    expect(codes(decide(input({ machine: noMinimum, request: at("2026-12-07 09:00", "2026-12-07 09:00") })))).toEqual([
      "TOO_SHORT",
    ]);
    expect(codes(decide(input({ request: at("2026-12-07 10:00", "2026-12-07 08:00") })))).toEqual(["TOO_SHORT"]);
  });
  it("an empty request does not conflict with the booking around it", () => {
    const d = decide(
      input({
        machine: platingLine(),
        bookings: [booking(1, "2026-12-07", "08:00", "10:00")],
        request: at("2026-12-07 09:00", "2026-12-07 09:00"),
      }),
    );
    expect(codes(d)).toEqual(["TOO_SHORT"]);
  });
  it("longer than the maximum is too long; exactly the maximum is fine", () => {
    const twoHours = machine({ rules: { maxMinutes: 120 } });
    const d = decide(input({ machine: twoHours, request: at("2026-12-07 08:00", "2026-12-07 10:30") }));
    expect(d.violations).toEqual([
      { code: "TOO_LONG", params: { minMinutes: 30, maxMinutes: 120 }, overridable: false },
    ]);
    expect(decide(input({ machine: twoHours, request: at("2026-12-07 08:00", "2026-12-07 10:00") })).ok).toBe(true);
  });
});

describe("TOO_SOON", () => {
  // NOW is Monday 30 November 2026, 08.00 WIB; the notice is 2 hours.
  it("a start less than the notice ahead is too soon", () => {
    const d = decide(input({ request: at("2026-11-30 09:30", "2026-11-30 10:30") }));
    expect(d.violations).toEqual([{ code: "TOO_SOON", params: { noticeMinutes: 120 }, overridable: true }]);
  });
  it("a start exactly the notice ahead is fine", () => {
    expect(decide(input({ request: at("2026-11-30 10:00", "2026-11-30 11:00") })).ok).toBe(true);
  });
  it("staff are exempt, even without an override reason", () => {
    const d = decide(input({ actor: TECHNICIAN, request: at("2026-11-30 08:30", "2026-11-30 09:30") }));
    expect(d).toMatchObject({ ok: true, overridden: [] });
  });
});

describe("TOO_FAR", () => {
  // The horizon is 30 days: until Wednesday 30 December 2026, 08.00 WIB.
  it("a start exactly at the horizon is fine", () => {
    expect(decide(input({ request: at("2026-12-30 08:00", "2026-12-30 09:00") })).ok).toBe(true);
  });
  it("a start beyond the horizon is too far", () => {
    const d = decide(input({ request: at("2026-12-30 08:30", "2026-12-30 09:30") }));
    expect(d.violations).toEqual([{ code: "TOO_FAR", params: { horizonDays: 30 }, overridable: true }]);
  });
});

describe("OUTSIDE_HOURS", () => {
  const monday = { date: "2026-12-07", periods: "07.30–12.00, 13.00–16.00" };
  const friday = { date: "2026-12-11", periods: "07.30–11.30, 13.00–16.30" };

  it("the last slot of Monday, 15.30–16.00, is fine", () => {
    expect(decide(input({ request: at("2026-12-07 15:30", "2026-12-07 16:00") })).ok).toBe(true);
  });
  it("15.30–16.30 on Monday runs past closing", () => {
    const d = decide(input({ request: at("2026-12-07 15:30", "2026-12-07 16:30") }));
    expect(d.violations).toEqual([{ code: "OUTSIDE_HOURS", params: monday, overridable: false }]);
  });
  it("on Friday the unit stays open until 16.30", () => {
    expect(decide(input({ request: at("2026-12-11 15:30", "2026-12-11 16:30") })).ok).toBe(true);
  });
  it("a request across the Monday break 12.00–13.00 is outside hours", () => {
    const d = decide(input({ request: at("2026-12-07 11:30", "2026-12-07 13:00") }));
    expect(d.violations).toEqual([{ code: "OUTSIDE_HOURS", params: monday, overridable: false }]);
  });
  it("up to the start of the Monday break is fine, and so is from its end", () => {
    expect(decide(input({ request: at("2026-12-07 11:00", "2026-12-07 12:00") })).ok).toBe(true);
    expect(decide(input({ request: at("2026-12-07 13:00", "2026-12-07 14:00") })).ok).toBe(true);
  });
  it("Friday's break starts at 11.30: 11.00–12.00 is outside, 11.00–11.30 fine", () => {
    const d = decide(input({ request: at("2026-12-11 11:00", "2026-12-11 12:00") }));
    expect(d.violations).toEqual([{ code: "OUTSIDE_HOURS", params: friday, overridable: false }]);
    expect(decide(input({ request: at("2026-12-11 11:00", "2026-12-11 11:30") })).ok).toBe(true);
  });
  it("12.00–13.00 on a Friday is wholly in the break", () => {
    expect(codes(decide(input({ request: at("2026-12-11 12:00", "2026-12-11 13:00") })))).toEqual(["OUTSIDE_HOURS"]);
  });
  it("before opening is outside hours", () => {
    expect(codes(decide(input({ request: at("2026-12-07 07:00", "2026-12-07 08:00") })))).toEqual(["OUTSIDE_HOURS"]);
  });
  it("a Saturday has no open periods", () => {
    const d = decide(input({ request: at("2026-12-12 08:00", "2026-12-12 10:00") }));
    expect(d.violations).toEqual([
      { code: "OUTSIDE_HOURS", params: { date: "2026-12-12", periods: "" }, overridable: false },
    ]);
  });
  it("machine hours narrow the day and the message names the machine's periods", () => {
    const untilThree = machine({
      hours: { 1: [{ start: "07:30", end: "15:00" }], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] },
    });
    const d = decide(input({ machine: untilThree, request: at("2026-12-07 14:30", "2026-12-07 15:30") }));
    expect(d.violations).toEqual([
      {
        code: "OUTSIDE_HOURS",
        params: { date: "2026-12-07", periods: "07.30–12.00, 13.00–15.00" },
        overridable: false,
      },
    ]);
  });
  it("nobody overrides it: not a staff walk-in, not with a reason", () => {
    const d = decide(
      input({
        actor: MANAGER,
        request: { ...at("2026-12-07 16:00", "2026-12-07 17:00"), source: "walk_in", overrideReason: "lembur" },
      }),
    );
    expect(d).toMatchObject({ ok: false, status: null, overridden: [] });
    expect(codes(d)).toEqual(["OUTSIDE_HOURS"]);
  });
});

describe("CLOSED_DAY", () => {
  it("a request on Christmas Eve collective leave is CLOSED_DAY only, not also OUTSIDE_HOURS", () => {
    const d = decide(input({ request: at("2026-12-24 08:00", "2026-12-24 10:00") }));
    expect(d.violations).toEqual([{ code: "CLOSED_DAY", params: { date: "2026-12-24" }, overridable: false }]);
  });
  it("staff cannot override a closure day", () => {
    const d = decide(
      input({
        actor: TECHNICIAN,
        request: { ...at("2026-12-25 08:00", "2026-12-25 10:00"), overrideReason: "urgent" },
      }),
    );
    expect(codes(d)).toEqual(["CLOSED_DAY"]);
  });
  it("a request running into a closure day names that day; the open part is not outside hours", () => {
    const allDay = [{ start: "00:00", end: "24:00" }];
    const roundTheClock: FacilityCalendar = {
      timeZone: "Asia/Jakarta",
      hours: { 1: allDay, 2: allDay, 3: allDay, 4: allDay, 5: allDay, 6: allDay, 7: allDay },
      closures: new Set(["2026-12-24"]),
    };
    const d = decide(input({ calendar: roundTheClock, request: at("2026-12-23 22:00", "2026-12-24 02:00") }));
    expect(d.violations).toEqual([{ code: "CLOSED_DAY", params: { date: "2026-12-24" }, overridable: false }]);
  });
  it("a request ending at the midnight that starts a closure day does not touch it", () => {
    const allDay = [{ start: "00:00", end: "24:00" }];
    const roundTheClock: FacilityCalendar = {
      timeZone: "Asia/Jakarta",
      hours: { 1: allDay, 2: allDay, 3: allDay, 4: allDay, 5: allDay, 6: allDay, 7: allDay },
      closures: new Set(["2026-12-24"]),
    };
    expect(decide(input({ calendar: roundTheClock, request: at("2026-12-23 22:00", "2026-12-24 00:00") })).ok).toBe(
      true,
    );
  });
});

describe("MAINTENANCE", () => {
  it("overlapping a planned window names it", () => {
    const window = maintenanceWindow(5, wib("2026-12-07 09:00"), wib("2026-12-07 11:00"));
    const d = decide(input({ maintenance: [window] }));
    expect(d.violations).toEqual([
      {
        code: "MAINTENANCE",
        params: { kind: "planned" },
        conflict: { start: window.start, end: window.end as number, kind: "maintenance", id: 5 },
        overridable: false,
      },
    ]);
  });
  it("a window ending exactly when the request starts is fine", () => {
    const window = maintenanceWindow(5, wib("2026-12-07 07:30"), wib("2026-12-07 08:00"));
    expect(decide(input({ maintenance: [window] })).ok).toBe(true);
  });
  it("an open-ended breakdown blocks every later request and is marked open-ended", () => {
    const breakdown = maintenanceWindow(6, wib("2026-12-01 10:00"), null, "breakdown");
    const d = decide(input({ maintenance: [breakdown] }));
    expect(d.violations).toEqual([
      {
        code: "MAINTENANCE",
        params: { kind: "breakdown" },
        conflict: { start: breakdown.start, end: wib("2026-12-07 10:00"), kind: "maintenance", id: 6, openEnded: true },
        overridable: false,
      },
    ]);
  });
  it("one violation per conflicting window", () => {
    const windows = [
      maintenanceWindow(1, wib("2026-12-07 07:30"), wib("2026-12-07 08:30")),
      maintenanceWindow(2, wib("2026-12-07 13:00"), wib("2026-12-07 14:00")),
      maintenanceWindow(3, wib("2026-12-07 09:30"), wib("2026-12-07 12:00")),
    ];
    const d = decide(input({ maintenance: windows }));
    expect(d.violations.map((v) => v.conflict?.id)).toEqual([1, 3]);
  });
});

describe("OVERLAP", () => {
  it("a booking ending exactly when the request starts is fine, and one starting when it ends", () => {
    const bookings = [booking(1, "2026-12-07", "07:30", "08:00"), booking(2, "2026-12-07", "10:00", "11:00")];
    expect(decide(input({ bookings })).ok).toBe(true);
  });
  it("overlapping another IKM's booking gives its time, not its owner", () => {
    const other = booking(11, "2026-12-07", "09:00", "11:00");
    const d = decide(input({ bookings: [other] }));
    expect(d.violations).toEqual([
      {
        code: "OVERLAP",
        params: {},
        conflict: { start: other.start, end: other.end, kind: "booking", id: 11, ownIkm: false },
        overridable: false,
      },
    ]);
  });
  it("overlapping the IKM's own booking is marked as its own", () => {
    const own = booking(12, "2026-12-07", "07:30", "08:30", IKM_ID);
    expect(decide(input({ bookings: [own] })).violations[0].conflict?.ownIkm).toBe(true);
  });
  it("one violation per conflicting booking", () => {
    const bookings = [booking(1, "2026-12-07", "07:30", "08:30"), booking(2, "2026-12-07", "09:30", "11:00")];
    expect(decide(input({ bookings })).violations.map((v) => v.conflict?.id)).toEqual([1, 2]);
  });
  it("the booking being moved does not conflict with its new time", () => {
    const moving = booking(3, "2026-12-07", "07:30", "09:00", IKM_ID);
    expect(decide(input({ bookings: [moving], request: { excludeBookingId: 3 } })).ok).toBe(true);
  });
});

describe("BUFFER", () => {
  // The plating line needs 30 minutes between bookings.
  it("a buffer exactly met is fine on both sides", () => {
    // Request 08.00–10.00; one booking ends 30 minutes before it, one starts 30 minutes after.
    const bookings = [booking(1, "2026-12-07", "07:00", "07:30"), booking(2, "2026-12-07", "10:30", "11:30")];
    expect(decide(input({ machine: platingLine(), bookings })).ok).toBe(true);
  });
  it("a booking right after the request, with no gap, is too close", () => {
    const next = booking(4, "2026-12-07", "10:00", "11:00");
    const d = decide(input({ machine: platingLine(), bookings: [next] }));
    expect(d.violations).toEqual([
      {
        code: "BUFFER",
        params: { bufferMinutes: 30 },
        conflict: { start: next.start, end: next.end, kind: "booking", id: 4, ownIkm: false },
        overridable: false,
      },
    ]);
  });
  it("a gap shorter than the buffer before the request is too close", () => {
    const earlier = booking(5, "2026-12-07", "07:00", "07:45");
    expect(codes(decide(input({ machine: platingLine(), bookings: [earlier] })))).toEqual(["BUFFER"]);
  });
  it("an overlapping booking is OVERLAP, not also BUFFER", () => {
    const overlapping = booking(6, "2026-12-07", "09:00", "10:30");
    expect(codes(decide(input({ machine: platingLine(), bookings: [overlapping] })))).toEqual(["OVERLAP"]);
  });
  it("without a buffer, adjacent bookings are fine", () => {
    expect(decide(input({ bookings: [booking(7, "2026-12-07", "10:00", "11:00")] })).ok).toBe(true);
  });
});

describe("QUOTA_HOURS", () => {
  // 900 minutes already held in the week of Monday 7 December.
  const holdings = [at("2026-12-08 07:30", "2026-12-08 15:30"), at("2026-12-09 07:30", "2026-12-09 14:30")];

  it("reaching the weekly quota exactly is fine", () => {
    expect(
      decide(input({ ikm: { typeHoldings: holdings }, request: at("2026-12-10 08:00", "2026-12-10 09:00") })).ok,
    ).toBe(true);
  });
  it("going over it gives the quota, the minutes used and those requested", () => {
    const d = decide(input({ ikm: { typeHoldings: holdings }, request: at("2026-12-10 08:00", "2026-12-10 09:30") }));
    expect(d.violations).toEqual([
      {
        code: "QUOTA_HOURS",
        params: { quotaMinutes: 960, usedMinutes: 900, requestedMinutes: 90, weekStart: "2026-12-07" },
        overridable: true,
      },
    ]);
  });
  it("hours in another ISO week do not count", () => {
    expect(
      decide(input({ ikm: { typeHoldings: holdings }, request: at("2026-12-14 08:00", "2026-12-14 10:00") })).ok,
    ).toBe(true);
  });
  it("weeks are facility weeks: Sunday 23.00 WIB is last week, Monday 00.30 WIB this week, though both are the same UTC day", () => {
    const machineWithSmallQuota = machine({ rules: { weeklyQuotaMinutes: 60 } });
    const request = at("2026-12-14 08:00", "2026-12-14 08:30");
    const sundayNight = at("2026-12-13 22:30", "2026-12-13 23:30");
    const mondayEarly = at("2026-12-14 00:30", "2026-12-14 01:30");
    expect(decide(input({ machine: machineWithSmallQuota, ikm: { typeHoldings: [sundayNight] }, request })).ok).toBe(
      true,
    );
    const d = decide(input({ machine: machineWithSmallQuota, ikm: { typeHoldings: [mondayEarly] }, request }));
    expect(d.violations[0].params).toMatchObject({ usedMinutes: 60, requestedMinutes: 30, weekStart: "2026-12-14" });
  });
  it("a holding across the week boundary counts only its part in the week", () => {
    const machineWithSmallQuota = machine({ rules: { weeklyQuotaMinutes: 60 } });
    const acrossMidnight = at("2026-12-13 23:00", "2026-12-14 00:30");
    const d = decide(
      input({
        machine: machineWithSmallQuota,
        ikm: { typeHoldings: [acrossMidnight] },
        request: at("2026-12-14 08:00", "2026-12-14 09:00"),
      }),
    );
    expect(d.violations[0].params).toMatchObject({ usedMinutes: 30, requestedMinutes: 60 });
  });
  it("bookings on two machines at once both count (quota is per IKM, not per machine)", () => {
    const twice = [at("2026-12-08 07:30", "2026-12-08 15:30"), at("2026-12-08 07:30", "2026-12-08 15:30")];
    const d = decide(input({ ikm: { typeHoldings: twice }, request: at("2026-12-10 08:00", "2026-12-10 08:30") }));
    expect(d.violations[0].params).toMatchObject({ usedMinutes: 960 });
  });
});

describe("QUOTA_ACTIVE", () => {
  it("one booking more than the maximum of future bookings is refused", () => {
    const d = decide(input({ ikm: { activeBookings: 10 } }));
    expect(d.violations).toEqual([
      { code: "QUOTA_ACTIVE", params: { maxActive: 10, activeBookings: 10 }, overridable: true },
    ]);
  });
  it("the tenth booking is fine", () => {
    expect(decide(input({ ikm: { activeBookings: 9 } })).ok).toBe(true);
  });
  it("a backfilled past session adds no future booking", () => {
    const d = decide(
      input({
        actor: TECHNICIAN,
        ikm: { activeBookings: 10 },
        request: { ...at("2026-11-27 08:00", "2026-11-27 10:00"), source: "backfill" },
      }),
    );
    expect(d.ok).toBe(true);
  });
});

describe("NOT_QUALIFIED", () => {
  const strict = (operatorMode: "self" | "assisted" | "both") =>
    machine({ rules: { requiresQualification: true, operatorMode } });

  it("an IKM without a qualified member cannot run the machine itself", () => {
    const d = decide(input({ machine: strict("self"), ikm: { qualified: false } }));
    expect(d.violations).toEqual([{ code: "NOT_QUALIFIED", params: {}, overridable: false }]);
  });
  it("a qualified IKM can", () => {
    expect(decide(input({ machine: strict("self"), ikm: { qualified: true } })).ok).toBe(true);
  });
  it("an assisted booking needs no qualification: always on an assisted machine, by choice on a 'both' one", () => {
    expect(decide(input({ machine: strict("assisted"), ikm: { qualified: false } })).ok).toBe(true);
    expect(decide(input({ machine: strict("both"), ikm: { qualified: false }, request: { assisted: true } })).ok).toBe(
      true,
    );
    expect(
      codes(decide(input({ machine: strict("both"), ikm: { qualified: false }, request: { assisted: false } }))),
    ).toEqual(["NOT_QUALIFIED"]);
  });
  it("asking for assistance on a self-service machine does not make it assisted", () => {
    expect(
      codes(decide(input({ machine: strict("self"), ikm: { qualified: false }, request: { assisted: true } }))),
    ).toEqual(["NOT_QUALIFIED"]);
  });
});

describe("NO_OPERATOR", () => {
  const assistedMachine = machine({ rules: { operatorMode: "assisted" } });

  it("two back-to-back assisted bookings take one operator, leaving the second free", () => {
    // Both overlap the request, but never at the same time.
    const assistedBookings = [at("2026-12-07 08:00", "2026-12-07 09:00"), at("2026-12-07 09:00", "2026-12-07 10:00")];
    expect(decide(input({ machine: assistedMachine, operators: { operatorsOnDuty: 2, assistedBookings } })).ok).toBe(
      true,
    );
  });
  it("when both operators are busy at one moment, there is no operator", () => {
    const assistedBookings = [at("2026-12-07 07:30", "2026-12-07 10:00"), at("2026-12-07 09:30", "2026-12-07 11:00")];
    const d = decide(input({ machine: assistedMachine, operators: { operatorsOnDuty: 2, assistedBookings } }));
    expect(d.violations).toEqual([{ code: "NO_OPERATOR", params: { operatorsOnDuty: 2 }, overridable: false }]);
  });
  it("a self-service booking needs no operator", () => {
    const d = decide(input({ operators: { operatorsOnDuty: 0 } }));
    expect(d.ok).toBe(true);
    const both = machine({ rules: { operatorMode: "both" } });
    expect(decide(input({ machine: both, request: { assisted: false }, operators: { operatorsOnDuty: 0 } })).ok).toBe(
      true,
    );
    expect(
      codes(decide(input({ machine: both, request: { assisted: true }, operators: { operatorsOnDuty: 0 } }))),
    ).toEqual(["NO_OPERATOR"]);
  });
});

describe("MACHINE_INACTIVE", () => {
  it("a machine under maintenance status or retired takes no bookings", () => {
    for (const status of ["maintenance", "retired"] as const) {
      const d = decide(input({ machine: machine({ status }) }));
      expect(d.violations).toEqual([{ code: "MACHINE_INACTIVE", params: { status }, overridable: false }]);
    }
  });
});

describe("IKM_RESTRICTED", () => {
  const restrictedUntil = wib("2026-12-20 00:00");

  it("a restricted IKM's booking is accepted as pending, with a notice", () => {
    const d = decide(input({ ikm: { restrictedUntil } }));
    expect(d).toEqual({
      ok: true,
      status: "pending",
      violations: [],
      overridden: [],
      notices: [{ code: "IKM_RESTRICTED", params: { restrictedUntil }, overridable: true }],
    });
  });
  it("a restriction that ended at now no longer applies", () => {
    expect(decide(input({ ikm: { restrictedUntil: NOW } })).status).toBe("confirmed");
  });
  it("staff overriding it with a reason confirm the booking and record the override", () => {
    const d = decide(
      input({ actor: TECHNICIAN, ikm: { restrictedUntil }, request: { overrideReason: "sudah dikonfirmasi" } }),
    );
    expect(d).toMatchObject({ ok: true, status: "confirmed", notices: [] });
    expect(d.overridden.map((v) => v.code)).toEqual(["IKM_RESTRICTED"]);
  });
  it("staff without a reason leave it pending", () => {
    expect(decide(input({ actor: TECHNICIAN, ikm: { restrictedUntil } })).status).toBe("pending");
  });
  it("a refused request keeps the notice", () => {
    const d = decide(input({ ikm: { restrictedUntil }, request: at("2026-12-12 08:00", "2026-12-12 09:00") }));
    expect(d).toMatchObject({ ok: false, status: null });
    expect(d.notices.map((v) => v.code)).toEqual(["IKM_RESTRICTED"]);
  });
});

describe("approval", () => {
  const approvalMachine = machine({ rules: { requiresApproval: true } });

  it("an IKM booking on a machine that requires approval is pending", () => {
    expect(decide(input({ machine: approvalMachine }))).toMatchObject({ ok: true, status: "pending" });
  });
  it("staff are the approvers: their booking is confirmed", () => {
    expect(decide(input({ machine: approvalMachine, actor: TECHNICIAN }))).toMatchObject({
      ok: true,
      status: "confirmed",
    });
  });
});

describe("several violations and overrides", () => {
  // Christmas Eve (collective leave), 15 minutes off the grid, 45 minutes before it starts,
  // over another booking, for an IKM with ten future bookings and no qualified member.
  const messy = {
    now: wib("2026-12-24 07:30"),
    machine: machine({ rules: { requiresQualification: true } }),
    bookings: [booking(1, "2026-12-24", "08:00", "09:00")],
    ikm: { activeBookings: 10, qualified: false },
    request: at("2026-12-24 08:15", "2026-12-24 08:30"),
  };

  it("every violation is reported, in the order of the rule table", () => {
    expect(codes(decide(input(messy)))).toEqual([
      "MISALIGNED",
      "TOO_SHORT",
      "TOO_SOON",
      "CLOSED_DAY",
      "OVERLAP",
      "QUOTA_ACTIVE",
      "NOT_QUALIFIED",
    ]);
  });
  it("staff with a reason override the soft rules (quotas, horizon) but never the hard ones", () => {
    const busy = booking(9, "2027-01-04", "08:00", "09:00");
    const d = decide(
      input({
        actor: MANAGER,
        bookings: [busy],
        ikm: {
          activeBookings: 10,
          typeHoldings: [at("2027-01-05 07:30", "2027-01-05 15:30"), at("2027-01-06 07:30", "2027-01-06 15:30")],
        },
        request: { ...at("2027-01-04 08:00", "2027-01-04 10:00"), overrideReason: "pesanan pemerintah daerah" },
      }),
    );
    expect(d.ok).toBe(false);
    expect(codes(d)).toEqual(["OVERLAP"]);
    expect(d.overridden.map((v) => v.code)).toEqual(["TOO_FAR", "QUOTA_HOURS", "QUOTA_ACTIVE"]);
  });
  it("staff with a reason and only soft violations get a confirmed booking", () => {
    const d = decide(
      input({
        actor: MANAGER,
        ikm: { activeBookings: 12 },
        request: { ...at("2027-01-04 08:00", "2027-01-04 10:00"), overrideReason: "proyek" },
      }),
    );
    expect(d).toMatchObject({ ok: true, status: "confirmed", violations: [] });
    expect(d.overridden.map((v) => v.code)).toEqual(["TOO_FAR", "QUOTA_ACTIVE"]);
  });
  it("an IKM cannot override, even when it sends a reason", () => {
    const d = decide(input({ ikm: { activeBookings: 10 }, request: { overrideReason: "tolong" } }));
    expect(codes(d)).toEqual(["QUOTA_ACTIVE"]);
    expect(d.overridden).toEqual([]);
  });
  it("a blank reason is no reason", () => {
    const d = decide(input({ actor: TECHNICIAN, ikm: { activeBookings: 10 }, request: { overrideReason: "   " } }));
    expect(codes(d)).toEqual(["QUOTA_ACTIVE"]);
  });
});

describe("no two accepted bookings of a machine overlap, buffers included (property)", () => {
  const OPENING = [wib("2026-12-07 07:30"), wib("2026-12-08 07:30")];
  type Command =
    | { kind: "create"; ikmId: number; startSlot: number; slots: number; staff: boolean }
    | { kind: "move"; pick: number; startSlot: number; slots: number }
    | { kind: "cancel"; pick: number };

  // The 17 half-hour starts of Monday and of Tuesday from 07.30 to 15.30, so requests are
  // often inside opening hours and often collide.
  const startSlot = fc.integer({ min: 0, max: 2 * 17 - 1 });
  const slots = fc.integer({ min: 1, max: 6 });
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({
      kind: fc.constant("create" as const),
      ikmId: fc.integer({ min: 1, max: 4 }),
      startSlot,
      slots,
      staff: fc.boolean(),
    }),
    fc.record({ kind: fc.constant("move" as const), pick: fc.nat(), startSlot, slots }),
    fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
  );
  const slotStart = (n: number) => OPENING[Math.floor(n / 17)] + (n % 17) * 30 * MINUTE_MS;

  it("holds for any sequence of create, move and cancel", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(command, { minLength: 1, maxLength: 60 }), (plating, commands) => {
        const m = plating ? platingLine() : machine();
        const bufferMs = m.rules.bufferMinutes * MINUTE_MS;
        let held: BusyBooking[] = [];
        let nextId = 1;
        for (const c of commands) {
          if (c.kind === "cancel") {
            if (held.length > 0) held = held.filter((_, i) => i !== c.pick % held.length);
            continue;
          }
          const moved = c.kind === "move" && held.length > 0 ? held[c.pick % held.length] : undefined;
          if (c.kind === "move" && !moved) continue;
          const start = slotStart(c.startSlot);
          const request = {
            start,
            end: start + c.slots * 30 * MINUTE_MS,
            ikmId: moved?.ikmId ?? (c.kind === "create" ? c.ikmId : 1),
            excludeBookingId: moved?.id,
          };
          const others = held.filter((b) => b.id !== moved?.id);
          const actor = c.kind === "create" && c.staff ? TECHNICIAN : undefined;
          const d = decide(input({ machine: m, actor, bookings: others, request }));
          if (!d.ok) continue;
          const accepted = {
            id: moved?.id ?? nextId++,
            ikmId: request.ikmId,
            assisted: false,
            start: request.start,
            end: request.end,
          };
          held = [...others, accepted];
        }
        for (const a of held) {
          for (const b of held) {
            if (a !== b) expect(gapMs(a, b)).toBeGreaterThanOrEqual(bufferMs);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
