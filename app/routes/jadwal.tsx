import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { type RefObject, useEffect, useRef } from "react";
import { BoardHours, BoardLegend, BoardTrack } from "~/components/BoardTrack";
import { formatDateLong, formatDayMonth, formatHours, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { BoardQuerySchema } from "~/schemas/ikm-booking";
import { loadBoard } from "~/services/booking/board.server";
import { requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can, isStaff } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Jadwal mesin · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/ikm.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  // Bad or partial values are ignored field by field: the board always shows something useful.
  const q: Record<string, string> = {};
  for (const key of ["date", "view", "from", "to"] as const) {
    const one = BoardQuerySchema.shape[key].safeParse(params[key] || undefined);
    if (one.success && one.data) q[key] = one.data;
  }
  const board = await loadBoard(db(), user, now(), q);
  // Staff who run the floor open a booking on its floor card (contact, check-in), not the IKM's page.
  const floorCards = can(user, "floor:operate");
  return { board, staff: isStaff(user), floorCards, now: now(), filterError: !!(params.from && params.to && !board.filter) };
}

function hoursOptions(from: number, to: number) {
  const out: string[] = [];
  for (let h = from; h <= to; h++) {
    out.push(`${String(h).padStart(2, "0")}:00`);
    if (h < to) out.push(`${String(h).padStart(2, "0")}:30`);
  }
  return out;
}

