/** What the administration pages show: view types shared by the admin services and components. */
import type { Violation } from "~/scheduling";

export interface AffectedBooking {
  id: number;
  start: number;
  end: number;
  status: string;
  ikmId: number;
  ikmName: string;
  violations: Violation[];
}

export interface RuleDefaults {
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  bufferMinutes: number;
  noticeMinutes: number;
  horizonDays: number;
  weeklyQuotaMinutes: number;
  maxActiveBookings: number;
  billingIncrementMinutes: number;
  hourlyRate: number;
}

/** An affected booking as the page shows it (no IKM id in the browser). */
export type AffectedView = Omit<AffectedBooking, "ikmId">;
