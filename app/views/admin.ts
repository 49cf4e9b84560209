/** What the administration pages show: view types shared by the admin services and components. */
import type { MachineRules, Violation } from "~/scheduling";

export interface AffectedBooking {
  id: number;
  start: number;
  end: number;
  status: string;
  ikmId: number;
  ikmName: string;
  violations: Violation[];
}

/** The facility's default of every numeric rule, as the machine form shows it beside each field. */
export type RuleDefaults = Pick<
  MachineRules,
  "slotMinutes" | "minMinutes" | "maxMinutes" | "bufferMinutes" | "noticeMinutes" | "horizonDays" | "weeklyQuotaMinutes" | "maxActiveBookings" | "billingIncrementMinutes" | "hourlyRate"
>;

/** An affected booking as the page shows it (no IKM id in the browser). */
export type AffectedView = Omit<AffectedBooking, "ikmId">;
