// The Customize quick pick: every option that applies to the task, from the options table, the common ones first and the rest under "More…".
import * as vscode from 'vscode';
import {
  DEFAULTS,
  flagName,
  optionProblem,
  TRAIN_OPTIONS,
  customizableOptions,
  type AnyOption,
  type Task,
  type TrainArgs,
  type TrainOptionName,
} from '../shared/options';

/** An option's value as the picker shows it. */
export function shownValue(name: TrainOptionName, value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (name === 'maxSeconds') return value ? `${value} s` : vscode.l10n.t('no time limit');
  return String(value);
}

/** The text typed for an option, as its value; undefined when it does not parse (the range is checked separately). */
function parseTyped(option: AnyOption, text: string): unknown {
  const trimmed = text.trim();
  if (option.kind === 'levels') return trimmed.split(',').map((part) => Number(part.trim()));
  if (option.kind === 'autoInt' && trimmed === 'auto') return 'auto';
  return trimmed === '' ? undefined : Number(trimmed);
}

/** Asks for a new value of one option; undefined when the user backs out. */
async function editOption(name: TrainOptionName, current: unknown): Promise<unknown> {
  const option: AnyOption = TRAIN_OPTIONS[name];
  const title = `${name} (${flagName(name)})`;
  if (option.kind === 'choice' || option.kind === 'boolean') {
    const values: unknown[] = option.kind === 'choice' ? [...option.choices] : [true, false];
    const picked = await vscode.window.showQuickPick(
      values.map((value) => ({
        label: String(value),
        description: value === current ? vscode.l10n.t('current') : value === option.default ? vscode.l10n.t('default') : undefined,
        value,
      })),
      { title, placeHolder: option.doc },
    );
    return picked?.value;
  }
  const text = await vscode.window.showInputBox({
    title,
    prompt: option.doc,
    value: shownValue(name, current).replace(/ s$/, '').replace(vscode.l10n.t('no time limit'), '0'),
    validateInput: (typed) => {
      const problem = optionProblem(option, parseTyped(option, typed));
      return problem ? vscode.l10n.t('{0} must be {1}.', name, problem) : undefined;
    },
  });
  return text === undefined ? undefined : parseTyped(option, text);
}

/**
 * Lets the user change any option that applies to `task`, starting from `start`: each pick edits one option and
 * comes back to the list, until "Start training" (the options) or Escape (undefined).
 */
export async function customizeOptions(
  task: Task,
  start: Partial<TrainArgs>,
  describe: (args: Partial<TrainArgs>) => string,
): Promise<Partial<TrainArgs> | undefined> {
  const names = customizableOptions(task);
  const common = names.filter((name) => TRAIN_OPTIONS[name].place === 'common');
  const args: Partial<TrainArgs> = { ...start };
  let showAll = false;
  for (;;) {
    type Item = vscode.QuickPickItem & { action: 'start' | 'more' | TrainOptionName };
    const optionItem = (name: TrainOptionName): Item => {
      const value = args[name] ?? DEFAULTS[name];
      return {
        label: name,
        description: shownValue(name, value) + (value === DEFAULTS[name] ? '' : ' •'),
        detail: TRAIN_OPTIONS[name].doc.replace(/`/g, ''),
        action: name,
      };
    };
    const items: (Item | vscode.QuickPickItem)[] = [
      { label: `$(play) ${vscode.l10n.t('Start training')}`, description: describe(args), action: 'start' } satisfies Item,
      { label: vscode.l10n.t('Common'), kind: vscode.QuickPickItemKind.Separator },
      ...common.map(optionItem),
      ...(showAll
        ? [{ label: vscode.l10n.t('More'), kind: vscode.QuickPickItemKind.Separator }, ...names.filter((name) => !common.includes(name)).map(optionItem)]
        : [
            {
              label: `$(ellipsis) ${vscode.l10n.t('More…')}`,
              description: vscode.l10n.t('{0} more options', names.length - common.length),
              action: 'more',
            } satisfies Item,
          ]),
    ];
    const picked = (await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('SeqLab: customize training ({0})', task),
      placeHolder: vscode.l10n.t('Pick an option to change it, then Start training'),
      matchOnDetail: true,
    })) as Item | undefined;
    if (!picked) return undefined;
    if (picked.action === 'start') return args;
    if (picked.action === 'more') {
      showAll = true;
      continue;
    }
    const value = await editOption(picked.action, args[picked.action] ?? DEFAULTS[picked.action]);
    if (value !== undefined) (args as Record<string, unknown>)[picked.action] = value;
  }
}
