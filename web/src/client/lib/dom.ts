export type Child = Node | string | number | null | undefined | false;
type Handler = (event: Event) => void;
export type Props = Record<string, string | number | boolean | Handler | null | undefined>;

/**
 * Creates an element: `h('a', { href, class: 'button' }, 'text')`. `on<event>` props become
 * listeners; `true` makes an empty attribute, `false`/null/undefined leave it out. Text is
 * always set as text, never parsed as HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'value' && 'value' in element) {
      (element as HTMLInputElement).value = String(value);
    } else if (name === 'checked' && element instanceof HTMLInputElement) {
      element.checked = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export function main(): HTMLElement {
  const element = document.getElementById('main');
  if (!element) throw new Error('the page has no <main id="main">');
  return element;
}

let uniqueCounter = 0;
/** A fresh id for label/aria wiring. */
export function uid(prefix: string): string {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

/** A polite live region: screen readers read what is put in it. */
export function liveRegion(className = 'visually-hidden'): HTMLElement {
  return h('p', { class: className, role: 'status', 'aria-live': 'polite' });
}

/** A message box: `role=alert` for errors, so screen readers say it at once. */
export function notice(kind: 'info' | 'success' | 'error' | 'warning', ...children: Child[]) {
  return h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : null },
    ...children,
  );
}

/**
 * Text a person typed (a round's name, an option, an invitee), inline: isolated for its own
 * direction, so an Arabic or Hebrew label neither reorders the sentence around it nor is
 * reordered by it.
 */
export function bdi(text: string): HTMLElement {
  return h('bdi', null, text);
}
