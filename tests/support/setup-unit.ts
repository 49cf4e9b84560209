/**
 * Property tests replay: every unit-test file runs its fast-check properties with one seed, taken
 * from FC_SEED when set (CI sets it, so a run can be repeated exactly) or drawn at random; a
 * failing test prints the seed to replay it with (fast-check's own message adds the path).
 */
import fc from "fast-check";
import { afterEach } from "vitest";

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 0x7fffffff);
fc.configureGlobal({ seed });

afterEach((context) => {
  if (context.task.result?.state === "fail") console.error(`fast-check seed of this run: ${seed} — replay with FC_SEED=${seed}`);
});
