/** What the floor screens show: view types shared by the floor services and components. */

export interface FloorAffectedItem {
  bookingId: number;
  ikmName: string;
  machineCode: string;
  start: number;
  end: number;
  status: string;
  movable: boolean;
  proposal: { machineId: number; machineCode: string; start: number; end: number } | null;
}

/** The fee of a session and how it was reached, as the fee box shows it. */
export interface FeeView {
  /** Minutes of the session minus breaks. */
  actualMinutes: number;
  /** Break minutes inside the session (not billed). */
  breakMinutes: number;
  billableMinutes: number;
  incrementMinutes: number;
  hourlyRate: number;
  fee: number;
}

/** The fee of one session (its start and end) with how it was reached. */
export interface FeeBreakdown extends FeeView {
  start: number;
  end: number;
}
