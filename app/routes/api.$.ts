import { ApiError, apiRoute } from "~/utils/api.server";

/** Any other /api/… path: a JSON 404, never the HTML page. */
const route = apiRoute({
  async GET() {
    throw new ApiError(404, "no_route", "api.error.noRoute");
  },
  async POST() {
    throw new ApiError(404, "no_route", "api.error.noRoute");
  },
  async PATCH() {
    throw new ApiError(404, "no_route", "api.error.noRoute");
  },
  async DELETE() {
    throw new ApiError(404, "no_route", "api.error.noRoute");
  },
});

export const loader = route.loader;
export const action = route.action;