export default function MachineBoard() {
  const { board, staff, floorCards, filterError, now: nowMs } = useLoaderData<typeof loader>();
  const scroller = useRef<HTMLElement>(null);
  useHeaderInView(scroller, ".board-head", board);
  // Today's board opens at the current hour (the morning already past scrolls out of view); a
  // filtered board at the filter's time.
  useEffect(() => {
    const el = scroller.current;
    const track = board.groups[0]?.machines[0]?.days[0];
    if (!el || !track || board.view !== "day") return;
    // The filter's time, else an hour before now on today's board.
    const target = board.filter ? board.filter.start - 1_800_000 : nowMs - 3_600_000;
    if (!board.filter && (nowMs <= track.start || nowMs >= track.end)) return;
    const cells = el.querySelector<HTMLElement>(".board-head .board-cells");
    if (!cells) return;
    const fraction = (target - track.start) / (track.end - track.start);
    el.scrollLeft = Math.max(0, fraction * cells.clientWidth);
  }, [board, nowMs]);
  const { t, lang, timeZone } = useI18n();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const week = board.view === "week";
  const dateLabel = formatDateLong(Date.parse(`${board.date}T12:00:00Z`), lang, "UTC");
  const times = hoursOptions(board.trackHours.from, board.trackHours.to);
  const qs = (o: Record<string, string>) => `?${new URLSearchParams(o)}`;
  const bookingHref = (id: number) => (floorCards ? `/teknisi/pemesanan/${id}` : `/pemesanan/${id}`);
  return (
    <>
      <h1>{t("ikm.board.title")}</h1>
      <p className="muted">{t("ikm.board.intro")}</p>

      <nav className="board-switch" aria-label={t("ikm.board.viewLabel")}>
        <Link to={qs({ date: board.date })} className={`button small${week ? "" : " primary"}`} aria-current={week ? undefined : "page"}>
          {t("ikm.board.day")}
        </Link>
        <Link to={qs({ date: board.date, view: "week" })} className={`button small${week ? " primary" : ""}`} aria-current={week ? "page" : undefined}>
          {t("ikm.board.week")}
        </Link>
      </nav>

      <div className="board-nav">
        <Link className="button small" to={qs(week ? { date: board.prev, view: "week" } : { date: board.prev })} aria-label={t(week ? "ikm.board.prevWeek" : "ikm.board.prevDay")}>
          ‹
        </Link>
        <h2 className="board-date">{week ? t("ikm.board.weekOf", { date: formatDayMonth(Date.parse(`${board.dates[0]}T12:00:00Z`), lang, "UTC") }) : dateLabel}</h2>
        <Link className="button small" to={qs(week ? { date: board.next, view: "week" } : { date: board.next })} aria-label={t(week ? "ikm.board.nextWeek" : "ikm.board.nextDay")}>
          ›
        </Link>
      </div>

      <details className="card board-filter" open={filterError}>
        <summary>{t(week ? "ikm.board.pickDate" : "ikm.board.filter.title")}</summary>
      <Form method="get">
        {week ? <input type="hidden" name="view" value="week" /> : null}
        <div className="filter-row">
          <label className="field">
            <span>{t("ikm.board.date")}</span>
            <input type="date" name="date" defaultValue={board.date} required />
          </label>
          {week ? null : (
            <>
              <label className="field">
                <span>{t("ikm.board.filter.from")}</span>
                <select name="from" defaultValue={board.filter?.from ?? ""}>
                  <option value="">–</option>
                  {times.map((x) => (
                    <option key={x} value={x}>
                      {x.replace(":", lang === "id" ? "." : ":")}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>{t("ikm.board.filter.to")}</span>
                <select name="to" defaultValue={board.filter?.to ?? ""}>
                  <option value="">–</option>
                  {times.map((x) => (
                    <option key={x} value={x}>
                      {x.replace(":", lang === "id" ? "." : ":")}
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t("common.loading") : t(week ? "ikm.board.show" : "ikm.board.filter.submit")}
          </button>
        </div>
        {week ? null : <p className="muted small">{t("ikm.board.filter.hint")}</p>}
        {filterError ? (
          <p className="field-error" role="alert">
            {t("ikm.board.filter.invalid")}
          </p>
        ) : null}
      </Form>
      </details>

      {board.closure ? (
        <p className="alert alert-warn" role="status">
          {t("ikm.board.closed", { name: board.closure })}
        </p>
      ) : null}
      {board.holidaysUnset.map((year) => (
        <p key={year} className="alert alert-warn">
          {t("ikm.holidaysUnset", { year })}
        </p>
      ))}

      {board.filter ? (
        <p className={`alert ${board.groups.length ? "alert-ok" : "alert-warn"}`} role="status">
          {board.groups.length
            ? t("ikm.board.filter.result", { n: board.groups.reduce((n, g) => n + g.machines.length, 0), range: formatTimeRange(board.filter.start, board.filter.end, lang, timeZone) })
            : t("ikm.board.filter.none", { range: formatTimeRange(board.filter.start, board.filter.end, lang, timeZone) })}{" "}
          <Link to={qs({ date: board.date })}>{t("ikm.board.filter.clear")}</Link>
        </p>
      ) : null}

      {/* The swipe hint comes before the machines, where the eye starts, not after the last one. */}
      {board.groups.length && !week ? <p className="muted small scroll-hint">{t("ikm.board.scrollHint")}</p> : null}
      {week ? (
        <WeekBoard />
      ) : (
        <section className="board" ref={scroller} aria-label={t("ikm.board.gridLabel", { date: dateLabel })}>
          <div className="board-grid">
            <div className="board-head">
              <div className="board-name">{t("ikm.board.machine")}</div>
              <div className="board-cells">
                <BoardHours from={board.trackHours.from} to={board.trackHours.to} />
              </div>
            </div>
            {board.groups.map((g) => (
              <section key={g.typeId} className="board-group" aria-labelledby={`type-${g.typeId}`}>
                <h3 id={`type-${g.typeId}`} className="board-type">
                  <span>{g.typeName}</span>
                </h3>
                {g.machines.map((m) => (
                  <div key={m.id} className="board-row">
                    <div className="board-name">
                      <Link to={`/mesin/${m.id}?date=${board.date}`}>
                        <strong>{m.code}</strong>
                        <small>{m.name}</small>
                      </Link>
                      {m.fault ? <span className="fault-tag">{t("ikm.board.faultShort")}</span> : null}
                      {m.status === "maintenance" ? <span className="fault-tag">{t("ikm.board.inMaintenance")}</span> : null}
                      {m.needsQualification ? (
                        <span className="tag tag-warn" title={t("ikm.board.needsQualificationLong")}>
                          {t("ikm.board.needsQualification")}
                        </span>
                      ) : null}
                    </div>
                    <div className="board-cells">
                      {m.days[0] ? <BoardTrack track={m.days[0]} bookingHref={bookingHref} /> : null}
                      {m.fault ? (
                        <p className="fault-note">
                          {t("ikm.board.fault", { since: formatDayMonth(m.fault.since, lang, timeZone), reason: m.fault.reason })}
                        </p>
                      ) : null}
                      {board.fits[m.id] ? (
                        <Link
                          className="button small primary fit-button"
                          to={board.fits[m.id]}
                          aria-label={`${m.code}: ${t("ikm.board.filter.book", { range: board.filter ? formatTimeRange(board.filter.start, board.filter.end, lang, timeZone) : "" })}`}
                        >
                          {t("ikm.board.filter.book", { machine: m.code, range: board.filter ? formatTimeRange(board.filter.start, board.filter.end, lang, timeZone) : "" })}
                        </Link>
                      ) : null}
                    </div>
                  </div>
                ))}
              </section>
            ))}
          </div>
        </section>
      )}
      <section className="card" aria-labelledby="legend-title">
        <h2 id="legend-title">{t("ikm.legend.title")}</h2>
        <BoardLegend staff={staff} tracks={board.groups.flatMap((g) => g.machines.flatMap((m) => m.days))} />
      </section>
    </>
  );
}

/**
 * Keeps a board's header row (the hours, the days) in view while the page scrolls down the
 * machines. The board scrolls sideways in its own box, which CSS sticky cannot see past, so the
 * header is moved down by as much as the board's top has left the screen (never past its last
 * row). Without JavaScript it stays at the top of the board.
 */
function useHeaderInView(board: RefObject<HTMLElement | null>, selector: string, key: unknown) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new board (key) is new rows and a new header to follow
  useEffect(() => {
    const el = board.current;
    const head = el?.querySelector<HTMLElement>(selector);
    if (!el || !head) return;
    let frame = 0;
    const place = () => {
      frame = 0;
      const box = el.getBoundingClientRect();
      const shift = Math.max(0, Math.min(-box.top, box.height - 2 * head.offsetHeight));
      head.style.transform = shift > 0 ? `translateY(${shift}px)` : "";
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(place);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    place();
    return () => {
      window.removeEventListener("scroll", onScroll);
      window.removeEventListener("resize", onScroll);
      cancelAnimationFrame(frame);
      head.style.transform = "";
    };
  }, [board, selector, key]);
}

function WeekBoard() {
  const { board } = useLoaderData<typeof loader>();
  const week = useRef<HTMLElement>(null);
  useHeaderInView(week, "thead", board);
  const { t, lang } = useI18n();
  const dayLabel = (d: string) => formatDayMonth(Date.parse(`${d}T12:00:00Z`), lang, "UTC");
  return (
    <section className="board" ref={week} aria-label={t("ikm.board.weekLabel")}>
      <table className="week-board">
        <thead>
          <tr>
            <th scope="col" className="board-name">
              {t("ikm.board.machine")}
            </th>
            {board.dates.map((d) => (
              <th key={d} scope="col" className={d === board.today ? "is-today" : undefined}>
                <Link to={`?date=${d}`}>{dayLabel(d)}</Link>
              </th>
            ))}
          </tr>
        </thead>
        {board.groups.map((g) => (
          <tbody key={g.typeId}>
            <tr>
              <th colSpan={board.dates.length + 1} scope="colgroup" className="board-type">
                {g.typeName}
              </th>
            </tr>
            {g.machines.map((m) => (
              <tr key={m.id}>
                <th scope="row" className="board-name">
                  <Link to={`/mesin/${m.id}?date=${board.date}`}>
                    <strong>{m.code}</strong>
                    <small>{m.name}</small>
                  </Link>
                  {m.fault ? <span className="fault-tag">{t("ikm.board.faultShort")}</span> : null}
                </th>
                {m.days.map((d) => {
                  const label = d.closure ? t("ikm.board.closedDay") : d.past ? t("ikm.board.past") : d.freeMinutes > 0 ? t("ikm.board.freeHours", { h: formatHours(d.freeMinutes / 60, lang) }) : t("ikm.board.full");
                  return (
                    <td key={d.date} className={d.freeMinutes > 0 ? "has-free" : "no-free"}>
                      <Link to={`?date=${d.date}`} className="week-cell" aria-label={`${m.code}, ${dayLabel(d.date)}: ${label}`}>
                        <BoardTrack track={d} compact />
                        <span>{label}</span>
                      </Link>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </section>
  );
}
