// Turns a Markdown runbook into a playbook: headings become scenarios and phases, shell blocks become run steps, nothing is dropped.
import MarkdownIt from 'markdown-it';
import { Document, isScalar, parse as parseYaml, visit, Scalar } from 'yaml';
import { findDestructive } from '../playbook/destructive';
import { parseYaml as readYaml, plainOf } from '../playbook/fastYaml';
import { STANDARD_ENV, shellAssignedNames } from '../playbook/references';
import type { Checklist, Phase, Playbook, Role, Scenario, Severity, Step, Template, Variable } from '../playbook/types';
import { durationFromWords } from './durations';

export interface ImportOptions {
  /** Name of the source file, used for the title when the Markdown has no `# heading`. */
  sourceName?: string;
}

export interface ImportSummary {
  scenarios: number;
  phases: number;
  steps: { run: number; http: number; manual: number; notify: number };
  variables: number;
  severities: number;
  roles: number;
  templates: number;
  checklists: number;
  /** Pieces of the source kept as `notes` because the format has no other place for them. */
  notes: number;
}

export interface ImportResult {
  /** The playbook, as YAML. */
  text: string;
  summary: ImportSummary;
  warnings: string[];
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console']);
const TEMPLATE_LANGS = new Set(['markdown', 'md', 'text', 'txt', 'plaintext']);
const SEVERITY_ID = /\b(P[0-4]|SEV[- ]?[0-5]|Level\s*[1-5])\b/i;
const SEVERITY_HEADING = /severit|classification|priority levels|incident levels/i;
/**
 * Names in a roles or contacts section that are not a role a person holds: a channel (Slack, Email, PagerDuty), a
 * period (Week 1) or a grouping (Internal, External Contacts, Support Resources). Their text stays as notes.
 */
const NOT_A_ROLE =
  /^(?:slack|e-?mail|phone|sms|pager\s*duty|opsgenie|ms\s*teams|teams|discord|zoom|status\s*page|internal|external|(?:week|day|month)\s*\d+)\b|\b(?:contacts?|resources|responsibilities|chain)\s*$/i;
const ROLE_HEADING = /\broles?\b|contacts?\b|on-?call|\bteam\b|responsibilit/i;
const COMMS_HEADING = /communicat|template|notif|status update|announce/i;
const CHECKLIST_HEADING = /checklist|post-?incident|post ?mortem|after the incident/i;
const COMMAND_START =
  /^(?:\$\s+)?(?:sudo\s+)?(?:\.{0,2}\/[\w./-]+|curl|wget|kubectl|docker(?:-compose)?|systemctl|service|journalctl|ps|top|htop|pgrep|grep|egrep|tail|head|cat|less|ls|cd|echo|printf|export|psql|pg_dump|pg_restore|mysql|redis-cli|mongo(?:sh)?|git|npm|npx|yarn|pnpm|node|python3?|pip3?|helm|aws|gcloud|az|ssh|scp|rsync|df|du|free|netstat|ss|lsof|kill|pkill|make|terraform|ping|dig|nslookup|nc|telnet|uptime|vmstat|iostat|watch|find|awk|sed|jq|openssl|tar|rm|cp|mv|mkdir|chmod|chown|sleep|time|uname|whoami|env|sh|bash|source|dotnet|java|go|cargo|heroku|vercel|render|supabase)(?:\s|$)/;
const DIAGRAM = /→|‚Üí|->|<-|=>|↓|↑|│|├|└|┌|┐|┘|▶|▼|\+--|--\+/;
const SECRET_NAME = /(?:_KEY|_TOKEN)$|^(?:KEY|TOKEN)$|PASSWORD|PASSWD|SECRET|WEBHOOK|CREDENTIAL|PRIVATE/i;
const HTML_TAGS = new Set([
  'br',
  'p',
  'b',
  'i',
  'u',
  'em',
  'strong',
  'div',
  'span',
  'hr',
  'code',
  'pre',
  'details',
  'summary',
  'sup',
  'sub',
  'img',
  'a',
  'ul',
  'ol',
  'li',
  'table',
  'tr',
  'td',
  'th',
  'kbd',
]);

type Token = MarkdownIt.Token;
type SectionKind = 'normal' | 'severity' | 'roles';

interface ScenarioDraft {
  scenario: Scenario;
  kind: SectionKind;
  heading: string;
  phases: Phase[];
  /** Steps before the first phase heading. */
  loose: Step[];
  notes: string[];
  phaseNotes: Map<Phase, string[]>;
}

interface ListFrame {
  mode: 'note' | 'items';
  ordered: boolean;
}

interface ItemFrame {
  seen: boolean;
  step?: Step;
  checklist?: Checklist;
  severity?: Severity;
  role?: Role;
}

/** Imports a Markdown runbook as a playbook. Never throws on bad input: problems come back as `warnings`. */
export function importMarkdown(markdown: string, options: ImportOptions = {}): ImportResult {
  try {
    return new Importer(options).run(markdown);
  } catch (error) {
    // A defect in the importer must not take the caller down; the result is still a valid playbook.
    const message = error instanceof Error ? error.message : String(error);
    const fallback: Playbook = {
      version: 1,
      title: fallbackTitle(options),
      scenarios: [{ id: 'imported', title: 'Imported content', notes: [markdown] }],
    };
    return {
      text: emit(fallback),
      summary: summarize(fallback, 1),
      warnings: [`the import failed (${message}); the whole Markdown is kept as a note`],
    };
  }
}

class Importer {
  private readonly warnings: string[] = [];
  private readonly stepIds = new Set<string>();
  private readonly scenarioIds = new Set<string>();
  private readonly listIds = new Map<string, Set<string>>();
  private readonly drafts: ScenarioDraft[] = [];
  private readonly topNotes: string[] = [];
  private readonly variables = new Map<string, Variable>();
  private readonly severities = new Map<string, Severity>();
  private readonly roles: Role[] = [];
  private readonly templates: Template[] = [];
  private readonly checklists: Checklist[] = [];
  private lines: string[] = [];
  private title: string | undefined;
  private description: string | undefined;
  private scenarioLevel = 2;
  private draft: ScenarioDraft | undefined;
  private phase: Phase | undefined;
  /** Headings from the scenario down to the current one, as [level, text]. */
  private headings: [number, string][] = [];
  private pendingHeading: string | undefined;
  private lead: string | undefined;
  private severity: Severity | undefined;
  private role: Role | undefined;
  private checklist: Checklist | undefined;
  private readonly lists: ListFrame[] = [];
  private readonly items: ItemFrame[] = [];
  private noteCount = 0;

