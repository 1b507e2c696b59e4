/**
 * Palette's profile editor for an Edge Native cluster profile of type Full:
 * name, version, description, then its layers from the lab's pack catalog,
 * each with its pack, pack version and values. "Save profile" sends it to the
 * simulated Palette; every problem it reports appears under its field, and
 * the first layer in trouble is scrolled into view. Below, the saved versions.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ClusterProfile } from '../../../../simulator/pure/palette/profile';
import { DEFAULT_URI_TEMPLATE } from '../../../../simulator/pure/palette/provider-image';
import type { LabEvent } from '../../../../simulator/pure/protocol';
import { useLabContext } from '../../client';
import { PALETTE_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import { callLabRoute, type FieldIssue } from '../../client/lab-api';
import { useLabResource, type LabResource } from '../../client/use-lab-resource';
import {
  firstErrorField, formFieldPaths, issuesOf, layerHasIssues, layerIndexOf, layerPath, placeIssues, valuePath, type PlacedIssues,
} from './field-issues';
import { IssueList } from './IssueText';
import {
  addableLayerTypes, BYOI_KEYS, BYOI_OPTIONAL_KEYS, BYOI_PACK, choosePack, CLOUD_TYPE_NAMES, emptyProfileForm, filterProfiles, findPack,
  formToProfile, insertLayer, LAYER_NAMES, layerLegend, layerSummary, newRow, packsFor, profileToForm, URI_KEY, uriSuggestions, valueChoices,
  type Catalog, type LayerForm, type LayerType, type ProfileForm,
} from './profile-form';
import styles from './profile.module.css';

interface SavedProfile { name: string; version: string; profile: ClusterProfile; savedAt: number; usedBy: string[] }

const never = (): boolean => false;
const profileEvents = (e: LabEvent): boolean =>
  e.type.startsWith('palette.profile.') || e.type.startsWith('palette.cluster.') || e.type === 'lab.reset';
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

interface A11y { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }

/** A labelled control with the issues placed at `path` under it. */
function Field(props: { label: string; path: string; placed: PlacedIssues; className?: string; children: (a11y: A11y) => ReactNode }): ReactNode {
  const id = useId();
  const issues = issuesOf(props.placed, props.path);
  const a11y: A11y = { id, 'aria-invalid': issues.some((i) => i.severity !== 'warning'), ...(issues.length > 0 ? { 'aria-describedby': `${id}-issues` } : {}) };
  return (
    <div className={`${styles.field} ${props.className ?? ''}`} data-field={props.path} data-invalid={a11y['aria-invalid'] || undefined}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(a11y)}
      <IssueList id={`${id}-issues`} issues={issues} />
    </div>
  );
}

