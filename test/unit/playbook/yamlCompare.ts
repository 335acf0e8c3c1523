// Compares two `yaml` documents node by node and names the first difference, to check the fast reader against yaml.
import { inspect, isDeepStrictEqual } from 'node:util';
import { isAlias, type Alias, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Document } from 'yaml';

// What "identical" means here: same node kinds and classes, equal `range` (all three offsets) on every node, equal
// `flow`, `tag` and `anchor`; for scalars equal `value` (Object.is: -0 and NaN count), `type`, `source`, `format`
// and `minFractionDigits` (it decides how a float is written back); the same Document `range`, no errors or
// warnings on either side, and deep-equal `toJS()`. Comments (`comment`, `commentBefore`, `spaceBefore`) are NOT
// compared: the project never reads them.

type Difference = string | undefined;

/** The first difference between `ours` and `theirs`, as `path: ours …, theirs …`, or undefined when identical. */
export function compareDocuments(ours: Document, theirs: Document): Difference {
  return (
    problemsOf('errors', ours.errors, theirs.errors) ??
    problemsOf('warnings', ours.warnings, theirs.warnings) ??
    compareRange('range', ours.range, theirs.range) ??
    compareNodes('contents', ours.contents, theirs.contents) ??
    compareJs(ours, theirs)
  );
}

/** Both documents must be free of problems: the fast reader only ever stands in for a clean parse. */
function problemsOf(name: string, ours: readonly unknown[], theirs: readonly unknown[]): Difference {
  if (ours.length === 0 && theirs.length === 0) return undefined;
  const first = (list: readonly unknown[]) => (list.length > 0 ? ` (first: ${show(list[0])})` : '');
  return `${name}.length: ours ${ours.length}${first(ours)}, theirs ${theirs.length}${first(theirs)}; both must be 0`;
}

function compareNodes(path: string, ours: unknown, theirs: unknown): Difference {
  if (ours === null || ours === undefined || theirs === null || theirs === undefined) {
    return Object.is(ours, theirs) ? undefined : differ(path, ours, theirs);
  }
  const kind = kindOf(ours);
  if (kind !== kindOf(theirs)) return differ(`${path} (kind)`, kind, kindOf(theirs));
  if (kind === 'Pair') {
    const a = ours as Pair;
    const b = theirs as Pair;
    return compareNodes(`${path}.key`, a.key, b.key) ?? compareNodes(`${path}.value`, a.value, b.value);
  }
  if (kind === 'Alias')
    return (
      compareCommon(path, ours as Scalar, theirs as Scalar) ?? same(`${path}.source`, (ours as Alias).source, (theirs as Alias).source)
    );
  if (kind === 'Scalar')
    return compareCommon(path, ours as Scalar, theirs as Scalar) ?? compareScalars(path, ours as Scalar, theirs as Scalar);
  return compareCommon(path, ours as YAMLMap, theirs as YAMLMap) ?? compareItems(path, ours as YAMLMap, theirs as YAMLMap);
}

/** Which kind of node, by yaml's own predicates and by class, so a look-alike object is told apart. */
function kindOf(node: unknown): string {
  const classOk = (cls: abstract new (...args: never[]) => unknown) => (node instanceof cls ? '' : ' (not an instance)');
  if (isPair(node)) return `Pair${classOk(Pair)}`;
  if (isMap(node)) return `Map:${node.constructor.name}${classOk(YAMLMap)}`;
  if (isSeq(node)) return `Seq:${node.constructor.name}${classOk(YAMLSeq)}`;
  if (isScalar(node)) return `Scalar${classOk(Scalar)}`;
  if (isAlias(node)) return 'Alias';
  return `not a node: ${show(node)}`;
}

/** What every node has: its range, whether it is flow, tag and anchor. */
function compareCommon(path: string, ours: Scalar | YAMLMap | YAMLSeq, theirs: Scalar | YAMLMap | YAMLSeq): Difference {
  return (
    compareRange(`${path}.range`, ours.range, theirs.range) ??
    same(`${path}.flow`, Boolean('flow' in ours && ours.flow), Boolean('flow' in theirs && theirs.flow)) ??
    same(`${path}.tag`, ours.tag, theirs.tag) ??
    same(`${path}.anchor`, ours.anchor, theirs.anchor)
  );
}

function compareScalars(path: string, ours: Scalar, theirs: Scalar): Difference {
  return (
    same(`${path}.value`, ours.value, theirs.value) ??
    same(`${path}.type`, ours.type, theirs.type) ??
    same(`${path}.source`, ours.source, theirs.source) ??
    same(`${path}.format`, ours.format, theirs.format) ??
    same(`${path}.minFractionDigits`, ours.minFractionDigits, theirs.minFractionDigits)
  );
}

function compareItems(path: string, ours: YAMLMap | YAMLSeq, theirs: YAMLMap | YAMLSeq): Difference {
  const a: unknown[] = ours.items;
  const b: unknown[] = theirs.items;
  if (!Array.isArray(a)) return differ(`${path}.items`, a, b);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = compareNodes(`${path}.items[${i}]`, a[i], b[i]);
    if (difference) return difference;
  }
  return same(`${path}.items.length`, a.length, b.length);
}

function compareRange(path: string, ours: unknown, theirs: unknown): Difference {
  if (!Array.isArray(ours) || !Array.isArray(theirs) || ours.length !== theirs.length) return differ(path, ours, theirs);
  for (let i = 0; i < theirs.length; i++) {
    if (!Object.is(ours[i], theirs[i])) return differ(`${path}[${i}]`, ours, theirs);
  }
  return undefined;
}

function compareJs(ours: Document, theirs: Document): Difference {
  const js = (doc: Document): unknown => {
    try {
      return doc.toJS();
    } catch (error) {
      return `toJS() threw ${String(error)}`;
    }
  };
  const a = js(ours);
  const b = js(theirs);
  return isDeepStrictEqual(a, b) ? undefined : differ('toJS()', a, b);
}

function same(path: string, ours: unknown, theirs: unknown): Difference {
  return Object.is(ours, theirs) ? undefined : differ(path, ours, theirs);
}

function differ(path: string, ours: unknown, theirs: unknown): string {
  return `${path}: ours ${show(ours)}, theirs ${show(theirs)}`;
}

function show(value: unknown): string {
  const text = inspect(value, { depth: 3, breakLength: Infinity });
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
