import { z } from "zod";

/** Messages are i18n keys; the page or the API translates them into the caller's language. */
export const LoginSchema = z.object({
  login: z
    .string({ error: "login.error.loginRequired" })
    .trim()
    .min(1, "login.error.loginRequired")
    .max(254, "login.error.tooLong"),
  password: z
    .string({ error: "login.error.passwordRequired" })
    .min(1, "login.error.passwordRequired")
    .max(200, "login.error.tooLong"),
}).meta({ id: "Login" });
export type LoginInput = z.infer<typeof LoginSchema>;
