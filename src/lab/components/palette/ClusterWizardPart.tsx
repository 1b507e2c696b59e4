/**
 * Palette's Clusters › Add New Cluster › Edge Native wizard (reference §6): Basic information,
 * Cluster profile, Parameters, Cluster configuration, Nodes configuration, Settings, Validate, then
 * Finish Configuration. The server judges the data; a refusal's issues go on their fields and
 * the wizard opens the first step that needs a fix. The pure rules live in wizard.ts.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useLabContext } from '../../client';
import { PALETTE_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import { callLabRoute, type FieldIssue } from '../../client/lab-api';
import { useLabResource } from '../../client/use-lab-resource';
import type { EdgeHostRow, ProfileView } from '../../../../simulator/pure/palette/views';
import { DEFAULT_OVERLAY_CIDR } from '../../../../simulator/pure/palette/cluster-network';
import { formatCpus, formatMemory } from './format';
import { invalidProps, IssueList, Problem } from './Issues';
import {
  buildClusterBody, emptyForm, emptyStaticIp, failingSteps, fieldOf, findProfile, firstFailingStep, leftoverIssues, listItemLabel, pickProfile,
  placeIssues, poolChoices, profileNames, profileValues, reviewRows, stepIndex, toggled, versionsOf, WIZARD_STEPS,
  type ClusterBody, type WizardForm, type WizardStep,
} from './wizard';
import styles from './palette.module.css';

/** The wizard creates clusters in the lab's default project, as Palette does in the current one. */
const CLUSTER_PROJECT = 'Default';

interface Wiz {
  id: string;
  form: WizardForm;
  set: (patch: Partial<WizardForm>, ...fields: string[]) => void;
  byField: ReadonlyMap<string, FieldIssue[]>;
  profiles: ProfileView[] | null;
  hosts: EdgeHostRow[] | null;
  loadProblem: string | null;
}

