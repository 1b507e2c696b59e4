// The arguments a host command needs from the lab that the reader does not type: the stick a
// host's INSERT_USB carries is the latest installer built in the lab, or, when the reader asks for
// it, the latest site user-data stick. Every part that offers the command (the hosts part, the
// statechart) asks here.
import type { CommandArgs } from './connection';
import { LAB_ROUTES } from '../../../simulator/pure/protocol/http-routes';
import { callLabRoute } from './lab-api';
import type { LabSession } from './session';

export async function hostCommandArgs(session: LabSession, command: string, stick: 'installer' | 'site' = 'installer'): Promise<CommandArgs | undefined> {
  if (command !== 'INSERT_USB') return undefined;
  if (stick === 'site') {
    const r = await callLabRoute(session, LAB_ROUTES.siteSticks);
    if (!r.ok) throw new Error(r.message);
    const latest = r.value.siteSticks.at(-1);
    if (!latest) throw new Error('There is no site user data stick to insert yet: build one first (Site user data).');
    return { image: latest.id };
  }
  const r = await callLabRoute(session, LAB_ROUTES.installers);
  if (!r.ok) throw new Error(r.message);
  const latest = r.value.installers.at(-1);
  if (!latest) throw new Error('There is no installer to insert yet: build the Edge Installer first.');
  return { image: latest.id };
}
