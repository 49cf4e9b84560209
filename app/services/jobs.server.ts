/**
 * Background jobs of the server process (waitlist offer expiry, allocation-round cut-offs,
 * reminders). Each job is a service function; this module only schedules them.
 */
type Job = { name: string; everyMs: number; run: () => Promise<unknown> };

const jobs: Job[] = [];
const timers: NodeJS.Timeout[] = [];

export function registerJob(job: Job): void {
  jobs.push(job);
}

export function startJobs(): void {
  for (const job of jobs) {
    const t = setInterval(() => {
      job.run().catch((error) => console.error(JSON.stringify({ level: "error", job: job.name, error: String(error) })));
    }, job.everyMs);
    t.unref();
    timers.push(t);
  }
}

export function stopJobs(): void {
  for (const t of timers.splice(0)) clearInterval(t);
}

/** Run every job once, in registration order (tests, and an operator's manual run). */
export async function runJobs(): Promise<void> {
  for (const job of jobs) await job.run();
}
