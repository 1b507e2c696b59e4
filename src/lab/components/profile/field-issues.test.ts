import { describe, expect, it } from 'vitest';
import type { FieldIssue } from '../../client/lab-api';
import { codeSpans, firstErrorField, formFieldPaths, issuesOf, layerHasIssues, layerIndexOf, placeIssues } from './field-issues';
import { emptyProfileForm, newRow } from './profile-form';

const issue = (path: string, severity: 'error' | 'warning' = 'error'): FieldIssue => ({ path, code: 'x', message: `at ${path}`, severity });

describe('profile issues by field', () => {
  const form = emptyProfileForm();
  form.layers[0]!.values = [newRow('system.uri', ''), newRow('', 'no key')];
  const fields = formFieldPaths(form);

  it('lists the fields in the order the form shows them', () => {
    expect(fields.slice(0, 10)).toEqual([
      'name', 'version', 'description', 'tags', 'scope',
      'layers[0]', 'layers[0].pack', 'layers[0].version', 'layers[0].values.system.uri', 'layers[0].values',
    ]);
    expect(fields).toContain('layers[2].version');
  });

  it('puts each issue under its field, or the nearest enclosing one', () => {
    const placed = placeIssues([
      issue('name'), issue('layers[1].version'), issue('layers[0].values.system.uri'),
      issue('layers[0].values.system.osName'), issue('layers[2].type'), issue('layers[2]'),
      issue('layers'), issue('cloudType'), issue(''), issue('layers[12].pack'), issue('tags[1]'),
    ], fields);
    expect(issuesOf(placed, 'tags').map((i) => i.path)).toEqual(['tags[1]']);
    expect(issuesOf(placed, 'name').map((i) => i.path)).toEqual(['name']);
    expect(issuesOf(placed, 'layers[1].version').map((i) => i.path)).toEqual(['layers[1].version']);
    expect(issuesOf(placed, 'layers[0].values.system.uri').map((i) => i.path)).toEqual(['layers[0].values.system.uri']);
    expect(issuesOf(placed, 'layers[0].values').map((i) => i.path)).toEqual(['layers[0].values.system.osName']);
    expect(issuesOf(placed, 'layers[2]').map((i) => i.path)).toEqual(['layers[2].type', 'layers[2]']);
    expect(placed.general.map((i) => i.path)).toEqual(['layers', 'cloudType', '', 'layers[12].pack']);
    expect(issuesOf(placed, 'version')).toEqual([]);
    expect(layerHasIssues(placed, 1)).toBe(true);
    expect(layerHasIssues(placed, 3)).toBe(false);
  });

  it('finds the first error to scroll to, skipping warnings', () => {
    const placed = placeIssues([issue('layers[2].pack'), issue('layers[1].pack', 'warning')], fields);
    expect(firstErrorField(placed, fields)).toBe('layers[2].pack');
    expect(layerIndexOf('layers[2].pack')).toBe(2);
    expect(layerIndexOf('name')).toBeUndefined();
    expect(firstErrorField(placeIssues([], fields), fields)).toBeUndefined();
  });

  it('renders backticked names as code', () => {
    expect(codeSpans('the catalog has no pack `edge-k4s`; choose `edge-k3s`')).toEqual([
      { code: false, text: 'the catalog has no pack ' }, { code: true, text: 'edge-k4s' },
      { code: false, text: '; choose ' }, { code: true, text: 'edge-k3s' },
    ]);
    expect(codeSpans('plain')).toEqual([{ code: false, text: 'plain' }]);
    expect(codeSpans('')).toEqual([]);
  });
});
