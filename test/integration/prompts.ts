// Answers the extension's prompts (input boxes, quick picks, warning notifications) from a script, as a person
// would, recording what each showed; the real windows come back with `restore()`. The extension host shares one
// `vscode.window` with the tests, so the extension's own calls land here.
import * as vscode from 'vscode';

export interface Asked {
  kind: 'input' | 'pick' | 'warning';
  title?: string;
  password?: boolean;
  message?: string;
  /** Labels of the quick pick's items, or the notification's buttons. */
  items: string[];
}

/** What to answer: values typed, labels picked, buttons clicked, in order; `undefined` dismisses. */
export interface PromptAnswers {
  input?: (string | undefined)[];
  pick?: (string | undefined)[];
  warning?: (string | undefined)[];
}

export interface ScriptedPrompts {
  asked: Asked[];
  /** Resolves with the next warning notification shown (or one already shown and not yet awaited). */
  nextWarning(): Promise<Asked>;
  /** More answers, after the ones not used yet. */
  add(answers: PromptAnswers): void;
  restore(): void;
}

type Window = typeof vscode.window;

export function scriptPrompts(answers: PromptAnswers = {}): ScriptedPrompts {
  const window = vscode.window as { -readonly [K in keyof Window]: Window[K] };
  const original = {
    showInputBox: window.showInputBox,
    showQuickPick: window.showQuickPick,
    showWarningMessage: window.showWarningMessage,
  };
  const queue = { input: [...(answers.input ?? [])], pick: [...(answers.pick ?? [])], warning: [...(answers.warning ?? [])] };
  const warnings: Asked[] = [];
  const waiting: ((asked: Asked) => void)[] = [];
  const script: ScriptedPrompts = {
    asked: [],
    nextWarning: () => new Promise((resolve) => (warnings.length > 0 ? resolve(warnings.shift() as Asked) : waiting.push(resolve))),
    add: (more) => {
      queue.input.push(...(more.input ?? []));
      queue.pick.push(...(more.pick ?? []));
      queue.warning.push(...(more.warning ?? []));
    },
    restore: () => Object.assign(window, original),
  };
  window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
    script.asked.push({ kind: 'input', title: options?.title, password: options?.password, items: [] });
    return queue.input.shift();
  }) as Window['showInputBox'];
  window.showQuickPick = (async (
    items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>,
    options?: vscode.QuickPickOptions,
  ) => {
    const list = await items;
    const labels = list.map((item) => (typeof item === 'string' ? item : item.label));
    script.asked.push({ kind: 'pick', title: options?.title, items: labels });
    const wanted = queue.pick.shift();
    return wanted === undefined ? undefined : list[labels.indexOf(wanted)];
  }) as Window['showQuickPick'];
  window.showWarningMessage = (async (message: string, ...rest: unknown[]) => {
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    const asked: Asked = { kind: 'warning', message, items: buttons };
    script.asked.push(asked);
    const next = waiting.shift();
    if (next) next(asked);
    else warnings.push(asked);
    return queue.warning.shift();
  }) as Window['showWarningMessage'];
  return script;
}
