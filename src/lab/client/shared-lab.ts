// One Lab per simulator URL, scenario and role for the whole browser tab. Every lab part on a page
// uses it, and it outlives page navigation (Docusaurus swaps pages without reloading), so walking
// from guide to guide keeps the same socket, the same hosts and the consoles already received.
import { Lab, type LabOptions } from './lab';

const labs = new Map<string, Lab>();

export function sharedLabKey(options: Pick<LabOptions, 'simulatorUrl' | 'scenario' | 'role'>): string {
  return `${options.simulatorUrl ?? ''}\n${options.scenario}\n${options.role ?? ''}`;
}

/** The tab's Lab for these options, created and started on first use; never stopped. */
export function sharedLab(options: LabOptions): Lab {
  const key = sharedLabKey(options);
  let lab = labs.get(key);
  if (!lab) {
    lab = new Lab(options);
    labs.set(key, lab);
    void lab.start();
  }
  return lab;
}
