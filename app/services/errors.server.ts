/** Errors that services throw for the route (page or API) to turn into a response. */
export type ServiceErrorCode = "not_found" | "forbidden" | "invalid" | "invalid_state";

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    /** An i18n key describing the problem to the user. */
    readonly messageKey: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(messageKey);
  }
}

export const notFound = () => new ServiceError("not_found", "error.notFound.title");
