/** The machine board and a machine's week: one day's track cut into segments. View types shared by services and components. */

/** "round": free time of a machine shared by weekly allocation rounds, in a week whose round is not allocated yet (requested on /putaran, not booked directly). */
export type SegmentKind = "free" | "own" | "booked" | "maintenance" | "breakdown" | "closed" | "unavailable" | "round";

export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
  /** Free time: the booking form prefilled with this piece. */
  href?: string;
  /** Own bookings (and every booking, for staff): the booking's id and status. */
  bookingId?: number;
  status?: string;
  /** Staff only: the IKM's name. */
  ikmName?: string;
}

export interface TrackDay {
  date: string;
  start: number;
  end: number;
  /** The closure day's name, when the facility is closed that day. */
  closure: string | null;
  segments: Segment[];
  /** Bookable minutes in the track. */
  freeMinutes: number;
  /** The whole track lies before now. */
  past: boolean;
}

export interface TrackMachine {
  id: number;
  code: string;
  name: string;
  status: string;
  typeId: number;
  typeName: string;
  /** An open breakdown (kind breakdown, not ended): since when and why. */
  fault: { since: number; reason: string } | null;
  /** The reader's IKM has no valid qualification for this machine, which requires one. */
  needsQualification: boolean;
  days: TrackDay[];
}

export interface BoardGroup {
  typeId: number;
  typeName: string;
  machines: TrackMachine[];
}
