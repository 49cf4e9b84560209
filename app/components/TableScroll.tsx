/**
 * A table that may scroll sideways on a phone: the box takes the keyboard focus so it can be
 * scrolled with the arrow keys (axe: scrollable-region-focusable), with a visible focus ring.
 */
export function TableScroll({ className, children }: { className?: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls must take the focus to be scrolled by keys
    <div className={className ? `table-wrap ${className}` : "table-wrap"} tabIndex={0}>
      {children}
    </div>
  );
}
