// DOM helpers of the incident panel: every text goes in through textContent, never as markup.

/** A new element with a class and, optionally, its text (set as textContent). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** An element the panel's HTML is known to have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`panel markup lacks #${id}`);
  return element as T;
}

/** Replaces a select's options; each option's label is set as text. */
export function setOptions(select: HTMLSelectElement, options: [value: string, label: string][]): void {
  const value = select.value;
  select.replaceChildren(
    ...options.map(([v, label]) => {
      const option = el('option', undefined, label);
      option.value = v;
      return option;
    }),
  );
  select.value = options.some(([v]) => v === value) ? value : '';
}

/** The text of an element's leaves (elements without element children), space-separated: what a reader sees. */
export function leafText(root: Element): string {
  const leaves = [...root.querySelectorAll('*')].filter((e) => e.childElementCount === 0 && (e as HTMLElement).hidden !== true);
  return leaves
    .map((e) => e.textContent ?? '')
    .filter((t) => t.trim() !== '')
    .join(' ');
}
