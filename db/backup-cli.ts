/**
 * npm run db:backup -- <file>: a consistent online copy of the SQLite database while the server
 * keeps writing (SQLite's backup API through better-sqlite3). Restore: stop the server, copy the
 * backup over DATABASE_URL's file (and remove its -wal/-shm files), start the server.
 * On PostgreSQL it refuses and names pg_dump, the server's own online backup.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { parseDatabaseUrl } from "./connection";

const target = process.argv[2];
if (!target) {
  console.error("Usage: npm run db:backup -- <backup file>");
  process.exit(1);
}
const source = parseDatabaseUrl(process.env.DATABASE_URL ?? "./data/giliran.db");
if (source.kind === "postgres") {
  console.error(
    `npm run db:backup copies a SQLite database; DATABASE_URL is PostgreSQL (postgres://${source.label}).\n` +
      "Back it up with PostgreSQL's own tool while the server runs, e.g.:\n" +
      `  pg_dump --format=custom --file=${target} "$DATABASE_URL"\n` +
      'and restore with pg_restore --clean --dbname="$DATABASE_URL" <file>.',
  );
  process.exit(1);
}
if (!fs.existsSync(source.file)) {
  console.error(`No database at ${source.file}`);
  process.exit(1);
}
const out = path.resolve(target);
if (fs.existsSync(out)) {
  console.error(`${out} exists already; choose a new file name.`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
const db = new Database(source.file, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 10000");
const started = Date.now();
// All pages in one step, inside one read transaction: copied in 100-page steps, the backup starts
// over whenever another connection changes the file between steps — and the server's WAL
// checkpointer (db/checkpointer.ts) does so twice a second, so a busy server's backup never ended.
await db.backup(out, { progress: () => 0x7fffffff });
db.close();
const check = new Database(out, { readonly: true });
const integrity = check.pragma("integrity_check", { simple: true });
check.close();
if (integrity !== "ok") {
  console.error(`The backup failed its integrity check: ${integrity}`);
  process.exit(1);
}
console.log(`Backup written to ${out} (${fs.statSync(out).size} bytes, ${Date.now() - started} ms, integrity ok).`);
