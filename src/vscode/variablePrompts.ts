// Values for a step's variables: settings, environment and defaults first; a prompt for what is missing
// (a password box for secrets, kept in SecretStorage, never in a file); answers remembered for the incident.
import * as vscode from 'vscode';
import type { Step, Variable } from '../playbook/types';
import { resolveVariables, type MissingVariable, type VariableResolution } from '../run/variables';

const SECRET_PREFIX = 'playbook.secret.';

export class VariableValues {
  private readonly remembered = new Map<string, string>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  /**
   * Resolves the playbook's variables, asking for the missing ones the step uses (and those named in `alsoNeeded`,
   * such as a notify step's webhook variable); undefined when a prompt is dismissed.
   */
  async resolve(declared: Readonly<Record<string, Variable>> | undefined, step: Step, alsoNeeded: readonly string[] = []): Promise<VariableResolution | undefined> {
    let resolution = await this.lookup(declared);
    const text = JSON.stringify(step);
    for (const missing of resolution.missing.filter((m) => mentions(text, m.name) || alsoNeeded.includes(m.name))) {
      const value = await ask(missing);
      if (value === undefined) {
        if (missing.required) return undefined;
        continue;
      }
      if (missing.secret) await this.secrets.store(SECRET_PREFIX + missing.name, value);
      else this.remembered.set(missing.name, value);
    }
    resolution = await this.lookup(declared);
    return resolution;
  }

  /** Forgets prompted answers (a new incident starts afresh); secrets stay in SecretStorage. */
  clear(): void {
    this.remembered.clear();
  }

  async forgetSecret(name: string): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + name);
  }

  private async lookup(declared: Readonly<Record<string, Variable>> | undefined): Promise<VariableResolution> {
    const overrides: Record<string, string> = Object.fromEntries(this.remembered);
    for (const [name, variable] of Object.entries(declared ?? {})) {
      if (!variable?.secret) continue;
      const stored = await this.secrets.get(SECRET_PREFIX + name);
      if (stored !== undefined) overrides[name] = stored;
    }
    const settings = vscode.workspace.getConfiguration('playbook').get<Record<string, string>>('variables', {});
    return resolveVariables(declared, { overrides, settings, env: process.env });
  }
}

/** The step uses `name` as `${name}` or, in a shell command, `$name`. */
function mentions(stepJson: string, name: string): boolean {
  return new RegExp(`\\$\\{${name}\\}|\\$${name}(?![A-Za-z0-9_])`).test(stepJson);
}

async function ask(missing: MissingVariable): Promise<string | undefined> {
  const title = `${missing.secret ? 'Secret' : 'Value'} for ${missing.name}`;
  if (missing.options && missing.options.length > 0) {
    return (await vscode.window.showQuickPick(missing.options, { title, placeHolder: missing.prompt ?? missing.description, ignoreFocusOut: true })) ?? undefined;
  }
  return vscode.window.showInputBox({
    title,
    prompt: missing.prompt ?? missing.description ?? `The playbook needs ${missing.name}`,
    password: missing.secret,
    ignoreFocusOut: true,
    placeHolder: missing.secret ? 'Kept in VS Code’s secret storage; never written to the playbook or the log' : undefined,
  });
}
