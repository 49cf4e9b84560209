/**
 * A small iCalendar (RFC 5545) writer for the personal calendar feed: text escaping (§3.3.11),
 * line folding at 75 octets without splitting a UTF-8 character (§3.1), UTC date-times, and
 * CRLF line ends. Pure: no database, no clock.
 */

export type IcsStatus = "CONFIRMED" | "TENTATIVE" | "CANCELLED";

export interface IcsEvent {
  uid: string;
  /** When this version of the event was made (the booking's last change). */
  stamp: number;
  start: number;
  end: number;
  summary: string;
  location: string;
  description: string;
  status: IcsStatus;
  /** Grows with every change so subscribers replace their copy. */
  sequence: number;
  lastModified: number;
  created: number;
}

export interface IcsCalendar {
  name: string;
  /** Suggested refresh interval in minutes (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
  refreshMinutes: number;
  events: IcsEvent[];
}

const CRLF = "\r\n";
const MAX_OCTETS = 75;

/** TEXT value escaping: backslash, semicolon, comma, and line breaks as \n. */
export function icsEscape(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** 20261201T020000Z */
export function icsDateTime(instant: number): string {
  return new Date(instant).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

const encoder = new TextEncoder();

/**
 * Fold one content line: no physical line longer than 75 octets (CRLF excluded); each
 * continuation starts with one space, which counts. Characters are never split.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= MAX_OCTETS) return line;
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = MAX_OCTETS - 1; // the leading space of a continuation line
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

function prop(name: string, value: string): string {
  return foldLine(`${name}:${value}`);
}

export function buildCalendar(cal: IcsCalendar): string {
  const lines: string[] = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Giliran//Pemesanan Mesin UPTD//ID",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    prop("X-WR-CALNAME", icsEscape(cal.name)),
    `REFRESH-INTERVAL;VALUE=DURATION:PT${cal.refreshMinutes}M`,
    `X-PUBLISHED-TTL:PT${cal.refreshMinutes}M`,
  ];
  for (const e of cal.events) {
    lines.push(
      "BEGIN:VEVENT",
      prop("UID", e.uid),
      `DTSTAMP:${icsDateTime(e.stamp)}`,
      `DTSTART:${icsDateTime(e.start)}`,
      `DTEND:${icsDateTime(e.end)}`,
      `CREATED:${icsDateTime(e.created)}`,
      `LAST-MODIFIED:${icsDateTime(e.lastModified)}`,
      `SEQUENCE:${e.sequence}`,
      prop("SUMMARY", icsEscape(e.summary)),
      prop("LOCATION", icsEscape(e.location)),
      prop("DESCRIPTION", icsEscape(e.description)),
      `STATUS:${e.status}`,
      `TRANSP:${e.status === "CANCELLED" ? "TRANSPARENT" : "OPAQUE"}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.join(CRLF) + CRLF;
}