  constructor(private readonly options: ImportOptions) {}

  run(markdown: string): ImportResult {
    let source = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    const front = /^---\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(source);
    if (front) {
      this.topNotes.push(`Front matter:\n${front[1]}`);
      source = source.slice(front[0].length);
    }
    if (source.trim() === '') this.warnings.push('the Markdown is empty: the playbook has one empty scenario to fill in');
    this.lines = source.split('\n');
    const tokens = new MarkdownIt({ html: true }).parse(source, {});
    this.chooseLevels(tokens);
    for (let i = 0; i < tokens.length; i++) i = this.visit(tokens, i);
    return this.finish();
  }

  /** The first H1 is the title; scenarios sit at the shallowest level below it. */
  private chooseLevels(tokens: Token[]): void {
    const levels: number[] = [];
    let first = true;
    for (const t of tokens) {
      if (t.type !== 'heading_open') continue;
      const level = Number(t.tag.slice(1));
      if (first && level === 1) this.title = '';
      else levels.push(level);
      first = false;
    }
    if (levels.length === 0) return;
    const min = Math.min(...levels);
    this.scenarioLevel = this.title === undefined ? min : Math.max(2, min);
    if (this.title === undefined && this.scenarioLevel === 1 && levels.filter((l) => l === 1).length === 1)
      this.scenarioLevel = Math.min(...levels.filter((l) => l > 1), 2);
  }

  private visit(tokens: Token[], i: number): number {
    const t = tokens[i];
    switch (t.type) {
      case 'heading_open':
        this.heading(Number(t.tag.slice(1)), tokens[i + 1]?.content ?? '');
        return i + 2;
      case 'fence':
        this.fence(t.info.trim().split(/\s+/)[0].toLowerCase(), t.content, t);
        return i;
      case 'code_block':
        this.fence('', t.content, t);
        return i;
      case 'html_block':
        this.note(t.content.replace(/\n+$/, ''));
        this.lead = undefined;
        return i;
      case 'table_open':
        return this.table(tokens, i);
      case 'bullet_list_open':
      case 'ordered_list_open':
        this.openList(tokens, i, t.type === 'ordered_list_open');
        return i;
      case 'bullet_list_close':
      case 'ordered_list_close':
        this.lists.pop();
        return i;
      case 'list_item_open':
        this.items.push({ seen: false });
        return i;
      case 'list_item_close':
        this.items.pop();
        return i;
      case 'paragraph_open':
        return this.paragraph(tokens, i);
      default:
        return i;
    }
  }

  // ---- headings -------------------------------------------------------------------------

  private heading(level: number, text: string): void {
    this.lead = undefined;
    this.severity = undefined;
    this.checklist = undefined;
    if (this.title === '' && level === 1 && this.drafts.length === 0 && this.headings.length === 0 && this.draft === undefined) {
      this.title = text.trim() || fallbackTitle(this.options);
      return;
    }
    if (level <= this.scenarioLevel || !this.draft) {
      this.startScenario(text, level);
      return;
    }
    this.headings = this.headings.filter(([l]) => l < level);
    this.headings.push([level, text]);
    const draft = this.draft;
    if (draft.kind === 'severity') {
      const id = SEVERITY_ID.exec(text);
      if (id) this.severity = this.upsertSeverity(text, id);
      else this.pendingHeading = `${'#'.repeat(level)} ${text}`;
      return;
    }
    if (draft.kind === 'roles') {
      if (/channel|escalation matrix|schedule|rotation|\bweek\b|\bshift\b|tools?\b/i.test(text) || NOT_A_ROLE.test(text.trim())) {
        this.role = undefined;
        this.pendingHeading = `${'#'.repeat(level)} ${text}`;
      } else {
        this.role = { id: this.uniqueIn('role', slug(text) || 'role'), name: text.trim() };
        this.roles.push(this.role);
      }
      return;
    }
    this.role = undefined;
    if (level === this.scenarioLevel + 1) {
      this.phase = { id: this.uniqueIn(`phase:${draft.scenario.id}`, slug(text) || 'phase'), title: text.trim(), steps: [] };
      const window = phaseWindow(text);
      if (window) this.phase.window = window;
      draft.phases.push(this.phase);
      this.pendingHeading = undefined;
    } else {
      this.pendingHeading = `${'#'.repeat(level)} ${text}`;
    }
  }

