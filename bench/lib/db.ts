/**
 * Benchmark databases: deleting a SQLite file with its WAL companions, and a private temporary
 * copy of a database (a benchmark must never dirty the data set it measures).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";

/** Deletes a SQLite file and its -wal and -shm files, if present. */
export function removeDatabase(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
}

export interface TempCopy {
  file: string;
  /** Deletes the copy (and its WAL files). */
  remove(): void;
}

/**
 * A consistent copy of `source` in a fresh temporary directory, made with SQLite's online
 * backup, so it is safe while another process reads (or writes) the source.
 */
export async function tempCopy(source: string, label = "bench"): Promise<TempCopy> {
  if (!fs.existsSync(source)) throw new Error(`No database at ${source}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `giliran-${label}-`));
  const file = path.join(dir, path.basename(source));
  const src = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    await src.backup(file);
  } finally {
    src.close();
  }
  return {
    file,
    remove: () => {
      removeDatabase(file);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A path for a new temporary database (its directory is created, the file is not). */
export function tempDatabasePath(label: string, name = "bench.db"): TempCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `giliran-${label}-`));
  const file = path.join(dir, name);
  return {
    file,
    remove: () => {
      removeDatabase(file);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
