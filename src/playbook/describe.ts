// Names a place in the playbook the way a person would: "step `restart`", "`expect` in step `restart`".
import { isMap } from 'yaml';
import { scalarText, type Locator } from './yamlNodes';

const ITEM_NOUNS: Record<string, string> = {
  scenarios: 'scenario',
  phases: 'phase',
  steps: 'step',
  severities: 'severity',
  roles: 'role',
  templates: 'template',
  checklists: 'checklist',
  escalation: 'escalation',
  action_items: 'action item',
  fields: 'field',
  links: 'link',
  json: 'JSON check',
  items: 'item',
};

/** Describes the node at `path` (segments as strings or numbers). */
export function describePath(locate: Locator, path: string[]): string {
  if (path.length === 0) return 'the playbook';
  for (let i = path.length - 1; i >= 0; i--) {
    const owner = ownerAt(locate, path, i);
    if (!owner) continue;
    const inner = path.slice(i + 1).filter((s) => !/^\d+$/.test(s));
    return inner.length > 0 ? `\`${inner.join('.')}\` in ${owner}` : owner;
  }
  if (path[0] === 'variables' && path.length >= 2) {
    const inner = path.slice(2);
    const owner = `variable \`${path[1]}\``;
    return inner.length > 0 ? `\`${inner.join('.')}\` in ${owner}` : owner;
  }
  return `\`${path.filter((s) => !/^\d+$/.test(s)).join('.')}\``;
}

/** "step `restart`" when path[i] is an index into a known list, else undefined. */
function ownerAt(locate: Locator, path: string[], i: number): string | undefined {
  if (!/^\d+$/.test(path[i]) || i === 0) return undefined;
  const noun = ITEM_NOUNS[path[i - 1]];
  if (!noun) return undefined;
  const node = locate(path.slice(0, i + 1)).node;
  const name = isMap(node) ? (scalarText(node, 'id') ?? scalarText(node, 'name') ?? scalarText(node, 'path')) : undefined;
  return name !== undefined ? `${noun} \`${name}\`` : `${noun} #${Number(path[i]) + 1}`;
}
