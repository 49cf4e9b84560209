/**
 * Closure days (national holidays, collective leave, the facility's own days off): add, remove,
 * and import a year's list from a CSV `date,kind,name` — all rows or none.
 */
import { type Db, type DbOrTx, immediate } from "#db/connection";
import type { ClosureDay } from "#db/schema";
import { SLOT_HOLDING_STATUSES } from "#db/schema";
import { loadFacility } from "~/models/scheduling.server";
import { CLOSURE_KINDS, type ClosureInput, ClosureSchema } from "~/schemas/admin";
import { type AdminCtx, fieldError, nextDateKey, startOfLocalDate } from "./common.server";
import { audit } from "../audit.server";
import { notFound } from "../errors.server";

const HOLDING = SLOT_HOLDING_STATUSES as unknown as string[];
export const CSV_MAX_BYTES = 256 * 1024;
const CSV_MAX_ROWS = 2000;

/** Slot-holding bookings on a local date (they would now fall on a closure day). */
export async function bookingsOnDate(db: DbOrTx, date: string, timeZone: string): Promise<number> {
  const start = startOfLocalDate(date, timeZone);
  const end = startOfLocalDate(nextDateKey(date), timeZone);
  const row = await db
    .selectFrom("bookings")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("start_at", "<", end)
    .where("end_at", ">", start)
    .where("start_at", ">", start - 2 * 86_400_000)
    .where("status", "in", HOLDING)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function addClosure(db: Db, ctx: AdminCtx, input: ClosureInput): Promise<{ closure: ClosureDay; bookings: number }> {
  return immediate(db, async (trx) => {
    const existing = await trx.selectFrom("closure_days").selectAll().where("date", "=", input.date).executeTakeFirst();
    if (existing) throw fieldError("date", "admin.closure.v.exists", { name: existing.name });
    const closure = await trx.insertInto("closure_days").values({ ...input, created_at: ctx.now }).returningAll().executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: ctx.user.id, action: "closure.create", entity: "closure_day", entityId: closure.date, after: closure, requestId: ctx.requestId, at: ctx.now });
    const { time_zone } = await loadFacility(trx);
    return { closure, bookings: await bookingsOnDate(trx, closure.date, time_zone) };
  });
}

export async function removeClosure(db: Db, ctx: AdminCtx, date: string): Promise<void> {
  await immediate(db, async (trx) => {
    const before = await trx.selectFrom("closure_days").selectAll().where("date", "=", date).executeTakeFirst();
    if (!before) throw notFound();
    await trx.deleteFrom("closure_days").where("date", "=", date).execute();
    await audit(trx, { actorUserId: ctx.user.id, action: "closure.delete", entity: "closure_day", entityId: date, before, requestId: ctx.requestId, at: ctx.now });
  });
}

/** One line of CSV: fields split on `separator`, "quoted, fields" and "" escapes allowed. */
export function splitCsvLine(line: string, separator = ","): string[] | null {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  let wasQuoted = false;
  while (i <= line.length) {
    const c = line[i];
    if (quoted) {
      if (c === undefined) return null; // unterminated quote
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === undefined || c === separator) {
      out.push(wasQuoted ? field : field.trim());
      field = "";
      wasQuoted = false;
      i++;
      continue;
    }
    if (c === '"' && field.trim() === "") {
      quoted = true;
      wasQuoted = true;
      field = "";
      i++;
      continue;
    }
    field += c;
    i++;
  }
  return out;
}

export interface CsvProblem {
  line: number;
  messageKey: string;
  params?: Record<string, string | number>;
}

export type ImportResult =
  | { ok: true; added: string[]; updated: string[]; unchanged: string[]; bookings: Array<{ date: string; count: number }> }
  | { ok: false; problems: CsvProblem[] };

type Column = "date" | "kind" | "name";

/** What a column's header may say: the documented English names, or Indonesian ones. */
const COLUMN_NAMES: Record<Column, readonly string[]> = { date: ["date", "tanggal"], kind: ["kind", "jenis"], name: ["name", "nama"] };

/** Kinds as people write them in Indonesian (any case), beside the codes themselves. */
const KIND_WORDS: Record<string, (typeof CLOSURE_KINDS)[number]> = {
  "libur nasional": "holiday",
  "cuti bersama": "collective_leave",
  fasilitas: "facility",
  "libur fasilitas": "facility",
  "libur uptd": "facility",
};

/**
 * The header's columns, in the file's order, with the separator that gives them: "," (the
 * documented file) or ";" (what a spreadsheet set to Indonesian saves). Null when neither
 * separator gives exactly date, kind and name (English or Indonesian, any order).
 */
