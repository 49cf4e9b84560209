import { describe, expect, it } from "vitest";
import { buildCalendar, foldLine, icsDateTime, icsEscape } from "./ics.server";

const octets = (s: string) => new TextEncoder().encode(s).length;

describe("iCalendar text escaping (RFC 5545 §3.3.11)", () => {
  it("escapes backslash, semicolon and comma, and writes line breaks as \\n", () => {
    expect(icsEscape("a\\b;c,d")).toBe("a\\\\b\\;c\\,d");
    expect(icsEscape("baris 1\nbaris 2\r\nbaris 3\rbaris 4")).toBe("baris 1\\nbaris 2\\nbaris 3\\nbaris 4");
  });
  it("leaves colons and ordinary text alone", () => {
    expect(icsEscape("Status: Terkonfirmasi")).toBe("Status: Terkonfirmasi");
  });
});

describe("line folding at 75 octets (RFC 5545 §3.1)", () => {
  it("keeps a short line as it is", () => {
    expect(foldLine("SUMMARY:PRS-01 Press")).toBe("SUMMARY:PRS-01 Press");
  });
  it("folds a long line so no physical line exceeds 75 octets, continuations starting with a space", () => {
    const line = `DESCRIPTION:${"x".repeat(200)}`;
    const folded = foldLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBe(3);
    for (const p of parts) expect(octets(p)).toBeLessThanOrEqual(75);
    expect(octets(parts[0])).toBe(75);
    expect(parts.slice(1).every((p) => p.startsWith(" "))).toBe(true);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(line);
  });
  it("never splits a multi-byte UTF-8 character", () => {
    const line = `SUMMARY:${"é😀".repeat(40)}`;
    const parts = foldLine(line).split("\r\n");
    for (const p of parts) {
      expect(octets(p)).toBeLessThanOrEqual(75);
      expect(p).not.toContain("\uFFFD");
    }
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(line);
  });
});

describe("calendar document", () => {
  it("writes UTC date-times and CRLF line ends, with every event field", () => {
    expect(icsDateTime(Date.UTC(2026, 11, 8, 1, 30))).toBe("20261208T013000Z");
    const body = buildCalendar({
      name: "Giliran – Knalpot Jaya",
      refreshMinutes: 60,
      events: [
        {
          uid: "booking-7@giliran",
          stamp: Date.UTC(2026, 10, 30, 2),
          created: Date.UTC(2026, 10, 30, 2),
          lastModified: Date.UTC(2026, 10, 30, 2),
          sequence: 0,
          start: Date.UTC(2026, 11, 8, 1),
          end: Date.UTC(2026, 11, 8, 3),
          summary: "PRS-01 Press Hidrolik 100 Ton",
          location: "UPTD Logam Purbalingga, Gedung A",
          description: "Press bodi; 50 buah, cepat\\nStatus: Terkonfirmasi",
          status: "CONFIRMED",
        },
      ],
    });
    expect(body.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(body.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(body.split("\r\n").every((l) => !l.includes("\n"))).toBe(true);
    expect(body).toContain("UID:booking-7@giliran\r\n");
    expect(body).toContain("DTSTART:20261208T010000Z\r\n");
    expect(body).toContain("DTEND:20261208T030000Z\r\n");
    expect(body).toContain("DTSTAMP:20261130T020000Z\r\n");
    expect(body).toContain("SUMMARY:PRS-01 Press Hidrolik 100 Ton\r\n");
    expect(body).toContain("LOCATION:UPTD Logam Purbalingga\\, Gedung A\r\n");
    expect(body).toContain("DESCRIPTION:Press bodi\\; 50 buah\\, cepat\\\\nStatus: Terkonfirmasi\r\n");
    expect(body).toContain("STATUS:CONFIRMED\r\n");
    expect(body).toContain("X-WR-CALNAME:Giliran – Knalpot Jaya\r\n");
  });
});
