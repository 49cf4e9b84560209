import { openDatabase } from "./connection";
import { migrateToLatest } from "./migrate";

const url = process.env.DATABASE_URL ?? "./data/giliran.db";
const { db, close } = openDatabase(url);
const applied = await migrateToLatest(db);
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
await close();