  private startScenario(text: string, level: number): void {
    const title = text.trim() || 'Untitled section';
    const kind: SectionKind = SEVERITY_HEADING.test(title) ? 'severity' : ROLE_HEADING.test(title) ? 'roles' : 'normal';
    this.draft = {
      scenario: { id: this.uniqueScenarioId(slug(title) || 'scenario'), title },
      kind,
      heading: `${'#'.repeat(level)} ${title}`,
      phases: [],
      loose: [],
      notes: [],
      phaseNotes: new Map(),
    };
    this.drafts.push(this.draft);
    this.phase = undefined;
    this.role = undefined;
    this.headings = [[level, title]];
    this.pendingHeading = undefined;
  }

  /** The scenario for content before any heading, made on first use. */
  private ensureDraft(): ScenarioDraft {
    if (!this.draft) this.startScenario(this.title ? 'General' : 'Imported content', this.scenarioLevel);
    return this.draft as ScenarioDraft;
  }

  private context(pattern: RegExp): boolean {
    return this.headings.some(([, text]) => pattern.test(text));
  }

  // ---- blocks ---------------------------------------------------------------------------

  private fence(lang: string, content: string, token: Token): void {
    const map = token.map;
    if (map && token.type === 'fence' && (map[1] - 1 <= map[0] || !/^\s*(`{3,}|~{3,})\s*$/.test(this.lines[map[1] - 1] ?? ''))) {
      this.warnings.push(`line ${map[0] + 1}: the code block is never closed; it runs to the end of the file`);
    }
    const fenced = (body: string): string =>
      token.type === 'fence' ? `${token.markup}${token.info}\n${body}${token.markup}` : body.replace(/\n$/, '');
    if (SHELL_LANGS.has(lang)) {
      if (content.trim() === '') {
        this.note(fenced(content));
        this.warnings.push(`line ${(map?.[0] ?? 0) + 1}: an empty \`${lang}\` block is kept as a note (a run step needs a command)`);
      } else this.runStep(content);
      return;
    }
    const comms = this.context(COMMS_HEADING);
    if (lang === '') {
      const kind = classifyUnlabelled(content);
      if (kind === 'template' || (kind === 'other' && comms && content.trim() !== '')) this.template(content);
      else if (kind === 'command') this.runStep(content);
      else this.note(fenced(content));
      return;
    }
    if (comms && TEMPLATE_LANGS.has(lang) && content.trim() !== '') {
      this.template(content);
      return;
    }
    if ((lang === 'yaml' || lang === 'yml') && this.draft?.kind === 'severity') this.severitiesFromYaml(content);
    this.note(fenced(content));
  }

  private runStep(command: string): void {
    const comments: string[] = [];
    for (const line of command.split('\n')) {
      const m = /^\s*#(?!!)\s?(.*)$/.exec(line);
      if (!m) break;
      if (m[1].trim()) comments.push(m[1].trim());
    }
    const title = this.stepTitle(comments[0]);
    const step: Step = { id: this.stepId(title), title };
    if (comments.length > 0) step.description = comments.join('\n');
    step.run = command;
    if (findDestructive(command).length > 0) step.confirm = true;
    this.collectVariables(command, title);
    this.addStep(step);
  }

  private template(content: string): void {
    const title = this.stepTitle(undefined);
    const fields = new Map<string, string>();
    const body = toPlaceholders(content, fields);
    const template: Template = { id: this.uniqueIn('template', slug(title) || 'template'), title, body: '' };
    const kind = templateKind(`${title} ${this.headings.map(([, h]) => h).join(' ')}`);
    if (kind) template.kind = kind;
    const subject = /^\s*Subject:\s*(.+)$/im.exec(body);
    if (subject) template.subject = subject[1].trim();
    template.body = body;
    if (fields.size > 0) template.fields = [...fields].map(([name, description]) => ({ name, description }));
    this.templates.push(template);
    for (const name of variableRefs(body)) this.declare(name, `Used in template "${title}"`);
    this.addStep({ id: this.stepId(`send-${template.id}`), title: `Send: ${title}`, notify: { template: template.id } });
  }

