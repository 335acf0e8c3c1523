// What a first run proposes for a new incident, so that Enter accepts it: the title and severity from the playbook
// and its scenario, the commander from whoever is at the keyboard (git's user name, else the OS user).
import { execFile } from 'node:child_process';

/** What the defaults are computed from: plain values the adapter reads from the playbook and the machine. */
export interface IncidentDefaultsInput {
  /** The playbook's `title`. */
  playbookTitle?: string;
  /** The scenario of the step being run (none for a step outside any scenario or a start from the palette). */
  scenario?: { id?: string; title?: string; severity?: string };
  /** The playbook's severity table, in its order. */
  severities: readonly { id: string }[];
  /** `git config user.name` in the workspace, when git answered. */
  gitUser?: string;
  /** The OS user name. */
  osUser?: string;
}

/** A new incident's title, severity and commander, as offered on the first run. */
export interface IncidentDefaults {
  /** Undefined when neither the scenario nor the playbook has a title or id to offer. */
  title?: string;
  severity: string;
  commander: string;
}

/** The severity recorded when the playbook has no severity table (as before this default existed). */
export const UNSET_SEVERITY = 'unset';

export function incidentDefaults(input: IncidentDefaultsInput): IncidentDefaults {
  return {
    title: defaultTitle(input.scenario, input.playbookTitle),
    severity: defaultSeverity(input.scenario?.severity, input.severities),
    commander: defaultCommander(input.gitUser, input.osUser),
  };
}

/** The scenario's title (what is happening), else the playbook's, else the scenario's id. */
export function defaultTitle(scenario: IncidentDefaultsInput['scenario'], playbookTitle: string | undefined): string | undefined {
  return [scenario?.title, playbookTitle, scenario?.id].map(clean).find(Boolean);
}

/**
 * The scenario's `severity` when the table has it; else the table's first row. Severity tables are written most
 * severe first (P0/P1, Level 1), and at 3 a.m. a severity too high is one status-bar click from right while one too
 * low lets the response and escalation clocks run late. `unset` without a table.
 */
export function defaultSeverity(scenarioSeverity: string | undefined, severities: readonly { id: string }[]): string {
  const named = clean(scenarioSeverity);
  if (named && (severities.length === 0 || severities.some((s) => s.id === named))) return named;
  return severities[0]?.id ?? UNSET_SEVERITY;
}

/** git's user name (how the team's commits know the person), else the OS user, else `unknown`. */
export function defaultCommander(gitUser: string | undefined, osUser: string | undefined): string {
  return clean(gitUser) || clean(osUser) || 'unknown';
}

/** `“Cache down” · P1 · commander alice`, the line a person accepts with Enter. */
export function describeDefaults(defaults: IncidentDefaults): string {
  return [
    defaults.title === undefined ? undefined : `“${defaults.title}”`,
    defaults.severity === UNSET_SEVERITY ? undefined : defaults.severity,
    `commander ${defaults.commander}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** One answer to the first run's question: a quick-pick item (labels may hold `$(codicon)`s). */
export interface FirstRunChoice {
  label: string;
  description?: string;
  detail?: string;
  drill: boolean;
  /** Ask for the details (prefilled with the defaults) instead of taking them. */
  edit: boolean;
}

/**
 * The answers to the one question of a first run: the defaults first (pre-selected, so Enter takes them), a drill
 * with the same, or other details. Without a title to offer, the first two ask for the details too.
 */
export function firstRunChoices(defaults: IncidentDefaults): FirstRunChoice[] {
  const summary = describeDefaults(defaults);
  const complete = defaults.title !== undefined;
  return [
    {
      label: complete ? `$(flame) Start incident ${summary}` : '$(flame) Start an incident…',
      drill: false,
      edit: !complete,
      detail: 'Record this run and everything after it in a new incident log',
    },
    {
      label: complete ? '$(beaker) Record as a drill' : '$(beaker) Record as a drill…',
      description: complete ? summary : undefined,
      drill: true,
      edit: !complete,
      detail: 'A practice run: recorded, and marked as a drill',
    },
    {
      label: '$(edit) Start incident with other details…',
      detail: 'Title, severity and commander, each prefilled',
      drill: false,
      edit: true,
    },
    { label: '$(edit) Record a drill with other details…', drill: true, edit: true },
  ];
}

/**
 * `git config user.name` as git resolves it in `cwd` (the repository's, else the global one); undefined when git is
 * missing, slow or has no name. No shell: git is started directly, and stopped after `timeoutMs`.
 */
export function readGitUserName(cwd: string, timeoutMs = 1500): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      execFile('git', ['config', '--get', 'user.name'], { cwd, timeout: timeoutMs, windowsHide: true }, (error, stdout) => {
        resolve(error ? undefined : clean(String(stdout)));
      });
    } catch {
      resolve(undefined);
    }
  });
}

function clean(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}