function readHeader(line: string): { separator: string; order: Column[] } | null {
  for (const separator of [",", ";"]) {
    const cells = (splitCsvLine(line, separator) ?? []).map((h) => h.trim().toLowerCase());
    const order = cells.map((h) => (Object.keys(COLUMN_NAMES) as Column[]).find((c) => COLUMN_NAMES[c].includes(h)));
    if (order.length === 3 && new Set(order).size === 3 && order.every((c) => c !== undefined)) return { separator, order: order as Column[] };
  }
  return null;
}

/** A date as written: YYYY-MM-DD, or DD/MM/YYYY (a spreadsheet in Indonesian) turned into it. */
function isoDate(raw: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw.trim());
  return m ? `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}` : raw.trim();
}

/** Parse and check every row; the problems name their line (the header is line 1). */
export function parseClosureCsv(text: string): { rows: Array<ClosureInput & { line: number }>; problems: CsvProblem[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const problems: CsvProblem[] = [];
  const rows: Array<ClosureInput & { line: number }> = [];
  const header = readHeader(lines[0] ?? "");
  if (!header) return { rows, problems: [{ line: 1, messageKey: "admin.closure.csv.header" }] };
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    if (lines[i].trim() === "") continue;
    if (rows.length + problems.length >= CSV_MAX_ROWS) {
      problems.push({ line, messageKey: "admin.closure.csv.tooMany", params: { max: CSV_MAX_ROWS } });
      break;
    }
    const cells = splitCsvLine(lines[i], header.separator);
    if (cells?.length !== 3) {
      problems.push({ line, messageKey: "admin.closure.csv.columns" });
      continue;
    }
    const cell = (c: Column) => cells[header.order.indexOf(c)] as string;
    const [date, kind, name] = [cell("date"), cell("kind"), cell("name")];
    const parsed = ClosureSchema.safeParse({ date: isoDate(date), kind: KIND_WORDS[kind.trim().toLowerCase().replace(/\s+/g, " ")] ?? kind.trim(), name });
    if (!parsed.success) {
      const field = String(parsed.error.issues[0].path[0] ?? "");
      const key = field === "date" ? "admin.closure.csv.date" : field === "kind" ? "admin.closure.csv.kind" : "admin.closure.csv.name";
      problems.push({ line, messageKey: key, params: { value: field === "date" ? date : field === "kind" ? kind : name, kinds: CLOSURE_KINDS.join(", ") } });
      continue;
    }
    const first = seen.get(parsed.data.date);
    if (first !== undefined) {
      problems.push({ line, messageKey: "admin.closure.csv.duplicate", params: { value: parsed.data.date, first } });
      continue;
    }
    seen.set(parsed.data.date, line);
    rows.push({ ...parsed.data, line });
  }
  if (!rows.length && !problems.length) problems.push({ line: 2, messageKey: "admin.closure.csv.empty" });
  return { rows, problems };
}

/** Import a CSV: every row valid, or nothing is written. Existing dates are updated. */
export async function importClosures(db: Db, ctx: AdminCtx, text: string): Promise<ImportResult> {
  const { rows, problems } = parseClosureCsv(text);
  if (problems.length) return { ok: false, problems };
  return immediate(db, async (trx) => {
    const added: string[] = [];
    const updated: string[] = [];
    const unchanged: string[] = [];
    const bookings: Array<{ date: string; count: number }> = [];
    const { time_zone } = await loadFacility(trx);
    for (const r of rows) {
      const before = await trx.selectFrom("closure_days").selectAll().where("date", "=", r.date).executeTakeFirst();
      if (before && before.kind === r.kind && before.name === r.name) {
        unchanged.push(r.date);
        continue;
      }
      if (before) {
        const after = await trx.updateTable("closure_days").set({ kind: r.kind, name: r.name }).where("date", "=", r.date).returningAll().executeTakeFirstOrThrow();
        await audit(trx, { actorUserId: ctx.user.id, action: "closure.import_update", entity: "closure_day", entityId: r.date, before, after, requestId: ctx.requestId, at: ctx.now });
        updated.push(r.date);
      } else {
        const after = await trx.insertInto("closure_days").values({ date: r.date, kind: r.kind, name: r.name, created_at: ctx.now }).returningAll().executeTakeFirstOrThrow();
        await audit(trx, { actorUserId: ctx.user.id, action: "closure.import_create", entity: "closure_day", entityId: r.date, after, requestId: ctx.requestId, at: ctx.now });
        added.push(r.date);
      }
      const count = await bookingsOnDate(trx, r.date, time_zone);
      if (count) bookings.push({ date: r.date, count });
    }
    return { ok: true, added, updated, unchanged, bookings };
  });
}