  private paragraph(tokens: Token[], i: number): number {
    const inline = tokens[i + 1];
    const text = inline?.content ?? '';
    const close = i + 2;
    if (this.items.length > 0) {
      this.listText(text, tokens[i].map);
      return close;
    }
    if (this.draft?.kind === 'severity' && this.severity) {
      this.severityLines(this.severity, text);
      return close;
    }
    if (this.draft?.kind === 'roles' && this.role) {
      this.roleLines(this.role, text, false);
      return close;
    }
    this.note(text);
    this.lead = text;
    return close;
  }

  private openList(tokens: Token[], i: number, ordered: boolean): void {
    const parent = this.lists[this.lists.length - 1];
    let mode: ListFrame['mode'] = 'items';
    if (parent?.mode === 'note') mode = 'note';
    else if (!parent && this.draft?.kind !== 'severity' && this.draft?.kind !== 'roles' && !ordered && !hasTask(tokens, i)) mode = 'note';
    if (mode === 'note' && !parent) {
      const map = tokens[i].map;
      const text = map ? this.lines.slice(map[0], map[1]).join('\n').replace(/\s+$/, '') : '';
      if (text) this.note(text);
      this.lead = lastItemText(text);
    }
    this.lists.push({ mode, ordered });
  }

  private listText(raw: string, _map: [number, number] | null): void {
    const frame = this.items[this.items.length - 1];
    const list = this.lists[this.lists.length - 1];
    if (!frame || !list || list.mode === 'note') return;
    const task = /^\[([ xX])\]\s+/.exec(raw);
    const text = task ? raw.slice(task[0].length) : raw;
    const plain = plainText(text);
    if (frame.seen) {
      // A later paragraph of the same item.
      if (frame.step?.manual !== undefined) frame.step.manual += `\n\n${text}`;
      else if (frame.severity) this.severityLines(frame.severity, text);
      else if (frame.role) this.roleLines(frame.role, text, false);
      return;
    }
    frame.seen = true;
    this.lead = plain;
    const parent = this.items.length > 1 ? this.items[this.items.length - 2] : undefined;
    if (parent && (parent.step || parent.checklist || parent.severity || parent.role)) {
      frame.step = undefined;
      if (parent.step) (parent.step.checklist ??= []).push(plain);
      else if (parent.checklist) parent.checklist.items.push(plain);
      else if (parent.severity) this.severityLines(parent.severity, `- ${text}`);
      else if (parent.role) this.roleLines(parent.role, text, true);
      copyOwner(frame, parent);
      return;
    }
    const kind = this.draft?.kind;
    if (kind === 'severity') {
      const target = this.severity ?? this.tableless(text);
      if (target) {
        this.severityLines(target, `- ${text}`);
        frame.severity = target;
      } else this.note(`- ${raw}`);
      return;
    }
    if (kind === 'roles') {
      const role = this.role ?? this.roleFromItem(text);
      if (role && this.role) this.roleLines(role, text, true);
      if (!role) this.note(`- ${raw}`);
      frame.role = role;
      return;
    }
    if ((task || list.ordered) && this.context(CHECKLIST_HEADING)) {
      frame.checklist = this.currentChecklist();
      frame.checklist.items.push(plain);
      return;
    }
    const title = clip(firstLine(plain).replace(/:$/, ''));
    const step: Step = { id: this.stepId(title), title, manual: text };
    frame.step = step;
    this.addStep(step);
  }

  private table(tokens: Token[], i: number): number {
    let end = i;
    while (end < tokens.length && tokens[end].type !== 'table_close') end++;
    const rows: string[][] = [];
    let row: string[] | undefined;
    for (let j = i; j < end; j++) {
      const t = tokens[j];
      if (t.type === 'tr_open') row = [];
      else if (t.type === 'tr_close' && row) rows.push(row);
      else if (t.type === 'inline' && row) row.push(t.content);
    }
    const map = tokens[i].map;
    const source = map ? this.lines.slice(map[0], map[1]).join('\n') : rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
    const rowLines = map ? this.lines.slice(map[0] + 2, map[1]) : [];
    const header = rows[0] ?? [];
    const body = rows.slice(1);
    const severityRows = body.filter((r) => SEVERITY_ID.test(plainText(r[0] ?? '')));
    if (header.length > 1 && /severity|priority|level|sev/i.test(plainText(header[0])) && severityRows.length > 0) {
      body.forEach((r, k) => {
        const cell = plainText(r[0] ?? '');
        const id = SEVERITY_ID.exec(cell);
        if (!id) return;
        const severity = this.upsertSeverity(cell, id);
        for (let c = 1; c < header.length; c++) this.severityField(severity, plainText(header[c]), plainText(r[c] ?? ''));
        addNote(severity, rowLines[k] ?? `| ${r.join(' | ')} |`);
      });
      if (body.length > severityRows.length) this.note(source);
    } else {
      this.note(source);
    }
    this.lead = undefined;
    return end;
  }

  // ---- severities and roles -------------------------------------------------------------

