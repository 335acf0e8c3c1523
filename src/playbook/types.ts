// TypeScript shape of the playbook format; schemas/playbook.schema.json is the source of truth and a test keeps the two in step.

/** A duration such as `30s`, `15m`, `1h30m`, `0` or `immediate`. */
export type Duration = string;
export type Notes = string | string[];
export type Shell = 'bash' | 'sh' | 'zsh' | 'fish' | 'pwsh' | 'powershell' | 'cmd';

export interface Playbook {
  version: 1;
  id?: string;
  title: string;
  description?: string;
  owner?: string;
  service?: string;
  tags?: string[];
  links?: Link[];
  notes?: Notes;
  defaults?: { timeout?: Duration; shell?: Shell; cwd?: string };
  variables?: Record<string, Variable>;
  severities?: Severity[];
  roles?: Role[];
  escalation?: Escalation[];
  scenarios: Scenario[];
  templates?: Template[];
  checklists?: Checklist[];
  post_incident?: PostIncident;
}

export interface Link {
  title?: string;
  url: string;
}

export interface Variable {
  description?: string;
  default?: string | number | boolean;
  secret?: boolean;
  prompt?: string;
  required?: boolean;
  options?: string[];
  env?: string;
}

export interface Severity {
  id: string;
  name?: string;
  description?: string;
  impact?: string;
  users_affected?: string;
  business_impact?: string;
  criteria?: string[];
  examples?: string[];
  respond_within?: Duration;
  resolve_within?: Duration;
  escalate_after?: Duration;
  escalate_to?: string | string[];
  escalation?: string;
  review_within?: Duration;
  update_every?: Duration;
  communication?: string;
  notes?: Notes;
}

export interface Role {
  id: string;
  name?: string;
  description?: string;
  primary?: string;
  backup?: string;
  contact?: string;
  responsibilities?: string[];
}

export interface Escalation {
  when: string;
  after?: Duration;
  to?: string;
  severity?: string;
  notify?: string;
  notes?: Notes;
}

export interface Scenario {
  id: string;
  title: string;
  description?: string;
  severity?: string;
  symptoms?: string[];
  detection?: string[];
  rto?: Duration;
  rpo?: Duration;
  tags?: string[];
  links?: Link[];
  notes?: Notes;
  escalation?: Escalation[];
  phases?: Phase[];
  steps?: Step[];
}

export interface Phase {
  id: string;
  title: string;
  description?: string;
  window?: { from?: Duration; to?: Duration };
  notes?: Notes;
  steps: Step[];
}

export interface Step {
  id: string;
  title?: string;
  description?: string;
  notes?: Notes;
  run?: string;
  shell?: Shell;
  cwd?: string;
  env?: Record<string, string | number | boolean>;
  http?: HttpRequest;
  manual?: string;
  checklist?: string[];
  notify?: Notify;
  expect?: Expectation;
  timeout?: Duration;
  confirm?: boolean;
  destructive?: boolean;
  when?: string;
  repeat?: Repeat;
  continue_on_failure?: boolean;
  role?: string;
  severities?: string[];
  tags?: string[];
}

export interface HttpRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  body?: string;
  json?: unknown;
  timeout?: Duration;
  follow_redirects?: boolean;
}

export interface Notify {
  template: string;
  channel?: string;
  webhook?: string;
}

export interface Expectation {
  exit_code?: number | number[];
  output_contains?: string | string[];
  output_not_contains?: string | string[];
  output_matches?: string;
  status?: number | number[];
  body_contains?: string;
  json?: JsonCheck[];
  max_duration?: Duration;
}

export interface JsonCheck {
  path: string;
  equals?: unknown;
  not_equals?: unknown;
  matches?: string;
  exists?: boolean;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface Repeat {
  every: Duration;
  times: number;
  until?: 'passed' | 'failed';
}

export interface Template {
  id: string;
  title?: string;
  kind?: 'initial' | 'update' | 'resolved' | 'escalation' | 'other';
  channel?: string;
  subject?: string;
  body: string;
  notes?: Notes;
  fields?: { name: string; description?: string; default?: string }[];
}

export interface Checklist {
  id: string;
  title?: string;
  when?: 'before' | 'during' | 'after';
  items: (string | { text: string; role?: string })[];
}

export interface PostIncident {
  review_within?: Duration;
  report_template?: string;
  sections?: string[];
  checklist?: string[];
  action_items?: { title: string; owner?: string; due?: string; priority?: string; status?: 'open' | 'in-progress' | 'done' | 'wont-do' }[];
  notes?: Notes;
}
