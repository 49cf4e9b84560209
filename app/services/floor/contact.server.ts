/** Reaching an IKM from the floor: tel: and wa.me links with Indonesian numbers normalized to 62…. */

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

export function telLink(phone: string | null | undefined): string | null {
  const p = waPhone(phone);
  return p ? `tel:+${p}` : null;
}
