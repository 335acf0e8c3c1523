// Values for a step's variables: settings, environment and defaults first; a prompt for what is missing
// (a password box for secrets, kept in SecretStorage, never in a file); answers remembered for the incident.
// Saved secrets can be listed (by name) and forgotten, and a failure right after typing one offers to forget it.
import * as vscode from 'vscode';
import type { Step, Variable } from '../../playbook/types';
import { resolveVariables, type MissingVariable, type VariableResolution } from '../../run/variables';

const SECRET_PREFIX = 'playbook.secret.';
/** The names (never the values) of the saved secrets, as a JSON array: SecretStorage cannot list its keys. */
const INDEX_KEY = 'playbook.secretNames';

/** A resolution, and which secrets were typed into a prompt for it. */
export interface ResolvedValues extends VariableResolution {
  enteredSecrets: string[];
}

export class VariableValues implements vscode.Disposable {
  private readonly remembered = new Map<string, string>();
  private readonly forgotten = new vscode.EventEmitter<string[]>();
  /** Fires with the names of secrets just forgotten. */
  readonly onDidForget = this.forgotten.event;
  /** Updates of the index, one after another. */
  private indexing: Promise<unknown> = Promise.resolve();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  /**
   * Resolves the playbook's variables, asking for the missing ones the step uses (and those named in `alsoNeeded`,
   * such as a notify step's webhook variable); undefined when a prompt is dismissed.
   */
  async resolve(
    declared: Readonly<Record<string, Variable>> | undefined,
    step: Step,
    alsoNeeded: readonly string[] = [],
  ): Promise<ResolvedValues | undefined> {
    const text = JSON.stringify(step);
    const enteredSecrets: string[] = [];
    for (const missing of (await this.lookup(declared)).missing.filter((m) => mentions(text, m.name) || alsoNeeded.includes(m.name))) {
      const value = await ask(missing);
      if (value === undefined) {
        if (missing.required) return undefined;
        continue;
      }
      if (missing.secret) {
        await this.saveSecret(missing.name, value);
        enteredSecrets.push(missing.name);
      } else this.remembered.set(missing.name, value);
    }
    return { ...(await this.lookup(declared)), enteredSecrets };
  }

  /** Forgets prompted answers (a new incident starts afresh); secrets stay in SecretStorage. */
  clear(): void {
    this.remembered.clear();
  }

  /**
   * The names of the saved secrets, sorted: those in the index, and those `declared` (a playbook's secret variables)
   * that have a value saved before the index existed.
   */
  async savedSecretNames(declared: readonly string[] = []): Promise<string[]> {
    const candidates = new Set([...(await this.index()), ...declared]);
    const saved = await Promise.all(
      [...candidates].map(async (name) => ((await this.secrets.get(SECRET_PREFIX + name)) === undefined ? undefined : name)),
    );
    return saved.filter((name): name is string => name !== undefined).sort();
  }

  /** Deletes the saved secrets, so the next run asks for them again. */
  async forgetSecrets(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await Promise.all(names.map((name) => this.secrets.delete(SECRET_PREFIX + name)));
    await this.updateIndex((index) => index.filter((name) => !names.includes(name)));
    this.forgotten.fire([...names]);
  }

  /**
   * After a step or a message failed right after secrets were typed in: a mistyped secret would otherwise be used,
   * silently, forever. Offers (without blocking) to forget them; resolves to whether they were forgotten.
   */
  async offerToForget(names: readonly string[], failure: string): Promise<boolean> {
    if (names.length === 0) return false;
    const them = names.length === 1 ? 'it' : 'them';
    const list = names.length === 1 ? `secret ${names[0]}` : `secrets ${names.join(', ')}`;
    const button = names.length === 1 ? 'Forget Secret' : 'Forget Secrets';
    const choice = await vscode.window.showWarningMessage(
      `${failure}. It used ${list} entered just now. Forget ${them} so you are asked again?`,
      button,
    );
    if (choice !== button) return false;
    await this.forgetSecrets(names);
    return true;
  }

  dispose(): void {
    this.forgotten.dispose();
  }

  private async saveSecret(name: string, value: string): Promise<void> {
    await this.secrets.store(SECRET_PREFIX + name, value);
    await this.updateIndex((index) => (index.includes(name) ? index : [...index, name]));
  }

  private async index(): Promise<string[]> {
    try {
      const parsed = JSON.parse((await this.secrets.get(INDEX_KEY)) ?? '[]') as unknown;
      return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      return [];
    }
  }

  private updateIndex(change: (index: string[]) => string[]): Promise<void> {
    const next = this.indexing.then(async () => this.secrets.store(INDEX_KEY, JSON.stringify(change(await this.index()))));
    this.indexing = next.catch(() => undefined);
    return next;
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
    return (
      (await vscode.window.showQuickPick(missing.options, {
        title,
        placeHolder: missing.prompt ?? missing.description,
        ignoreFocusOut: true,
      })) ?? undefined
    );
  }
  return vscode.window.showInputBox({
    title,
    prompt: missing.prompt ?? missing.description ?? `The playbook needs ${missing.name}`,
    password: missing.secret,
    ignoreFocusOut: true,
    placeHolder: missing.secret ? 'Kept in VS Code’s secret storage; never written to the playbook or the log' : undefined,
  });
}
