/**
 * The booking form's live check (GET /pesan/cek?machineId=&date=&start=&end=&weeks=…): the
 * engine's verdict on what is being chosen, as sentences, WITHOUT writing anything. Loaded by
 * the form with useFetcher while the member chooses.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { BookingFormSchema, decisionSignature } from "~/schemas/ikm-booking";
import { fieldErrors } from "~/schemas/parse";
import { checkForm } from "~/services/booking/form.server";
import { ServiceError } from "~/services/errors.server";
import { forbidden, requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { failureOf } from "~/utils/forms.server";
import { flatFormErrors } from "~/utils/form-errors";

type CheckResult = Awaited<ReturnType<typeof checkForm>> | { signature: string; errors: Record<string, string> };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user, "booking:make")) throw forbidden();
  const raw = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = BookingFormSchema.safeParse(raw);
  // A resource route answers with a Response (json keeps the fetcher's types).
  if (!parsed.success) return json({ signature: "", errors: fieldErrors(parsed.error) } as CheckResult);
  try {
    return json((await checkForm(db(), { user, now: now() }, parsed.data, user.language)) as CheckResult);
  } catch (error) {
    const errors =
      error instanceof ServiceError && error.code === "not_found" ? { machineId: "ikm.form.error.machine" } : flatFormErrors(failureOf(error).errors).errors;
    return json({ signature: decisionSignature(parsed.data), errors } as CheckResult);
  }
}
