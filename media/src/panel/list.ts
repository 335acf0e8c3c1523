// The virtualised timeline: only the rows on screen are in the DOM, absolutely placed by CSSOM (CSP forbids style
// attributes, not style properties), so 100,000 events scroll like 100. Roving focus: one row is tabbable, arrows move.
import { EMPTY_FILTER, matchesFilter, searchText, type TimelineFilter, type TimelineRow } from '../../../src/incident/timeline';
import { leafText } from './dom';
import { ROW_HEIGHT, renderRow } from './row';

/** Rows rendered beyond the screen on each side, so fast scrolling rarely shows a gap. */
const OVERSCAN = 8;
/** Guess for an expanded row until it is measured. */
const EXPANDED_GUESS = 160;

export interface ListEvents {
  reveal(row: TimelineRow): void;
  /** After a render: what shows changed (for the saved state and the snapshot). */
  rendered(): void;
}

export class VirtualList {
  private rows: TimelineRow[] = [];
  private haystacks: (string | undefined)[] = [];
  /** Indexes into `rows` of the rows that pass the filter, in order: the list's positions. */
  private visible: number[] = [];
  private filter: TimelineFilter = EMPTY_FILTER;
  private readonly expanded = new Set<string>();
  /** Measured height beyond ROW_HEIGHT of each expanded row. */
  private readonly extra = new Map<string, number>();
  /** Positions of expanded rows with their extra height, ascending. */
  private expandedAt: [number, number][] = [];
  private readonly elements = new Map<number, HTMLElement>();
  private focusedPos = 0;
  private frame = 0;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly list: HTMLElement,
    private readonly events: ListEvents,
  ) {
    scroller.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(scroller);
    list.addEventListener('keydown', (e) => this.onKey(e));
    list.addEventListener('click', (e) => this.onClick(e));
    list.addEventListener('focusin', (e) => this.onFocus(e));
  }

  get total(): number {
    return this.rows.length;
  }

  get shown(): number {
    return this.visible.length;
  }

  get expandedIds(): string[] {
    return [...this.expanded];
  }

  clear(): void {
    this.rows = [];
    this.haystacks = [];
    this.visible = [];
    this.expandedAt = [];
    this.focusedPos = 0;
    this.dropElements();
    this.schedule();
  }

  /** Adds rows at the end; keeps the view at the bottom when it was there (following a live incident). */
  add(rows: TimelineRow[]): void {
    const first = this.rows.length === 0;
    const following = !first && this.atBottom();
    for (const row of rows) {
      const index = this.rows.push(row) - 1;
      if (this.passes(index)) this.visible.push(index);
    }
    if (this.expanded.size > 0) this.layoutExpanded();
    // The first rows are drawn now, not at the next frame, which more rows arriving could push back.
    if (first) this.renderNow();
    else this.schedule();
    if (following) requestAnimationFrame(() => (this.scroller.scrollTop = this.scroller.scrollHeight));
  }

  setFilter(filter: TimelineFilter): void {
    this.filter = filter;
    this.visible = [];
    for (let i = 0; i < this.rows.length; i++) if (this.passes(i)) this.visible.push(i);
    this.focusedPos = Math.min(this.focusedPos, Math.max(0, this.visible.length - 1));
    this.layoutExpanded();
    this.dropElements();
    this.schedule();
  }

  setExpanded(ids: string[]): void {
    this.expanded.clear();
    for (const id of ids) this.expanded.add(id);
    this.layoutExpanded();
    this.dropElements();
    this.schedule();
  }

  /** Expands the row of an event and brings it on screen. */
  expand(id: string): void {
    const pos = this.visible.findIndex((index) => this.rows[index].id === id);
    if (pos < 0) return;
    if (!this.expanded.has(id)) this.toggle(pos);
    this.scrollToPosition(pos);
    this.render();
  }

  /** The text of each row in the DOM, top to bottom. */
  renderedText(): string[] {
    return [...this.elements.entries()].sort(([a], [b]) => a - b).map(([, e]) => leafText(e));
  }

  private passes(index: number): boolean {
    const f = this.filter;
    if (!f.kind && !f.verdict && !f.step && !f.text.trim()) return true;
    if (f.text.trim() && this.haystacks[index] === undefined) this.haystacks[index] = searchText(this.rows[index]);
    return matchesFilter(this.rows[index], f, this.haystacks[index]);
  }

  private atBottom(): boolean {
    return this.scroller.scrollTop + this.scroller.clientHeight >= this.scroller.scrollHeight - ROW_HEIGHT;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private renderNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  /** Draws the rows on screen now (and once more when an expanded row's measured height changed the layout). */
  render(): void {
    this.list.style.height = `${this.height()}px`;
    const top = this.scroller.scrollTop;
    const first = Math.max(0, this.positionAt(top) - OVERSCAN);
    const last = Math.min(this.visible.length - 1, this.positionAt(top + this.scroller.clientHeight) + OVERSCAN);
    const wanted = new Set<number>();
    for (let pos = first; pos <= last; pos++) wanted.add(this.visible[pos]);
    for (const [index, element] of this.elements) {
      if (!wanted.has(index)) {
        element.remove();
        this.elements.delete(index);
      }
    }
    let remeasure = false;
    for (let pos = first; pos <= last; pos++) remeasure = this.place(pos) || remeasure;
    this.updateTabStop();
    if (remeasure) this.schedule();
    this.events.rendered();
  }

  /** Puts the row at `pos` in the DOM at its offset; true when it is expanded and its height was new. */
  private place(pos: number): boolean {
    const index = this.visible[pos];
    const row = this.rows[index];
    let element = this.elements.get(index);
    if (!element) {
      element = renderRow(row, this.expanded.has(row.id));
      this.elements.set(index, element);
      this.list.append(element);
    }
    element.style.transform = `translateY(${this.topOf(pos)}px)`;
    element.setAttribute('aria-posinset', String(pos + 1));
    element.setAttribute('aria-setsize', String(this.visible.length));
    if (!this.expanded.has(row.id)) return false;
    const measured = element.offsetHeight - ROW_HEIGHT;
    if (measured === this.extra.get(row.id)) return false;
    this.extra.set(row.id, measured);
    this.layoutExpanded();
    return true;
  }

  private layoutExpanded(): void {
    this.expandedAt = [];
    if (this.expanded.size === 0) return;
    this.visible.forEach((index, pos) => {
      const id = this.rows[index].id;
      if (this.expanded.has(id)) this.expandedAt.push([pos, this.extra.get(id) ?? EXPANDED_GUESS]);
    });
  }

  private height(): number {
    return this.visible.length * ROW_HEIGHT + this.expandedAt.reduce((sum, [, extra]) => sum + extra, 0);
  }

  private topOf(pos: number): number {
    let top = pos * ROW_HEIGHT;
    for (const [at, extra] of this.expandedAt) {
      if (at >= pos) break;
      top += extra;
    }
    return top;
  }

  /** The position of the row at vertical offset `y`. */
  private positionAt(y: number): number {
    let shift = 0;
    for (const [pos, extra] of this.expandedAt) {
      const top = pos * ROW_HEIGHT + shift;
      if (y < top) break;
      if (y < top + ROW_HEIGHT + extra) return pos;
      shift += extra;
    }
    return Math.max(0, Math.floor((y - shift) / ROW_HEIGHT));
  }

  private dropElements(): void {
    for (const element of this.elements.values()) element.remove();
    this.elements.clear();
  }

  // ------------------------------------------------------------------------------------------ keyboard and mouse

  /** Exactly one row is in the Tab order: the focused one, or the first on screen when it scrolled away. */
  private updateTabStop(): void {
    const focused = this.elements.get(this.visible[this.focusedPos]);
    const stop = focused ?? [...this.elements.entries()].sort(([a], [b]) => a - b)[0]?.[1];
    for (const element of this.elements.values()) element.tabIndex = element === stop ? 0 : -1;
  }

  private onFocus(e: FocusEvent): void {
    const element = (e.target as HTMLElement).closest<HTMLElement>('.row');
    const pos = element ? this.positionOfElement(element) : -1;
    if (pos >= 0) this.focusedPos = pos;
  }

  private positionOfElement(element: HTMLElement): number {
    for (const [index, e] of this.elements) if (e === element) return this.visible.indexOf(index);
    return -1;
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const element = target.closest<HTMLElement>('.row');
    if (!element) return;
    const pos = this.positionOfElement(element);
    if (pos < 0) return;
    if (target.closest('.step')) this.events.reveal(this.rows[this.visible[pos]]);
    else if (!target.closest('.details')) this.toggle(pos);
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: this.pageRows(),
      PageUp: -this.pageRows(),
      Home: -Infinity,
      End: Infinity,
    };
    if (e.key in moves) {
      this.moveFocus(moves[e.key]);
    } else if (target.classList.contains('step') && (e.key === 'Enter' || e.key === ' ')) {
      // The step link is a button: its own click (see onClick) reveals the step.
      return;
    } else if (e.key === 'Enter' || e.key === ' ') {
      this.toggle(this.focusedPos);
    } else if (e.key === 'ArrowRight') {
      target.closest('.row')?.querySelector<HTMLElement>('.step')?.focus();
    } else if (e.key === 'ArrowLeft') {
      target.closest<HTMLElement>('.row')?.focus();
    } else {
      return;
    }
    e.preventDefault();
  }

  private pageRows(): number {
    return Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
  }

  private moveFocus(delta: number): void {
    if (this.visible.length === 0) return;
    this.focusedPos = Math.min(this.visible.length - 1, Math.max(0, this.focusedPos + delta));
    this.scrollToPosition(this.focusedPos);
    this.render();
    this.elements.get(this.visible[this.focusedPos])?.focus({ preventScroll: true });
  }

  private scrollToPosition(pos: number): void {
    const top = this.topOf(pos);
    const bottom = top + ROW_HEIGHT + (this.expandedAt.find(([at]) => at === pos)?.[1] ?? 0);
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (bottom > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = bottom - this.scroller.clientHeight;
  }

  private toggle(pos: number): void {
    const index = this.visible[pos];
    if (index === undefined) return;
    const id = this.rows[index].id;
    if (!this.expanded.delete(id)) this.expanded.add(id);
    this.elements.get(index)?.remove();
    this.elements.delete(index);
    this.focusedPos = pos;
    this.layoutExpanded();
    this.render();
    this.elements.get(index)?.focus({ preventScroll: true });
  }
}