  private upsertSeverity(text: string, match: RegExpExecArray): Severity {
    const raw = match[1];
    const level = /^level\s*(\d)/i.exec(raw);
    const id = level ? `L${level[1]}` : raw.toUpperCase().replace(/[- ]/g, '');
    let severity = this.severities.get(id);
    if (!severity) {
      severity = { id };
      this.severities.set(id, severity);
    }
    const plain = plainText(text);
    const rest = plain
      .slice((match.index ?? 0) + raw.length)
      .replace(/^[\s:.\-–—]+/, '')
      .trim();
    const within = /\((?:resolve|resolution)\s+within\s+([^)]+)\)/i.exec(rest);
    if (within) {
      const d = durationFromWords(within[1]);
      if (d) severity.resolve_within = d;
    }
    const name = rest.replace(/\s*\([^)]*\)\s*$/, '').trim();
    if (name && !severity.name) severity.name = name;
    if (rest && rest !== name) addNote(severity, plain);
    return severity;
  }

  /** In a severity section without a heading per level, an item that starts with a level starts that level. */
  private tableless(text: string): Severity | undefined {
    const m = SEVERITY_ID.exec(plainText(text));
    return m && m.index < 4 ? this.upsertSeverity(text, m) : undefined;
  }

  private severityLines(severity: Severity, text: string): void {
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      const kv = keyValue(trimmed) ?? /^(?:[-*+]\s+)?([A-Za-z][A-Za-z /]{1,30}):\s+(.+)$/.exec(trimmed);
      if (kv && kv[2]) {
        this.severityField(severity, kv[1].replace(/:$/, ''), plainText(kv[2]));
        continue;
      }
      if (/^[-*+]\s+/.test(trimmed)) (severity.criteria ??= []).push(plainText(trimmed.replace(/^[-*+]\s+/, '')));
      else addNote(severity, trimmed);
    }
  }

  private severityField(severity: Severity, key: string, value: string): void {
    if (!value) return;
    const k = key.toLowerCase();
    const original = `${key}: ${value}`;
    if (/respon/.test(k) && !/primary|team/.test(k)) {
      const d = durationFromWords(value);
      if (d && !severity.respond_within) severity.respond_within = d;
      addNote(severity, original);
    } else if (/resol/.test(k)) {
      const d = durationFromWords(value);
      if (d && !severity.resolve_within) severity.resolve_within = d;
      addNote(severity, original);
    } else if (/escalat/.test(k) && /time|after/.test(k)) {
      const d = /\d/.test(value) ? durationFromWords(value) : undefined;
      if (d) severity.escalate_after = d;
      else addNote(severity, original);
    } else if (/escalat/.test(k)) {
      severity.escalation = severity.escalation ? `${severity.escalation}; ${value}` : value;
      const d = /\d/.test(value) ? durationFromWords(value) : undefined;
      if (d && !severity.escalate_after) severity.escalate_after = d;
    } else if (/communicat|update|cadence/.test(k)) {
      severity.communication = value;
      const d = /every|\d/i.test(value) ? durationFromWords(value) : undefined;
      if (d) severity.update_every = d;
    } else if (/^impact$|^impact\b/.test(k)) {
      severity.impact = value;
    } else if (/users/.test(k)) {
      severity.users_affected = value;
    } else if (/business/.test(k)) {
      severity.business_impact = value;
    } else if (/example/.test(k)) {
      (severity.examples ??= []).push(...value.split(/,\s*/).filter(Boolean));
    } else if (/description|definition/.test(k)) {
      severity.description = value;
    } else {
      addNote(severity, original);
    }
  }

  private severitiesFromYaml(content: string): void {
    let value: unknown;
    try {
      value = parseYaml(content);
    } catch {
      return;
    }
    const entries = (v: unknown): [string, unknown][] =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>) : [];
    let levels = entries(value).filter(([k]) => SEVERITY_ID.test(k.replace(/_/g, ' ')));
    if (levels.length === 0)
      for (const [, inner] of entries(value)) levels.push(...entries(inner).filter(([k]) => SEVERITY_ID.test(k.replace(/_/g, ' '))));
    levels = levels.filter(([, v]) => v && typeof v === 'object');
    for (const [key, v] of levels) {
      const text = key.replace(/_/g, ' ');
      const m = SEVERITY_ID.exec(text);
      if (!m) continue;
      const severity = this.upsertSeverity(text.replace(m[1], `${m[1]} -`), m);
      for (const [field, fv] of entries(v)) {
        if (Array.isArray(fv)) {
          if (/example/i.test(field)) (severity.examples ??= []).push(...fv.map(String));
          else if (/criteria|symptom/i.test(field)) (severity.criteria ??= []).push(...fv.map(String));
          else addNote(severity, `${field}: ${fv.map(String).join(', ')}`);
        } else if (fv !== null && typeof fv !== 'object') {
          this.severityField(severity, field.replace(/_/g, ' '), String(fv));
        }
      }
    }
  }

  private roleFromItem(text: string): Role | undefined {
    const kv = keyValue(text.trim());
    if (!kv) return undefined;
    const name = kv[1].replace(/:$/, '').trim();
    if (NOT_A_ROLE.test(name)) return undefined;
    const role: Role = { id: this.uniqueIn('role', slug(name) || 'role'), name };
    if (kv[2]) role.contact = plainText(kv[2]);
    this.roles.push(role);
    return role;
  }

  private roleLines(role: Role, text: string, item: boolean): void {
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      const kv = keyValue(trimmed);
      const key = kv?.[1].replace(/:$/, '').toLowerCase() ?? '';
      const value = plainText(kv?.[2] ?? '');
      if (kv && value && /^primary/.test(key)) role.primary = value;
      else if (kv && value && /^(?:backup|secondary)/.test(key)) role.backup = value;
      else if (kv && value && /contact|phone|email|slack|pager|channel/.test(key))
        role.contact = role.contact ? `${role.contact}, ${value}` : value;
      else if (item || /^[-*+]\s/.test(trimmed)) (role.responsibilities ??= []).push(plainText(trimmed.replace(/^[-*+]\s+/, '')));
      else role.description = role.description ? `${role.description}\n${plainText(trimmed)}` : plainText(trimmed);
    }
  }

  // ---- helpers --------------------------------------------------------------------------

  private currentChecklist(): Checklist {
    if (!this.checklist) {
      const heading = this.headings[this.headings.length - 1]?.[1] ?? 'Checklist';
      const all = this.headings.map(([, h]) => h).join(' ');
      this.checklist = { id: this.uniqueIn('checklist', slug(heading) || 'checklist'), title: heading.trim(), items: [] };
      if (/during/i.test(heading)) this.checklist.when = 'during';
      else if (/before|prepar/i.test(heading)) this.checklist.when = 'before';
      else if (/post|after|review|mortem/i.test(all)) this.checklist.when = 'after';
      this.checklists.push(this.checklist);
    }
    return this.checklist;
  }

  private stepTitle(comment: string | undefined): string {
    const lead = this.lead ? plainText(this.lead).replace(/:$/, '').trim() : '';
    this.lead = undefined;
    if (lead && lead.length <= 100 && !lead.includes('\n')) return lead;
    const heading = this.headings.length > 1 || !this.phase ? this.headings[this.headings.length - 1]?.[1] : this.phase.title;
    if (this.pendingHeading && heading) return plainText(heading);
    if (comment && comment.length <= 100) return comment;
    return plainText(heading ?? this.draft?.scenario.title ?? 'Step');
  }

  private addStep(step: Step): void {
    const draft = this.ensureDraft();
    if (this.pendingHeading) {
      // The sub-heading became the step's title; its text needs no separate note.
      this.pendingHeading = undefined;
    }
    if (this.phase) this.phase.steps.push(step);
    else draft.loose.push(step);
  }

  private note(text: string): void {
    const body = this.pendingHeading ? `${this.pendingHeading}\n\n${text}` : text;
    this.pendingHeading = undefined;
    if (!body.trim()) return;
    if (!this.draft) {
      if (this.description === undefined && this.topNotes.length === 0 && !body.includes('\n') && body.length < 300)
        this.description = body;
      else this.topNotes.push(body);
      return;
    }
    if (this.phase) {
      const list = this.draft.phaseNotes.get(this.phase) ?? [];
      list.push(body);
      this.draft.phaseNotes.set(this.phase, list);
    } else this.draft.notes.push(body);
  }

  private collectVariables(command: string, title: string): void {
    const assigned = shellAssignedNames(command);
    for (const m of command.matchAll(/(\$?)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?=[}:#%/^,@-])|([A-Za-z_][A-Za-z0-9_]*))/g)) {
      if (m[1] === '$') continue;
      const name = m[2] ?? m[3];
      if (!/^[A-Z][A-Z0-9_]*$/.test(name) || STANDARD_ENV.has(name) || assigned.has(name)) continue;
      this.declare(name, `Used by "${title}"`);
    }
  }

  private declare(name: string, description: string): void {
    if (this.variables.has(name)) return;
    const variable: Variable = { description };
    if (SECRET_NAME.test(name)) variable.secret = true;
    this.variables.set(name, variable);
  }

  private stepId(title: string): string {
    return unique(this.stepIds, slug(title) || 'step');
  }

  private uniqueScenarioId(base: string): string {
    return unique(this.scenarioIds, base);
  }

  private uniqueIn(scope: string, base: string): string {
    let set = this.listIds.get(scope);
    if (!set) this.listIds.set(scope, (set = new Set()));
    return unique(set, base);
  }

  private finish(): ImportResult {
    const scenarios: Scenario[] = [];
    for (const draft of this.drafts) {
      const scenario = draft.scenario;
      const phases = draft.phases.filter((p) => p.steps.length > 0 || draft.phaseNotes.has(p));
      for (const p of phases) {
        const notes = draft.phaseNotes.get(p);
        if (notes) p.notes = notes;
      }
      const stepCount = draft.loose.length + phases.reduce((n, p) => n + p.steps.length, 0);
      if (draft.kind !== 'normal' && stepCount === 0) {
        // A severity or roles section became data; what did not fit stays with the playbook.
        const notes = [...draft.notes, ...phases.flatMap((p) => (p.notes as string[] | undefined) ?? [])];
        if (notes.length > 0) this.topNotes.push(`${draft.heading}\n\n${notes.join('\n\n')}`);
        continue;
      }
      if (draft.notes.length > 0) scenario.notes = draft.notes;
      const withSteps = phases.filter((p) => p.steps.length > 0);
      if (phases.length === 0 || (withSteps.length === 0 && draft.loose.length > 0)) {
        if (draft.loose.length > 0) scenario.steps = draft.loose;
        const notes = phases.flatMap((p) => [`${p.title}:`, ...((p.notes as string[] | undefined) ?? [])]);
        if (notes.length > 0) scenario.notes = [...(draft.notes ?? []), ...notes];
      } else {
        if (draft.loose.length > 0)
          phases.unshift({ id: unique(new Set(phases.map((p) => p.id)), 'overview'), title: scenario.title, steps: draft.loose });
        // A phase without steps keeps its text as notes on the scenario.
        const kept = phases.filter((p) => p.steps.length > 0);
        const moved = phases
          .filter((p) => p.steps.length === 0)
          .flatMap((p) => [`${p.title}:\n\n${((p.notes as string[] | undefined) ?? []).join('\n\n')}`]);
        if (moved.length > 0) scenario.notes = [...draft.notes, ...moved];
        scenario.phases = kept;
      }
      scenarios.push(scenario);
    }
    if (scenarios.length === 0) {
      const notes = this.topNotes.splice(0);
      scenarios.push({ id: unique(this.scenarioIds, 'imported'), title: 'Imported content', ...(notes.length > 0 ? { notes } : {}) });
      if (this.drafts.length === 0 && this.warnings.length === 0)
        this.warnings.push('no headings or steps were found: the text is kept as notes on one scenario');
    }
    const playbook: Playbook = { version: 1, title: this.title || fallbackTitle(this.options), scenarios: [] };
    if (this.title === undefined) this.warnings.push('no `# title` heading: the playbook is titled from the file name');
    if (this.description) playbook.description = this.description;
    if (this.variables.size > 0) playbook.variables = Object.fromEntries(this.variables);
    if (this.severities.size > 0) playbook.severities = [...this.severities.values()];
    // A heading in a roles section with nothing under it grouped other roles: keep its name as a note, not as a role.
    const roles = this.roles.filter((r) => Object.keys(r).length > 2);
    const groups = this.roles.filter((r) => Object.keys(r).length <= 2).map((r) => r.name ?? r.id);
    if (groups.length > 0) this.topNotes.push(`Role groups: ${groups.join(', ')}`);
    if (roles.length > 0) playbook.roles = roles;
    if (this.topNotes.length > 0) playbook.notes = this.topNotes;
    playbook.scenarios = scenarios;
    if (this.templates.length > 0) playbook.templates = this.templates;
    const checklists = this.checklists.filter((c) => c.items.length > 0);
    if (checklists.length > 0) playbook.checklists = checklists;
    const text = emit(playbook);
    this.verify(text, playbook);
    return { text, summary: summarize(playbook, countNotes(playbook)), warnings: this.warnings };
  }

  /** Parses the output back and checks every command survived byte for byte. */
  private verify(text: string, playbook: Playbook): void {
    const back = plainOf(readYaml(text)) as Playbook;
    const want = allSteps(playbook).map((s) => s.run);
    const got = allSteps(back).map((s) => s.run);
    want.forEach((command, k) => {
      if (command !== got[k]) this.warnings.push(`step ${allSteps(playbook)[k].id}: the command did not survive YAML unchanged; check it`);
    });
  }
}