const fieldId = (w: Wiz, field: string): string => `${w.id}-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const at = (w: Wiz, field: string): FieldIssue[] => w.byField.get(field) ?? [];
const listPrefix = (i: FieldIssue): string | undefined => listItemLabel(i.path);

export function ClusterWizardPart(): ReactNode {
  const lab = useLabContext();
  const id = useId();
  const profilesRes = useLabResource(PALETTE_ROUTES.profiles).outcome;
  const hostsRes = useLabResource(PALETTE_ROUTES.edgeHosts, { pollMs: 5000 }).outcome;
  const [form, setForm] = useState<WizardForm>(emptyForm);
  const [step, setStep] = useState<WizardStep>('basic');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [sent, setSent] = useState<ClusterBody | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; warnings: FieldIssue[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [focus, setFocus] = useState<{ to: 'heading' | 'invalid'; n: number } | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!focus || !root.current) return;
    const target = focus.to === 'invalid' ? root.current.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
    (target ?? root.current.querySelector<HTMLElement>('[data-step-heading]'))?.focus();
  }, [focus]);

  const profiles = profilesRes?.ok ? profilesRes.value.profiles : null;
  const hosts = hostsRes?.ok ? hostsRes.value.hosts : null;
  const loadProblem = profilesRes && !profilesRes.ok ? profilesRes.message : hostsRes && !hostsRes.ok ? hostsRes.message : null;
  const profile = profiles ? findProfile(profiles, form.profileName, form.profileVersion) : undefined;
  const byField = placeIssues(issues, sent);
  const failing = failingSteps(issues, sent);

  const set = (patch: Partial<WizardForm>, ...fields: string[]): void => {
    setForm((f) => ({ ...f, ...patch }));
    if (fields.length > 0) setIssues((list) => list.filter((i) => !fields.includes(fieldOf(i.path, sent))));
  };
  const w: Wiz = { id, form, set, byField, profiles, hosts, loadProblem };

  const go = (to: WizardStep): void => {
    setStep(to);
    setFocus({ to: 'heading', n: Date.now() });
  };
  const index = stepIndex(step);

  const create = async (): Promise<void> => {
    const body = buildClusterBody(form, profile?.profile);
    setBusy(true);
    setProblem(null);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.createCluster, { body });
    setBusy(false);
    setSent(body);
    if (r.ok) {
      setIssues([]);
      setCreated({ name: r.value.cluster.name, warnings: r.value.warnings ?? [] });
      return;
    }
    setIssues(r.issues);
    if (r.issues.length === 0) {
      setProblem(r.message);
      return;
    }
    const to = firstFailingStep(r.issues, body) ?? 'review';
    setStep(to);
    setFocus({ to: 'invalid', n: Date.now() });
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (step === 'review') void create();
    else go(WIZARD_STEPS[index + 1]!.id);
  };

  if (created) {
    return (
      <div className={styles.palette} data-palette-part="cluster-wizard" ref={root}>
        <h3 className={styles.title}>Add New Cluster: Edge Native</h3>
        <Problem kind="success" message={`Cluster ${created.name} created. Its hosts are In-Use now and start provisioning at their next heartbeat: follow it in the cluster overview.`} />
        <IssueList issues={created.warnings} />
        <div className={styles.actions}>
          <button
            type="button" className="button button--secondary"
            onClick={() => { setCreated(null); setForm(emptyForm()); setIssues([]); setSent(null); go('basic'); }}
          >
            Create another cluster
          </button>
        </div>
      </div>
    );
  }

  const current = WIZARD_STEPS[index]!;
  return (
    <div className={styles.palette} data-palette-part="cluster-wizard" data-wizard-step={step} ref={root}>
      <h3 className={styles.title}>Add New Cluster: Edge Native</h3>
      <nav aria-label="Wizard steps">
        <ol className={styles.steps}>
          {WIZARD_STEPS.map((s, i) => (
            <li key={s.id}>
              <button
                type="button" className={`${styles.stepButton} ${s.id === step ? styles.stepCurrent : ''} ${failing.has(s.id) ? styles.stepFailing : ''}`}
                aria-current={s.id === step ? 'step' : undefined} onClick={() => go(s.id)} data-step={s.id}
              >
                <span className={styles.stepNumber}>{i + 1}</span> {s.title}
                {failing.has(s.id) ? <span className={styles.stepMark}> (needs a fix)</span> : null}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <form className={styles.form} onSubmit={submit} noValidate>
        <h4 id={`${id}-heading`} className={styles.subtitle} tabIndex={-1} data-step-heading>
          Step {index + 1} of {WIZARD_STEPS.length}: {current.title}
        </h4>
        {step === 'basic' ? <BasicStep w={w} /> : null}
        {step === 'profile' ? <ProfileStep w={w} /> : null}
        {step === 'parameters' ? <ParametersStep w={w} profile={profile} /> : null}
        {step === 'config' ? <ConfigStep w={w} /> : null}
        {step === 'nodes' ? <NodesStep w={w} /> : null}
        {step === 'settings' ? <SettingsStep /> : null}
        {step === 'review' ? <ReviewStep w={w} body={buildClusterBody(form, profile?.profile)} /> : null}
        <Problem message={step === 'review' ? problem : null} />
        <div className={styles.actions}>
          <button type="button" className="button button--secondary" disabled={index === 0} onClick={() => go(WIZARD_STEPS[index - 1]!.id)}>Back</button>
          {step === 'review'
            ? <button type="submit" className="button button--primary" disabled={busy}>{busy ? 'Creating…' : 'Finish Configuration'}</button>
            : <button type="submit" className="button button--primary">Next</button>}
        </div>
      </form>
    </div>
  );
}

/** Issues of this step that have no input of their own, at the top of the step. */
function Leftovers(props: { w: Wiz; step: WizardStep; shown: string[] }): ReactNode {
  return <IssueList issues={leftoverIssues(props.w.byField, props.step, props.shown)} prefix={listPrefix} />;
}

function TextField(props: { w: Wiz; field: string; label: string; value: string; onChange: (v: string) => void; help?: ReactNode; rows?: number; placeholder?: string }): ReactNode {
  const { w, field } = props;
  const id = fieldId(w, field);
  const issues = at(w, field);
  const helpId = props.help ? `${id}-help` : undefined;
  const issueProps = invalidProps(`${id}-issues`, issues);
  const describedBy = [helpId, issueProps['aria-describedby']].filter(Boolean).join(' ') || undefined;
  const common = {
    id, className: styles.input, value: props.value, spellCheck: false, autoComplete: 'off', placeholder: props.placeholder,
    'aria-invalid': issueProps['aria-invalid'], 'aria-describedby': describedBy,
  };
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{props.label}</label>
      {props.rows
        ? <textarea {...common} rows={props.rows} onChange={(e) => props.onChange(e.target.value)} />
        : <input {...common} type="text" onChange={(e) => props.onChange(e.target.value)} />}
      {props.help ? <p id={helpId} className={styles.help}>{props.help}</p> : null}
      <IssueList id={`${id}-issues`} issues={issues} prefix={listPrefix} />
    </div>
  );
}

function Checkbox(props: { w: Wiz; field: string; label: string; checked: boolean; onChange: (on: boolean) => void; help?: ReactNode }): ReactNode {
  const id = fieldId(props.w, props.field);
  const issues = at(props.w, props.field);
  return (
    <div className={styles.field}>
      <span className={styles.check}>
        <input id={id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} {...invalidProps(`${id}-issues`, issues)} />
        <label htmlFor={id}>{props.label}</label>
      </span>
      {props.help ? <p className={styles.help}>{props.help}</p> : null}
      <IssueList id={`${id}-issues`} issues={issues} />
    </div>
  );
}

function BasicStep({ w }: { w: Wiz }): ReactNode {
  return (
    <>
      <Leftovers w={w} step="basic" shown={['name', 'description', 'tags']} />
      <TextField w={w} field="name" label="Cluster name" value={w.form.name} onChange={(v) => w.set({ name: v }, 'name')}
        help="Lowercase letters, digits and -, starting with a letter." />
      <TextField w={w} field="description" label="Description" value={w.form.description} onChange={(v) => w.set({ description: v }, 'description')} help="Optional." />
      <TextField w={w} field="tags" label="Tags" value={w.form.tags} onChange={(v) => w.set({ tags: v }, 'tags')} help="Optional, separated by commas, e.g. env:lab, site:42." />
    </>
  );
}

function ProfileStep({ w }: { w: Wiz }): ReactNode {
  const id = fieldId(w, 'profile');
  const issues = at(w, 'profile');
  if (w.loadProblem) return <Problem message={`The profiles did not load: ${w.loadProblem}`} />;
  if (!w.profiles) return <p className={styles.muted}>Loading the cluster profiles…</p>;
  const names = profileNames(w.profiles);
  const versions = w.form.profileName ? versionsOf(w.profiles, w.form.profileName) : [];
  const picked = findProfile(w.profiles, w.form.profileName, w.form.profileVersion);
  const profiles = w.profiles;
  const pick = (name: string, version?: string): void => {
    w.set(name ? pickProfile(w.form, profiles, name, version) : { profileName: '', profileVersion: '', parameters: {} }, 'profile', 'parameters');
  };
  return (
    <>
      <Leftovers w={w} step="profile" shown={['profile']} />
      {names.length === 0 ? <p className={styles.empty}>No cluster profile yet: model one first, then come back to this step.</p> : null}
      <div className={styles.fieldRow}>
        <div className={styles.field}>
          <label htmlFor={id}>Cluster profile</label>
          <select id={id} className={styles.input} value={w.form.profileName} onChange={(e) => pick(e.target.value)} {...invalidProps(`${id}-issues`, issues)}>
            <option value="">Choose a profile…</option>
            {names.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-version`}>Profile version</label>
          <select id={`${id}-version`} className={styles.input} value={w.form.profileVersion} disabled={versions.length === 0} onChange={(e) => pick(w.form.profileName, e.target.value)} {...invalidProps(`${id}-issues`, issues)}>
            {versions.length === 0 ? <option value="">—</option> : null}
            {versions.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </div>
      </div>
      <IssueList id={`${id}-issues`} issues={issues} />
      {picked ? (
        <ul className={styles.layers} aria-label={`Layers of ${picked.name} ${picked.version}`}>
          {picked.profile.layers.map((l, i) => (
            <li key={i}>{l.type === 'manifest' ? <>Manifest <code>{l.name}</code></> : <><span className={styles.layerType}>{l.type.toUpperCase()}</span> <code>{l.pack}</code> {l.version}</>}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function ParametersStep({ w, profile }: { w: Wiz; profile: ProfileView | undefined }): ReactNode {
  if (!profile) {
    return (
      <>
        <Leftovers w={w} step="parameters" shown={[]} />
        <p className={styles.empty}>Pick a cluster profile first (step 2): its values show here.</p>
      </>
    );
  }
  const values = profileValues(profile.profile);
  const shown = values.map((v) => `parameters.${v.key}`);
  return (
    <>
      <p className={styles.help}>The values of {profile.name} {profile.version}. A value you change applies to this cluster only (an override named <code>&lt;pack&gt;.&lt;key&gt;</code>).</p>
      <Leftovers w={w} step="parameters" shown={shown} />
      {values.length === 0 ? <p className={styles.empty}>This profile has no values to set.</p> : null}
      {values.map((v) => {
        const field = `parameters.${v.key}`;
        const value = w.form.parameters[v.key] ?? v.value;
        const changed = value !== v.value;
        return (
          <div key={v.key} className={styles.param}>
            <TextField
              w={w} field={field} label={v.key} value={value}
              onChange={(x) => w.set({ parameters: { ...w.form.parameters, [v.key]: x } }, field)}
              help={changed ? <>Changed for this cluster. Profile value: <code>{v.value || '(empty)'}</code></> : undefined}
            />
            {changed ? (
              <button type="button" className="button button--link button--sm" aria-label={`Restore ${v.key}`}
                onClick={() => w.set({ parameters: { ...w.form.parameters, [v.key]: v.value } }, field)}>
                Restore the profile value
              </button>
            ) : null}
          </div>
        );
      })}
    </>
  );
}

function ConfigStep({ w }: { w: Wiz }): ReactNode {
  const f = w.form;
  return (
    <>
      <Leftovers w={w} step="config" shown={['vip', 'ntpServers', 'sshKeys', 'overlay', 'overlay.cidr']} />
      <TextField w={w} field="vip" label="VIP" value={f.vip} onChange={(v) => w.set({ vip: v }, 'vip')}
        help="The cluster's virtual IP: a free IPv4 address on the hosts' network that no machine uses." />
      <TextField w={w} field="ntpServers" label="NTP servers" rows={2} value={f.ntpServers} onChange={(v) => w.set({ ntpServers: v }, 'ntpServers')}
        help="Optional, one per line. Clusters of several nodes need synchronised clocks." />
      <TextField w={w} field="sshKeys" label="SSH keys" rows={2} value={f.sshKeys} onChange={(v) => w.set({ sshKeys: v }, 'sshKeys')}
        help={<>Optional, one public key per line (the contents of a <code>.pub</code> file).</>} />
      <Checkbox w={w} field="overlay" label="Enable overlay network" checked={f.overlayEnabled}
        onChange={(on) => w.set({ overlayEnabled: on, overlayCidr: on && f.overlayCidr === '' ? DEFAULT_OVERLAY_CIDR : f.overlayCidr }, 'overlay', 'overlay.cidr', 'vip')}
        help="Only at creation. With the overlay on, the VIP must lie inside the internal CIDR range." />
      {f.overlayEnabled
        ? <TextField w={w} field="overlay.cidr" label="Internal CIDR range" value={f.overlayCidr} onChange={(v) => w.set({ overlayCidr: v }, 'overlay.cidr')} />
        : null}
    </>
  );
}

function HostPicker(props: { w: Wiz; pool: 'controlPlanePool' | 'workerPool'; legend: string; choices: EdgeHostRow[]; picked: string[]; onToggle: (hostId: string, on: boolean) => void; help: ReactNode }): ReactNode {
  const { w, pool } = props;
  const poolId = fieldId(w, pool);
  const poolIssues = at(w, pool);
  return (
    <fieldset className={styles.fieldset} aria-describedby={poolIssues.length > 0 ? `${poolId}-issues` : undefined}>
      <legend>{props.legend}</legend>
      <p className={styles.help}>{props.help}</p>
      {props.choices.length === 0
        ? <p className={styles.empty}>No Ready edge host to add. A host is listed here once it is registered and shows Ready in the Edge Hosts grid.</p>
        : null}
      <ul className={styles.hostChoices}>
        {props.choices.map((h) => {
          const field = `${pool}.hosts:${h.hostId}`;
          const id = fieldId(w, field);
          const issues = at(w, field);
          const ip = invalidProps(`${id}-issues`, issues);
          return (
            <li key={h.hostId} data-pool-host={h.hostId}>
              <span className={styles.check}>
                <input
                  id={id} type="checkbox" checked={props.picked.includes(h.hostId)} onChange={(e) => props.onToggle(h.hostId, e.target.checked)}
                  aria-invalid={ip['aria-invalid']} aria-describedby={[`${id}-about`, ip['aria-describedby']].filter(Boolean).join(' ')}
                />
                <label htmlFor={id}>{h.hostId}</label>
              </span>
              <span id={`${id}-about`} className={styles.hostAbout}>
                {h.status} · {h.ip || 'no IP yet'} · {formatCpus(h.cpus)} CPU · {formatMemory(h.memoryMb)}
              </span>
              <IssueList id={`${id}-issues`} issues={issues} />
              {props.picked.includes(h.hostId) ? <StaticIpFields w={w} field={field} hostId={h.hostId} /> : null}
            </li>
          );
        })}
      </ul>
      <IssueList id={`${poolId}-issues`} issues={poolIssues} />
    </fieldset>
  );
}

const STATIC_IP_FIELDS = [
  { key: 'ip', label: 'IP address', placeholder: '10.77.0.21' },
  { key: 'subnetMask', label: 'Subnet mask', placeholder: '255.255.255.0' },
  { key: 'gateway', label: 'Gateway', placeholder: '10.77.0.1' },
  { key: 'dns', label: 'DNS server (optional)', placeholder: '10.77.0.1' },
] as const;

/** A picked host's "Static IP" switch and, when on, its address fields (`<pool>.hosts:<id>.staticIp.<key>`). */
function StaticIpFields(props: { w: Wiz; field: string; hostId: string }): ReactNode {
  const { w, field, hostId } = props;
  const current = w.form.staticIps[hostId];
  const fields = STATIC_IP_FIELDS.map((f) => `${field}.staticIp.${f.key}`);
  const toggle = (on: boolean): void => {
    const { [hostId]: _dropped, ...rest } = w.form.staticIps;
    w.set({ staticIps: on ? { ...rest, [hostId]: emptyStaticIp() } : rest }, field, ...fields);
  };
  return (
    <div className={styles.staticIp}>
      <Checkbox w={w} field={`${field}.staticIp`} label={`Static IP for ${hostId}`} checked={current !== undefined} onChange={toggle}
        help="Off: the host keeps the address it has (the grid's IP Address). On: provisioning gives its LAN interface this address and mask instead. The lab's LAN has no router and no DNS server, so the gateway and DNS are checked and kept, not used." />
      {current ? STATIC_IP_FIELDS.map((f) => (
        <TextField key={f.key} w={w} field={`${field}.staticIp.${f.key}`} label={f.label} placeholder={f.placeholder} value={current[f.key]}
          onChange={(v) => w.set({ staticIps: { ...w.form.staticIps, [hostId]: { ...current, [f.key]: v } } }, `${field}.staticIp.${f.key}`)} />
      )) : null}
    </div>
  );
}

function NodesStep({ w }: { w: Wiz }): ReactNode {
  const f = w.form;
  if (w.loadProblem) return <Problem message={`The Edge Hosts grid did not load: ${w.loadProblem}`} />;
  if (!w.hosts) return <p className={styles.muted}>Loading the edge hosts…</p>;
  const inProject = w.hosts.filter((h) => h.project === CLUSTER_PROJECT);
  const elsewhere = w.hosts.filter((h) => h.project !== CLUSTER_PROJECT && h.status === 'Ready');
  const hostShown = (pool: string, hostId: string): string[] => [
    `${pool}.hosts:${hostId}`, `${pool}.hosts:${hostId}.staticIp`,
    ...(f.staticIps[hostId] ? STATIC_IP_FIELDS.map((x) => `${pool}.hosts:${hostId}.staticIp.${x.key}`) : []),
  ];
  const shown = ['controlPlanePool', 'controlPlanePool.allowWorkerCapability', 'twoNode', 'workerPool',
    ...f.controlPlaneHosts.flatMap((h) => hostShown('controlPlanePool', h)), ...f.workerHosts.flatMap((h) => hostShown('workerPool', h))];
  const hostFields = (pool: string, hostId: string): string[] => [pool, `${pool}.hosts:${hostId}`];
  return (
    <>
      <Leftovers w={w} step="nodes" shown={shown.concat(inProject.flatMap((h) => [`controlPlanePool.hosts:${h.hostId}`, `workerPool.hosts:${h.hostId}`]))} />
      <HostPicker
        w={w} pool="controlPlanePool" legend="Control-plane pool" picked={f.controlPlaneHosts}
        choices={poolChoices(inProject, f.controlPlaneHosts, f.workerPoolEnabled ? f.workerHosts : [])}
        onToggle={(hostId, on) => w.set({ controlPlaneHosts: toggled(f.controlPlaneHosts, hostId, on) }, ...hostFields('controlPlanePool', hostId), 'twoNode')}
        help="Pick 1, 3 or 5 Ready hosts (2 with two-node capability)."
      />
      {elsewhere.length > 0 ? (
        <p className={styles.help}>Not listed: {elsewhere.map((h) => `${h.hostId} (project ${h.project})`).join(', ')}. This wizard creates the cluster in project {CLUSTER_PROJECT}.</p>
      ) : null}
      <Checkbox w={w} field="controlPlanePool.allowWorkerCapability" label="Allow worker capability" checked={f.allowWorkerCapability}
        onChange={(on) => w.set({ allowWorkerCapability: on }, 'controlPlanePool.allowWorkerCapability')}
        help="Lets your workloads run on the control-plane nodes. When off, they keep a taint and only worker nodes run workloads." />
      <Checkbox w={w} field="twoNode" label="Enable two-node capability" checked={f.twoNode}
        onChange={(on) => w.set({ twoNode: on }, 'twoNode', 'controlPlanePool')}
        help="Two control-plane nodes; needs K3s (or Canonical) and a provider image built with TWO_NODE=true." />
      <Checkbox w={w} field="workerPoolEnabled" label="Add a worker pool" checked={f.workerPoolEnabled}
        onChange={(on) => w.set({ workerPoolEnabled: on }, 'workerPool')} />
      {f.workerPoolEnabled ? (
        <HostPicker
          w={w} pool="workerPool" legend="Worker pool" picked={f.workerHosts}
          choices={poolChoices(inProject, f.workerHosts, f.controlPlaneHosts)}
          onToggle={(hostId, on) => w.set({ workerHosts: toggled(f.workerHosts, hostId, on) }, ...hostFields('workerPool', hostId))}
          help="Optional: Ready hosts that run workloads only."
        />
      ) : null}
    </>
  );
}

function ReviewStep({ w, body }: { w: Wiz; body: ClusterBody }): ReactNode {
  return (
    <>
      <Leftovers w={w} step="review" shown={[]} />
      <dl className={styles.review}>
        {reviewRows(body).map(([k, v]) => (
          <div key={k} className={styles.reviewRow}><dt>{k}</dt><dd>{v}</dd></div>
        ))}
      </dl>
      <p className={styles.help}>Finish Configuration sends this to Palette, which validates it and creates the cluster; anything to fix opens its step with the reason.</p>
    </>
  );
}

/** The product's Settings step, shown for what it holds; the lab's Palette applies none of it. */
function SettingsStep(): ReactNode {
  return (
    <>
      <p>In Palette, this step holds the cluster's <strong>OS patching</strong> schedule, <strong>scan</strong> schedules, <strong>backups</strong> and <strong>access</strong> (role bindings).</p>
      <p className={styles.help}>The lab's Palette is simulated and applies none of these: your cluster gets no patching schedule, no scans and no backups, and you reach it with kubectl on a host's console. Press Next to validate.</p>
    </>
  );
}
