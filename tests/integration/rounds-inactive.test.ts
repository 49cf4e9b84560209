/** A deactivated IKM takes no part in an allocation round: its requests are withdrawn, nothing is granted to it. */
import { expect, it } from "vitest";
import { loadApp } from "../support/app";

it("allocation withdraws the requests of a deactivated IKM and grants it nothing", async () => {
  const app = await loadApp();
  const round = await app.db.selectFrom("allocation_rounds").selectAll().where("status", "=", "open").executeTakeFirstOrThrow();
  const requests = await app.db.selectFrom("allocation_requests").selectAll().where("round_id", "=", round.id).where("status", "=", "requested").execute();
  expect(requests.length).toBeGreaterThan(2);
  const gone = requests[0].ikm_id;
  await app.db.updateTable("ikms").set({ active: 0 }).where("id", "=", gone).execute();

  const token = await app.apiLogin("manajer@giliran.test");
  const res = await app.fetch(`/api/v1/rounds/${round.id}/allocate`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ seed: "uji-nonaktif" }),
  });
  expect(res.status).toBe(200);
  const after = await app.db.selectFrom("allocation_requests").select(["ikm_id", "status", "booking_id"]).where("round_id", "=", round.id).execute();
  for (const r of after.filter((x) => x.ikm_id === gone)) {
    expect(r.status).toBe("withdrawn");
    expect(r.booking_id).toBeNull();
  }
  // The others were allocated as usual.
  expect(after.filter((x) => x.ikm_id !== gone).every((r) => r.status === "granted" || r.status === "refused")).toBe(true);
  expect(after.some((r) => r.status === "granted")).toBe(true);
  const audit = await app.db.selectFrom("audit_events").select("reason").where("entity", "=", "allocation_request").where("reason", "=", "IKM inactive").execute();
  expect(audit.length).toBe(after.filter((x) => x.ikm_id === gone).length);
});
