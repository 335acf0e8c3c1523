// Finds `${NAME}` variable references and `{{placeholder}}` fields in text, with offsets.

/** A reference found in a string, at offsets within that string. */
export interface TextReference {
  name: string;
  start: number;
  end: number;
}

// `$${NAME}` is an escaped, literal `${NAME}`; shell forms like `${NAME:-x}` are the shell's business.
const VARIABLE_REF = /(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export function findVariableRefs(text: string): TextReference[] {
  const refs: TextReference[] = [];
  for (const m of text.matchAll(VARIABLE_REF)) {
    if (m[1] === '$') continue;
    const start = m.index ?? 0;
    refs.push({ name: m[2], start, end: start + m[0].length });
  }
  return refs;
}

export function findPlaceholders(text: string): TextReference[] {
  const refs: TextReference[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const start = m.index ?? 0;
    refs.push({ name: m[1], start, end: start + m[0].length });
  }
  return refs;
}

/** Environment variables every shell has; a `${HOME}` in a command is not a playbook variable. */
export const STANDARD_ENV = new Set([
  'HOME',
  'PATH',
  'USER',
  'LOGNAME',
  'PWD',
  'OLDPWD',
  'SHELL',
  'TERM',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'HOSTNAME',
  'EDITOR',
  'RANDOM',
  'SECONDS',
  'LINENO',
  'BASH_SOURCE',
  'UID',
  'EUID',
  'PPID',
  'IFS',
  'OSTYPE',
  'KUBECONFIG',
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'CI',
]);

const ASSIGNMENT = /(?:^|[\s;&|(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)*|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)\+?=/g;
const FOR_LOOP = /\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b/g;
const READ = /\bread\s+((?:-\w+\s+(?:\S+\s+)?)*)([A-Za-z_][A-Za-z0-9_ ]*)/g;

/** Names a shell script assigns itself, so `${NAME}` of them is not a missing playbook variable. */
export function shellAssignedNames(script: string): Set<string> {
  const names = new Set<string>();
  for (const m of script.matchAll(ASSIGNMENT)) names.add(m[1]);
  for (const m of script.matchAll(FOR_LOOP)) names.add(m[1]);
  for (const m of script.matchAll(READ)) for (const n of m[2].trim().split(/\s+/)) names.add(n);
  return names;
}

/** Placeholders every template may use, filled from the incident and the playbook. */
export const INCIDENT_PLACEHOLDERS: Readonly<Record<string, string>> = {
  'incident.id': 'Incident id, such as `INC-2026-1124-0001`',
  'incident.title': 'Incident title',
  'incident.severity': 'Current severity id and name',
  'incident.status': 'Current status (investigating, identified, mitigated, monitoring, resolved)',
  'incident.commander': 'Incident commander',
  'incident.started': 'When the incident started',
  'incident.duration': 'Time since the incident started',
  'incident.actions': 'Actions taken so far, from the incident log',
  'incident.next_update': 'When the next status update is due',
  'playbook.title': 'Title of the playbook',
  now: 'The current time',
};