// ---- pure helpers -------------------------------------------------------------------------

function fallbackTitle(options: ImportOptions): string {
  const base = options.sourceName
    ?.replace(/^.*[\\/]/, '')
    .replace(/\.(?:md|markdown|txt)$/i, '')
    .trim();
  return base || 'Imported playbook';
}

export function slug(text: string): string {
  return plainText(text)
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

/** Next suffix to try per base and set, so that many equal titles stay linear. */
const NEXT = new WeakMap<Set<string>, Map<string, number>>();

function unique(set: Set<string>, base: string): string {
  let next = NEXT.get(set);
  if (!next) NEXT.set(set, (next = new Map()));
  let id = base;
  let n = next.get(base) ?? 2;
  while (set.has(id)) id = `${base}-${n++}`;
  next.set(base, n);
  set.add(id);
  return id;
}

/** Markdown inline text without emphasis, code ticks and link targets. */
function plainText(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|\s)[*_](\S[^*_]*)[*_](?=\s|$)/g, '$1$2')
    .trim();
}

/** `**Key:** value` or `**Key**: value` (a colon is required, so bold prose is not a key). */
function keyValue(line: string): [string, string, string] | undefined {
  const m = /^(?:[-*+]\s+)?\*\*([^*]+?):\*\*\s*(.*)$/.exec(line) ?? /^(?:[-*+]\s+)?\*\*([^*]+?)\*\*\s*:\s*(.*)$/.exec(line);
  return m ? [m[0], m[1], m[2]] : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function lastItemText(listSource: string): string | undefined {
  const last = listSource
    .split('\n')
    .filter((l) => /^\s*(?:[-*+]|\d+[.)])\s+/.test(l))
    .pop();
  return last?.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '');
}

