/** How a member reaches the unit: its number as people write it, and the tel: and wa.me links. */
export interface UnitContact {
  display: string;
  tel: string;
  wa: string;
}
