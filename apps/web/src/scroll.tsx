import type { ReactNode } from 'react';

/**
 * A wide table's own scrolling box: on a phone the table scrolls sideways here, not the page. It can take
 * the keyboard focus, so the part beyond the screen is reachable without a pointer.
 */
export function Scroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
