import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "./checkpointer";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A WAL database whose writer never checkpoints by itself, with `rows` rows written. */
function writer(rows: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "giliran-ckpt-"));
  dirs.push(dir);
  const file = path.join(dir, "t.db");
  const db = new SqliteDatabase(file);
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("create table t (id integer primary key, v text)");
  const insert = db.prepare("insert into t (v) values (?)");
  for (let i = 0; i < rows; i++) insert.run("x".repeat(200));
  return { db, file };
}

describe("the WAL checkpointer (a worker thread)", () => {
  it("copies committed pages into the database while the writer keeps its connection open", async () => {
    const { db, file } = writer(3000);
    const mainBefore = fs.statSync(file).size;
    const ckpt = startCheckpointer(file, 20);
    try {
      const until = Date.now() + 5000;
      const copied = mainBefore + 3000 * 200;
      // Until the checkpoint has copied the rows (the file grows page by page while it runs:
      // the first change of size is not yet the end of it).
      while (Date.now() < until && fs.statSync(file).size <= copied) await new Promise((r) => setTimeout(r, 20));
      // The database file grew by the rows the WAL held, and every row is readable.
      expect(fs.statSync(file).size).toBeGreaterThan(copied);
      expect((db.prepare("select count(*) n from t").get() as { n: number }).n).toBe(3000);
      // Writes go on while it runs; nothing is lost.
      db.prepare("insert into t (v) values (?)").run("after");
      expect((db.prepare("select count(*) n from t").get() as { n: number }).n).toBe(3001);
    } finally {
      await ckpt.stop();
      db.close();
    }
  });

  it("stops cleanly, and never holds the write lock away from the app", async () => {
    const { db, file } = writer(10);
    db.pragma("busy_timeout = 0"); // any wait for a lock fails at once with SQLITE_BUSY
    const ckpt = startCheckpointer(file, 1);
    try {
      for (let i = 0; i < 200; i++) {
        // BEGIN IMMEDIATE on the app's connection must never fail with SQLITE_BUSY because of it.
        db.transaction(() => db.prepare("insert into t (v) values (?)").run(String(i))).immediate();
      }
    } finally {
      await ckpt.stop();
    }
    expect((db.prepare("select count(*) n from t").get() as { n: number }).n).toBe(210);
    db.close();
  });
});