function hasTask(tokens: Token[], open: number): boolean {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.type.endsWith('_list_open')) depth++;
    else if (t.type.endsWith('_list_close') && --depth === 0) return false;
    else if (depth === 1 && t.type === 'inline' && /^\[[ xX]\]\s/.test(t.content)) return true;
  }
  return false;
}

function copyOwner(frame: ItemFrame, parent: ItemFrame): void {
  frame.checklist = parent.checklist;
  frame.severity = parent.severity;
  frame.role = parent.role;
  if (parent.step) frame.step = undefined;
}

function addNote(target: { notes?: string | string[] }, text: string): void {
  const notes = target.notes === undefined ? [] : Array.isArray(target.notes) ? target.notes : [target.notes];
  if (!notes.includes(text)) notes.push(text);
  target.notes = notes;
}

function phaseWindow(title: string): Phase['window'] | undefined {
  const m = /\((\d+)\s*[-–]\s*(\d+)\s*(minutes?|mins?|hours?|hrs?)\)/i.exec(title);
  if (!m) return undefined;
  const unit = /^h/i.test(m[3]) ? 'h' : 'm';
  return { from: `${m[1]}${unit}`, to: `${m[2]}${unit}` };
}

/** command, template, diagram or other, for a code block without a language. */
export function classifyUnlabelled(content: string): 'command' | 'template' | 'diagram' | 'other' {
  const lines = content
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return 'other';
  if (/^\s*Subject:/im.test(content) || (/\[[A-Z][A-Za-z0-9 _/-]*\]/.test(content) && !lines.some((l) => COMMAND_START.test(l))))
    return 'template';
  if (DIAGRAM.test(content) && !lines.every((l) => l.startsWith('#') || COMMAND_START.test(l))) return 'diagram';
  const code = lines.filter((l) => !l.startsWith('#'));
  if (
    code.length > 0 &&
    COMMAND_START.test(code[0]) &&
    code.filter((l) => COMMAND_START.test(l) || /^[|&\\]|[\\|]$/.test(l)).length * 2 >= code.length
  )
    return 'command';
  return 'other';
}

