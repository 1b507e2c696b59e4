// Which field of the profile form each issue of the Palette's answer belongs under. Issues carry
// a dotted path into the request body (`name`, `layers[1].version`,
// `layers[0].values.system.uri`); each goes to the field with that path or, failing that, the
// nearest enclosing field the form shows (`layers[1].type` → the layer itself). What no field
// claims (`layers`: a required layer is missing) is listed for the whole profile.
import type { FieldIssue } from '../../client/lab-api';
import type { ProfileForm } from './profile-form';

export const layerPath = (i: number): string => `layers[${i}]`;
export const valuePath = (i: number, key: string): string => `layers[${i}].values.${key.trim()}`;

/** Every path the form shows issues at, in the order it shows them (top to bottom). */
export function formFieldPaths(form: ProfileForm): string[] {
  const paths = ['name', 'version', 'description', 'tags', 'scope'];
  form.layers.forEach((l, i) => {
    paths.push(layerPath(i), `${layerPath(i)}.pack`, `${layerPath(i)}.version`);
    for (const r of l.values) if (r.key.trim() !== '') paths.push(valuePath(i, r.key));
    paths.push(`${layerPath(i)}.values`);
  });
  return Array.from(new Set(paths));
}

const below = (path: string, field: string): boolean =>
  path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);

export interface PlacedIssues {
  /** Issues by the field path they are shown under. */
  byField: Map<string, FieldIssue[]>;
  /** Issues no field of the form claims; shown for the profile as a whole. */
  general: FieldIssue[];
}

export function placeIssues(issues: readonly FieldIssue[], fields: readonly string[]): PlacedIssues {
  const byField = new Map<string, FieldIssue[]>();
  const general: FieldIssue[] = [];
  for (const issue of issues) {
    let best: string | undefined;
    for (const f of fields) {
      if (below(issue.path, f) && (best === undefined || f.length > best.length)) best = f;
    }
    if (best === undefined) general.push(issue);
    else byField.set(best, [...(byField.get(best) ?? []), issue]);
  }
  return { byField, general };
}

/** The issues shown at exactly this field. */
export function issuesOf(placed: PlacedIssues, field: string): FieldIssue[] {
  return placed.byField.get(field) ?? [];
}

/** Whether any issue sits at this layer or one of its fields. */
export function layerHasIssues(placed: PlacedIssues, index: number): boolean {
  const at = layerPath(index);
  return Array.from(placed.byField.keys()).some((f) => below(f, at));
}

/** The first field, in the form's order, that shows an error (not a warning); where to scroll. */
export function firstErrorField(placed: PlacedIssues, fields: readonly string[]): string | undefined {
  return fields.find((f) => issuesOf(placed, f).some((i) => i.severity !== 'warning'));
}

/** The layer index of a path inside `layers[i]`, or undefined. */
export function layerIndexOf(path: string): number | undefined {
  const m = /^layers\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : undefined;
}

/** `the catalog has no pack \`x\`` → text and code parts, to render backticked names as code. */
export function codeSpans(text: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  const re = /`([^`]+)`/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ code: false, text: text.slice(last, m.index) });
    out.push({ code: true, text: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ code: false, text: text.slice(last) });
  return out;
}
