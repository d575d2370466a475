// Status icons drawn as inline SVG (no icon font needed under the webview's CSP), coloured by CSS.
import type { RunListItem } from '../src/shared/protocol';
import { svg } from './dom';

/** A run's status as the dashboard shows it. */
export type DisplayStatus = RunListItem['status'];

/** Words for each status, for labels and screen readers. */
export const STATUS_LABELS: Record<DisplayStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  cancelled: 'Stopped',
  failed: 'Failed',
  corrupt: 'Unreadable',
};

/** 16×16 outlines: a spinning arc, a check, a stop square, a cross and a warning triangle. */
const ICON_PATHS: Record<DisplayStatus, string> = {
  running: 'M8 2a6 6 0 1 0 6 6',
  completed: 'M3.5 8.5l3 3 6-7',
  cancelled: 'M5 5h6v6H5z',
  failed: 'M4.5 4.5l7 7M11.5 4.5l-7 7',
  corrupt: 'M8 2L14.5 13.5H1.5zM8 6.5v3.5M8 11.8v.2',
};

/** An icon for a run status; decorative (the status is also given in words). */
export function statusIcon(status: DisplayStatus): SVGElement {
  const path = svg('path', {
    d: ICON_PATHS[status],
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': 1.6,
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
  });
  const children =
    status === 'running'
      ? [svg('circle', { cx: 8, cy: 8, r: 6, fill: 'none', stroke: 'currentColor', 'stroke-opacity': 0.25, 'stroke-width': 1.6 }), path]
      : [path];
  return svg(
    'svg',
    { class: `status-icon status-${status}`, viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', focusable: 'false' },
    ...children,
  );
}