export function ProfileBuilder(): ReactNode {
  const lab = useLabContext();
  const catalogResource = useLabResource(PALETTE_ROUTES.catalog, { refreshOn: never });
  const catalog = catalogResource.outcome?.ok ? catalogResource.outcome.value : undefined;
  const saved = useLabResource(PALETTE_ROUTES.profiles, { refreshOn: profileEvents });

  const [form, setForm] = useState<ProfileForm>(emptyProfileForm);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [scrollRequest, setScrollRequest] = useState(0);
  const [addType, setAddType] = useState<LayerType | ''>('');
  const formRef = useRef<HTMLFormElement | null>(null);
  const addId = useId();

  const fields = useMemo(() => formFieldPaths(form), [form]);
  const placed = useMemo(() => placeIssues(issues, fields), [issues, fields]);

  // After a refusal: bring the first field in trouble (its whole layer, when it is in one) into view.
  useEffect(() => {
    const root = formRef.current;
    if (scrollRequest === 0 || !root) return;
    const path = firstErrorField(placed, fields);
    const field = path ? root.querySelector<HTMLElement>(`[data-field="${path}"]`) : root.querySelector<HTMLElement>('[data-general-issues]');
    const layer = path !== undefined ? layerIndexOf(path) : undefined;
    const target = layer !== undefined ? root.querySelector<HTMLElement>(`[data-layer-index="${layer}"]`) : field;
    target?.scrollIntoView({ behavior: 'smooth', block: layer !== undefined ? 'start' : 'center' });
    (field?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? field?.querySelector<HTMLElement>('input, select, textarea'))?.focus({ preventScroll: true });
    // Runs once per refusal; placed and fields are those of the render that showed it.
  }, [scrollRequest]);

  /** A change at one field: the issues shown there are answered by it and go. */
  const edit = (path: string, change: (f: ProfileForm) => ProfileForm): void => {
    const answered = issuesOf(placed, path);
    if (answered.length > 0) setIssues((prev) => prev.filter((i) => !answered.includes(i)));
    setForm(change);
  };
  const editLayer = (index: number, path: string, change: (l: LayerForm) => LayerForm): void =>
    edit(path, (f) => ({ ...f, layers: f.layers.map((l, i) => (i === index ? change(l) : l)) }));
  /** Adding or removing a layer renumbers the layers, so earlier issues no longer point at the right one. */
  const restructure = (layers: LayerForm[]): void => {
    setIssues([]);
    setStatus(null);
    setForm((f) => ({ ...f, layers }));
  };

  const addable = addableLayerTypes(form.layers, catalog);
  const chosenAdd = addType !== '' && addable.includes(addType) ? addType : addable[0];

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    const body = formToProfile(form);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.saveProfile, { body });
    setBusy(false);
    if (r.ok) {
      const warnings = (r.value.warnings ?? []).map((w) => ({ ...w, severity: w.severity ?? ('warning' as const) }));
      setIssues(warnings);
      setStatus({ ok: true, text: `Saved profile ${body.name} version ${body.version}${warnings.length > 0 ? ` with ${plural(warnings.length, 'warning')}, shown at ${warnings.length === 1 ? 'its field' : 'their fields'}` : ''}.` });
      saved.reload();
      return;
    }
    setIssues(r.issues);
    setStatus({ ok: false, text: r.issues.length > 0 ? `The profile was not saved: ${plural(r.issues.length, 'problem')}, shown at ${r.issues.length === 1 ? 'its field' : 'their fields'}.` : `The profile was not saved: ${r.message}` });
    setScrollRequest((n) => n + 1);
  };

  const open = (p: SavedProfile): void => {
    setForm(profileToForm(p.profile));
    setIssues([]);
    setStatus({ ok: true, text: `Opened ${p.name} version ${p.version}. Change it and save it under a new version.` });
    formRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  const catalogProblem = catalogResource.outcome && !catalogResource.outcome.ok ? catalogResource.outcome.message : null;

  return (
    <div data-profile-builder>
      <form ref={formRef} className={styles.builder} onSubmit={(e) => void save(e)} noValidate aria-label="Cluster profile">
        <p className={styles.path}>Profiles › Add Cluster Profile</p>
        <p className={styles.kind}>Basic information, then the profile type <strong>Full</strong> and cloud type <strong>Edge Native</strong>, then the layers, the operating system first.</p>
        <div className={styles.basics}>
          <Field label="Profile name" path="name" placed={placed}>
            {(a) => <input {...a} className={styles.control} value={form.name} autoComplete="off" spellCheck={false}
              onChange={(e) => { const v = e.target.value; edit('name', (f) => ({ ...f, name: v })); }} />}
          </Field>
          <Field label="Version" path="version" placed={placed}>
            {(a) => <input {...a} className={styles.control} value={form.version} autoComplete="off" spellCheck={false} placeholder="major.minor.patch"
              onChange={(e) => { const v = e.target.value; edit('version', (f) => ({ ...f, version: v })); }} />}
          </Field>
          <Field label="Description" path="description" placed={placed} className={styles.wide}>
            {(a) => <textarea {...a} className={styles.control} rows={2} value={form.description}
              onChange={(e) => { const v = e.target.value; edit('description', (f) => ({ ...f, description: v })); }} />}
          </Field>
          <Field label="Tags" path="tags" placed={placed}>
            {(a) => <input {...a} className={styles.control} value={form.tags} autoComplete="off" spellCheck={false} placeholder="env:lab, region:east"
              onChange={(e) => { const v = e.target.value; edit('tags', (f) => ({ ...f, tags: v })); }} />}
          </Field>
          <Field label="Scope" path="scope" placed={placed}>
            {(a) => (
              <select {...a} className={styles.control} value={form.scope}
                onChange={(e) => { const v = e.target.value === 'tenant' ? 'tenant' : 'project'; edit('scope', (f) => ({ ...f, scope: v })); }}>
                <option value="project">Project (Default): this project only</option>
                <option value="tenant">Tenant: every project</option>
              </select>
            )}
          </Field>
        </div>

        {catalogProblem ? (
          <p className={styles.issue} role="status">
            The pack catalog did not load: {catalogProblem}{' '}
            <button type="button" className="button button--sm button--secondary" onClick={catalogResource.reload}>Retry</button>
          </p>
        ) : null}

        {form.layers.map((layer, i) => (
          <LayerFieldset key={layer.id} layer={layer} index={i} legend={layerLegend(form.layers, i)} catalog={catalog} placed={placed}
            onEdit={(path, change) => editLayer(i, path, change)}
            onRemove={() => restructure(form.layers.filter((_, j) => j !== i))} />
        ))}

        <div className={styles.addLayer}>
          <div className={styles.field}>
            <label htmlFor={addId}>Layer to add</label>
            <select id={addId} className={styles.control} value={chosenAdd ?? ''} disabled={addable.length === 0}
              onChange={(e) => setAddType(e.target.value as LayerType)}>
              {addable.map((t) => <option key={t} value={t}>{LAYER_NAMES[t]}</option>)}
            </select>
          </div>
          <button type="button" className="button button--secondary" disabled={!chosenAdd}
            onClick={() => { if (chosenAdd) restructure(insertLayer(form.layers, chosenAdd)); }}>
            Add layer
          </button>
        </div>

        <div data-general-issues>
          <IssueList issues={placed.general} className={styles.general} />
        </div>
        <div className={styles.actions}>
          <button type="submit" className="button button--primary" disabled={busy}>{busy ? 'Saving…' : 'Save profile'}</button>
        </div>
        {status ? <p className={`${styles.status} ${status.ok ? '' : styles.issue}`} role="status" data-save-status={status.ok ? 'saved' : 'refused'}>{status.text}</p> : null}
      </form>
      <SavedVersions outcome={saved.outcome} onOpen={open} />
    </div>
  );
}

