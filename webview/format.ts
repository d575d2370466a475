// Number, duration, date and token formatting for the dashboard.

const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** A number with a few significant digits, e.g. 2.476, 53.2, 0.0123; "—" when missing. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(digits)).toLocaleString(undefined, { maximumFractionDigits: 6 });
}

/**
 * A chart axis's tick labels with as many decimals as their spacing needs, so that neighbours never read alike
 * (uPlot's default keeps three, and ticks 0.0002 apart all read "0"); on a log scale (no even spacing) each is
 * {@link formatNumber}.
 */
export function tickLabels(ticks: number[], spacing: number | null): string[] {
  if (spacing === null || !(spacing > 0) || !Number.isFinite(spacing)) return ticks.map((tick) => formatNumber(tick));
  const decimals = Math.max(0, Math.ceil(-Math.log10(spacing) - 1e-9));
  if (decimals > 6) return ticks.map((tick) => (tick === 0 ? '0' : tick.toExponential(2)));
  return ticks.map((tick) => tick.toLocaleString(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }));
}

/** A whole number with thousands separators, e.g. 31,684. */
export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : integerFormat.format(value);
}

/** A fraction as a percentage, e.g. 0.3134 → "31.3%". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction) ? '—' : `${(fraction * 100).toFixed(digits)}%`;
}

/** A duration in words, e.g. 41 s, 3 min 5 s, 1 h 2 min. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes} min ${total % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A timestamp relative to now, e.g. "5 min ago", falling back to the date for old ones. */
export function formatRelativeTime(iso: string | null, now = Date.now()): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const seconds = Math.round((now - time) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(time).toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
}

const VISIBLE_WHITESPACE: Record<string, string> = { ' ': '␣', '\n': '↵', '\t': '⇥', '\r': '␍' };

/** A token with its whitespace made visible: space as '␣', newline as '↵', tab as '⇥'. */
export function visibleToken(token: string): string {
  return token.replace(/[ \n\t\r]/g, (char) => VISIBLE_WHITESPACE[char] ?? char);
}

/** Words a screen reader can say for a token, e.g. "space", "newline", or the token in quotes. */
export function spokenToken(token: string): string {
  const names: Record<string, string> = { ' ': 'space', '\n': 'newline', '\t': 'tab', '\r': 'carriage return' };
  return names[token] ?? `"${token}"`;
}

/** A recurrent cell's name as people write it, e.g. "LSTM". */
export function cellLabel(cell: string | null): string {
  return cell ? cell.toUpperCase() : '';
}
