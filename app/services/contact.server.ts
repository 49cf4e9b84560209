/**
 * Reaching people by phone: tel: and wa.me links with Indonesian numbers normalised to 62… — an
 * IKM from the floor, and the unit from a member's page (a forgotten password, no account yet, a
 * machine that needs a certificate).
 */
import type { DbOrTx } from "#db/connection";
import { findFacility } from "~/models/scheduling.server";
import type { UnitContact } from "~/views/contact";

/** An Indonesian phone number as wa.me wants it: digits only, starting with 62. */
export function waPhone(phone: string | null | undefined): string | null {
  const digits = (phone ?? "").replace(/\D/g, "");
  if (!digits) return null;
  if (digits.startsWith("62")) return digits;
  if (digits.startsWith("0")) return `62${digits.slice(1)}`;
  if (digits.startsWith("8")) return `62${digits}`;
  return digits;
}

/** https://wa.me/62…?text=… with the ready message, or null without a number. */
export function waLink(phone: string | null | undefined, text: string): string | null {
  const p = waPhone(phone);
  return p ? `https://wa.me/${p}?text=${encodeURIComponent(text)}` : null;
}

/** A number as people write it here, kept on one line: "+6281227001234" → "0812 2700 1234" (no-break spaces). */
export function localPhone(phone: string): string {
  const p = waPhone(phone);
  if (!p) return phone;
  const local = `0${p.slice(2)}`;
  return local.replace(/^(\d{4})(\d{4})(\d+)$/, "$1\u00a0$2\u00a0$3");
}

export function telLink(phone: string | null | undefined): string | null {
  const p = waPhone(phone);
  return p ? `tel:+${p}` : null;
}

/** The unit's number as shown, tel: and wa.me with a ready message; null until the admin has entered it. */
export async function loadUnitContact(db: DbOrTx, waText: string): Promise<UnitContact | null> {
  const phone = (await findFacility(db))?.contact_phone ?? null;
  const tel = telLink(phone);
  const wa = waLink(phone, waText);
  return phone && tel && wa ? { display: localPhone(phone), tel, wa } : null;
}