function LayerFieldset(props: {
  layer: LayerForm; index: number; legend: string; catalog: Catalog | undefined; placed: PlacedIssues;
  onEdit: (path: string, change: (l: LayerForm) => LayerForm) => void; onRemove: () => void;
}): ReactNode {
  const { layer, index, catalog, placed } = props;
  const at = layerPath(index);
  const uid = useId();
  const packs = packsFor(catalog, layer.type);
  const pack = findPack(catalog, layer.pack);
  const known = packs.some((p) => p.name === layer.pack);
  const isOs = layer.type === 'os';
  return (
    <fieldset className={styles.layer} data-layer-index={index} data-layer-type={layer.type} data-invalid={layerHasIssues(placed, index) || undefined}>
      <legend>{props.legend}</legend>
      <div data-field={at}><IssueList issues={issuesOf(placed, at)} /></div>
      <div className={styles.packRow}>
        <Field label="Pack" path={`${at}.pack`} placed={placed}>
          {(a) => (
            <select {...a} className={styles.control} value={layer.pack}
              onChange={(e) => { const v = e.target.value; props.onEdit(`${at}.pack`, (l) => choosePack(l, v, DEFAULT_URI_TEMPLATE)); }}>
              <option value="">Choose a pack…</option>
              {packs.map((p) => <option key={p.name} value={p.name}>{p.displayName}</option>)}
              {layer.pack && !known ? <option value={layer.pack}>{layer.pack}</option> : null}
            </select>
          )}
        </Field>
        <Field label="Pack version" path={`${at}.version`} placed={placed}>
          {(a) => (
            <select {...a} className={styles.control} value={layer.version} disabled={!layer.pack}
              onChange={(e) => { const v = e.target.value; props.onEdit(`${at}.version`, (l) => ({ ...l, version: v })); }}>
              <option value="">{layer.pack ? 'Choose a version…' : 'Choose a pack first'}</option>
              {(pack?.versions ?? []).map((v) => <option key={v} value={v}>{v}</option>)}
              {layer.version && !pack?.versions.includes(layer.version) ? <option value={layer.version}>{layer.version}</option> : null}
            </select>
          )}
        </Field>
      </div>
      <PackNote layer={layer} catalog={catalog} />

      {layer.values.length > 0 ? (
        <div className={styles.values} role="group" aria-label={`${props.legend} values`}>
          <span className={styles.label}>Values</span>
          {layer.values.map((row, r) => {
            const key = row.key.trim();
            const path = key ? valuePath(index, key) : `${at}.values`;
            const rowIssues = key ? issuesOf(placed, path) : [];
            const choices = isOs && key ? valueChoices(catalog, key) : undefined;
            const setRow = (change: Partial<typeof row>, p = path): void =>
              props.onEdit(p, (l) => ({ ...l, values: l.values.map((x, j) => (j === r ? { ...x, ...change } : x)) }));
            const a11y = { 'aria-invalid': rowIssues.some((x) => x.severity !== 'warning'), ...(rowIssues.length > 0 ? { 'aria-describedby': `${uid}-row${r}` } : {}) };
            return (
              <div key={row.id} className={styles.valueRow} data-field={key ? path : undefined} data-invalid={a11y['aria-invalid'] || undefined}>
                <input aria-label="Key" className={`${styles.control} ${styles.mono}`} value={row.key} spellCheck={false} autoComplete="off"
                  list={isOs ? `${uid}-keys` : undefined} onChange={(e) => setRow({ key: e.target.value })} />
                {choices && choices.length > 0 ? (
                  <select {...a11y} aria-label={key || 'Value'} className={`${styles.control} ${styles.mono}`} value={row.value}
                    onChange={(e) => setRow({ value: e.target.value })}>
                    <option value="">Choose…</option>
                    {choices.map((c) => <option key={c} value={c}>{c}</option>)}
                    {row.value && !choices.includes(row.value) ? <option value={row.value}>{row.value}</option> : null}
                  </select>
                ) : (
                  <input {...a11y} aria-label={key || 'Value'} className={`${styles.control} ${styles.mono}`} value={row.value} spellCheck={false} autoComplete="off"
                    list={key === URI_KEY ? `${uid}-uris` : undefined} onChange={(e) => setRow({ value: e.target.value })} />
                )}
                <button type="button" className="button button--sm button--outline button--secondary"
                  onClick={() => props.onEdit(path, (l) => ({ ...l, values: l.values.filter((_, j) => j !== r) }))}>
                  Remove<span className={styles.visuallyHidden}> value {key || r + 1}</span>
                </button>
                <IssueList id={`${uid}-row${r}`} issues={rowIssues} />
              </div>
            );
          })}
          <div data-field={`${at}.values`}><IssueList issues={issuesOf(placed, `${at}.values`)} /></div>
        </div>
      ) : null}
      {isOs ? (
        <>
          <datalist id={`${uid}-keys`}>{[...BYOI_KEYS, ...BYOI_OPTIONAL_KEYS].map((k) => <option key={k} value={k} />)}</datalist>
          <datalist id={`${uid}-uris`}>{uriSuggestions(catalog, DEFAULT_URI_TEMPLATE).map((u) => <option key={u} value={u} />)}</datalist>
        </>
      ) : null}
      <div className={styles.layerActions}>
        <button type="button" className="button button--sm button--secondary" onClick={() => props.onEdit(`${at}.values`, (l) => ({ ...l, values: [...l.values, newRow()] }))}>
          Add value
        </button>
        <button type="button" className="button button--sm button--outline button--danger" onClick={props.onRemove}>
          Remove layer<span className={styles.visuallyHidden}>: {props.legend}</span>
        </button>
      </div>
      {isOs && layer.pack === BYOI_PACK ? <ProviderImages catalog={catalog} /> : null}
    </fieldset>
  );
}

