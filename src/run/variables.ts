// Resolves the playbook's variables from their sources and expands `${NAME}` in commands, requests and environments.
import type { Variable } from '../playbook/types';

/** Where a variable's value came from, highest priority first. */
export type VariableSource = 'override' | 'settings' | 'env' | 'default';

/** The places values come from; each is a plain map so the adapter and the CLI can fill them as they like. */
export interface VariableSources {
  /** Values given for this run or remembered for the incident: CLI `--var`, prompt answers, SecretStorage. */
  overrides?: Readonly<Record<string, string | undefined>>;
  /** The workspace settings map of variable values. */
  settings?: Readonly<Record<string, string | undefined>>;
  /** The process environment; read under the variable's `env` name when it has one. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A declared variable that has no value yet, with what the adapter needs to ask for it. */
export interface MissingVariable {
  name: string;
  secret: boolean;
  /** `false` when the playbook says the variable is optional. */
  required: boolean;
  prompt?: string;
  description?: string;
  options?: string[];
}

/** The outcome of resolving every declared variable. */
export interface VariableResolution {
  /** Name → value, for every variable that has one. */
  values: Record<string, string>;
  /** Name → where its value came from. */
  sources: Record<string, VariableSource>;
  /** Values of secret variables, for the redactor. */
  secrets: { name: string; value: string }[];
  missing: MissingVariable[];
}

/**
 * Resolves each declared variable: overrides > workspace settings > environment > playbook `default`.
 * A secret never takes its value from `default` (the format forbids one; if present anyway it is ignored).
 * Only `undefined` counts as absent: an empty string is a value someone chose.
 */
export function resolveVariables(
  declared: Readonly<Record<string, Variable>> | undefined,
  sources: VariableSources = {},
): VariableResolution {
  const result: VariableResolution = { values: {}, sources: {}, secrets: [], missing: [] };
  for (const [name, variable] of Object.entries(declared ?? {})) {
    const found = lookup(name, variable ?? {}, sources);
    if (!found) {
      result.missing.push(missingOf(name, variable ?? {}));
      continue;
    }
    result.values[name] = found.value;
    result.sources[name] = found.source;
    if (variable?.secret) result.secrets.push({ name, value: found.value });
  }
  return result;
}

function lookup(name: string, variable: Variable, sources: VariableSources): { value: string; source: VariableSource } | undefined {
  const candidates: [VariableSource, string | undefined][] = [
    ['override', sources.overrides?.[name]],
    ['settings', sources.settings?.[name]],
    ['env', sources.env?.[variable.env ?? name]],
    ['default', variable.secret || variable.default === undefined ? undefined : String(variable.default)],
  ];
  for (const [source, value] of candidates) {
    if (typeof value === 'string') return { value, source };
  }
  return undefined;
}

function missingOf(name: string, variable: Variable): MissingVariable {
  const missing: MissingVariable = { name, secret: variable.secret === true, required: variable.required !== false };
  if (variable.prompt !== undefined) missing.prompt = variable.prompt;
  if (variable.description !== undefined) missing.description = variable.description;
  if (variable.options !== undefined) missing.options = variable.options;
  return missing;
}

/** Text with its `${NAME}` placeholders replaced, and the names that had no value (each once, in order). */
export interface Expansion {
  text: string;
  missing: string[];
}

// `$${NAME}` is the escape for a literal `${NAME}`; anything else after `${` (`${1}`, `${X:-y}`) is the shell's business.
const PLACEHOLDER = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Expands `${NAME}` from `values`; a name without a value is left as written and reported in `missing`. */
export function expand(text: string, values: Readonly<Record<string, string>>): Expansion {
  const missing: string[] = [];
  const expanded = text.replace(PLACEHOLDER, (whole, escape: string, name: string) => {
    if (escape) return whole.slice(1);
    if (Object.prototype.hasOwnProperty.call(values, name)) return values[name];
    if (!missing.includes(name)) missing.push(name);
    return whole;
  });
  return { text: expanded, missing };
}

/** The environment a `run` step adds to its shell's, and the names it could not expand. */
export interface StepEnvironment {
  env: Record<string, string>;
  missing: string[];
}

/**
 * Builds what a `run` step exports: every resolved variable under its own name (so `$DB_HOST` works in the
 * shell), then the step's `env` with its values expanded, which wins on a clash.
 */
export function stepEnvironment(
  values: Readonly<Record<string, string>>,
  stepEnv?: Readonly<Record<string, string | number | boolean>>,
): StepEnvironment {
  const env: Record<string, string> = { ...values };
  const missing: string[] = [];
  for (const [key, raw] of Object.entries(stepEnv ?? {})) {
    const expansion = expand(String(raw), values);
    env[key] = expansion.text;
    for (const name of expansion.missing) if (!missing.includes(name)) missing.push(name);
  }
  return { env, missing };
}
