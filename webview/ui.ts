// The only module that knows the UI toolkit: small factories for controls, so the toolkit can be swapped later.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeProgressRing,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTextArea,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { h } from './dom';

/** Registers the toolkit's custom elements; call once before building the UI. */
export function registerControls(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeProgressRing(),
    vsCodeRadio(),
    vsCodeRadioGroup(),
    vsCodeTextArea(),
    vsCodeTextField(),
  );
}

/** A control holding text (text field, text area, radio group). */
export interface ValueControl extends HTMLElement {
  value: string;
  disabled: boolean;
}

/** A control that can be checked. */
export interface CheckControl extends HTMLElement {
  checked: boolean;
  disabled: boolean;
}

/** A button. */
export interface ButtonControl extends HTMLElement {
  disabled: boolean;
}

/** Options every control takes. */
interface CommonOptions {
  id?: string;
  /** Accessible name when the control has no visible label. */
  ariaLabel?: string;
  /** A tooltip. */
  title?: string;
}

function create<T extends HTMLElement>(tag: string, options: CommonOptions, label?: string): T {
  const element = document.createElement(tag) as T;
  if (options.id) element.id = options.id;
  if (options.ariaLabel) element.setAttribute('aria-label', options.ariaLabel);
  if (options.title) element.title = options.title;
  if (label) element.append(label);
  return element;
}

/** A button; `primary` for the main action of a panel, `secondary` otherwise. */
export function button(label: string, onClick: () => void, options: CommonOptions & { appearance?: 'primary' | 'secondary' } = {}): ButtonControl {
  const element = create<ButtonControl>('vscode-button', options, label);
  element.setAttribute('appearance', options.appearance ?? 'primary');
  element.addEventListener('click', () => {
    if (!element.disabled) onClick();
  });
  return element;
}

/** A checkbox with an optional visible label. */
export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void, options: CommonOptions = {}): CheckControl {
  const element = create<CheckControl>('vscode-checkbox', options, label);
  element.checked = checked;
  element.addEventListener('change', () => onChange(element.checked));
  return element;
}

/** A single-line text field; `onInput` runs on every edit. */
export function textField(
  label: string,
  value: string,
  onInput: (value: string) => void,
  options: CommonOptions & { type?: 'text' | 'number'; placeholder?: string; size?: number } = {},
): ValueControl {
  const element = create<ValueControl>('vscode-text-field', options, label);
  if (options.type) element.setAttribute('type', options.type);
  if (options.placeholder) element.setAttribute('placeholder', options.placeholder);
  if (options.size) element.setAttribute('size', String(options.size));
  element.value = value;
  element.addEventListener('input', () => onInput(element.value));
  return element;
}

/** A multi-line text area; `onInput` runs on every edit. */
export function textArea(
  label: string,
  value: string,
  onInput: (value: string) => void,
  options: CommonOptions & { rows?: number; placeholder?: string } = {},
): ValueControl {
  const element = create<ValueControl>('vscode-text-area', options, label);
  element.setAttribute('rows', String(options.rows ?? 3));
  element.setAttribute('resize', 'vertical');
  if (options.placeholder) element.setAttribute('placeholder', options.placeholder);
  element.value = value;
  element.addEventListener('input', () => onInput(element.value));
  return element;
}

/** A row of mutually exclusive choices with a visible label. */
export function choice<T extends string>(
  label: string,
  choices: { value: T; label: string }[],
  value: T,
  onChange: (value: T) => void,
  options: CommonOptions = {},
): ValueControl {
  const group = create<ValueControl>('vscode-radio-group', options);
  group.setAttribute('orientation', 'horizontal');
  group.setAttribute('value', value);
  group.append(h('label', { slot: 'label' }, label));
  for (const item of choices) {
    const radio = create<CheckControl>('vscode-radio', {}, item.label);
    radio.setAttribute('value', item.value);
    if (item.value === value) radio.setAttribute('checked', '');
    group.append(radio);
  }
  // The group also fires `change` while it initialises; report only real choices that differ from the last one.
  let current = value;
  group.addEventListener('change', () => {
    const chosen = choices.find((item) => item.value === group.value)?.value;
    if (chosen === undefined || chosen === current) return;
    current = chosen;
    onChange(chosen);
  });
  return group;
}

/** A labelled range slider showing its formatted value. */
export interface SliderControl {
  /** The labelled slider, to place in the page. */
  element: HTMLElement;
  /** The range input itself (its `value` is a string). */
  input: HTMLInputElement;
}

/** A labelled range slider with a live value read-out. */
export function slider(
  label: string,
  range: { min: number; max: number; step: number },
  value: number,
  format: (value: number) => string,
  onInput: (value: number) => void,
  options: CommonOptions = {},
): SliderControl {
  const input = h('input', { type: 'range', min: range.min, max: range.max, step: range.step, id: options.id, title: options.title });
  input.value = String(value);
  const output = h('output', { class: 'slider-value', for: options.id }, format(value));
  const show = (): void => {
    output.textContent = format(Number(input.value));
    input.setAttribute('aria-valuetext', output.textContent);
  };
  show();
  input.addEventListener('input', () => {
    show();
    onInput(Number(input.value));
  });
  const element = h('label', { class: 'slider' }, h('span', { class: 'control-label' }, label), input, output);
  return { element, input };
}

/** An indeterminate progress spinner. */
export function spinner(ariaLabel: string): HTMLElement {
  return create<HTMLElement>('vscode-progress-ring', { ariaLabel });
}