/** What the catalog says about the chosen pack that matters for the next choices. */
function PackNote(props: { layer: LayerForm; catalog: Catalog | undefined }): ReactNode {
  const pack = findPack(props.catalog, props.layer.pack);
  if (!pack) return null;
  if (pack.layer === 'k8s' && pack.cnis) {
    const names = pack.cnis.map((c) => findPack(props.catalog, c)?.displayName ?? c);
    return <p className={styles.note}>{pack.displayName} pairs with the network packs {names.join(', ')}. Its provider images use <code>system.k8sDistribution</code> <code>{pack.distribution}</code>.</p>;
  }
  if (pack.layer === 'csi' && pack.multiNode === false) {
    return <p className={styles.note}>{pack.displayName} keeps each volume on one node's disk: fine for a single node, not for clusters of several.</p>;
  }
  return null;
}

/** The provider images the lab registry holds: what `system.uri` can name. */
function ProviderImages(props: { catalog: Catalog | undefined }): ReactNode {
  const images = props.catalog?.providerImages ?? [];
  if (images.length === 0) return null;
  return (
    <details>
      <summary>Provider images in the lab registry</summary>
      <ul className={styles.summary}>
        {images.map((i) => (
          <li key={i.name}>{i.name} ({i.os.name} {i.os.version}, {i.k8sDistribution} {i.k8sVersion}{i.twoNode ? ', two-node' : ''}{i.available ? '' : ', not pushed yet'})</li>
        ))}
      </ul>
    </details>
  );
}