/** Rewrites `[Placeholder]` and `<placeholder>` into `{{placeholder}}`, collecting the field names. */
export function toPlaceholders(body: string, fields: Map<string, string>): string {
  const field = (inner: string, original: string): string => {
    let name = inner
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    if (!name) return original;
    if (/^[0-9]/.test(name)) name = `f_${name}`;
    if (!fields.has(name)) fields.set(name, inner.trim());
    return `{{${name}}}`;
  };
  return body
    .replace(/(?<![\\!\]])\[([^\]\n[]{1,80})\](?![(:[])/g, (all, inner: string) =>
      /^[ xX]$/.test(inner) || inner.trim() === '' ? all : field(inner, all),
    )
    .replace(/<([A-Za-z][A-Za-z0-9 _-]{0,60})>/g, (all, inner: string) => (HTML_TAGS.has(inner.toLowerCase()) ? all : field(inner, all)));
}

function templateKind(text: string): Template['kind'] | undefined {
  if (/resol|closed|all clear|recovered/i.test(text)) return 'resolved';
  if (/escalat/i.test(text)) return 'escalation';
  if (/update|progress/i.test(text)) return 'update';
  if (/initial|first|detect|declar|notification|alert/i.test(text)) return 'initial';
  return undefined;
}

function variableRefs(text: string): string[] {
  return [...text.matchAll(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].filter((m) => m[1] !== '$').map((m) => m[2]);
}

function allSteps(playbook: Playbook): Step[] {
  return (playbook.scenarios ?? []).flatMap((s) => [...(s.steps ?? []), ...(s.phases ?? []).flatMap((p) => p.steps ?? [])]);
}

function countNotes(playbook: Playbook): number {
  const count = (n: unknown): number => (n === undefined ? 0 : Array.isArray(n) ? n.length : 1);
  let total = count(playbook.notes);
  for (const s of playbook.scenarios) {
    total += count(s.notes);
    for (const p of s.phases ?? []) total += count(p.notes);
  }
  return total;
}

function summarize(playbook: Playbook, notes: number): ImportSummary {
  const steps = allSteps(playbook);
  return {
    scenarios: playbook.scenarios.length,
    phases: playbook.scenarios.reduce((n, s) => n + (s.phases?.length ?? 0), 0),
    steps: {
      run: steps.filter((s) => s.run !== undefined).length,
      http: steps.filter((s) => s.http !== undefined).length,
      manual: steps.filter((s) => s.manual !== undefined).length,
      notify: steps.filter((s) => s.notify !== undefined).length,
    },
    variables: Object.keys(playbook.variables ?? {}).length,
    severities: playbook.severities?.length ?? 0,
    roles: playbook.roles?.length ?? 0,
    templates: playbook.templates?.length ?? 0,
    checklists: playbook.checklists?.length ?? 0,
    notes,
  };
}

/** YAML through the Document API, with block scalars for every multi-line string. */
function emit(playbook: Playbook): string {
  const doc = new Document(playbook);
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
