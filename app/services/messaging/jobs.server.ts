/** Background jobs of the IKM area, registered when the server bundle loads (entry.server.tsx imports this). */
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { registerJob } from "../jobs.server";
import { sendReminders } from "./reminders.server";

registerJob({ name: "reminders", everyMs: 10 * 60_000, run: () => sendReminders(db(), now()) });