/** The profile list's filters, as Palette's Profiles page has them: cloud type and a name search. */
function ProfileFilters(props: { cloud: string; search: string; onCloud: (v: string) => void; onSearch: (v: string) => void }): ReactNode {
  const id = useId();
  return (
    <div className={styles.filters}>
      <div className={styles.field}>
        <label htmlFor={`${id}-cloud`}>Cloud type</label>
        <select id={`${id}-cloud`} className={styles.control} value={props.cloud} onChange={(e) => props.onCloud(e.target.value)}>
          <option value="all">All</option>
          <option value="edge-native">Edge Native</option>
        </select>
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-search`}>Name contains</label>
        <input id={`${id}-search`} className={styles.control} value={props.search} autoComplete="off" spellCheck={false} onChange={(e) => props.onSearch(e.target.value)} />
      </div>
    </div>
  );
}

function SavedVersions(props: { outcome: LabResource<{ profiles: SavedProfile[] }>['outcome']; onOpen: (p: SavedProfile) => void }): ReactNode {
  const { outcome } = props;
  const [cloud, setCloud] = useState('all');
  const [search, setSearch] = useState('');
  const all = outcome?.ok ? outcome.value.profiles : [];
  const shown = filterProfiles(all, { cloudType: cloud, nameContains: search });
  return (
    <section className={styles.saved} aria-label="Saved profile versions">
      <h3>Saved profile versions</h3>
      {all.length > 0 ? <ProfileFilters cloud={cloud} search={search} onCloud={setCloud} onSearch={setSearch} /> : null}
      {!outcome ? <p>Loading the saved profiles…</p>
        : !outcome.ok ? <p className={styles.issue}>The saved profiles did not load: {outcome.message}</p>
          : all.length === 0 ? <p>No profile is saved yet.</p>
            : shown.length === 0 ? <p>No saved profile matches the filters ({all.length} in all).</p>
            : (
              <div className={styles.tableWrap}>
                <table>
                  <thead><tr><th>Name</th><th>Version</th><th>Cloud type</th><th>Scope</th><th>Tags</th><th>Layers</th><th>Saved</th><th>Used by</th><th><span className={styles.visuallyHidden}>Actions</span></th></tr></thead>
                  <tbody>
                    {shown.map((p) => (
                      <tr key={`${p.name}@${p.version}`} className={p.usedBy.length > 0 ? styles.used : undefined}
                        data-profile={p.name} data-version={p.version} data-in-use={p.usedBy.length > 0 || undefined}>
                        <td>{p.name}</td>
                        <td>{p.version}</td>
                        <td>{CLOUD_TYPE_NAMES[p.profile.cloudType]}</td>
                        <td>{p.profile.scope === 'tenant' ? 'Tenant' : 'Project'}</td>
                        <td>{p.profile.tags?.join(', ') || '—'}</td>
                        <td className={styles.summary}>{layerSummary(p.profile)}</td>
                        <td>{new Date(p.savedAt).toLocaleString()}</td>
                        <td>{p.usedBy.length > 0 ? <span className="badge badge--success">In use by {p.usedBy.join(', ')}</span> : 'No cluster'}</td>
                        <td>
                          <button type="button" className="button button--sm button--secondary" onClick={() => props.onOpen(p)}>
                            Open<span className={styles.visuallyHidden}> {p.name} {p.version}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
    </section>
  );
}
