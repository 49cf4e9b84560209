import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BookingList } from "~/components/BookingList";
import { useT } from "~/i18n/react";
import { listBookings } from "~/models/booking.server";
import { localDayRange } from "~/services/facility.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "floor:operate");
  const { start, end } = await localDayRange(now());
  const rows = await listBookings(db(), { from: start, to: end, statuses: ["pending", "confirmed", "checked_in", "completed", "no_show"] });
  return {
    items: rows.map((b) => ({ id: b.id, start: b.start_at, end: b.end_at, status: b.status, machine: `${b.machine_code} · ${b.machine_name}`, ikm: b.ikm_name })),
  };
}

export default function TechnicianToday() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("home.tech.title")}</h1>
      <section className="card">{d.items.length ? <BookingList items={d.items} /> : <p className="muted">{t("home.tech.empty")}</p>}</section>
    </>
  );
}
