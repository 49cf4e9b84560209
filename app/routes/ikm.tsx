import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BookingList } from "~/components/BookingList";
import { useT } from "~/i18n/react";
import { listBookings } from "~/models/booking.server";
import { listMachines } from "~/models/machine.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "booking:own");
  const [upcoming, machines] = await Promise.all([
    listBookings(db(), { ikmId: user.ikmId ?? -1, from: now(), statuses: ["pending", "confirmed", "checked_in"], limit: 5 }),
    listMachines(db()),
  ]);
  return {
    name: user.name,
    upcoming: upcoming.map((b) => ({ id: b.id, start: b.start_at, end: b.end_at, status: b.status, machine: `${b.machine_code} · ${b.machine_name}` })),
    machines: machines.map((m) => ({ id: m.id, code: m.code, name: m.name, type: m.type_name, status: m.status })),
  };
}

export default function IkmHome() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("home.hello", { name: d.name })}</h1>
      <p>
        <Link className="button primary block" to="/jadwal">
          {t("home.ikm.bookNow")}
        </Link>
      </p>
      <section className="card">
        <h2>{t("home.ikm.upcoming")}</h2>
        {d.upcoming.length ? <BookingList items={d.upcoming} /> : <p className="muted">{t("home.ikm.noUpcoming")}</p>}
      </section>
      <section className="card">
        <h2>{t("home.ikm.machines")}</h2>
        <ul className="plain-list">
          {d.machines.map((m) => (
            <li key={m.id}>
              <Link to={`/mesin/${m.id}`}>
                <strong>{m.code}</strong> {m.name}
              </Link>{" "}
              <span className="muted">· {m.type}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
