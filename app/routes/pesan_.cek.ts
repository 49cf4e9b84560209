/**
 * The booking form's live check (GET /pesan/cek?machineId=&date=&start=&end=&weeks=…): the
 * engine's verdict on what is being chosen, as sentences, WITHOUT writing anything. Loaded by
 * the form with useFetcher while the member chooses.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { BookingFormSchema, decisionSignature } from "~/schemas/ikm-booking";
import { fieldErrors } from "~/schemas/parse";
import { bookingFormFailure, checkForm } from "~/services/booking/form.server";
import { forbidden, requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

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
    return json({ signature: decisionSignature(parsed.data), errors: bookingFormFailure(error).errors } as CheckResult);
  }
}
