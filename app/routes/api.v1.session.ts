import { LoginSchema } from "~/schemas/auth";
import { ApiError, apiRoute, apiUser, bearerToken, json, parseWith, readJson } from "~/utils/api.server";
import { attemptLogin, toAuthUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { createSession, revokeToken } from "~/utils/session.server";
import { apiUserJson } from "~/services/api/views.server";

const route = apiRoute({
  /** Log in: {login, password} → {token, expiresAt, user}. Rate limited like the login page. */
  async POST({ request, ip, requestId }) {
    const body = parseWith(LoginSchema, await readJson(request));
    const result = await attemptLogin(body.login, body.password, ip, requestId);
    if (!result.ok) {
      if (result.reason === "rate_limited") {
        throw new ApiError(429, "rate_limited", "api.error.rateLimited", { retryAfterMinutes: result.retryAfterMinutes }, { "Retry-After": String(result.retryAfterMinutes * 60) });
      }
      throw new ApiError(401, result.reason === "inactive" ? "inactive" : "invalid_credentials", result.reason === "inactive" ? "login.error.inactive" : "login.error.invalid");
    }
    const session = await createSession(db(), result.user.id, "api", request.headers.get("User-Agent") ?? "", now());
    return json({ token: session.token, expiresAt: new Date(session.expiresAt).toISOString(), user: apiUserJson(toAuthUser(result.user)) });
  },
  /** Revoke the bearer token (a token that is not valid is a 401, like everywhere else). */
  async DELETE({ request }) {
    await apiUser(request);
    await revokeToken(db(), bearerToken(request) as string, now());
    return new Response(null, { status: 204 });
  },
});

export const loader = route.loader;
export const action = route.action;
