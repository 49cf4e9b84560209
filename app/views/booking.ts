/** What the IKM booking pages show (the form, its check, alternatives, series): view types shared by services and components. */

export interface SeriesView {
  rows: Array<{ date: string; start: number; end: number; ok: boolean; status: "pending" | "confirmed" | null; reasons: string[]; feeEstimate: number }>;
  fitting: number;
  feeTotal: number;
}

export interface AltView {
  machineId: number;
  machineCode: string;
  machineName: string;
  start: number;
  end: number;
  date: string;
  startTime: string;
  endTime: string;
  /** Run by the unit's operator (book it as an assisted booking). */
  assisted: boolean;
}

export interface CheckView {
  ok: boolean;
  status: "pending" | "confirmed" | null;
  reasons: string[];
  codes: string[];
  notices: string[];
  alternatives: AltView[];
  feeEstimate: number;
  /** Where the machine's free time from the chosen start ends ("HH:MM", facility time); null when the start is not free. */
  freeUntil: string | null;
}

export interface FormMachine {
  id: number;
  code: string;
  name: string;
  typeId: number;
  typeName: string;
  status: string;
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  noticeMinutes: number;
  hourlyRate: number;
  requiresApproval: boolean;
  requiresQualification: boolean;
  operatorMode: string;
  /** Open periods per ISO weekday as [start, end) minutes since midnight (facility ∩ machine hours). */
  periods: Record<number, Array<[number, number]>>;
}
