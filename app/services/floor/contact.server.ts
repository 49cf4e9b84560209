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
