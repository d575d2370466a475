// Small DOM helpers: build elements declaratively (no innerHTML, no inline handlers, CSP-safe).

/** Attributes for {@link h}: strings and numbers are set as attributes, `false`/`null`/`undefined` are skipped. */
export type Attributes = Record<string, string | number | boolean | null | undefined>;

/** A child for {@link h}: a node, text, or nothing. */
export type Child = Node | string | null | undefined | false;

/** Creates an HTML element with attributes (`class`, `id`, `aria-*`, `data-*`, ...) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

/** Sets attributes on an element: `true` sets an empty attribute, `false`/`null`/`undefined` remove it. */
export function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) element.removeAttribute(name);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

/** Appends children, skipping empty ones. */
export function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) parent.append(child);
  }
}

/** Replaces all children of an element. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Creates an SVG element with attributes and children. */
export function svg(tag: string, attributes: Attributes = {}, ...children: SVGElement[]): SVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttributes(element, attributes);
  element.append(...children);
  return element;
}

/** Calls `action` at most once per `delayMs`, after the calls stop (trailing debounce); `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(action: (...args: A) => void, delayMs: number): { (...args: A): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: A): void => {
    clearTimeout(timer);
    timer = setTimeout(() => action(...args), delayMs);
  };
  debounced.cancel = (): void => clearTimeout(timer);
  return debounced;
}

/** Returns a function that schedules `action` for the next animation frame; many calls within a frame run it once. */
export function coalesceToFrame(action: () => void): () => void {
  let requested = false;
  return () => {
    if (requested) return;
    requested = true;
    requestAnimationFrame(() => {
      requested = false;
      action();
    });
  };
}
