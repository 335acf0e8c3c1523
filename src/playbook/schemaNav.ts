// Walks the JSON Schema along a document path, for completion and hover.

export interface SchemaNode {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  required?: string[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  $ref?: string;
  pattern?: string;
  defaultSnippets?: { label: string; description?: string; body: unknown }[];
  definitions?: Record<string, SchemaNode>;
}

/** `'*'` stands for any item of a sequence. */
export type SchemaPath = (string | number)[];

export class SchemaNavigator {
  constructor(private readonly root: SchemaNode) {}

  /** Follows `$ref`s, keeping the referring node's own description when it has one. */
  resolve(node: SchemaNode | undefined): SchemaNode | undefined {
    let current = node;
    let description = node?.description;
    let markdown = node?.markdownDescription;
    for (let guard = 0; current?.$ref && guard < 16; guard++) {
      const name = current.$ref.replace('#/definitions/', '');
      current = this.root.definitions?.[name];
      description ??= current?.description;
      markdown ??= current?.markdownDescription;
    }
    if (!current) return undefined;
    return description === current.description && markdown === current.markdownDescription
      ? current
      : { ...current, description, markdownDescription: markdown };
  }

  /** The schema for a value reached by `path` from the root. */
  at(path: SchemaPath): SchemaNode | undefined {
    let node = this.resolve(this.root);
    for (const segment of path) {
      node = node && this.child(node, segment);
      if (!node) return undefined;
    }
    return node;
  }

  child(node: SchemaNode, segment: string | number): SchemaNode | undefined {
    const isIndex = typeof segment === 'number' || segment === '*' || /^\d+$/.test(segment);
    const direct = isIndex
      ? node.items
      : (node.properties?.[segment] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined));
    if (direct) return this.resolve(direct);
    for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
      const resolved = this.resolve(branch);
      const found = resolved && this.child(resolved, segment);
      if (found) return found;
    }
    return undefined;
  }

  /** An object schema's properties, looking into `oneOf` branches. */
  properties(node: SchemaNode | undefined): Record<string, SchemaNode> {
    if (!node) return {};
    if (node.properties) return node.properties;
    for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
      const resolved = this.resolve(branch);
      if (resolved?.properties) return resolved.properties;
    }
    return {};
  }

  description(node: SchemaNode | undefined): string | undefined {
    return node?.markdownDescription ?? node?.description;
  }
}

export function typesOf(node: SchemaNode | undefined): string[] {
  if (!node) return [];
  if (node.type) return Array.isArray(node.type) ? node.type : [node.type];
  const branches = [...(node.oneOf ?? []), ...(node.anyOf ?? [])];
  return branches.flatMap((b) => (b.type ? (Array.isArray(b.type) ? b.type : [b.type]) : []));
}
