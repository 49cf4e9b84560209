import { useT } from "~/i18n/react";

export type FloorStateName = "pending" | "waiting" | "late" | "noShowCandidate" | "inUse" | "done" | "noShow";

const ICONS: Record<FloorStateName, string> = {
  pending: "?",
  waiting: "○",
  late: "!",
  noShowCandidate: "✕",
  inUse: "▶",
  done: "✓",
  noShow: "✕",
};

/** A booking's state on the floor, in words with a symbol (colour is never the only signal). */
export function FloorStateBadge({ state, lateMinutes }: { state: FloorStateName; lateMinutes?: number }) {
  const t = useT();
  const label = state === "late" || state === "noShowCandidate" ? t(`floor.state.${state}`, { minutes: lateMinutes ?? 0 }) : t(`floor.state.${state}`);
  return (
    <span className={`floor-badge floor-badge-${state}`}>
      <span aria-hidden="true">{ICONS[state]}</span> {label}
    </span>
  );
}
