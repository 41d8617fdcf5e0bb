import qrcode from 'qrcode-generator';
import { h, uid } from './dom.ts';
import { t } from './i18n.ts';

/**
 * A link to copy: a read-only field (select it and copy by hand if need be) and a Copy button
 * that says "Copied" to sight and to screen readers.
 */
export function copyField(label: string, value: string, hint?: string): HTMLElement {
  const id = uid('link');
  const hintId = hint ? `${id}-hint` : null;
  const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const input = h('input', {
    id,
    type: 'text',
    readonly: true,
    value,
    class: 'link-field',
    'aria-describedby': hintId,
    onfocus: () => input.select(),
  });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button secondary',
      'aria-label': t('copy.the', { label }),
      onclick: async () => {
        status.textContent = t((await copyText(value, input)) ? 'copy.done' : 'copy.byHand');
        window.setTimeout(() => {
          status.textContent = '';
        }, 3000);
      },
    },
    t('copy.button'),
  );
  return h(
    'div',
    { class: 'copy-field' },
    h('label', { for: id }, label),
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : null,
    h('div', { class: 'copy-row' }, input, button),
    status,
  );
}

/** Copies `text`; without the clipboard API, selects `input` (which holds it) and copies that. */
export async function copyText(
  text: string,
  input: HTMLInputElement | HTMLTextAreaElement,
): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API outside secure contexts (a phone on plain http): the old way.
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** A QR code of `text` as an SVG drawing (crisp at any size, no inline style). */
export function qrCode(text: string, label: string): SVGSVGElement {
  const code = qrcode(0, 'M');
  code.addData(text);
  code.make();
  const size = code.getModuleCount();
  const margin = 4;
  let d = '';
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (code.isDark(row, col)) d += `M${col + margin},${row + margin}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG, 'svg');
  const full = size + 2 * margin;
  svg.setAttribute('viewBox', `0 0 ${full} ${full}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(full));
  background.setAttribute('height', String(full));
  background.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(background, path);
  return svg;
}
