/** Environment variables, parsed once with zod at start-up. A bad value stops the server with a clear message. */
import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1, "DATABASE_URL must not be empty").default("./data/giliran.db"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  SESSION_SECRET: z.string().optional(),
  DEMO_PASSWORD: z.string().min(8, "DEMO_PASSWORD must have at least 8 characters").default("giliran-demo"),
  /** Set to "0" to start without seeding the demo on an empty database. */
  SEED_DEMO: z.enum(["0", "1"]).default("1"),
  LOG_REQUESTS: z.enum(["0", "1"]).default("1"),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | null = null;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  if (parsed.data.NODE_ENV === "production" && !parsed.data.SESSION_SECRET) {
    throw new Error("Invalid environment:\n  SESSION_SECRET: required when NODE_ENV=production");
  }
  cached = parsed.data;
  return cached;
}
